/** connectTcp over a loopback socket: frames read in place reach the connection whole. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTcp, type Transport } from '../src/connection/transport.js';
import { SmbProtocolError } from '../src/errors.js';

const frame = (body: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from([0, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);

let server: Server | undefined;
afterEach(() => server?.close());

/** A server that runs `script` on its first connection; the client transport, attached. */
async function pair(script: (s: Socket) => void) {
  server = createServer(script);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const transport: Transport = await connectTcp({ host: '127.0.0.1', port: address.port });
  const frames: Uint8Array[] = [];
  const closed = new Promise<Error | undefined>((resolve) =>
    transport.attach({ data: (f) => frames.push(f), close: (e) => resolve(e) }),
  );
  return { transport, frames, closed };
}

describe('connectTcp', () => {
  it('delivers whole frame bodies, small and large, however the bytes were cut', async () => {
    const small = Buffer.alloc(100, 1);
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 2);
    const stream = Buffer.concat([frame(small), frame(big), frame(small)]);
    const { transport, frames, closed } = await pair((s) => {
      for (let at = 0; at < stream.length; at += 50_000) s.write(stream.subarray(at, at + 50_000));
      s.end();
    });
    expect(transport.framed).toBe(true);
    await closed;
    expect(frames.map((f) => f.length)).toEqual([100, big.length, 100]);
    expect(Buffer.from(frames[1] as Uint8Array).equals(big)).toBe(true);
  });

  it('a stream that is not Direct TCP ends the transport with SmbProtocolError', async () => {
    const { closed } = await pair((s) => s.write(Buffer.from([0xff, 0, 0, 1, 0])));
    expect(await closed).toBeInstanceOf(SmbProtocolError);
  });
});
