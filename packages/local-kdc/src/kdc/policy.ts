/** KDC policy: what the engine allows beyond what each principal's attributes say. */

export interface KdcPolicy {
  /** Allowed clock skew for PA-ENC-TIMESTAMP and authenticators, seconds (MIT `clockskew`, 300). */
  readonly skewSeconds: number;
  /** Longest ticket lifetime, seconds (MIT `max_life`, 24 h). */
  readonly maxLifeSeconds: number;
  /** Longest renewable lifetime, seconds (MIT `max_renewable_life`; 7 days here, 0 disables renewable tickets). */
  readonly maxRenewSeconds: number;
  /** Issue forwardable tickets when asked (default true). */
  readonly allowForwardable: boolean;
  /** Issue proxiable tickets when asked (default true). */
  readonly allowProxiable: boolean;
  /** Allow RC4-HMAC (23) keys, session keys and replies (default false; also needs `enableRc4Hmac()` of krb5-crypto). */
  readonly allowRc4: boolean;
  /** Requests longer than this are dropped (`null`), bytes (default 65 536). */
  readonly maxRequestBytes: number;
  /** A UDP reply longer than this becomes KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 §7.2.1; MIT's default 4096). */
  readonly maxUdpReplyBytes: number;
  /**
   * Tag of the AS-REP enc-part: 25 (EncASRepPart, RFC 4120 §5.4.2 and Windows) or 26
   * (EncTGSRepPart, what MIT's KDC sends). Default 25; MIT, Heimdal, Windows and our client accept both.
   */
  readonly asRepEncPartTag: 25 | 26;
  /**
   * Put an MS-PAC in tickets (default false: standalone Samba refuses tickets with one).
   * Never in tickets for servers marked `noAuthDataRequired`, nor when the client sends
   * PA-PAC-REQUEST with include-pac FALSE.
   */
  readonly issuePac: boolean;
  /** The PAC's NetBIOS domain name (default: the realm's first label, at most 15 characters). */
  readonly pacNetbiosName?: string | undefined;
}

export const DEFAULT_POLICY: KdcPolicy = {
  skewSeconds: 300,
  maxLifeSeconds: 24 * 3600,
  maxRenewSeconds: 7 * 24 * 3600,
  allowForwardable: true,
  allowProxiable: true,
  allowRc4: false,
  maxRequestBytes: 65536,
  maxUdpReplyBytes: 4096,
  asRepEncPartTag: 25,
  issuePac: false,
};

/** Enctypes in the order the KDC prefers them, strongest first. */
export const ENCTYPE_STRENGTH: readonly number[] = [20, 18, 19, 17, 23];

/** Whether the policy permits `enctype` at all. */
export function enctypeAllowed(policy: KdcPolicy, enctype: number): boolean {
  if (enctype === 23) return policy.allowRc4;
  return enctype === 17 || enctype === 18 || enctype === 19 || enctype === 20;
}

/** The strongest enctype in `candidates` that passes `ok`, or undefined. */
export function strongest(
  candidates: Iterable<number>,
  ok: (enctype: number) => boolean,
): number | undefined {
  const set = new Set(candidates);
  for (const e of ENCTYPE_STRENGTH) if (set.has(e) && ok(e)) return e;
  return undefined;
}
