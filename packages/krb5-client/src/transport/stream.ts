/**
 * RFC 4120 §7.2.2 KDC messages over a stream: TCP, or (MIT 1.22) a UNIX stream socket with
 * the same framing. Each message is preceded by its length as 4 bytes, big-endian; the high
 * bit of that length is reserved and must be zero. One connection per request.
 */
import { connect, type Socket } from 'node:net';
import {
  KdcConnectionClosedError,
  KdcConnectionRefusedError,
  KdcFramingError,
  KdcNetworkError,
  type KdcProtocol,
  KdcReplyTooLargeError,
} from './errors.js';
import {
  checkLimit,
  checkRequest,
  DEFAULT_MAX_STREAM_REPLY_BYTES,
  type Exchange,
  errnoCode,
  hostPort,
  type KdcSendOptions,
  type KdcTransport,
  runExchange,
} from './types.js';

/** Largest length a 4-byte prefix with the reserved bit clear can carry. */
export const MAX_FRAMED_LENGTH = 0x7fffffff;

/** The 4-byte length prefix followed by the message. */
export function frameKdcMessage(message: Uint8Array): Uint8Array {
  if (message.length > MAX_FRAMED_LENGTH)
    throw new RangeError('message too large for a 4-byte length prefix');
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length, false);
  out.set(message, 4);
  return out;
}

/** Reassembles one length-prefixed reply from stream chunks, within a size limit. */
export class FramedReplyReader {
  private readonly chunks: Uint8Array[] = [];
  private total = 0;
  private length: number | undefined;

  constructor(private readonly maxReplyBytes: number) {}

  /** Bytes received so far (prefix included). */
  get received(): number {
    return this.total;
  }

  /** Bytes expected in all (prefix included), once the prefix has arrived. */
  get expected(): number | undefined {
    return this.length === undefined ? undefined : this.length + 4;
  }

  /**
   * Adds a chunk. Returns the reply once complete (bytes after it are ignored), undefined
   * while more is needed, or what is wrong with the length prefix (checked before any
   * reply byte is buffered, so a hostile prefix costs no memory).
   */
  push(chunk: Uint8Array): Uint8Array | FramingProblem | undefined {
    if (chunk.length === 0) return undefined;
    this.chunks.push(chunk);
    this.total += chunk.length;
    if (this.length === undefined) {
      if (this.total < 4) return undefined;
      const head = this.concat(4);
      const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
      if (length > MAX_FRAMED_LENGTH) return { kind: 'reserved-bit', value: length };
      if (length === 0) return { kind: 'empty' };
      if (length > this.maxReplyBytes) return { kind: 'too-large', size: length };
      this.length = length;
    }
    if (this.total < this.length + 4) return undefined;
    return this.concat(this.length + 4).subarray(4);
  }

  /** The first `n` bytes received, as one fresh Uint8Array (never a Buffer). */
  private concat(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const chunk of this.chunks) {
      if (at >= n) break;
      const take = Math.min(chunk.length, n - at);
      out.set(chunk.subarray(0, take), at);
      at += take;
    }
    return out;
  }
}

export type FramingProblem =
  | { kind: 'reserved-bit'; value: number }
  | { kind: 'empty' }
  | { kind: 'too-large'; size: number };

function isProblem(x: Uint8Array | FramingProblem): x is FramingProblem {
  return !(x instanceof Uint8Array);
}

interface StreamTarget {
  readonly protocol: KdcProtocol;
  readonly address: string;
  readonly connect: () => Socket;
  readonly maxReplyBytes: number;
}

