/**
 * A minimal KDC listener: TCP (4-byte big-endian length prefix, RFC 4120 §7.2.2) and UDP
 * (one datagram per message, §7.2.1) on the addresses given. Node I/O edge only; the
 * full listener set (Unix socket, systemd activation, rate limits) comes later.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
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
  /** Close a TCP connection idle this long, ms (default 30 000). */
  readonly idleTimeoutMs?: number;
}

export interface KdcListener {
  /** Bound TCP port, if listening on TCP. */
  readonly tcpPort: number | undefined;
  /** Bound UDP port, if listening on UDP. */
  readonly udpPort: number | undefined;
  close(): Promise<void>;
}

function frame(reply: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + reply.length);
  new DataView(out.buffer).setUint32(0, reply.length);
  out.set(reply, 4);
  return out;
}

function serveConnection(kdc: Kdc, socket: Socket, idleMs: number): void {
  const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
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
        const reply = await kdc.handle(request, { transport: 'tcp', peer });
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

/** Starts TCP and/or UDP listeners for `kdc`. */
export async function listen(kdc: Kdc, options: ListenOptions): Promise<KdcListener> {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let tcp: Server | undefined;
  let udp: UdpSocket | undefined;
  const sockets = new Set<Socket>();
  try {
    if (options.tcp !== undefined) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        serveConnection(kdc, socket, idleMs);
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
    throw e;
  }
  const tcpAddress = tcp?.address();
  return {
    tcpPort: typeof tcpAddress === 'object' && tcpAddress !== null ? tcpAddress.port : undefined,
    udpPort: udp?.address().port,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        tcp === undefined ? undefined : new Promise<void>((resolve) => tcp?.close(() => resolve())),
        udp === undefined ? undefined : new Promise<void>((resolve) => udp?.close(() => resolve())),
      ]);
    },
  };
}
