/**
 * A minimal KDC listener: TCP (4-byte big-endian length prefix, RFC 4120 §7.2.2), a Unix
 * stream socket with the same framing (MIT 1.22's `kdc = /path`) and UDP (one datagram
 * per message, §7.2.1). Node I/O edge only; systemd activation and rate limits come later.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Kdc } from '../kdc/kdc.js';

export interface ListenAddress {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** 0 (default): a free port. */
  readonly port?: number;
}

export interface ListenOptions {
  readonly tcp?: ListenAddress;
  readonly udp?: ListenAddress;
  /**
   * A Unix stream socket path (framing as TCP). Created with mode 0600; a stale socket
   * file is removed only if nothing answers on it; the file is removed on `close()`.
   */
  readonly unix?: string;
  /** Close a TCP or Unix-socket connection idle this long, ms (default 30 000). */
  readonly idleTimeoutMs?: number;
}

export interface KdcListener {
  /** Bound TCP port, if listening on TCP. */
  readonly tcpPort: number | undefined;
  /** Bound UDP port, if listening on UDP. */
  readonly udpPort: number | undefined;
  /** The Unix socket path, if listening on one. */
  readonly unixPath: string | undefined;
  close(): Promise<void>;
}

function frame(reply: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + reply.length);
  new DataView(out.buffer).setUint32(0, reply.length);
  out.set(reply, 4);
  return out;
}

function serveConnection(
  kdc: Kdc,
  socket: Socket,
  idleMs: number,
  transport: 'tcp' | 'unix',
  unixPath?: string,
): void {
  const peer =
    transport === 'unix' ? (unixPath ?? '') : `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
  let buffered = new Uint8Array(0);
  let busy = false;
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      while (buffered.length >= 4 && !socket.destroyed) {
        const length = new DataView(buffered.buffer, buffered.byteOffset, 4).getUint32(0);
        // The high bit is reserved (RFC 5021 extensions); we implement none. Oversized: drop the connection.
        if (length >= 0x80000000 || length > kdc.policy.maxRequestBytes || length === 0) {
          socket.destroy();
          return;
        }
        if (buffered.length < 4 + length) return;
        const request = buffered.slice(4, 4 + length);
        buffered = buffered.slice(4 + length);
        const reply = await kdc.handle(request, { transport, peer });
        if (reply === null) {
          socket.destroy();
          return;
        }
        socket.write(frame(reply));
      }
    } finally {
      busy = false;
    }
  };
  socket.on('data', (chunk: Buffer) => {
    const next = new Uint8Array(buffered.length + chunk.length);
    next.set(buffered);
    next.set(chunk, buffered.length);
    buffered = next;
    if (buffered.length > kdc.policy.maxRequestBytes + 4) {
      const length = new DataView(buffered.buffer, buffered.byteOffset, 4).getUint32(0);
      if (length > kdc.policy.maxRequestBytes) {
        socket.destroy();
        return;
      }
    }
    pump()
      .then(() => (buffered.length >= 4 ? pump() : undefined))
      .catch(() => socket.destroy());
  });
}

/**
 * Removes `path` if it is a socket nobody answers on (left by a crashed KDC). A live
 * socket is `EADDRINUSE`; anything that is not a socket is left alone (`EEXIST`).
 */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch {
    return; // absent
  }
  if (!isSocket) throw Object.assign(new Error(`${path} exists and is not a socket`), { code: 'EEXIST' });
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw Object.assign(new Error(`a server is listening on ${path}`), { code: 'EADDRINUSE' });
  await unlink(path);
}

/** Starts TCP, Unix-socket and/or UDP listeners for `kdc`. */
export async function listen(kdc: Kdc, options: ListenOptions): Promise<KdcListener> {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let tcp: Server | undefined;
  let udp: UdpSocket | undefined;
  let unix: Server | undefined;
  let unixPath: string | undefined;
  const sockets = new Set<Socket>();
  try {
    if (options.tcp !== undefined) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        serveConnection(kdc, socket, idleMs, 'tcp');
      });
      tcp = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.tcp?.port ?? 0, options.tcp?.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
    if (options.unix !== undefined) {
      const path = options.unix;
      await removeStaleSocket(path);
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        serveConnection(kdc, socket, idleMs, 'unix', path);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ path, readableAll: false, writableAll: false }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      unix = server;
      unixPath = path;
      await chmod(path, 0o600);
    }
    if (options.udp !== undefined) {
      const host = options.udp.host ?? '127.0.0.1';
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      udp = socket;
      socket.on('message', (msg, rinfo) => {
        const request = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
        void kdc
          .handle(request, { transport: 'udp', peer: `${rinfo.address}:${rinfo.port}` })
          .then((reply) => {
            if (reply === null) return;
            try {
              socket.send(reply, rinfo.port, rinfo.address);
            } catch {
              // The socket was closed while the request was being answered.
            }
          });
      });
      socket.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.udp?.port ?? 0, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
  } catch (e) {
    tcp?.close();
    udp?.close();
    unix?.close();
    if (unixPath !== undefined) await unlink(unixPath).catch(() => undefined);
    throw e;
  }
  const tcpAddress = tcp?.address();
  return {
    tcpPort: typeof tcpAddress === 'object' && tcpAddress !== null ? tcpAddress.port : undefined,
    udpPort: udp?.address().port,
    unixPath,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        tcp === undefined ? undefined : new Promise<void>((resolve) => tcp?.close(() => resolve())),
        udp === undefined ? undefined : new Promise<void>((resolve) => udp?.close(() => resolve())),
        unix === undefined ? undefined : new Promise<void>((resolve) => unix?.close(() => resolve())),
      ]);
      if (unixPath !== undefined) await unlink(unixPath).catch(() => undefined);
    },
  };
}
