/**
 * The byte stream under a connection (MS-SMB2 §2.1 Direct TCP). The connection only needs
 * to write chunks, be told of incoming bytes and of the end, and close: tests plug in an
 * in-memory pair, Node gets a TCP socket (`connectTcp`).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { DirectTcpFrameReader, FramePool } from '@postntlm/smb2-protocol';
import { abortReason, SmbConnectionError, SmbProtocolError } from '../errors.js';

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
  /** `data` delivers whole frame bodies, the Direct TCP header (§2.1) taken off: no framing left to do. */
  readonly framed?: boolean;
  /**
   * Takes back the memory of a frame `data` delivered, for a later frame. The caller must
   * hold no view of it any more. Frames the transport did not lend from its pool are ignored.
   */
  readonly release?: (frame: Uint8Array) => void;
}

export interface TcpOptions {
  readonly host: string;
  /** Default 445. */
  readonly port?: number;
  /** Connect timeout in ms; default 10 000. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Memory a received frame overwrites entirely: skip the zero-filling. */
const allocateUnfilled = (n: number): Uint8Array => {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** Frames read in place (`onread` of a socket made by `connectTcp`), passed on once attached. */
interface InPlaceReads {
  readonly reader: DirectTcpFrameReader;
  /** Memory of READ responses of 1 MiB or more, recycled when a lending reader is done with it. */
  readonly pool: FramePool;
  sink: ((frame: Uint8Array) => void) | undefined;
  readonly early: Uint8Array[];
}

/** A TCP transport from a connected socket. */
export function socketTransport(socket: Socket): Transport {
  return tcpTransport(socket, undefined);
}

function tcpTransport(socket: Socket, inPlace: InPlaceReads | undefined): Transport {
  let events: TransportEvents | undefined;
  let closed = false;
  const end = (error?: Error): void => {
    if (closed) return;
    closed = true;
    events?.close(error);
  };
  return {
    allocate: allocateUnfilled,
    framed: inPlace !== undefined,
    ...(inPlace === undefined ? {} : { release: (frame: Uint8Array) => inPlace.pool.release(frame) }),
    attach(e) {
      events = e;
      if (inPlace === undefined)
        socket.on('data', (b: Buffer) => e.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
      else {
        inPlace.sink = (frame) => e.data(frame);
        for (const frame of inPlace.early.splice(0)) e.data(frame);
      }
      socket.on('error', (err) =>
        // A stream the frame reader refused ends with its SmbProtocolError, as the framer's would.
        end(
          err instanceof SmbProtocolError
            ? err
            : new SmbConnectionError(`connection failed: ${err.message}`, { cause: err }),
        ),
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
    // Reads land where `reader` says: large frames (READ responses) straight in their own buffer.
    // Four spare 8 MiB frames: enough for a lending reader's window, little memory held.
    // Shared memory, so that the GCM worker can decrypt a frame where it lies.
    const pool = new FramePool(1 << 20, 4, typeof SharedArrayBuffer === 'function');
    const inPlace: InPlaceReads = {
      pool,
      reader: new DirectTcpFrameReader(undefined, (n) => pool.allocate(n)),
      sink: undefined,
      early: [],
    };
    const socket = netConnect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: () => inPlace.reader.buffer(),
        callback: (n) => {
          let frames: Uint8Array[];
          try {
            frames = inPlace.reader.filled(n);
          } catch (e) {
            // A stream we cannot frame is unusable (§3.2.5.1): drop the connection.
            socket.destroy(
              e instanceof SmbProtocolError
                ? e
                : new SmbProtocolError(`bad frame from the server: ${(e as Error).message}`, { cause: e }),
            );
            return false;
          }
          for (const frame of frames) {
            if (inPlace.sink === undefined) inPlace.early.push(frame);
            else inPlace.sink(frame);
          }
          return true;
        },
      },
    });
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
      resolve(tcpTransport(socket, inPlace));
    });
  });
}
