import { KdcAbortedError, type KdcProtocol, KdcTimeoutError, KdcTransportError } from './errors.js';

/** Options of one request/reply exchange. */
export interface KdcSendOptions {
  /** Aborts the exchange (KdcAbortedError); the socket is closed. */
  readonly signal?: AbortSignal | undefined;
  /** Time for the whole exchange (name lookup, connect, send, reply); default 30 000 ms. */
  readonly timeoutMs?: number | undefined;
}

/** One KDC over one transport: a request goes out, one reply comes back. */
export interface KdcTransport {
  readonly protocol: KdcProtocol;
  /** `udp/host:port`, `tcp/host:port` or `unix:/path`: names the KDC in errors. */
  readonly address: string;
  /** Sends one KDC request (a DER message, without framing) and returns the reply bytes. */
  send(request: Uint8Array, options?: KdcSendOptions): Promise<Uint8Array>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default reply limit for TCP and UNIX sockets. */
export const DEFAULT_MAX_STREAM_REPLY_BYTES = 1024 * 1024;
/** Default reply limit for UDP: any datagram. */
export const DEFAULT_MAX_DATAGRAM_REPLY_BYTES = 65535;

/** `host:port` with IPv6 literals in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function checkRequest(request: unknown, address: string, protocol: KdcProtocol): Uint8Array {
  if (!(request instanceof Uint8Array)) {
    throw new KdcTransportError(address, protocol, 'the request must be a Uint8Array');
  }
  return request;
}

export function checkTimeout(timeoutMs: number | undefined): number {
  const t = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(typeof t === 'number' && t > 0 && Number.isFinite(t))) {
    throw new RangeError(`timeoutMs must be a positive finite number, got ${String(timeoutMs)}`);
  }
  // setTimeout fires at once for delays above 2^31 - 1 ms: cap there (about 24.8 days).
  return Math.min(Math.ceil(t), MAX_TIMER_MS);
}

/** Longest delay setTimeout honours. */
export const MAX_TIMER_MS = 0x7fffffff;

export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  const v = limit ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1 || v > max) {
    throw new RangeError(`maxReplyBytes must be an integer in 1..${max}, got ${String(limit)}`);
  }
  return v;
}

/**
 * One exchange's bookkeeping: settles once, and on every path runs the cleanup (closing
 * the socket), clears the timer and detaches from the AbortSignal.
 */
export class Exchange<T> {
  private done = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanups: (() => void)[] = [];
  private readonly onAbort: () => void;

  constructor(
    private readonly address: string,
    private readonly protocol: KdcProtocol,
    private readonly resolveFn: (value: T) => void,
    private readonly rejectFn: (error: Error) => void,
    timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.onAbort = () => this.fail(new KdcAbortedError(address, protocol, signal?.reason));
    this.timer = setTimeout(() => this.fail(new KdcTimeoutError(address, protocol, timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get settled(): boolean {
    return this.done;
  }

  /** Registers cleanup work (run once, in reverse order, when the exchange settles). */
  onSettle(cleanup: () => void): void {
    if (this.done) cleanup();
    else this.cleanups.push(cleanup);
  }

  succeed(value: T): void {
    if (this.finish()) this.resolveFn(value);
  }

  fail(error: Error): void {
    if (this.finish()) this.rejectFn(error);
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const cleanup of this.cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // closing an already closed socket: nothing left to release
      }
    }
    this.cleanups.length = 0;
    return true;
  }

  /** The address and protocol, for errors raised by the caller. */
  where(): { address: string; protocol: KdcProtocol } {
    return { address: this.address, protocol: this.protocol };
  }
}

/** Runs `start` inside an Exchange; rejects at once (no socket) when the signal is already aborted. */
export function runExchange<T>(
  address: string,
  protocol: KdcProtocol,
  options: KdcSendOptions | undefined,
  start: (exchange: Exchange<T>) => void,
): Promise<T> {
  let timeoutMs: number;
  try {
    timeoutMs = checkTimeout(options?.timeoutMs);
  } catch (error) {
    return Promise.reject(error);
  }
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(new KdcAbortedError(address, protocol, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const exchange = new Exchange<T>(address, protocol, resolve, reject, timeoutMs, signal);
    try {
      start(exchange);
    } catch (error) {
      exchange.fail(
        error instanceof KdcTransportError
          ? error
          : new KdcTransportError(address, protocol, `cannot start the exchange: ${String(error)}`, {
              cause: error,
            }),
      );
    }
  });
}

/** Node's errno code of a socket error, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** A copy of Node bytes as a plain Uint8Array (no Buffer in package APIs). */
export function toUint8Array(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}