function streamExchange(
  target: StreamTarget,
  request: Uint8Array,
  options?: KdcSendOptions,
): Promise<Uint8Array> {
  const { address, protocol } = target;
  try {
    checkRequest(request, address, protocol);
  } catch (error) {
    return Promise.reject(error);
  }
  if (request.length === 0) return Promise.reject(new KdcFramingError(address, protocol, 'empty request'));
  if (request.length > MAX_FRAMED_LENGTH) {
    return Promise.reject(
      new KdcFramingError(address, protocol, `request of ${request.length} bytes cannot be framed`),
    );
  }
  return runExchange<Uint8Array>(address, protocol, options, (exchange: Exchange<Uint8Array>) => {
    const reader = new FramedReplyReader(target.maxReplyBytes);
    const socket = target.connect();
    exchange.onSettle(() => {
      socket.removeAllListeners('data');
      socket.destroy();
    });
    socket.on('connect', () => {
      socket.write(frameKdcMessage(request));
    });
    socket.on('data', (chunk: Uint8Array) => {
      const result = reader.push(chunk);
      if (result === undefined) return;
      if (!isProblem(result)) {
        exchange.succeed(result);
        return;
      }
      switch (result.kind) {
        case 'reserved-bit':
          exchange.fail(
            new KdcFramingError(
              address,
              protocol,
              `reply length prefix 0x${result.value.toString(16)} has the reserved high bit set`,
            ),
          );
          return;
        case 'empty':
          exchange.fail(new KdcFramingError(address, protocol, 'empty reply (length prefix 0)'));
          return;
        case 'too-large':
          exchange.fail(new KdcReplyTooLargeError(address, protocol, result.size, target.maxReplyBytes));
          return;
      }
    });
    socket.on('error', (error: Error) => {
      const code = errnoCode(error);
      if (code === 'ECONNREFUSED' || (protocol === 'unix' && code === 'ENOENT')) {
        exchange.fail(new KdcConnectionRefusedError(address, protocol, { cause: error }));
      } else if (code === 'ECONNRESET' || code === 'EPIPE') {
        exchange.fail(
          new KdcConnectionClosedError(address, protocol, reader.received, reader.expected, { cause: error }),
        );
      } else {
        exchange.fail(new KdcNetworkError(address, protocol, code, error.message, { cause: error }));
      }
    });
    // 'end' (FIN) or 'close' without a complete reply: closed early.
    const closedEarly = (): void =>
      exchange.fail(new KdcConnectionClosedError(address, protocol, reader.received, reader.expected));
    socket.on('end', closedEarly);
    socket.on('close', closedEarly);
  });
}

export interface TcpTransportOptions {
  readonly host: string;
  /** Default 88. */
  readonly port?: number;
  /** Largest reply accepted (default 1 MiB). */
  readonly maxReplyBytes?: number;
}

/** RFC 4120 §7.2.2 KDC exchange over TCP, one connection per request. */
export class TcpTransport implements KdcTransport {
  readonly protocol = 'tcp' as const;
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly maxReplyBytes: number;

  constructor(options: TcpTransportOptions) {
    this.host = options.host;
    this.port = checkPort(options.port ?? 88);
    this.maxReplyBytes = checkLimit(options.maxReplyBytes, DEFAULT_MAX_STREAM_REPLY_BYTES, MAX_FRAMED_LENGTH);
    this.address = `tcp/${hostPort(this.host, this.port)}`;
  }

  send(request: Uint8Array, options?: KdcSendOptions): Promise<Uint8Array> {
    return streamExchange(
      {
        protocol: 'tcp',
        address: this.address,
        maxReplyBytes: this.maxReplyBytes,
        connect: () => connect({ host: this.host, port: this.port, noDelay: true }),
      },
      request,
      options,
    );
  }
}

export interface UnixTransportOptions {
  /** Path of the UNIX stream socket (MIT 1.22 `kdc = /path`). */
  readonly path: string;
  /** Largest reply accepted (default 1 MiB). */
  readonly maxReplyBytes?: number;
}

/** KDC exchange over a UNIX stream socket, framed as TCP (MIT 1.22). */
export class UnixTransport implements KdcTransport {
  readonly protocol = 'unix' as const;
  readonly address: string;
  readonly path: string;
  readonly maxReplyBytes: number;

  constructor(options: UnixTransportOptions) {
    if (typeof options.path !== 'string' || options.path === '')
      throw new RangeError('path must be non-empty');
    this.path = options.path;
    this.maxReplyBytes = checkLimit(options.maxReplyBytes, DEFAULT_MAX_STREAM_REPLY_BYTES, MAX_FRAMED_LENGTH);
    this.address = `unix:${this.path}`;
  }

  send(request: Uint8Array, options?: KdcSendOptions): Promise<Uint8Array> {
    return streamExchange(
      {
        protocol: 'unix',
        address: this.address,
        maxReplyBytes: this.maxReplyBytes,
        connect: () => connect({ path: this.path }),
      },
      request,
      options,
    );
  }
}

export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new RangeError(`invalid port ${String(port)}`);
  return port;
}
