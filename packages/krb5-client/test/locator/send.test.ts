import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseProfile, readKrb5Config } from '../../src/config/index.js';
import {
  type KdcAttempt,
  KdcNotFoundError,
  KdcUnreachableError,
  type LocatedKdc,
  type SrvResolver,
  sendToKdc,
} from '../../src/locator/index.js';
import { KdcAbortedError } from '../../src/transport/index.js';
import {
  bytes,
  closedPort,
  framed,
  LOOPBACK,
  type StreamBehaviour,
  type StreamServer,
  startStreamServer,
} from '../transport/helpers.js';
import { buildKrbError } from './messages.js';

type UdpBehaviour = 'reply' | 'blackhole' | 'too-big' | 'svc-unavailable' | 'drop-first';

/** A KDC stand-in on 127.0.0.1:port, UDP and/or TCP, replying `reply-from-<name>`. */
interface FakeKdc {
  readonly name: string;
  readonly port: number;
  readonly udpRequests: number[];
  readonly tcp: StreamServer | undefined;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const dir = mkdtempSync(join(tmpdir(), 'postntlm-send-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replyOf = (name: string): Uint8Array => new TextEncoder().encode(`reply-from-${name}`);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function startKdc(
  name: string,
  udp: UdpBehaviour | 'closed',
  tcp: 'reply' | 'closed' | 'silent' | 'svc-unavailable',
): Promise<FakeKdc> {
  for (let attempt = 0; ; attempt++) {
    // A TCP listener (or a free port) first, then UDP on the same port.
    let server: StreamServer | undefined;
    let port: number;
    const tcpBehaviour: StreamBehaviour = (socket) => {
      if (tcp === 'silent') return;
      socket.end(framed(tcp === 'svc-unavailable' ? buildKrbError(29) : replyOf(name)));
    };
    if (tcp === 'closed') port = await closedPort();
    else {
      server = await startStreamServer({ host: LOOPBACK, port: 0 }, tcpBehaviour);
      port = server.port;
    }
    let udpSocket: UdpSocket | undefined;
    const udpRequests: number[] = [];
    if (udp !== 'closed') {
      const s = createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.bind(port, LOOPBACK, () => resolve(true));
      });
      if (!bound) {
        s.close();
        await server?.close();
        if (attempt > 5) throw new Error('no port free for both UDP and TCP');
        continue;
      }
      udpSocket = s;
      s.on('message', (message, from) => {
        udpRequests.push(message.length);
        const send = (b: Uint8Array): void => s.send(b, from.port, from.address);
        if (udp === 'reply') send(replyOf(name));
        else if (udp === 'too-big')
          send(buildKrbError(52, 'TEST.REALM', 'Response too big for UDP, retry with TCP'));
        else if (udp === 'svc-unavailable') send(buildKrbError(29));
        else if (udp === 'drop-first' && udpRequests.length > 1) send(replyOf(name));
      });
    }
    const kdc: FakeKdc = {
      name,
      port,
      udpRequests,
      tcp: server,
      close: async () => {
        if (udpSocket !== undefined) await new Promise<void>((r) => udpSocket.close(() => r()));
        await server?.close();
      },
    };
    cleanups.push(kdc.close);
    return kdc;
  }
}

function configFor(kdcs: readonly string[], libdefaults = ''): ReturnType<typeof readKrb5Config> {
  return readKrb5Config(
    parseProfile(
      `[libdefaults]\n dns_lookup_kdc = false\n${libdefaults}\n[realms]\n TEST.REALM = {\n${kdcs.map((k) => `  kdc = ${k}\n`).join('')} }\n`,
    ),
  );
}

const at = (kdc: FakeKdc): string => `${LOOPBACK}:${kdc.port}`;
const summary = (attempts: readonly KdcAttempt[]): string[] =>
  attempts.map((a) => `${a.outcome} ${a.address}`);

async function unreachable(p: Promise<unknown>): Promise<KdcUnreachableError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(KdcUnreachableError);
    return error as KdcUnreachableError;
  }
  throw new Error('expected KdcUnreachableError');
}

