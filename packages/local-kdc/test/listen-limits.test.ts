/** The listener's limits and counters, each driven past its edge. */
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAsExchange, fixedClock } from '@postntlm/krb5-client';
import { decodeMessage } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LISTEN_LIMITS,
  DEFAULT_POLICY,
  type Kdc,
  type KdcListener,
  type ListenOptions,
  listen,
} from '../src/index.js';
import { FrameBuffer } from '../src/listen/framing.js';
import { tokenBuckets } from '../src/listen/rate-limit.js';
import { REALM, T0, testKdc } from './helpers.js';

let kdc: Kdc;
let request: Uint8Array;
let dir: string;

beforeAll(async () => {
  kdc = (await testKdc()).kdc;
  const step = createAsExchange({
    client: `alice@${REALM}`,
    credentials: { password: 'x' },
    clock: fixedClock(T0),
  }).start();
  if (step.kind !== 'send') throw new Error('no request');
  request = step.bytes;
  dir = await mkdtemp(join(tmpdir(), 'lkdc-limits-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const framed = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(bytes.length + 4);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An engine whose answers wait until `release()`: requests stay in flight as long as a test wants. */
function heldKdc(reply: Uint8Array = Uint8Array.of(0x7e, 0)): Kdc & { release(): void; waiting(): number } {
  let waiters: (() => void)[] = [];
  return {
    realm: REALM,
    policy: DEFAULT_POLICY,
    handle: () => new Promise((resolve) => waiters.push(() => resolve(reply))),
    release() {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
    waiting: () => waiters.length,
  };
}

/** An engine that answers every request at once with `reply`. */
function instantKdc(reply: Uint8Array, policy = DEFAULT_POLICY): Kdc {
  return { realm: REALM, policy, handle: async () => reply };
}

/** A stream client: counts framed replies, notes when the server closes. */
class Client {
  readonly socket: Socket;
  replies = 0;
  closed = false;
  private head = Buffer.alloc(0);
  private need = -1;
  readonly connected: Promise<void>;

  constructor(target: { port: number } | { path: string }) {
    this.socket = connect(target);
    this.connected = new Promise((r) => this.socket.once('connect', () => r()));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
    // Only the lengths matter here: payload bytes are skipped, never kept.
    this.socket.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        if (this.need < 0) {
          const take = Math.min(4 - this.head.length, chunk.length - at);
          this.head = Buffer.concat([this.head, chunk.subarray(at, at + take)]);
          at += take;
          if (this.head.length < 4) return;
          this.need = this.head.readUInt32BE(0);
          this.head = Buffer.alloc(0);
        }
        const take = Math.min(this.need, chunk.length - at);
        this.need -= take;
        at += take;
        if (this.need === 0) {
          this.need = -1;
          this.replies++;
        }
      }
    });
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  async until(ok: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error('timed out');
      await sleep(5);
    }
  }
}

async function withListener(
  engine: Kdc,
  options: ListenOptions,
  body: (l: KdcListener) => Promise<void>,
): Promise<void> {
  const l = await listen(engine, options);
  try {
    await body(l);
  } finally {
    await l.close();
  }
}

/** Sends `count` datagrams from one socket; resolves with the replies seen after `quietMs` of silence. */
async function udpBurst(port: number, bytes: Uint8Array, count: number, quietMs = 150): Promise<number> {
  const socket = createSocket('udp4');
  let replies = 0;
  let last = Date.now();
  socket.on('message', () => {
    replies++;
    last = Date.now();
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  for (let i = 0; i < count; i++) {
    socket.send(bytes, port, '127.0.0.1');
    // Pace the burst so that no socket buffer on the way overflows; only the KDC may drop.
    if (i % 20 === 19) await sleep(1);
  }
  last = Date.now();
  while (Date.now() - last < quietMs) await sleep(10);
  socket.close();
  return replies;
}

describe('maxConnections', () => {
  it('closes connections beyond the limit at once and counts them', async () => {
    await withListener(kdc, { tcp: {}, limits: { maxConnections: 2 } }, async (l) => {
      const port = l.tcpPort ?? 0;
      const a = new Client({ port });
      const b = new Client({ port });
      await Promise.all([a.connected, b.connected]);
      await a.until(() => l.stats().connectionsOpen === 2);
      const c = new Client({ port });
      await c.until(() => c.closed);
      expect(l.stats()).toMatchObject({ connectionsOpen: 2, connectionsAccepted: 3 });
      expect(l.stats().dropped['connection-limit']).toBe(1);
      a.socket.destroy();
      await b.until(() => l.stats().connectionsOpen === 1);
      const d = new Client({ port });
      d.write(framed(request));
      await d.until(() => d.replies === 1);
      expect(d.closed).toBe(false);
      b.socket.destroy();
      d.socket.destroy();
    });
  });

  it('counts Unix-socket connections against the same limit', async () => {
    const path = join(dir, 'conn.sock');
    await withListener(kdc, { tcp: {}, unix: path, limits: { maxConnections: 1 } }, async (l) => {
      const a = new Client({ path });
      await a.connected;
      await a.until(() => l.stats().connectionsOpen === 1);
      const b = new Client({ port: l.tcpPort ?? 0 });
      await b.until(() => b.closed);
      expect(l.stats().dropped['connection-limit']).toBe(1);
      a.socket.destroy();
    });
  });
});

describe('maxInFlight', () => {
  it('drops UDP requests beyond it and holds stream requests until a slot frees', async () => {
    const engine = heldKdc();
    await withListener(engine, { tcp: {}, udp: {}, limits: { maxInFlight: 2 } }, async (l) => {
      const streams = [0, 1, 2].map(() => new Client({ port: l.tcpPort ?? 0 }));
      for (const s of streams) s.write(framed(request));
      await streams[0]?.until(() => engine.waiting() === 2);
      await sleep(50);
      // The third stream request waits for a slot; it is neither dropped nor answered.
      expect(engine.waiting()).toBe(2);
      expect(l.stats()).toMatchObject({ inFlight: 2, requests: 2 });
      expect(await udpBurst(l.udpPort ?? 0, request, 3, 50)).toBe(0);
      expect(l.stats().dropped['in-flight-limit']).toBe(3);
      engine.release();
      await streams[0]?.until(() => engine.waiting() === 1);
      engine.release();
      for (const s of streams) await s.until(() => s.replies === 1);
      expect(l.stats()).toMatchObject({ inFlight: 0, requests: 3, replies: 3 });
      for (const s of streams) expect(s.closed).toBe(false);
      for (const s of streams) s.socket.destroy();
    });
  });
});

describe('rateLimit (token bucket per source IP)', () => {
  // Tests run on loopback, which the default exempts: these limit it on purpose.
  const limits = { rateLimit: { perSecond: 0.001, burst: 3, exemptLoopback: false } };

  it('drops UDP requests over the bucket', async () => {
    await withListener(kdc, { udp: {}, limits }, async (l) => {
      expect(await udpBurst(l.udpPort ?? 0, request, 5)).toBe(3);
      expect(l.stats()).toMatchObject({ requests: 3, replies: 3 });
      expect(l.stats().dropped['rate-limited']).toBe(2);
    });
  });

  it('closes a TCP connection that goes over it, and the bucket is shared by the IP', async () => {
    await withListener(kdc, { tcp: {}, limits }, async (l) => {
      const a = new Client({ port: l.tcpPort ?? 0 });
      for (let i = 0; i < 2; i++) a.write(framed(request));
      await a.until(() => a.replies === 2);
      const b = new Client({ port: l.tcpPort ?? 0 });
      for (let i = 0; i < 3; i++) b.write(framed(request));
      await b.until(() => b.closed);
      expect(b.replies).toBe(1);
      expect(l.stats().dropped['rate-limited']).toBe(1);
      a.socket.destroy();
    });
  });

  it('refills at perSecond', async () => {
    await withListener(
      kdc,
      { udp: {}, limits: { rateLimit: { perSecond: 20, burst: 1, exemptLoopback: false } } },
      async (l) => {
        expect(await udpBurst(l.udpPort ?? 0, request, 3, 20)).toBe(1);
        await sleep(120);
        expect(await udpBurst(l.udpPort ?? 0, request, 3, 20)).toBe(1);
      },
    );
  });

  it('exempts Unix-socket peers', async () => {
    const path = join(dir, 'rate.sock');
    await withListener(kdc, { unix: path, limits }, async (l) => {
      const a = new Client({ path });
      for (let i = 0; i < 10; i++) a.write(framed(request));
      await a.until(() => a.replies === 10);
      expect(l.stats().dropped['rate-limited']).toBe(0);
      a.socket.destroy();
    });
  });

  it('is on by default: 400 at once per source, then 200/s', async () => {
    expect(DEFAULT_LISTEN_LIMITS.rateLimit).toEqual({
      perSecond: 200,
      burst: 400,
      maxSources: 10_000,
      exemptLoopback: true,
    });
    const reply = Uint8Array.of(0x7e, 0);
    const { exemptLoopback: _, ...defaults } = DEFAULT_LISTEN_LIMITS.rateLimit;
    // The defaults but for the loopback exemption, since this test can only send from loopback.
    await withListener(
      instantKdc(reply),
      { udp: {}, limits: { rateLimit: { ...defaults, exemptLoopback: false } } },
      async (l) => {
        const started = Date.now();
        const replies = await udpBurst(l.udpPort ?? 0, request, 500);
        const seconds = (Date.now() - started) / 1000;
        const { dropped, requests } = l.stats();
        expect(replies).toBe(requests);
        expect(requests + dropped['rate-limited']).toBe(500);
        // The burst, plus at most what refilled (200/s) while the datagrams were being sent.
        expect(requests).toBeGreaterThanOrEqual(400);
        expect(requests).toBeLessThanOrEqual(400 + Math.ceil(seconds * 200));
        expect(dropped['rate-limited']).toBeGreaterThan(0);
      },
    );
  });

  it('exempts loopback sources by default (local proxies such as an SMB server)', async () => {
    await withListener(instantKdc(Uint8Array.of(0x7e, 0)), { udp: {} }, async (l) => {
      expect(await udpBurst(l.udpPort ?? 0, request, 500)).toBe(500);
      expect(l.stats().dropped['rate-limited']).toBe(0);
    });
  });

  it('can be turned off', async () => {
    await withListener(
      instantKdc(Uint8Array.of(0x7e, 0)),
      { udp: {}, limits: { rateLimit: false } },
      async (l) => {
        expect(await udpBurst(l.udpPort ?? 0, request, 500)).toBe(500);
      },
    );
  });
});

describe('request size and per-connection buffering', () => {
  it('cuts frames out of a stream that arrives one byte at a time', () => {
    const buffer = new FrameBuffer(1000);
    const stream = Uint8Array.from([...framed(request), ...framed(Uint8Array.of(1, 2)), ...framed(request)]);
    const frames: Uint8Array[] = [];
    for (const byte of stream) {
      buffer.push(Uint8Array.of(byte));
      for (let f = buffer.next(); f.kind === 'frame'; f = buffer.next()) frames.push(f.bytes);
    }
    expect(frames).toEqual([request, Uint8Array.of(1, 2), request]);
    expect(buffer.size).toBe(0);
  });

  it('drops a UDP datagram over maxRequestBytes', async () => {
    const small = { ...DEFAULT_POLICY, maxRequestBytes: 100 };
    await withListener(instantKdc(Uint8Array.of(0x7e, 0), small), { udp: {} }, async (l) => {
      expect(await udpBurst(l.udpPort ?? 0, new Uint8Array(101), 1, 50)).toBe(0);
      expect(await udpBurst(l.udpPort ?? 0, new Uint8Array(100), 1, 50)).toBe(1);
      expect(l.stats().dropped['too-large']).toBe(1);
    });
  });

  it('closes a connection whose frame cannot fit maxBufferedBytes', async () => {
    await withListener(kdc, { tcp: {}, limits: { maxBufferedBytes: request.length + 3 } }, async (l) => {
      const a = new Client({ port: l.tcpPort ?? 0 });
      a.write(framed(request));
      await a.until(() => a.closed);
      expect(l.stats().dropped['too-large']).toBe(1);
      expect(l.stats().requests).toBe(0);
    });
  });

  it('answers pipelined requests beyond the buffer by reading more slowly, not by dropping', async () => {
    await withListener(kdc, { tcp: {}, limits: { maxBufferedBytes: request.length + 4 } }, async (l) => {
      const a = new Client({ port: l.tcpPort ?? 0 });
      const many = framed(request);
      const all = new Uint8Array(many.length * 50);
      for (let i = 0; i < 50; i++) all.set(many, i * many.length);
      a.write(all);
      await a.until(() => a.replies === 50);
      expect(a.closed).toBe(false);
      expect(Object.values(l.stats().dropped).every((n) => n === 0)).toBe(true);
      a.socket.destroy();
    });
  });

  it('stops reading from a client that does not read its replies', async () => {
    const big = new Uint8Array(60_000);
    await withListener(
      instantKdc(big),
      { tcp: {}, limits: { maxBufferedBytes: 100_000, rateLimit: false } },
      async (l) => {
        const a = new Client({ port: l.tcpPort ?? 0 });
        await a.connected;
        a.socket.pause();
        const tiny = framed(Uint8Array.of(0x6a, 0));
        for (let i = 0; i < 1000; i++) a.write(tiny);
        // 1000 replies are 60 MB: kernel buffers take a few MB, then the server must stop.
        let last = -1;
        while (l.stats().requests !== last) {
          last = l.stats().requests;
          await sleep(100);
        }
        expect(last).toBeLessThan(1000);
        a.socket.resume();
        await a.until(() => a.replies === 1000, 20_000);
        expect(l.stats()).toMatchObject({ requests: 1000, replies: 1000 });
        a.socket.destroy();
      },
    );
  }, 30_000);
});

describe('counters', () => {
  it('counts requests, replies, bad framing and unanswered requests', async () => {
    await withListener(kdc, { tcp: {}, udp: {} }, async (l) => {
      const a = new Client({ port: l.tcpPort ?? 0 });
      a.write(framed(request));
      await a.until(() => a.replies === 1);
      expect(l.stats()).toMatchObject({ connectionsOpen: 1, connectionsAccepted: 1 });
      a.write(Uint8Array.of(0, 0, 0, 0));
      await a.until(() => a.closed);
      const b = new Client({ port: l.tcpPort ?? 0 });
      b.write(framed(Uint8Array.of(1, 2, 3)));
      await b.until(() => b.closed);
      expect(await udpBurst(l.udpPort ?? 0, request, 1, 50)).toBe(1);
      await a.until(() => l.stats().connectionsOpen === 0);
      const s = l.stats();
      expect(s).toMatchObject({
        requests: 3,
        replies: 2,
        connectionsAccepted: 2,
        connectionsOpen: 0,
        inFlight: 0,
      });
      expect(s.dropped).toEqual({
        'too-large': 0,
        'bad-framing': 1,
        'rate-limited': 0,
        'in-flight-limit': 0,
        'connection-limit': 0,
        'not-answered': 1,
      });
      const reply = await new Promise<Uint8Array>((resolve) => {
        const c = new Client({ port: l.tcpPort ?? 0 });
        c.socket.on('data', (d) => {
          resolve(new Uint8Array(d).subarray(4));
          c.socket.destroy();
        });
        c.write(framed(request));
      });
      expect(decodeMessage(reply).msgType).toBe(30);
    });
  });
});

describe('exitWhenIdleMs', () => {
  it('closes the listener once nothing happened for that long, not while a connection is open', async () => {
    const l = await listen(kdc, { tcp: {}, udp: {}, exitWhenIdleMs: 150 });
    let reason: string | undefined;
    void l.closed.then((r) => {
      reason = r;
    });
    const a = new Client({ port: l.tcpPort ?? 0 });
    await a.connected;
    await sleep(300);
    expect(reason).toBeUndefined();
    a.write(framed(request));
    await a.until(() => a.replies === 1);
    a.socket.destroy();
    const at = Date.now();
    expect(await l.closed).toBe('idle');
    expect(Date.now() - at).toBeGreaterThanOrEqual(140);
    const b = new Client({ port: l.tcpPort ?? 0 });
    await b.until(() => b.closed);
    expect(b.replies).toBe(0);
    await l.close();
  });

  it('resolves closed with "closed" after close(), and never fires without the option', async () => {
    const l = await listen(kdc, { tcp: {} });
    await l.close();
    await l.close();
    expect(await l.closed).toBe('closed');
  });
});

describe('token buckets and limit validation', () => {
  it('forgets the least recently seen source beyond maxSources, and folds ::ffff: into IPv4', () => {
    const allow = tokenBuckets({ perSecond: 1, burst: 1, maxSources: 2, exemptLoopback: true });
    expect(allow('10.0.0.1', 0)).toBe(true);
    expect(allow('::ffff:10.0.0.1', 0)).toBe(false);
    expect(allow('10.0.0.2', 0)).toBe(true);
    expect(allow('10.0.0.1', 0)).toBe(false); // seen again: 10.0.0.2 is now the oldest
    expect(allow('10.0.0.3', 0)).toBe(true); // evicts 10.0.0.2
    expect(allow('10.0.0.2', 0)).toBe(true); // a fresh bucket; evicts 10.0.0.1
    expect(allow('10.0.0.1', 0)).toBe(true);
    expect(allow('10.0.0.1', 999)).toBe(false);
    expect(allow('10.0.0.1', 2000)).toBe(true); // refilled
  });

  it('rejects limits that are not positive numbers', async () => {
    for (const limits of [
      { maxConnections: 0 },
      { maxInFlight: -1 },
      { maxBufferedBytes: Number.NaN },
      { rateLimit: { perSecond: 0, burst: 1 } },
    ]) {
      await expect(listen(kdc, { tcp: {}, limits })).rejects.toBeInstanceOf(RangeError);
    }
  });
});
