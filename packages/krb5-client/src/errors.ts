/**
 * The errors of the Kerberos client exchanges, one class per root cause (STYLE habit 5):
 *
 * | class | category | when |
 * |---|---|---|
 * | `KerberosError` | `peer` | the KDC answered with a KRB-ERROR (RFC 4120 §5.9.1); carries its code and RFC name |
 * | `PasswordIncorrectError` | `integrity` | the reply does not decrypt with the key made from the password |
 * | `ReplyVerificationError` | `integrity` | a reply decrypts but fails a check of RFC 4120 §3.1.5 / §3.3.4 (nonce, names, enctype, times) or does not decrypt with a stored key |
 * | `MalformedMessageError` | `malformed` | a reply that is not DER, not a Kerberos message, or not the message expected |
 * | `ExchangePolicyError` | `policy` | the exchange cannot go on within what the caller allows (no usable enctype or key, referral loop, unsupported pre-authentication) |
 * | `ExchangeStateError` | `state` | the exchange object was used out of order |
 * | `KdcTransportError` and subclasses (transport/) | `transport` | one try of one KDC failed: timeout, refused, closed, too large |
 * | `KdcUnreachableError` (locator/) | `transport` | every KDC of the realm failed, or the deadline passed; lists each try |
 * | `KdcNotFoundError` (locator/) | `config` | no KDC is known for the realm |
 * | `ProfileError`, `Krb5ConfigError` (config/) | `config` | krb5.conf cannot be read or holds a bad value |
 *
 * All of them extend `Krb5ClientError`, which has a `category` to switch on and a `hint` a
 * person can act on; the underlying error, if any, is the standard `cause`.
 */
import type { DecodeError, KrbError, PaData, TypedData } from '@postntlm/krb5-messages';
import { describeErrorCode, ErrorCode, errorCodeName } from '@postntlm/krb5-messages';

/** Root-cause categories (gokrb5's krberror categories, narrowed to what a client meets). */
export type Krb5ClientErrorCategory =
  | 'peer'
  | 'integrity'
  | 'malformed'
  | 'policy'
  | 'state'
  | 'transport'
  | 'config';

