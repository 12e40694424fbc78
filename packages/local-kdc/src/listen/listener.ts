/** The running listener: its sockets, counters, and closing (on request or when idle). */
import type { Socket as UdpSocket } from 'node:dgram';
import { unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Kdc } from '../kdc/kdc.js';
import { serveDatagrams } from './datagram.js';
import { createServeContext, type ServeContext, type ServeOptions } from './serve.js';
import { type ListenerStats, snapshot } from './stats.js';
import { serveConnection } from './stream.js';

/** One socket a listener serves. */
export interface ListenerEndpoint {
  readonly transport: 'tcp' | 'udp' | 'unix';
  /** The bound IP address (TCP, UDP) or socket path (Unix, when known). */
  readonly address: string | undefined;
  /** The bound port (TCP, UDP). */
  readonly port: number | undefined;
  /** The systemd `FileDescriptorName=` of an adopted socket. */
  readonly name?: string;
}

/** Why a listener stopped: `close()` was called, or `exitWhenIdleMs` elapsed idle. */
export type ListenerCloseReason = 'closed' | 'idle';

/** A running KDC listener. */
export interface KdcListener {
  /** Bound TCP port, if listening on TCP (the first TCP socket's, if several). */
  readonly tcpPort: number | undefined;
  /** Bound UDP port, if listening on UDP (the first UDP socket's, if several). */
  readonly udpPort: number | undefined;
  /** The Unix socket path, if this listener created one. */
  readonly unixPath: string | undefined;
  /** Every socket served. */
  readonly endpoints: readonly ListenerEndpoint[];
  /** Resolves once the listener has stopped accepting, with the reason. Never rejects. */
  readonly closed: Promise<ListenerCloseReason>;
  /** The counters so far (a copy). */
  stats(): ListenerStats;
  /** Stops accepting, drops open connections, removes a Unix socket file it created. */
  close(): Promise<void>;
}

interface StreamEntry {
  readonly server: Server;
  readonly name: string | undefined;
  /** A socket file this listener created and so must remove. */
  readonly ownedPath: string | undefined;
}

/** A TCP server's address is an object; a Unix socket's is its path, or null when adopted. */
function transportOf(server: Server): 'tcp' | 'unix' {
  const a = server.address();
  return typeof a === 'object' && a !== null ? 'tcp' : 'unix';
}

/** Builds a listener socket by socket, then hands out the {@link KdcListener}. */
export class ListenerBuilder {
  private readonly ctx: ServeContext;
  private readonly streams: StreamEntry[] = [];
  private readonly datagrams: { socket: UdpSocket; name: string | undefined }[] = [];
  private readonly connections = new Set<Socket>();
  private stopping: Promise<void> | undefined;
  private settle: (reason: ListenerCloseReason) => void = () => undefined;
  private readonly closed = new Promise<ListenerCloseReason>((resolve) => {
    this.settle = resolve;
  });

  constructor(kdc: Kdc, options: ServeOptions) {
    this.ctx = createServeContext(kdc, options, () => {
      void this.stop().then(() => this.settle('idle'));
    });
  }

  /**
   * A stream server (not yet listening) whose connections are served. Without `transport`
   * it is told from the bound address, for adopted sockets of unknown kind.
   */
  streamServer(
    transport: 'tcp' | 'unix' | undefined,
    options: { name?: string; path?: string; owned?: boolean } = {},
  ): Server {
    const server = createServer((socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
      serveConnection(this.ctx, socket, transport ?? transportOf(server), options.path);
    });
    this.streams.push({
      server,
      name: options.name,
      ownedPath: options.owned === true ? options.path : undefined,
    });
    return server;
  }

  /** Serves the datagrams of `socket` (bound, or about to be). */
  addDatagramSocket(socket: UdpSocket, name?: string): void {
    serveDatagrams(this.ctx, socket);
    this.datagrams.push({ socket, name });
  }

  /** Undoes everything after a failure part-way through setting up. */
  async abort(): Promise<void> {
    await this.stop();
    this.settle('closed');
  }

  /** The listener over every socket added so far. */
  finish(): KdcListener {
    const endpoints: ListenerEndpoint[] = [];
    for (const s of this.streams) {
      const a = s.server.address();
      const named = s.name === undefined ? {} : { name: s.name };
      if (typeof a === 'object' && a !== null) {
        endpoints.push({ transport: 'tcp', address: a.address, port: a.port, ...named });
      } else {
        endpoints.push({ transport: 'unix', address: a ?? s.ownedPath, port: undefined, ...named });
      }
    }
    for (const d of this.datagrams) {
      const a = d.socket.address();
      endpoints.push({
        transport: 'udp',
        address: a.address,
        port: a.port,
        ...(d.name === undefined ? {} : { name: d.name }),
      });
    }
    const ctx = this.ctx;
    return {
      tcpPort: endpoints.find((e) => e.transport === 'tcp')?.port,
      udpPort: endpoints.find((e) => e.transport === 'udp')?.port,
      unixPath: this.streams.find((s) => s.ownedPath !== undefined)?.ownedPath,
      endpoints,
      closed: this.closed,
      stats: () => snapshot(ctx.counters, ctx.inFlight.held),
      close: async () => {
        for (const s of this.connections) s.destroy();
        await this.stop();
        this.settle('closed');
      },
    };
  }

  /** Stops accepting and receiving; safe to call more than once. */
  private stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ctx.idle.stop();
      // Only a file we bound is ours to remove: a failed bind may have met someone else's.
      const owned = this.streams.flatMap((s) =>
        s.ownedPath !== undefined && s.server.listening ? [s.ownedPath] : [],
      );
      await Promise.all([
        ...this.streams.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (!s.server.listening) return resolve();
              s.server.close(() => resolve());
            }),
        ),
        ...this.datagrams.map(
          (d) =>
            new Promise<void>((resolve) => {
              try {
                d.socket.close(() => resolve());
              } catch {
                resolve(); // never bound
              }
            }),
        ),
      ]);
      for (const path of owned) await unlink(path).catch(() => undefined);
    })();
    return this.stopping;
  }
}
