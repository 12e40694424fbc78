/** Serves one TCP or Unix-socket connection: length-prefixed requests, answered in order. */
import type { Socket } from 'node:net';
import { FrameBuffer, frame } from './framing.js';
import { answer, type ServeContext } from './serve.js';
import type { DropReason } from './stats.js';

/** Resolves when `socket` can take more output, or is gone. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/**
 * Takes over an accepted connection. `unixPath` labels Unix-socket peers in the audit log
 * (they have no address of their own).
 */
export function serveConnection(
  ctx: ServeContext,
  socket: Socket,
  transport: 'tcp' | 'unix',
  unixPath?: string,
): void {
  const c = ctx.counters;
  const { maxBufferedBytes, maxConnections, maxFrameBytes } = ctx.limits;
  c.connectionsAccepted++;
  socket.on('error', () => socket.destroy());
  if (c.connectionsOpen >= maxConnections) {
    c.dropped['connection-limit']++;
    socket.destroy();
    return;
  }
  c.connectionsOpen++;
  ctx.idle.begin();
  socket.once('close', () => {
    c.connectionsOpen--;
    ctx.idle.end();
  });
  const ip = socket.remoteAddress ?? '';
  const peer = transport === 'unix' ? (unixPath ?? '') : `${ip}:${socket.remotePort ?? ''}`;
  // Unix peers are exempt from the per-source limit (see ListenLimits.rateLimit).
  const allow = transport === 'tcp' ? ctx.allow : undefined;
  const input = new FrameBuffer(maxFrameBytes);
  let busy = false;
  socket.setTimeout(ctx.idleTimeoutMs, () => socket.destroy());

  const refuse = (reason: DropReason): void => {
    c.dropped[reason]++;
    socket.destroy();
  };

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      while (!socket.destroyed) {
        const next = input.next();
        if (next.kind === 'need-more') break;
        if (next.kind !== 'frame') {
          refuse(next.kind);
          return;
        }
        if (allow !== undefined && !allow(ip, Date.now())) {
          refuse('rate-limited');
          return;
        }
        if (!ctx.inFlight.tryAcquire()) {
          // Not reading while we wait lets TCP flow control slow the client down.
          socket.pause();
          await ctx.inFlight.acquire();
        }
        let reply: Uint8Array | null;
        try {
          if (socket.destroyed) return;
          reply = await answer(ctx, next.bytes, { transport, peer });
        } finally {
          ctx.inFlight.release();
        }
        if (socket.destroyed) return;
        if (reply === null) {
          // A dropped request leaves a stream client nothing to wait for: close, as MIT does.
          socket.destroy();
          return;
        }
        socket.write(frame(reply));
        c.replies++;
        if (socket.writableLength > maxBufferedBytes) {
          // A client that sends but never reads must not make us buffer its replies forever.
          socket.pause();
          await drained(socket);
        }
      }
    } finally {
      busy = false;
      if (!socket.destroyed && input.size < maxBufferedBytes) socket.resume();
    }
  };

  socket.on('data', (chunk: Buffer) => {
    input.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (input.size >= maxBufferedBytes) socket.pause();
    pump().catch(() => socket.destroy());
  });
}
