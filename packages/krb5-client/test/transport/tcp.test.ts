import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FramedReplyReader,
  frameKdcMessage,
  KdcAbortedError,
  KdcConnectionClosedError,
  KdcConnectionRefusedError,
  KdcFramingError,
  KdcReplyTooLargeError,
  KdcTimeoutError,
  KdcTransportError,
  TcpTransport,
} from '../../src/transport/index.js';
import {
  bytes,
  closedPort,
  expectNoLeaks,
  framed,
  handleCounts,
  LOOPBACK,
  lengthPrefix,
  reverseReply,
  type StreamServer,
  sameBytes,
  sleep,
  startStreamServer,
} from './helpers.js';

let server: StreamServer;
let transport: TcpTransport;
let baseline: Map<string, number>;

beforeAll(async () => {
  server = await startStreamServer({ host: LOOPBACK, port: 0 }, reverseReply);
  transport = new TcpTransport({ host: LOOPBACK, port: server.port });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.behaviour = reverseReply;
  await sleep(0);
  baseline = handleCounts();
});

async function rejection(p: Promise<unknown>): Promise<KdcTransportError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(KdcTransportError);
    return error as KdcTransportError;
  }
  throw new Error('expected a rejection');
}

describe('RFC 4120 §7.2.2 framing', () => {
  it('sends a 4-byte big-endian length and the request; returns the unframed reply as a Uint8Array', async () => {
    const request = bytes(300);
    const reply = await transport.send(request, { timeoutMs: 2000 });
    expect(server.requests.at(-1)).toEqual(request);
    expect(reply).toEqual(request.slice().reverse());
    expect(Object.getPrototypeOf(reply)).toBe(Uint8Array.prototype); // not a Buffer
    expect(transport.address).toBe(`tcp/${LOOPBACK}:${server.port}`);
    await expectNoLeaks(baseline);
  });

  it('reassembles a reply written one byte at a time, prefix included', async () => {
    const reply = bytes(50, 7);
    server.behaviour = async (socket) => {
      for (const b of framed(reply)) {
        socket.write(Uint8Array.of(b));
        await sleep(1);
      }
      socket.end();
    };
    expect(await transport.send(bytes(10), { timeoutMs: 3000 })).toEqual(reply);
    await expectNoLeaks(baseline);
  });

  it('reads a large request and a 900 KiB reply split across many chunks', async () => {
    const reply = bytes(900 * 1024, 3);
    server.behaviour = (socket) => {
      const f = framed(reply);
      for (let i = 0; i < f.length; i += 65_000) socket.write(f.subarray(i, i + 65_000));
      socket.end();
    };
    const request = bytes(200_000, 9);
    expect(sameBytes(await transport.send(request, { timeoutMs: 5000 }), reply)).toBe(true);
    expect(sameBytes(server.requests.at(-1)!, request)).toBe(true);
    await expectNoLeaks(baseline);
  });

  it('ignores bytes after the reply', async () => {
    server.behaviour = (socket) =>
      socket.end(Uint8Array.from([...framed(Uint8Array.of(1, 2, 3)), 9, 9, 9, 9, 9]));
    expect(await transport.send(bytes(4))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('rejects a reply length with the reserved high bit set', async () => {
    server.behaviour = (socket) => socket.write(Uint8Array.from([0x80, 0, 0, 0x10, 1, 2]));
    const e = await rejection(transport.send(bytes(4)));
    expect(e).toBeInstanceOf(KdcFramingError);
    expect(e.message).toMatch(/reserved high bit/);
    expect(e.message).toContain(`tcp/${LOOPBACK}:${server.port}`);
    await expectNoLeaks(baseline);
  });

  it('rejects an empty reply', async () => {
    server.behaviour = (socket) => socket.write(lengthPrefix(0));
    expect(await rejection(transport.send(bytes(4)))).toBeInstanceOf(KdcFramingError);
  });

  it('rejects a reply larger than the limit as soon as its length is known', async () => {
    const small = new TcpTransport({ host: LOOPBACK, port: server.port, maxReplyBytes: 1000 });
    server.behaviour = (socket) => socket.write(lengthPrefix(1001)); // body never sent
    const started = performance.now();
    const e = await rejection(small.send(bytes(4), { timeoutMs: 5000 }));
    expect(e).toBeInstanceOf(KdcReplyTooLargeError);
    expect(e).toMatchObject({ size: 1001, limit: 1000 });
    expect(performance.now() - started).toBeLessThan(1000);
    // the default limit is 1 MiB
    server.behaviour = (socket) => socket.write(lengthPrefix(1024 * 1024 + 1));
    expect(await rejection(transport.send(bytes(4)))).toBeInstanceOf(KdcReplyTooLargeError);
    await expectNoLeaks(baseline);
  });
});

describe('connection failures', () => {
  it('reports a connection closed before the length prefix', async () => {
    server.behaviour = (socket) => socket.end(Uint8Array.of(0, 0));
    const e = await rejection(transport.send(bytes(4)));
    expect(e).toBeInstanceOf(KdcConnectionClosedError);
    expect(e).toMatchObject({ received: 2, expected: undefined });
    expect(e.message).toMatch(/closed after 2 of the 4 length bytes/);
    await expectNoLeaks(baseline);
  });

  it('reports a connection closed in the middle of the reply', async () => {
    server.behaviour = (socket) => socket.end(Uint8Array.from([...lengthPrefix(100), ...bytes(40)]));
    const e = await rejection(transport.send(bytes(4)));
    expect(e).toBeInstanceOf(KdcConnectionClosedError);
    expect(e).toMatchObject({ received: 44, expected: 104 });
    expect(e.message).toMatch(/40 of 100 reply bytes/);
    await expectNoLeaks(baseline);
  });

  it('reports a reset connection as closed', async () => {
    server.behaviour = (socket) => {
      socket.write(lengthPrefix(100));
      setTimeout(() => socket.resetAndDestroy(), 20);
    };
    expect(await rejection(transport.send(bytes(4)))).toBeInstanceOf(KdcConnectionClosedError);
    await expectNoLeaks(baseline);
  });

  it('reports refused connections', async () => {
    const port = await closedPort();
    const e = await rejection(new TcpTransport({ host: LOOPBACK, port }).send(bytes(4)));
    expect(e).toBeInstanceOf(KdcConnectionRefusedError);
    expect(e.message).toBe(`KDC tcp/${LOOPBACK}:${port}: connection refused`);
    await expectNoLeaks(baseline);
  });

  it('times out when no reply comes, and closes the connection', async () => {
    server.behaviour = () => {}; // accepts, reads, never answers
    const started = performance.now();
    const e = await rejection(transport.send(bytes(4), { timeoutMs: 300 }));
    const took = performance.now() - started;
    expect(e).toBeInstanceOf(KdcTimeoutError);
    expect(e.message).toMatch(/no reply within 300 ms/);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    await expectNoLeaks(baseline);
    expect(server.open()).toBe(0); // the server saw the client close
  });

  it('times out on a reply that stalls half-way', async () => {
    server.behaviour = (socket) => socket.write(Uint8Array.from([...lengthPrefix(10), 1, 2]));
    expect(await rejection(transport.send(bytes(4), { timeoutMs: 200 }))).toBeInstanceOf(KdcTimeoutError);
    await expectNoLeaks(baseline);
  });

  it('aborts on the signal, closing the connection', async () => {
    server.behaviour = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    const e = await rejection(transport.send(bytes(4), { signal: controller.signal, timeoutMs: 5000 }));
    expect(e).toBeInstanceOf(KdcAbortedError);
    expect((e.cause as Error).message).toBe('user gave up');
    await expectNoLeaks(baseline);
  });

  it('does not connect at all when the signal is already aborted', async () => {
    const before = server.connections();
    const e = await rejection(transport.send(bytes(4), { signal: AbortSignal.abort() }));
    expect(e).toBeInstanceOf(KdcAbortedError);
    await sleep(20);
    expect(server.connections()).toBe(before);
  });

  it('validates its inputs', async () => {
    expect(await rejection(transport.send(new Uint8Array(0)))).toBeInstanceOf(KdcFramingError);
    expect(await rejection(transport.send('x' as unknown as Uint8Array))).toBeInstanceOf(KdcTransportError);
    expect(() => new TcpTransport({ host: LOOPBACK, port: 0 })).toThrow(RangeError);
    expect(() => new TcpTransport({ host: LOOPBACK, port: 88, maxReplyBytes: 0 })).toThrow(RangeError);
    await expect(transport.send(bytes(4), { timeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(transport.send(bytes(4), { timeoutMs: Number.NaN })).rejects.toThrow(RangeError);
    // a delay beyond setTimeout's range is capped, not turned into an immediate timeout
    expect(await transport.send(bytes(4), { timeoutMs: 2 ** 40 })).toEqual(bytes(4).reverse());
  });

  it('runs many exchanges in parallel without leaking', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => transport.send(bytes(20 + i, i))));
    replies.forEach((r, i) => {
      expect(r).toEqual(bytes(20 + i, i).reverse());
    });
    await expectNoLeaks(baseline);
  });
});

describe('FramedReplyReader', () => {
  it('gives the same reply for every way of splitting the stream', () => {
    const reply = bytes(37, 5);
    const stream = Uint8Array.from([...framed(reply), 0xee]);
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b++) {
        const reader = new FramedReplyReader(1000);
        let out: unknown;
        for (const part of [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]) {
          out ??= reader.push(part);
        }
        expect(out).toEqual(reply);
      }
    }
  });

  it('frames messages', () => {
    expect(frameKdcMessage(Uint8Array.of(7, 8))).toEqual(Uint8Array.of(0, 0, 0, 2, 7, 8));
  });
});
