/** Counters a listener keeps about its traffic. */

/**
 * Why a request or connection ended without a reply:
 * - `too-large`: a frame or datagram longer than the limit (the connection is closed);
 * - `bad-framing`: a zero length or the reserved high bit in a TCP/Unix length prefix;
 * - `rate-limited`: over the source's token bucket;
 * - `in-flight-limit`: a UDP request while `maxInFlight` requests were being answered;
 * - `connection-limit`: a connection accepted while `maxConnections` were open;
 * - `not-answered`: the KDC engine chose to drop the request (not Kerberos, a KRB-ERROR, …).
 */
export type DropReason =
  | 'too-large'
  | 'bad-framing'
  | 'rate-limited'
  | 'in-flight-limit'
  | 'connection-limit'
  | 'not-answered';

/** A snapshot of a listener's counters, since it started. */
export interface ListenerStats {
  /** Requests handed to the KDC engine. */
  readonly requests: number;
  /** Replies sent. */
  readonly replies: number;
  /** Requests and connections refused, by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** TCP and Unix-socket connections accepted (including those closed at once for the limit). */
  readonly connectionsAccepted: number;
  /** TCP and Unix-socket connections open now. */
  readonly connectionsOpen: number;
  /** Requests being answered now. */
  readonly inFlight: number;
}

/** The mutable counters behind {@link ListenerStats}. */
export interface StatsCounters {
  requests: number;
  replies: number;
  dropped: Record<DropReason, number>;
  connectionsAccepted: number;
  connectionsOpen: number;
}

/** Fresh, zeroed counters. */
export function createCounters(): StatsCounters {
  return {
    requests: 0,
    replies: 0,
    dropped: {
      'too-large': 0,
      'bad-framing': 0,
      'rate-limited': 0,
      'in-flight-limit': 0,
      'connection-limit': 0,
      'not-answered': 0,
    },
    connectionsAccepted: 0,
    connectionsOpen: 0,
  };
}

/** A copy of `c`, so callers cannot see (or cause) later changes. */
export function snapshot(c: StatsCounters, inFlight: number): ListenerStats {
  return { ...c, dropped: { ...c.dropped }, inFlight };
}
