/** Resource limits of a KDC listener, and their defaults. */

/** A token bucket per source address: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimit {
  /** Sustained requests per second per source IP address. */
  readonly perSecond: number;
  /** Bucket size: requests a source may send at once after being quiet. */
  readonly burst: number;
  /**
   * Sources tracked at once (default 10 000). The least recently seen source is forgotten
   * beyond this, so a flood of spoofed UDP source addresses cannot grow memory without bound;
   * a forgotten source starts again with a full bucket.
   */
  readonly maxSources?: number;
  /**
   * Serve loopback sources (127.0.0.0/8, ::1) without limit (default true): they are
   * processes of this host, such as an SMB server proxying its clients' IAKerb requests,
   * which all arrive from one loopback address. Unix-socket peers are never limited.
   */
  readonly exemptLoopback?: boolean;
}

/** Limits that keep one client, or many, from exhausting the KDC process. */
export interface ListenLimits {
  /**
   * Open TCP plus Unix-socket connections (default 256). A connection beyond it is closed
   * as soon as it is accepted: the client sees a reset and tries its next KDC.
   */
  readonly maxConnections?: number;
  /**
   * Requests being answered at once, over all transports (default 64). A UDP request
   * beyond it is dropped (the client retransmits); a stream connection waits, and stops
   * being read meanwhile, so TCP flow control pushes back on the client.
   */
  readonly maxInFlight?: number;
  /**
   * Per-source-IP token bucket for TCP and UDP (default 200/s, burst 400), or `false` for
   * none. A UDP request over the limit is dropped; a TCP connection that exceeds it is
   * closed. Unix-socket peers are exempt: they have no address to tell them apart, and the
   * socket file's mode (0600) already restricts who may connect.
   */
  readonly rateLimit?: RateLimit | false;
  /**
   * Bytes buffered per connection, each way (default: 4 + the KDC's `maxRequestBytes`, one
   * largest framed request). A frame that cannot fit closes the connection; once this many
   * request bytes are waiting, or reply bytes are unsent, the connection is not read further
   * until they drain.
   */
  readonly maxBufferedBytes?: number;
}

/** {@link ListenLimits} with every default filled in. */
export interface ResolvedLimits {
  readonly maxConnections: number;
  readonly maxInFlight: number;
  readonly rateLimit: Required<RateLimit> | false;
  readonly maxBufferedBytes: number;
  /** The longest request a connection accepts: the KDC's limit, capped by the buffer. */
  readonly maxFrameBytes: number;
}

/** The defaults of {@link ListenLimits} (`maxBufferedBytes` depends on the KDC's policy). */
export const DEFAULT_LISTEN_LIMITS = {
  maxConnections: 256,
  maxInFlight: 64,
  rateLimit: { perSecond: 200, burst: 400, maxSources: 10_000, exemptLoopback: true },
} as const satisfies ListenLimits;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

/** Fills in defaults and rejects nonsense (zero or negative limits) early. */
export function resolveLimits(limits: ListenLimits | undefined, maxRequestBytes: number): ResolvedLimits {
  const d = DEFAULT_LISTEN_LIMITS;
  const rate = limits?.rateLimit ?? d.rateLimit;
  const maxBufferedBytes = positive('maxBufferedBytes', limits?.maxBufferedBytes ?? 4 + maxRequestBytes);
  return {
    maxConnections: positive('maxConnections', limits?.maxConnections ?? d.maxConnections),
    maxInFlight: positive('maxInFlight', limits?.maxInFlight ?? d.maxInFlight),
    rateLimit:
      rate === false
        ? false
        : {
            perSecond: positive('rateLimit.perSecond', rate.perSecond),
            burst: positive('rateLimit.burst', rate.burst),
            maxSources: positive('rateLimit.maxSources', rate.maxSources ?? d.rateLimit.maxSources),
            exemptLoopback: rate.exemptLoopback ?? d.rateLimit.exemptLoopback,
          },
    maxBufferedBytes,
    maxFrameBytes: Math.min(maxRequestBytes, maxBufferedBytes - 4),
  };
}