/** Base class of the errors of this package's exchanges. */
export class Krb5ClientError extends Error {
  override name = 'Krb5ClientError';
  /** What kind of failure this is (the KDC said no, a check failed, bad input, ...). */
  readonly category: Krb5ClientErrorCategory;
  /** What to do about it, when there is something to say. */
  readonly hint: string | undefined;
  constructor(
    category: Krb5ClientErrorCategory,
    message: string,
    options: { readonly hint?: string | undefined; readonly cause?: unknown } = {},
  ) {
    super(
      options.hint === undefined ? message : `${message} (hint: ${options.hint})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.category = category;
    this.hint = options.hint;
  }
}

/** Actionable hints for the KRB-ERROR codes a client meets most. */
const HINTS: ReadonlyMap<number, string> = new Map<number, string>([
  [
    ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN,
    'the client principal is not in the KDC database: check its spelling and the realm (realm names are case-sensitive)',
  ],
  [
    ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
    'the service principal is not registered: check the service name and host name (SPN) and the realm',
  ],
  [ErrorCode.KDC_ERR_NAME_EXP, 'the client account has expired: ask the KDC administrator'],
  [
    ErrorCode.KDC_ERR_ETYPE_NOSUPP,
    'no encryption type in common: the principal has no key of the requested enctypes (AES by default; RC4 is opt-in) or the KDC does not allow them',
  ],
  [
    ErrorCode.KDC_ERR_BADOPTION,
    'the KDC refuses a requested option (forwardable, renewable, renew, canonicalize...)',
  ],
  [ErrorCode.KDC_ERR_POLICY, 'the KDC policy rejects the request (see e-text)'],
  [ErrorCode.KDC_ERR_CLIENT_REVOKED, 'the client account is locked or disabled'],
  [ErrorCode.KDC_ERR_TGT_REVOKED, 'the TGT was revoked: get new initial credentials'],
  [ErrorCode.KDC_ERR_KEY_EXPIRED, 'the password has expired: change it'],
  [ErrorCode.KDC_ERR_PREAUTH_FAILED, 'password incorrect (or the keytab key is out of date)'],
  [
    ErrorCode.KDC_ERR_PREAUTH_REQUIRED,
    'the KDC requires pre-authentication that could not be done (a password, key or another method)',
  ],
  [ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, 'password incorrect, or keys out of sync'],
  [
    ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
    'the ticket has expired: get new initial credentials (or renew it in time)',
  ],
  [ErrorCode.KRB_AP_ERR_TKT_NYV, 'the ticket is not yet valid: check the clocks'],
  [
    ErrorCode.KRB_AP_ERR_SKEW,
    "the clocks differ by more than the KDC's allowed skew (5 minutes by default): synchronise this host's clock (NTP)",
  ],
  [
    ErrorCode.KRB_AP_ERR_MODIFIED,
    'the KDC could not decrypt the ticket or authenticator: keys out of sync (kvno), or the message was altered',
  ],
  [ErrorCode.KRB_AP_ERR_BADKEYVER, 'the KDC no longer has the key version of the ticket: get a new TGT'],
  [
    ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
    'the KDC refuses the checksum type (the request-body checksum is mandatory)',
  ],
  [ErrorCode.KRB_ERR_RESPONSE_TOO_BIG, 'the reply does not fit in UDP: retry over TCP'],
  [ErrorCode.KRB_ERR_GENERIC, 'see the e-text and the KDC log'],
  [
    ErrorCode.KDC_ERR_WRONG_REALM,
    'the principal belongs to another realm (client referral, RFC 6806): send the request to the realm in crealm',
  ],
  [ErrorCode.KDC_ERR_SVC_UNAVAILABLE, 'the KDC cannot serve the request now: try another KDC or later'],
  [ErrorCode.KDC_ERR_MUST_USE_USER2USER, 'the service only accepts user-to-user tickets (enc-tkt-in-skey)'],
  [ErrorCode.KDC_ERR_PREAUTH_EXPIRED, 'the pre-authentication data expired: start the exchange again'],
  [
    ErrorCode.KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS,
    'the KDC requires FAST options this client does not support',
  ],
]);

/** The hint PostNTLM gives for a KRB-ERROR code, if any. */
export const hintForErrorCode = (code: number): string | undefined => HINTS.get(code);

/** What a KRB-ERROR's e-data decoded to (RFC 4120 §5.9.1: METHOD-DATA for preauth errors, else TYPED-DATA). */
export type ErrorData =
  | { readonly kind: 'method-data'; readonly padata: readonly PaData[] }
  | { readonly kind: 'typed-data'; readonly entries: TypedData }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/** Fields of a KerberosError besides the decoded KRB-ERROR. */
export interface KerberosErrorDetails {
  /** The e-data, decoded when it is METHOD-DATA or TYPED-DATA. */
  readonly eData?: ErrorData | undefined;
  /** A hint replacing the default one for the code. */
  readonly hint?: string | undefined;
  /** The realm the request went to. */
  readonly requestRealm?: string | undefined;
}

/**
 * The KDC said no: a KRB-ERROR (RFC 4120 §5.9.1). `name` is the RFC name of the code
 * (`KDC_ERR_PREAUTH_FAILED`; `KRB_ERR_<n>` for codes not in the registry), so logs and
 * `switch (error.name)` read like the RFC; `code` is the number.
 */
export class KerberosError extends Krb5ClientError {
  override name: string;
  /** The error-code. */
  readonly code: number;
  /** The RFC name of `code` (same as `name`). */
  readonly codeName: string;
  /** e-text, the KDC's own words. */
  readonly eText: string | undefined;
  /** e-data, decoded when possible. */
  readonly eData: ErrorData | undefined;
  /** stime + susec: the KDC's clock when it answered. */
  readonly serverTime: Date;
  /** ctime + cusec echoed from the request, when present. */
  readonly clientTime: Date | undefined;
  /** The realm of the server in the error (`realm`) and of the client (`crealm`). */
  readonly realm: string;
  readonly crealm: string | undefined;
  /** The realm the request had been sent to. */
  readonly requestRealm: string | undefined;
  /** The whole decoded KRB-ERROR. */
  readonly krbError: KrbError;

  constructor(krbError: KrbError, details: KerberosErrorDetails = {}) {
    const code = krbError.errorCode;
    const codeName = errorCodeName(code) ?? `KRB_ERR_${code}`;
    const where = details.requestRealm ?? krbError.realm;
    const eText = krbError.eText !== undefined && krbError.eText !== '' ? `: "${krbError.eText}"` : '';
    super('peer', `KDC of ${where} answered ${describeErrorCode(code)}${eText}`, {
      hint: details.hint ?? hintForErrorCode(code),
    });
    this.name = codeName;
    this.code = code;
    this.codeName = codeName;
    this.eText = krbError.eText;
    this.eData = details.eData;
    this.serverTime = new Date(krbError.stime.getTime() + Math.floor(krbError.susec / 1000));
    this.clientTime =
      krbError.ctime === undefined
        ? undefined
        : new Date(krbError.ctime.getTime() + Math.floor((krbError.cusec ?? 0) / 1000));
    this.realm = krbError.realm;
    this.crealm = krbError.crealm;
    this.requestRealm = details.requestRealm;
    this.krbError = krbError;
  }

  /** The PA-DATA of a METHOD-DATA e-data (empty otherwise). */
  get padata(): readonly PaData[] {
    return this.eData?.kind === 'method-data' ? this.eData.padata : [];
  }
}

/**
 * The AS-REP did not decrypt with the key made from the password (RFC 4120 §3.1.5): the
 * password is wrong (MIT: "Password incorrect"). KDCs that require pre-authentication say
 * so earlier with KDC_ERR_PREAUTH_FAILED (a `KerberosError`).
 */
export class PasswordIncorrectError extends Krb5ClientError {
  override name = 'PasswordIncorrectError';
  constructor(
    readonly principal: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super('integrity', `password incorrect for ${principal}: the KDC reply does not decrypt with its key`, {
      hint: 'check the password (and that the salt/realm is right, it is case-sensitive)',
      cause: options.cause,
    });
  }
}

/** Which check of a KDC reply failed (RFC 4120 §3.1.5, §3.3.4; MIT's verify_as_reply). */
export type ReplyCheck =
  | 'decrypt'
  | 'msg-type'
  | 'nonce'
  | 'enctype'
  | 'client'
  | 'server'
  | 'ticket'
  | 'times'
  | 'flags';

/** A KDC reply decoded but did not pass a check: answer to another request, altered, or wrong key. */
export class ReplyVerificationError extends Krb5ClientError {
  override name = 'ReplyVerificationError';
  constructor(
    readonly check: ReplyCheck,
    message: string,
    options: { readonly hint?: string; readonly cause?: unknown } = {},
  ) {
    super('integrity', `KDC reply rejected (${check}): ${message}`, options);
  }
}

/** A message that is not DER, not a Kerberos message, or not the one expected here. */
export class MalformedMessageError extends Krb5ClientError {
  override name = 'MalformedMessageError';
  /** The decoder's path (`AS-REP.enc-part.cipher`) when the DER itself was bad. */
  readonly path: string | undefined;
  constructor(
    message: string,
    options: { readonly cause?: DecodeError | unknown; readonly path?: string } = {},
  ) {
    super('malformed', message, {
      hint: 'the peer is not a Kerberos KDC, or the message was cut or altered on the way',
      cause: options.cause,
    });
    this.path = options.path;
  }
}

/** Why an exchange could not go on within what the caller allows. */
export type ExchangePolicyReason =
  | 'no-usable-enctype'
  | 'no-key'
  | 'unsupported-preauth'
  | 'referral-loop'
  | 'too-many-referrals'
  | 'too-many-rounds'
  | 'bad-argument';

/** The exchange cannot proceed within the caller's policy (enctypes, keys, referral limits). */
export class ExchangePolicyError extends Krb5ClientError {
  override name = 'ExchangePolicyError';
  constructor(
    readonly reason: ExchangePolicyReason,
    message: string,
    options: { readonly hint?: string; readonly cause?: unknown } = {},
  ) {
    super('policy', message, options);
  }
}

/** `start()` twice, `receive()` before `start()` or after the end. */
export class ExchangeStateError extends Krb5ClientError {
  override name = 'ExchangeStateError';
  constructor(message: string) {
    super('state', message, { hint: 'call start() once, then receive() once per send step' });
  }
}