describe('transport choice', () => {
  it('uses UDP first for a request within udp_preference_limit', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(100), { config: configFor([at(k)]) });
    expect(text(r.reply)).toBe('reply-from-k1');
    expect(r.protocol).toBe('udp');
    expect(r.address).toBe(`udp/${at(k)}`);
    expect(summary(r.attempts)).toEqual([`reply udp/${at(k)}`]);
  });

  it('uses TCP first for a request above udp_preference_limit', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const config = configFor([at(k)], ' udp_preference_limit = 100');
    expect((await sendToKdc('TEST.REALM', bytes(100), { config })).protocol).toBe('udp'); // equal: UDP
    const r = await sendToKdc('TEST.REALM', bytes(101), { config });
    expect(summary(r.attempts)).toEqual([`reply tcp/${at(k)}`]);
    expect(k.udpRequests).toEqual([100]);
  });

  it('udp_preference_limit = 1 forces TCP first', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(10), {
      config: configFor([at(k)], ' udp_preference_limit = 1'),
    });
    expect(r.protocol).toBe('tcp');
    expect(k.udpRequests).toEqual([]);
  });

  it('retries the same KDC over TCP when UDP says KRB_ERR_RESPONSE_TOO_BIG (52)', async () => {
    const k = await startKdc('k1', 'too-big', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(50), { config: configFor([at(k)]) });
    expect(text(r.reply)).toBe('reply-from-k1');
    expect(summary(r.attempts)).toEqual([`response-too-big udp/${at(k)}`, `reply tcp/${at(k)}`]);
  });

  it('takes an injected isResponseTooBig', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(50), {
      config: configFor([at(k)]),
      isResponseTooBig: (reply) => text(reply) === 'reply-from-k1',
    });
    expect(r.protocol).toBe('tcp');
  });

  it('honours tcp/ and udp/ entries, UNIX sockets, and reports https entries as unsupported', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const path = join(dir, 'kdc.sock');
    const unix = await startStreamServer({ path }, (socket) => socket.end(framed(replyOf('unix'))));
    cleanups.push(unix.close);
    expect((await sendToKdc('TEST.REALM', bytes(10), { config: configFor([`tcp/${at(k)}`]) })).protocol).toBe(
      'tcp',
    );
    const big = await sendToKdc('TEST.REALM', bytes(2000), { config: configFor([`udp/${at(k)}`]) });
    expect(big.protocol).toBe('udp'); // the only transport the entry allows, even above the limit
    const r = await sendToKdc('TEST.REALM', bytes(10), {
      config: configFor(['https://proxy.example/KdcProxy', path]),
    });
    expect(text(r.reply)).toBe('reply-from-unix');
    expect(summary(r.attempts)).toEqual(['unsupported https://proxy.example/KdcProxy', `reply unix:${path}`]);
    expect(r.attempts[0]!.reason).toMatch(/MS-KKDCP/);
  });
});

describe('failover', () => {
  it('moves to the next KDC when one refuses', async () => {
    const dead = await closedPort();
    const k2 = await startKdc('k2', 'reply', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(10), {
      config: configFor([`${LOOPBACK}:${dead}`, at(k2)]),
    });
    expect(text(r.reply)).toBe('reply-from-k2');
    expect(summary(r.attempts)).toEqual([`failed udp/${LOOPBACK}:${dead}`, `reply udp/${at(k2)}`]);
    expect(r.attempts[0]!.reason).toBe('connection refused');
  });

  it('tries every KDC over UDP before falling back to TCP (MIT order)', async () => {
    const k1 = await startKdc('k1', 'closed', 'closed');
    const k2 = await startKdc('k2', 'closed', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(k1), at(k2)]) });
    expect(summary(r.attempts)).toEqual([
      `failed udp/${at(k1)}`,
      `failed udp/${at(k2)}`,
      `failed tcp/${at(k1)}`,
      `reply tcp/${at(k2)}`,
    ]);
  });

  it('moves on after KDC_ERR_SVC_UNAVAILABLE without asking that KDC again', async () => {
    const k1 = await startKdc('k1', 'svc-unavailable', 'reply');
    const k2 = await startKdc('k2', 'reply', 'reply');
    const r = await sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(k1), at(k2)]) });
    expect(summary(r.attempts)).toEqual([`service-unavailable udp/${at(k1)}`, `reply udp/${at(k2)}`]);
    expect(k1.tcp?.connections()).toBe(0);
  });

  it('repeats tries that timed out in a later pass (lost datagram)', async () => {
    const k = await startKdc('k1', 'drop-first', 'closed');
    const r = await sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(k)]), perTryTimeoutMs: 200 });
    expect(summary(r.attempts)).toEqual([`failed udp/${at(k)}`, `failed tcp/${at(k)}`, `reply udp/${at(k)}`]);
    expect(r.attempts.map((a) => a.reason)).toEqual([
      'no reply within 200 ms',
      'connection refused',
      'replied',
    ]);
  });

  it('names every KDC tried and why when all fail', async () => {
    const k1 = await startKdc('k1', 'closed', 'closed');
    const k2 = await startKdc('k2', 'svc-unavailable', 'svc-unavailable');
    const e = await unreachable(sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(k1), at(k2)]) }));
    expect(e.deadline).toBeUndefined();
    expect(e.message).toBe(
      `cannot reach any KDC for realm TEST.REALM: udp/${at(k1)}: connection refused; udp/${at(k2)}: KDC_ERR_SVC_UNAVAILABLE; tcp/${at(k1)}: connection refused`,
    );
    expect(e.attempts).toHaveLength(3);
  });
});

