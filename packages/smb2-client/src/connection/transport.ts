/**
 * The byte stream under a connection (MS-SMB2 §2.1 Direct TCP). The connection only needs
 * to write chunks, be told of incoming bytes and of the end, and close: tests plug in an
 * in-memory pair, Node gets a TCP socket (`connectTcp`).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { abortReason, SmbConnectionError } from '../errors.js';

export interface TransportEvents {
  /** Bytes arrived (any split: the connection reassembles frames). */
  data(chunk: Uint8Array): void;
  /** The stream ended or failed; called once. */
  close(error?: Error): void;
}

export interface Transport {
  /** Starts delivering events (called once by the connection). */
  attach(events: TransportEvents): void;
  /** Writes the chunks in order, as one frame's parts (no copy needed). */
  write(chunks: readonly Uint8Array[]): void;
  /** Closes the stream; `close` follows. */
  close(): void;
  /**
   * Memory for a received frame that spans several chunks (default: a zero-filled
   * Uint8Array). Node's transport skips the zero-filling: every byte is overwritten.
   */
  readonly allocate?: (n: number) => Uint8Array;
}

export interface TcpOptions {
  readonly host: string;
  /** Default 445. */
  readonly port?: number;
  /** Connect timeout in ms; default 10 000. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A TCP transport from a connected socket. */
export function socketTransport(socket: Socket): Transport {
  let events: TransportEvents | undefined;
  let closed = false;
  const end = (error?: Error): void => {
    if (closed) return;
    closed = true;
    events?.close(error);
  };
  return {
    allocate: (n) => {
      const b = Buffer.allocUnsafeSlow(n);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    attach(e) {
      events = e;
      socket.on('data', (b: Buffer) => e.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
      socket.on('error', (err) =>
        end(new SmbConnectionError(`connection failed: ${err.message}`, { cause: err })),
      );
      socket.on('close', () => end(new SmbConnectionError('connection closed by the server')));
      if (socket.destroyed) end(new SmbConnectionError('connection closed'));
    },
    write(chunks) {
      if (closed) return;
      if (chunks.length === 1) {
        socket.write(chunks[0] as Uint8Array);
        return;
      }
      socket.cork();
      for (const c of chunks) socket.write(c);
      socket.uncork();
    },
    close() {
      socket.destroy();
      end(new SmbConnectionError('connection closed'));
    },
  };
}

/** Opens a TCP connection (rejects with SmbConnectionError on failure or timeout, or the abort reason). */
export function connectTcp(options: TcpOptions): Promise<Transport> {
  const { host, port = 445, timeoutMs = 10_000, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const socket = netConnect({ host, port, noDelay: true });
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(abortReason(signal as AbortSignal));
    const timer = setTimeout(
      () => fail(new SmbConnectionError(`connecting to ${host}:${port} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) =>
      fail(new SmbConnectionError(`cannot connect to ${host}:${port}: ${err.message}`, { cause: err })),
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socketTransport(socket));
    });
  });
}
