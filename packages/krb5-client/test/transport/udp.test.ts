import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  KdcAbortedError,
  KdcConnectionRefusedError,
  KdcFramingError,
  KdcNetworkError,
  KdcReplyTooLargeError,
  KdcTimeoutError,
  KdcTransportError,
  UdpTransport,
} from '../../src/transport/index.js';
import {
  bytes,
  closedPort,
  type DatagramServer,
  expectNoLeaks,
  handleCounts,
  LOOPBACK,
  sameBytes,
  sleep,
  startDatagramServer,
} from './helpers.js';

let server: DatagramServer;
let transport: UdpTransport;
let baseline: Map<string, number>;

const reverse = (
  s: import('node:dgram').Socket,
  m: Uint8Array,
  from: import('node:dgram').RemoteInfo,
): void => s.send(m.slice().reverse(), from.port, from.address);

beforeAll(async () => {
  server = await startDatagramServer(reverse);
  transport = new UdpTransport({ host: LOOPBACK, port: server.port });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.behaviour = reverse;
  await sleep(0);
  baseline = handleCounts();
});

describe('RFC 4120 §7.2.1 UDP', () => {
  it('sends the request as one datagram and returns the first reply datagram', async () => {
    const request = bytes(200);
    const reply = await transport.send(request, { timeoutMs: 2000 });
    expect(server.requests.at(-1)).toEqual(request);
    expect(reply).toEqual(request.slice().reverse());
    expect(Object.getPrototypeOf(reply)).toBe(Uint8Array.prototype);
    expect(transport.address).toBe(`udp/${LOOPBACK}:${server.port}`);
    await expectNoLeaks(baseline);
  });

  it('carries large datagrams both ways (64 000 bytes)', async () => {
    const request = bytes(64_000, 2);
    const reply = await transport.send(request, { timeoutMs: 2000 });
    expect(sameBytes(reply, request.slice().reverse())).toBe(true);
  });

  it('ignores datagrams from anyone but the KDC (connected socket)', async () => {
    const intruder = createSocket('udp4');
    await new Promise<void>((r) => intruder.bind(0, LOOPBACK, () => r()));
    server.behaviour = (s, _m, from) => {
      intruder.send(Uint8Array.of(0xde, 0xad), from.port, from.address); // spoof attempt from another port
      setTimeout(() => s.send(Uint8Array.of(1, 2, 3), from.port, from.address), 50);
    };
    expect(await transport.send(bytes(8), { timeoutMs: 2000 })).toEqual(Uint8Array.of(1, 2, 3));
    await new Promise<void>((r) => intruder.close(() => r()));
  });

  it('ignores an empty datagram and waits for a real reply', async () => {
    server.behaviour = (s, _m, from) => {
      s.send(new Uint8Array(0), from.port, from.address);
      setTimeout(() => s.send(Uint8Array.of(7), from.port, from.address), 30);
    };
    expect(await transport.send(bytes(8), { timeoutMs: 2000 })).toEqual(Uint8Array.of(7));
  });

  it('rejects a datagram larger than the limit', async () => {
    const small = new UdpTransport({ host: LOOPBACK, port: server.port, maxReplyBytes: 100 });
    server.behaviour = (s, _m, from) => s.send(bytes(101), from.port, from.address);
    const e = await small.send(bytes(8)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcReplyTooLargeError);
    expect(e).toMatchObject({ size: 101, limit: 100 });
    await expectNoLeaks(baseline);
  });

  it('reports ICMP port unreachable as refused', async () => {
    const port = await closedPort();
    const e = await new UdpTransport({ host: LOOPBACK, port })
      .send(bytes(8), { timeoutMs: 2000 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcConnectionRefusedError);
    expect((e as Error).message).toBe(`KDC udp/${LOOPBACK}:${port}: connection refused`);
    await expectNoLeaks(baseline);
  });

  it('times out when the KDC never answers (blackhole), and closes its socket', async () => {
    server.behaviour = () => {};
    const started = performance.now();
    const e = await transport.send(bytes(8), { timeoutMs: 250 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(performance.now() - started).toBeLessThan(1500);
    await expectNoLeaks(baseline);
  });

  it('aborts, and never opens a socket for an aborted signal', async () => {
    server.behaviour = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(transport.send(bytes(8), { signal: controller.signal })).rejects.toBeInstanceOf(
      KdcAbortedError,
    );
    const before = server.requests.length;
    await expect(transport.send(bytes(8), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      KdcAbortedError,
    );
    await sleep(20);
    expect(server.requests.length).toBe(before);
    await expectNoLeaks(baseline);
  });

  it('resolves host names through the injected lookup', async () => {
    const looked: string[] = [];
    const named = new UdpTransport({
      host: 'kdc.example.test',
      port: server.port,
      lookup: async (host) => {
        looked.push(host);
        return { address: LOOPBACK, family: 4 };
      },
    });
    expect(await named.send(Uint8Array.of(1, 2))).toEqual(Uint8Array.of(2, 1));
    expect(looked).toEqual(['kdc.example.test']);
    expect(named.address).toBe(`udp/kdc.example.test:${server.port}`);

    const failing = new UdpTransport({
      host: 'nowhere.example.test',
      port: server.port,
      lookup: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    const e = await failing.send(Uint8Array.of(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcNetworkError);
    expect(e).toMatchObject({ code: 'ENOTFOUND' });
    expect((e as Error).message).toMatch(/cannot resolve nowhere\.example\.test/);
    await expectNoLeaks(baseline);
  });

  it('reports a failed connect (link-local address without a scope, broadcast) as a network error', async () => {
    for (const [host, code] of [
      ['fe80::1', 'EINVAL'],
      ['255.255.255.255', 'EACCES'],
    ] as const) {
      const e = await new UdpTransport({ host, port: 88 })
        .send(bytes(8), { timeoutMs: 2000 })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(KdcNetworkError);
      expect(e).toMatchObject({ code });
    }
    await expectNoLeaks(baseline);
  });

  it('times out a lookup that never ends', async () => {
    const stuck = new UdpTransport({
      host: 'slow.test',
      port: server.port,
      lookup: () => new Promise(() => {}),
    });
    await expect(stuck.send(Uint8Array.of(1), { timeoutMs: 100 })).rejects.toBeInstanceOf(KdcTimeoutError);
  });

  it('refuses requests that cannot be a datagram', async () => {
    await expect(transport.send(bytes(65_508))).rejects.toBeInstanceOf(KdcFramingError);
    await expect(transport.send(new Uint8Array(0))).rejects.toBeInstanceOf(KdcFramingError);
    await expect(transport.send([1, 2] as unknown as Uint8Array)).rejects.toBeInstanceOf(KdcTransportError);
  });

  it('runs many exchanges in parallel without leaking', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => transport.send(bytes(10 + i, i))));
    replies.forEach((r, i) => {
      expect(r).toEqual(bytes(10 + i, i).reverse());
    });
    await expectNoLeaks(baseline);
  });
});