describe('deadline and per-try timeout', () => {
  it('a blackhole KDC: KdcUnreachableError at the deadline, not later', async () => {
    const hole = await startKdc('hole', 'blackhole', 'closed');
    const started = performance.now();
    const e = await unreachable(
      sendToKdc('TEST.REALM', bytes(10), {
        config: configFor([`udp/${at(hole)}`]),
        perTryTimeoutMs: 10_000,
        deadlineMs: 600,
      }),
    );
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThan(1100); // the deadline plus scheduling slack on a loaded machine
    expect(e.deadline).toBe('deadline of 600 ms reached');
    expect(e.message).toMatch(
      new RegExp(
        `^cannot reach any KDC for realm TEST\\.REALM \\(deadline of 600 ms reached\\): udp/${at(hole)}: no reply within (599|600) ms$`,
      ),
    );
    expect(hole.udpRequests.length).toBe(1);
  });

  it('per-try timeouts, retries and the deadline together', async () => {
    const hole = await startKdc('hole', 'blackhole', 'silent');
    const other = await startKdc('other', 'blackhole', 'closed');
    const started = performance.now();
    const e = await unreachable(
      sendToKdc('TEST.REALM', bytes(10), {
        config: configFor([at(hole), at(other)]),
        perTryTimeoutMs: 150,
        deadlineMs: 1000,
      }),
    );
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(980);
    expect(took).toBeLessThan(1600);
    // pass 1: udp hole, udp other, tcp hole (silent), tcp other (refused); then the timed-out ones again
    expect(summary(e.attempts).slice(0, 4)).toEqual([
      `failed udp/${at(hole)}`,
      `failed udp/${at(other)}`,
      `failed tcp/${at(hole)}`,
      `failed tcp/${at(other)}`,
    ]);
    expect(e.attempts.length).toBeGreaterThanOrEqual(6);
    expect(e.attempts.filter((a) => a.address === `tcp/${at(other)}`)).toHaveLength(1); // refused: not retried
    expect(e.message).toContain('deadline of 1000 ms reached');
  });

  it('lists the KDCs the deadline left untried', async () => {
    const hole = await startKdc('hole', 'blackhole', 'closed');
    const e = await unreachable(
      sendToKdc('TEST.REALM', bytes(10), {
        config: configFor([`udp/${at(hole)}`, 'tcp/192.0.2.1:88']),
        perTryTimeoutMs: 5000,
        deadlineMs: 300,
      }),
    );
    expect(e.untried).toEqual(['tcp/192.0.2.1:88']);
    expect(e.message).toMatch(/not tried: tcp\/192\.0\.2\.1:88$/);
  });

  it('stops at once when aborted', async () => {
    const hole = await startKdc('hole', 'blackhole', 'closed');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await expect(
      sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(hole)]), signal: controller.signal }),
    ).rejects.toBeInstanceOf(KdcAbortedError);
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(
      sendToKdc('TEST.REALM', bytes(10), { config: configFor([at(hole)]), signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(KdcAbortedError);
  });

  it('a hanging DNS lookup counts against the deadline', async () => {
    const resolver: SrvResolver = { resolveSrv: () => new Promise(() => {}) };
    const started = performance.now();
    const e = await unreachable(sendToKdc('HANG.TEST', bytes(10), { resolver, deadlineMs: 300 }));
    expect(performance.now() - started).toBeLessThan(700);
    expect(e.message).toMatch(/while locating KDCs/);
  });
});

describe('locating', () => {
  it('finds KDCs through SRV records (fake resolver)', async () => {
    const k = await startKdc('srv', 'reply', 'reply');
    const resolver: SrvResolver = {
      resolveSrv: async (name) =>
        name === '_kerberos._tcp.SRV.TEST.'
          ? [{ name: `${LOOPBACK}.`, port: k.port, priority: 0, weight: 0 }]
          : [],
    };
    const r = await sendToKdc('SRV.TEST', bytes(10), { resolver });
    expect(text(r.reply)).toBe('reply-from-srv');
    expect(r.address).toBe(`tcp/${at(k)}`);
  });

  it('accepts an explicit KDC list and reports unknown realms', async () => {
    const k = await startKdc('k1', 'reply', 'reply');
    const kdcs: LocatedKdc[] = [
      {
        source: 'config',
        address: { kind: 'host', transport: 'any', host: LOOPBACK, port: k.port, spec: 'x' },
      },
    ];
    expect(text((await sendToKdc('ANY', bytes(10), { kdcs })).reply)).toBe('reply-from-k1');
    await expect(sendToKdc('NOWHERE', bytes(10), { config: configFor([]) })).rejects.toBeInstanceOf(
      KdcNotFoundError,
    );
    await expect(sendToKdc('X', new Uint8Array(0), { kdcs })).rejects.toBeInstanceOf(TypeError);
  });
});
