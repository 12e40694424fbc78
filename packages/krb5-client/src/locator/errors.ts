import { Krb5ClientError } from '../errors.js';
import type { KdcTransportError } from '../transport/errors.js';

/** No KDC is known for a realm (MIT: "Cannot find KDC for realm"). */
export class KdcNotFoundError extends Krb5ClientError {
  override name = 'KdcNotFoundError';
  constructor(
    readonly realm: string,
    readonly reason: string,
  ) {
    super('config', `cannot find a KDC for realm ${realm}: ${reason}`, {
      hint: 'add a kdc = host:port line for the realm to krb5.conf, or enable dns_lookup_kdc',
    });
  }
}

/** What happened on one try of one KDC over one transport. */
export interface KdcAttempt {
  /** `udp/host:port`, `tcp/host:port`, `unix:/path` or the https URL. */
  readonly address: string;
  readonly protocol: 'udp' | 'tcp' | 'unix' | 'https';
  /**
   * - `reply`: the reply returned to the caller
   * - `failed`: a transport error (`error`)
   * - `response-too-big`: KRB_ERR_RESPONSE_TOO_BIG over UDP; TCP is tried next
   * - `service-unavailable`: KDC_ERR_SVC_UNAVAILABLE; the next KDC is tried (as MIT)
   * - `unsupported`: a KDC entry PostNTLM cannot use (MS-KKDCP https)
   */
  readonly outcome: 'reply' | 'failed' | 'response-too-big' | 'service-unavailable' | 'unsupported';
  /** Human-readable why, without the address. */
  readonly reason: string;
  readonly error?: KdcTransportError;
  /** Time this try took. */
  readonly elapsedMs: number;
}

/**
 * Every KDC of the realm failed, or the deadline passed first. `attempts` lists each try in
 * order; the message names every KDC tried and why it failed.
 */
export class KdcUnreachableError extends Krb5ClientError {
  override name = 'KdcUnreachableError';
  constructor(
    readonly realm: string,
    readonly attempts: readonly KdcAttempt[],
    /** Set when the deadline ended the search (`deadline of N ms reached`). */
    readonly deadline: string | undefined,
    /** KDCs (address and protocol) the deadline left untried. */
    readonly untried: readonly string[] = [],
  ) {
    const tried =
      attempts.length === 0
        ? 'no KDC was tried'
        : attempts.map((a) => `${a.address}: ${a.reason}`).join('; ');
    const notTried = untried.length === 0 ? '' : `; not tried: ${untried.join(', ')}`;
    super(
      'transport',
      `cannot reach any KDC for realm ${realm}${deadline === undefined ? '' : ` (${deadline})`}: ${tried}${notTried}`,
    );
  }
}
