/** `createSmbServer`: listens on TCP and serves each connection with `SmbConnection`. */
import { createServer, type Server, type Socket } from 'node:net';
import { FramePool, GcmOffload } from '@postntlm/smb2-protocol';
import { SmbConnection } from './core/connection.js';
import { resolveLimits } from './core/limits.js';
import type { NtlmAttempt, SmbServerOptions } from './core/options.js';
import type { ServerContext } from './core/server-context.js';
import { SessionRegistry } from './core/session-registry.js';
import { ShareBackends } from './core/shares.js';

export interface SmbServer {
  /** Starts listening (default 127.0.0.1, port 445 needs privileges: 0 picks a free port). */
  listen(options?: { host?: string; port?: number }): Promise<{ host: string; port: number }>;
  /** Stops listening, drops every connection and disposes the shares' backends (closing every open). */
  close(): Promise<void>;
  /** Every NTLMSSP attempt seen (refused), oldest first. */
  readonly ntlmAttempts: readonly NtlmAttempt[];
}

export function createSmbServer(options: SmbServerOptions): SmbServer {
  const attempts: NtlmAttempt[] = [];
  const sockets = new Set<Socket>();
  const backends = new ShareBackends();
  const limits = resolveLimits(options.limits);
  const context: ServerContext = {
    options,
    limits,
    sessions: new SessionRegistry(),
    // Shared memory, so that the GCM worker can work on a frame where it lies.
    framePool: new FramePool(1 << 20, 8, typeof SharedArrayBuffer === 'function'),
    gcmOffload:
      options.gcmWorker === false
        ? undefined
        : GcmOffload.start(typeof options.gcmWorker === 'number' ? { workers: options.gcmWorker } : {}),
    serverGuid: options.serverGuid ?? crypto.getRandomValues(new Uint8Array(16)),
    startTime: new Date(),
    recordNtlm(peer, offered) {
      const attempt: NtlmAttempt = { peer, at: new Date(), offered: [...offered] };
      attempts.push(attempt);
      if (attempts.length > 10_000) attempts.shift();
      options.onNtlmAttempt?.(attempt);
    },
    newId() {
      const b = crypto.getRandomValues(new Uint8Array(8));
      return new DataView(b.buffer).getBigUint64(0, true) | 1n;
    },
    backendFor: (share) => backends.get(share),
  };
  let server: Server | undefined;
  return {
    ntlmAttempts: attempts,
    async listen(where = {}) {
      // Paused on connect: nothing is read before the connection can read in place.
      const s = createServer({ pauseOnConnect: true }, (accepted) => {
        // Past the connection limit a new connection is closed at once (limits.maxConnections).
        if (sockets.size >= limits.maxConnections) {
          accepted.destroy();
          return;
        }
        accepted.setNoDelay(true);
        const { socket } = new SmbConnection(accepted, context);
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(where.port ?? 445, where.host ?? '127.0.0.1', () => resolve());
      });
      const a = s.address();
      return { host: where.host ?? '127.0.0.1', port: typeof a === 'object' && a !== null ? a.port : 0 };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) =>
        server === undefined ? resolve() : server.close(() => resolve()),
      );
      await backends.dispose();
      await context.gcmOffload?.close();
    },
  };
}
