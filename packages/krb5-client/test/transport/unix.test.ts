import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  KdcAbortedError,
  KdcConnectionClosedError,
  KdcConnectionRefusedError,
  KdcReplyTooLargeError,
  KdcTimeoutError,
  UnixTransport,
} from '../../src/transport/index.js';
import {
  bytes,
  expectNoLeaks,
  framed,
  handleCounts,
  lengthPrefix,
  reverseReply,
  type StreamServer,
  sleep,
  startStreamServer,
} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'postntlm-unix-'));
const path = join(dir, 'kdc.sock');
let server: StreamServer;
let transport: UnixTransport;
let baseline: Map<string, number>;

beforeAll(async () => {
  server = await startStreamServer({ path }, reverseReply);
  transport = new UnixTransport({ path });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  server.behaviour = reverseReply;
  await sleep(0);
  baseline = handleCounts();
});

describe('UNIX stream socket transport (MIT 1.22 kdc = /path)', () => {
  it('uses the TCP framing', async () => {
    const request = bytes(123);
    expect(await transport.send(request, { timeoutMs: 2000 })).toEqual(request.slice().reverse());
    expect(server.requests.at(-1)).toEqual(request);
    expect(transport.address).toBe(`unix:${path}`);
    expect(transport.protocol).toBe('unix');
    await expectNoLeaks(baseline);
  });

  it('reassembles partial writes', async () => {
    const reply = bytes(20, 4);
    server.behaviour = async (socket) => {
      const f = framed(reply);
      socket.write(f.subarray(0, 3));
      await sleep(5);
      socket.write(f.subarray(3, 9));
      await sleep(5);
      socket.end(f.subarray(9));
    };
    expect(await transport.send(bytes(4))).toEqual(reply);
    await expectNoLeaks(baseline);
  });

  it('reports a missing socket as refused', async () => {
    const e = await new UnixTransport({ path: join(dir, 'absent.sock') })
      .send(bytes(4))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcConnectionRefusedError);
    expect((e as Error).message).toBe(`KDC unix:${join(dir, 'absent.sock')}: connection refused`);
    await expectNoLeaks(baseline);
  });

  it('reports early close, oversize replies, timeouts and aborts', async () => {
    server.behaviour = (socket) => socket.end(Uint8Array.from([...lengthPrefix(8), 1]));
    await expect(transport.send(bytes(4))).rejects.toBeInstanceOf(KdcConnectionClosedError);

    server.behaviour = (socket) => socket.write(lengthPrefix(2_000_000));
    await expect(transport.send(bytes(4))).rejects.toBeInstanceOf(KdcReplyTooLargeError);

    server.behaviour = () => {};
    await expect(transport.send(bytes(4), { timeoutMs: 150 })).rejects.toBeInstanceOf(KdcTimeoutError);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(transport.send(bytes(4), { signal: controller.signal })).rejects.toBeInstanceOf(
      KdcAbortedError,
    );
    await expectNoLeaks(baseline);
    await sleep(20);
    expect(server.open()).toBe(0);
  });
});
