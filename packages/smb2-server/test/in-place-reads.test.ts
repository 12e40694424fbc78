import { connect, createServer, type Server, Socket } from 'node:net';
import { DirectTcpFrameReader } from '@postntlm/smb2-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptWithInPlaceReads } from '../src/core/in-place-reads.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server on 127.0.0.1 whose accepted sockets go to `onSocket`; its port. */
async function listen(pauseOnConnect: boolean, onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer({ pauseOnConnect }, onSocket);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}

function frameOf(length: number, fill: number): Uint8Array {
  const f = new Uint8Array(4 + length).fill(fill);
  f[0] = 0;
  f[1] = length >>> 16;
  f[2] = (length >>> 8) & 0xff;
  f[3] = length & 0xff;
  return f;
}

describe('adoptWithInPlaceReads', () => {
  it('reads a large frame straight into its own buffer, in few reads, and echoes through the new socket', async () => {
    const big = 3 << 20;
    const got: Uint8Array[] = [];
    const allocated: Uint8Array[] = [];
    let reads = 0;
    const done = new Promise<Socket>((resolve) => {
      void listen(true, (accepted) => {
        const reader = new DirectTcpFrameReader(8 << 20, (n) => {
          const b = new Uint8Array(n);
          allocated.push(b);
          return b;
        });
        const socket = adoptWithInPlaceReads(accepted, {
          buffer: () => reader.buffer(),
          callback: (n) => {
            reads++;
            got.push(...reader.filled(n));
            if (got.length === 2) resolve(socket as Socket);
            return true;
          },
        });
        expect(socket).toBeInstanceOf(Socket);
        socket?.resume();
      }).then((port) => {
        const c = connect(port, '127.0.0.1', () => {
          c.write(frameOf(10, 1));
          c.write(frameOf(big, 2));
        });
        c.on('data', (d) => {
          expect(d.toString()).toBe('ok');
          c.end();
        });
      });
    });
    const socket = await done;
    expect(got[0]).toEqual(new Uint8Array(10).fill(1));
    expect(got[1]?.length).toBe(big);
    expect(got[1]?.every((b) => b === 2)).toBe(true);
    // The frame handed out is the buffer the reads went into, not a copy.
    expect(got[1]).toBe(allocated[0]);
    expect(reads).toBeLessThan(big / 65536);
    socket.end('ok');
    await new Promise((r) => socket.once('close', r));
  });

  it('closing the adopted socket lets the server close (the accepted one is counted gone)', async () => {
    let adopted: Socket | undefined;
    const port = await listen(true, (accepted) => {
      adopted = adoptWithInPlaceReads(accepted, { buffer: () => new Uint8Array(1024), callback: () => true });
      adopted?.resume();
    });
    const c = connect(port, '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    await new Promise((r) => setTimeout(r, 20));
    expect(adopted).toBeDefined();
    const server = servers.pop() as Server;
    const closed = new Promise((r) => server.close(r));
    adopted?.destroy();
    await closed;
    c.destroy();
  });

  it('leaves a socket that is already reading alone', async () => {
    let result: Socket | undefined | null = null;
    const port = await listen(false, (accepted) => {
      accepted.on('data', () => {});
      result = adoptWithInPlaceReads(accepted, { buffer: () => new Uint8Array(1024), callback: () => true });
      accepted.destroy();
    });
    const c = connect(port, '127.0.0.1');
    await new Promise((r) => c.once('close', r));
    expect(result).toBeUndefined();
  });

  it('leaves a socket without a stream handle alone', () => {
    const s = new Socket();
    expect(
      adoptWithInPlaceReads(s, { buffer: () => new Uint8Array(1), callback: () => true }),
    ).toBeUndefined();
    s.destroy();
  });
});
