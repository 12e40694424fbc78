/** Loopback KDC stand-ins for transport tests, and a socket-leak check. */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';

export const LOOPBACK = '127.0.0.1';

/** A 4-byte big-endian length prefix. */
export function lengthPrefix(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, false);
  return b;
}

export function framed(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  out.set(lengthPrefix(message.length), 0);
  out.set(message, 4);
  return out;
}

export function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** Byte equality that stays fast for megabytes (vitest's deep equality is per element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * What a stream server does with each connection once a whole framed request has arrived
 * (`request` is the unframed message). `socket` is the raw server-side socket.
 */
export type StreamBehaviour = (socket: Socket, request: Uint8Array) => unknown;

export interface StreamServer {
  readonly server: Server;
  readonly port: number;
  /** Requests received (unframed), in order. */
  readonly requests: Uint8Array[];
  /** Connections accepted so far. */
  connections(): number;
  /** Connections still open on the server side. */
  open(): number;
  behaviour: StreamBehaviour;
  close(): Promise<void>;
}

/** A TCP (`listen: {port: 0, host}`) or UNIX (`listen: {path}`) server reading framed requests. */
export async function startStreamServer(
  listen: { host: string; port: 0 } | { path: string },
  behaviour: StreamBehaviour,
): Promise<StreamServer> {
  const requests: Uint8Array[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const state: StreamServer = {
    server: createServer(),
    port: 0,
    requests,
    connections: () => accepted,
    open: () => sockets.size,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        state.server.close(() => resolve());
      }),
  };
  state.server.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = new Uint8Array(0);
    let handled = false;
    socket.on('data', (chunk: Uint8Array) => {
      const next = new Uint8Array(buffered.length + chunk.length);
      next.set(buffered);
      next.set(chunk, buffered.length);
      buffered = next;
      if (handled || buffered.length < 4) return;
      const length = new DataView(buffered.buffer).getUint32(0, false);
      if (buffered.length < 4 + length) return;
      handled = true;
      const request = buffered.slice(4, 4 + length);
      requests.push(request);
      void state.behaviour(socket, request);
    });
  });
  await new Promise<void>((resolve) => {
    if ('path' in listen) state.server.listen(listen.path, resolve);
    else state.server.listen(listen.port, listen.host, resolve);
  });
  const address = state.server.address();
  if (address !== null && typeof address === 'object') (state as { port: number }).port = address.port;
  return state;
}

/** Echoes a reply for each request (the request reversed), framed, in one write. */
export const reverseReply: StreamBehaviour = (socket, request) => {
  socket.end(framed(request.slice().reverse()));
};

export type DatagramBehaviour = (server: UdpSocket, message: Uint8Array, from: RemoteInfo) => unknown;

export interface DatagramServer {
  readonly socket: UdpSocket;
  readonly port: number;
  readonly requests: Uint8Array[];
  behaviour: DatagramBehaviour;
  close(): Promise<void>;
}

export async function startDatagramServer(behaviour: DatagramBehaviour): Promise<DatagramServer> {
  const socket = createSocket('udp4');
  const requests: Uint8Array[] = [];
  const state: DatagramServer = {
    socket,
    port: 0,
    requests,
    behaviour,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (message, from) => {
    requests.push(new Uint8Array(message));
    state.behaviour(socket, new Uint8Array(message), from);
  });
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, () => resolve()));
  (state as { port: number }).port = socket.address().port;
  return state;
}

/** A port on 127.0.0.1 where nothing listens (TCP and UDP), found by binding and closing. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Active handles by kind (TCPSocketWrap, UDPWRAP, PipeWrap, Timeout...). */
export function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/**
 * Asserts that client sockets and timers are back to `baseline` (taken with the servers
 * running): no socket, pipe or timer left behind by the transport.
 */
export async function expectNoLeaks(baseline: Map<string, number>): Promise<void> {
  const kinds = ['TCPSocketWrap', 'TCPWRAP', 'PipeWrap', 'PIPEWRAP', 'UDPWrap', 'UDPWRAP', 'Timeout'];
  let now = handleCounts();
  for (let i = 0; i < 50; i++) {
    if (kinds.every((k) => (now.get(k) ?? 0) <= (baseline.get(k) ?? 0))) return;
    await sleep(10);
    now = handleCounts();
  }
  for (const k of kinds) {
    expect({ kind: k, count: Math.max(now.get(k) ?? 0, baseline.get(k) ?? 0) }).toEqual({
      kind: k,
      count: baseline.get(k) ?? 0,
    });
  }
}
