/**
 * `listen()`: a KDC on TCP (4-byte big-endian length prefix, RFC 4120 §7.2.2), a Unix
 * stream socket with the same framing (MIT 1.22's `kdc = /path`) and UDP (one datagram per
 * message, §7.2.1), on addresses it binds itself. See `systemd.ts` for adopted sockets.
 */
import { createSocket } from 'node:dgram';
import { chmod } from 'node:fs/promises';
import type { Server } from 'node:net';
import type { Kdc } from '../kdc/kdc.js';
import { literalLookup } from './datagram.js';
import { type KdcListener, ListenerBuilder } from './listener.js';
import type { ServeOptions } from './serve.js';
import { removeStaleSocket } from './unix-path.js';

/** Re-exported: `KdcListener` used to be declared here. */
export type { KdcListener } from './listener.js';

/** An IP address and port to bind. */
export interface ListenAddress {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** 0 (default): a free port. */
  readonly port?: number;
}

/** Where {@link listen} binds, and how it serves. */
export interface ListenOptions extends ServeOptions {
  /** Listen on TCP (length-prefixed messages) at this address. */
  readonly tcp?: ListenAddress;
  /** Listen on UDP at this address. */
  readonly udp?: ListenAddress;
  /**
   * A Unix stream socket path (framing as TCP). Created with mode 0600; a stale socket
   * file is removed only if nothing answers on it; the file is removed on `close()`.
   */
  readonly unix?: string;
}

function listening(server: Server, bind: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    bind(() => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts TCP, Unix-socket and/or UDP listeners for `kdc`. */
export async function listen(kdc: Kdc, options: ListenOptions): Promise<KdcListener> {
  const builder = new ListenerBuilder(kdc, options);
  try {
    if (options.tcp !== undefined) {
      const server = builder.streamServer('tcp');
      const { port = 0, host = '127.0.0.1' } = options.tcp;
      await listening(server, (done) => server.listen(port, host, done));
    }
    if (options.unix !== undefined) {
      const path = options.unix;
      await removeStaleSocket(path);
      const server = builder.streamServer('unix', { path, owned: true });
      await listening(server, (done) =>
        server.listen({ path, readableAll: false, writableAll: false }, done),
      );
      await chmod(path, 0o600);
    }
    if (options.udp !== undefined) {
      const { port = 0, host = '127.0.0.1' } = options.udp;
      const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', lookup: literalLookup });
      builder.addDatagramSocket(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
  } catch (e) {
    await builder.abort();
    throw e;
  }
  return builder.finish();
}
