/**
 * Why one exchange with one KDC failed. Every error names the KDC (`udp/10.0.0.1:88`,
 * `tcp/[::1]:88`, `unix:/run/kdc.sock`) in its message and in `address`.
 */
import { Krb5ClientError } from '../errors.js';

/** The transports of RFC 4120 §7.2.1 (UDP), §7.2.2 (TCP) and MIT 1.22's UNIX stream sockets. */
export type KdcProtocol = 'udp' | 'tcp' | 'unix';

/** Base class: a transport-level failure talking to one KDC. */
export class KdcTransportError extends Krb5ClientError {
  override name = 'KdcTransportError';
  constructor(
    /** The KDC, as `protocol/host:port` or `unix:/path`. */
    readonly address: string,
    readonly protocol: KdcProtocol,
    /** What went wrong, without the address (used in KdcUnreachableError summaries). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('transport', `KDC ${address}: ${reason}`, options ?? {});
  }
}

/** No (complete) reply within the timeout. */
export class KdcTimeoutError extends KdcTransportError {
  override name = 'KdcTimeoutError';
  constructor(
    address: string,
    protocol: KdcProtocol,
    readonly timeoutMs: number,
  ) {
    super(address, protocol, `no reply within ${timeoutMs} ms`);
  }
}

/** Nothing listens there: TCP RST, ICMP port unreachable on UDP, or no such UNIX socket. */
export class KdcConnectionRefusedError extends KdcTransportError {
  override name = 'KdcConnectionRefusedError';
  constructor(address: string, protocol: KdcProtocol, options?: { cause?: unknown }) {
    super(address, protocol, 'connection refused', options);
  }
}

/** The KDC closed (or reset) the connection before the whole reply arrived. */
export class KdcConnectionClosedError extends KdcTransportError {
  override name = 'KdcConnectionClosedError';
  constructor(
    address: string,
    protocol: KdcProtocol,
    /** Bytes of the reply received, length prefix included. */
    readonly received: number,
    /** Bytes expected (prefix included), when the length prefix had arrived. */
    readonly expected: number | undefined,
    options?: { cause?: unknown },
  ) {
    const got =
      expected === undefined
        ? `${received} of the 4 length bytes`
        : `${received - 4} of ${expected - 4} reply bytes`;
    super(address, protocol, `connection closed after ${got}`, options);
  }
}

/** The reply is larger than the transport's limit (announced by the length prefix, or a datagram). */
export class KdcReplyTooLargeError extends KdcTransportError {
  override name = 'KdcReplyTooLargeError';
  constructor(
    address: string,
    protocol: KdcProtocol,
    readonly size: number,
    readonly limit: number,
  ) {
    super(address, protocol, `reply of ${size} bytes exceeds the ${limit}-byte limit`);
  }
}

/**
 * The bytes cannot be framed: a TCP length prefix with the reserved high bit set (RFC 4120
 * §7.2.2), an empty reply, or a request too large for the transport.
 */
export class KdcFramingError extends KdcTransportError {
  override name = 'KdcFramingError';
}

/** Any other socket error (host unreachable, name not found...); `code` is Node's errno code. */
export class KdcNetworkError extends KdcTransportError {
  override name = 'KdcNetworkError';
  constructor(
    address: string,
    protocol: KdcProtocol,
    readonly code: string | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(address, protocol, reason, options);
  }
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class KdcAbortedError extends KdcTransportError {
  override name = 'KdcAbortedError';
  constructor(address: string, protocol: KdcProtocol, reason: unknown) {
    super(address, protocol, 'aborted', { cause: reason });
  }
}
