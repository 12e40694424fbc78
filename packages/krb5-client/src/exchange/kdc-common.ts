/**
 * What the AS and TGS exchanges share: reading a KDC's answer (KDC-REP or KRB-ERROR),
 * turning a KRB-ERROR into a `KerberosError`, and the checks of RFC 4120 §3.1.5 / §3.3.4
 * on the decrypted EncKDCRepPart (the same ones MIT's `krb5int_verify_as_reply` and
 * `check_reply_server` make).
 */
import {
  decrypt,
  encrypt,
  getEnctype,
  IntegrityError,
  type Key,
  Krb5CryptoError,
} from '@postntlm/krb5-crypto';
import {
  AsRep,
  DecodeError,
  decode,
  EncKdcRepPart,
  EncodeError,
  type EncryptionKey,
  type KdcRep,
  KrbError,
  MessageType,
  MethodData,
  messageTypeName,
  type PrincipalName,
  peekMessageType,
  TgsRep,
  TypedData,
} from '@postntlm/krb5-messages';
import {
  type ErrorData,
  KerberosError,
  Krb5ClientError,
  MalformedMessageError,
  ReplyVerificationError,
} from '../errors.js';
import type { Random } from './environment.js';

/** An answer from a KDC: the expected KDC-REP, or a KRB-ERROR. */
export type KdcAnswer =
  | { readonly kind: 'error'; readonly krbError: KrbError }
  | { readonly kind: 'reply'; readonly rep: KdcRep };

function malformed(what: string, cause: unknown): MalformedMessageError {
  if (cause instanceof DecodeError) {
    return new MalformedMessageError(`${what} is not valid DER: ${cause.message}`, {
      cause,
      path: cause.path,
    });
  }
  return new MalformedMessageError(`${what} could not be decoded`, { cause });
}

/** Decodes a KDC's answer to an AS-REQ (`expected` 11) or TGS-REQ (13). */
export function decodeKdcAnswer(bytes: Uint8Array, expected: 11 | 13): KdcAnswer {
  const type = peekMessageType(bytes);
  const expectedName = messageTypeName(expected) ?? String(expected);
  if (type === MessageType.KRB_ERROR) {
    try {
      return { kind: 'error', krbError: decode(KrbError, bytes) };
    } catch (e) {
      throw malformed('KRB-ERROR', e);
    }
  }
  if (type !== expected) {
    const got = type === undefined ? 'not a Kerberos message' : `${messageTypeName(type)} (${type})`;
    throw new MalformedMessageError(`expected ${expectedName} or KRB-ERROR from the KDC, got ${got}`);
  }
  try {
    return { kind: 'reply', rep: decode(expected === 11 ? AsRep : TgsRep, bytes) };
  } catch (e) {
    throw malformed(expectedName, e);
  }
}

/** e-data as METHOD-DATA (preauth errors), TYPED-DATA, or raw bytes (RFC 4120 §5.9.1). */
export function decodeErrorData(eData: Uint8Array | undefined): ErrorData | undefined {
  if (eData === undefined || eData.length === 0) return undefined;
  try {
    return { kind: 'method-data', padata: decode(MethodData, eData) };
  } catch {
    // not METHOD-DATA
  }
  try {
    return { kind: 'typed-data', entries: decode(TypedData, eData) };
  } catch {
    return { kind: 'raw', bytes: eData };
  }
}

/** A KerberosError for a KRB-ERROR that came in answer to a request sent to `requestRealm`. */
export function kerberosErrorOf(krbError: KrbError, requestRealm: string, hint?: string): KerberosError {
  return new KerberosError(krbError, { eData: decodeErrorData(krbError.eData), requestRealm, hint });
}

/** KDC clock minus local clock, from a KRB-ERROR's stime/susec and the local time it arrived. */
export function offsetFromError(error: KerberosError, localNow: number): number {
  return error.serverTime.getTime() - localNow;
}

/** A crypto `Key` from an EncryptionKey (bytes copied out of the message buffer). */
export function keyOf(encryptionKey: EncryptionKey): Key {
  return { enctype: encryptionKey.keytype, bytes: encryptionKey.keyvalue.slice() };
}

/** encrypt with a confounder from the injected random source (repeatable in tests). */
export function encryptWith(key: Key, usage: number, plaintext: Uint8Array, random: Random): Uint8Array {
  return encrypt(key, usage, plaintext, {
    confounder: random.bytes(getEnctype(key.enctype).confounderLength),
  });
}

/** A time in ms as KerberosTime (whole seconds) and microseconds. */
export function kerberosTimeOf(ms: number): { time: Date; usec: number } {
  const seconds = Math.floor(ms / 1000);
  return { time: new Date(seconds * 1000), usec: Math.floor(ms - seconds * 1000) * 1000 };
}

/** Whether two PrincipalNames have the same components (name type ignored, as MIT does). */
export function sameName(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((c, i) => c === b.nameString[i]);
}

export const showName = (name: PrincipalName, realm?: string): string =>
  `${name.nameString.join('/')}${realm === undefined ? '' : `@${realm}`}`;

/** The decrypted EncKDCRepPart (either tag) of a reply, or `undefined` if `key` does not decrypt it. */
export function tryDecryptEncPart(
  rep: KdcRep,
  key: Key,
  usage: number,
):
  | { part: ReturnType<typeof decodeEncPart>; error?: undefined }
  | { part?: undefined; error: IntegrityError } {
  let plain: Uint8Array;
  try {
    plain = decrypt(key, usage, rep.encPart.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) return { error: e };
    throw e;
  }
  return { part: decodeEncPart(plain) };
}

function decodeEncPart(plain: Uint8Array) {
  try {
    return decode(EncKdcRepPart, plain);
  } catch (e) {
    throw malformed('EncKDCRepPart', e);
  }
}

export type DecryptedEncPart = ReturnType<typeof decodeEncPart>;

/** What was asked, for checking the reply against it. */
export interface PendingRequest {
  readonly nonce: number;
  readonly etypes: readonly number[];
  /** The corrected time the request was made at (local clock + KDC offset), in ms. */
  readonly requestTime: number;
  readonly till: Date;
  readonly rtime: Date | undefined;
  readonly renewable: boolean;
  /** The server asked for (sname, realm of the req-body). */
  readonly sname: PrincipalName;
  readonly srealm: string;
  readonly canonicalize: boolean;
}

/**
 * The checks common to AS and TGS replies (RFC 4120 §3.1.5 and §3.3.4; MIT
 * `krb5int_verify_as_reply` / `check_reply_server`):
 * - the nonce is the request's;
 * - the session key's enctype was requested;
 * - the Ticket's sname/realm are the encrypted part's sname/srealm;
 * - endtime is after the start and not after `till`; renew-till not after `rtime`;
 * - the ticket starts within the clock skew of the request time (unless the KDC's time is
 *   adopted, `clockSkewMs` undefined).
 * The server name is checked by the callers (referrals and canonicalization differ).
 */
export function checkCommonReply(
  rep: KdcRep,
  part: DecryptedEncPart,
  request: PendingRequest,
  kind: 'as' | 'tgs',
  clockSkewMs: number | undefined,
): void {
  if (part.nonce !== request.nonce) {
    throw new ReplyVerificationError(
      'nonce',
      `the reply's nonce ${part.nonce} is not the request's ${request.nonce}`,
      { hint: 'a reply to another request (or a replayed one): retry' },
    );
  }
  if (!request.etypes.includes(part.key.keytype)) {
    throw new ReplyVerificationError(
      'enctype',
      `the session key has enctype ${part.key.keytype}, which was not requested (${request.etypes.join(', ')})`,
    );
  }
  const ticket = rep.ticket.value;
  if (ticket.realm !== part.srealm || !sameName(ticket.sname, part.sname)) {
    throw new ReplyVerificationError(
      'ticket',
      `the ticket is for ${showName(ticket.sname, ticket.realm)} but the encrypted part says ${showName(part.sname, part.srealm)}`,
    );
  }
  const start = (part.starttime ?? part.authtime).getTime();
  const end = part.endtime.getTime();
  if (end <= start) {
    throw new ReplyVerificationError(
      'times',
      `the ticket ends (${part.endtime.toISOString()}) before it starts`,
    );
  }
  // KerberosTime has whole seconds: `till` was truncated the same way.
  if (end > request.till.getTime()) {
    throw new ReplyVerificationError(
      'times',
      `endtime ${part.endtime.toISOString()} is later than the requested till ${request.till.toISOString()}`,
    );
  }
  if (
    request.renewable &&
    request.rtime !== undefined &&
    part.renewTill !== undefined &&
    part.renewTill.getTime() > request.rtime.getTime()
  ) {
    throw new ReplyVerificationError(
      'times',
      `renew-till ${part.renewTill.toISOString()} is later than the requested ${request.rtime.toISOString()}`,
    );
  }
  // The start is "now" at the KDC: starttime, or authtime in an AS-REP (MIT leaves starttime
  // out); a TGS-REP's authtime is the TGT's. Skipped when `clockSkewMs` is undefined (MIT's
  // kdc_timesync: the KDC's time is adopted instead).
  const kdcNow = part.starttime?.getTime() ?? (kind === 'as' ? part.authtime.getTime() : undefined);
  if (
    clockSkewMs !== undefined &&
    kdcNow !== undefined &&
    Math.abs(kdcNow - request.requestTime) > clockSkewMs + 1000
  ) {
    throw new ReplyVerificationError(
      'times',
      `the ticket starts at ${new Date(kdcNow).toISOString()}, more than the clock skew away from the request time ${new Date(request.requestTime).toISOString()}`,
      { hint: "the local clock is off: synchronise it or let the exchange use the KDC's time" },
    );
  }
}

/**
 * An error out of an exchange step as a Krb5ClientError: decode failures become
 * MalformedMessageError, crypto refusals (a KDC's s2kparams, an enctype turned off) a
 * policy error. Anything else is a bug and is rethrown.
 */
export function toClientError(e: unknown, what: string): Krb5ClientError {
  if (e instanceof Krb5ClientError) return e;
  if (e instanceof DecodeError) return malformed(`a message in the ${what}`, e);
  if (e instanceof EncodeError) {
    return new Krb5ClientError('policy', `${what}: a request could not be encoded: ${e.message}`, {
      cause: e,
      hint: 'check the names, realm and options given',
    });
  }
  if (e instanceof Krb5CryptoError) {
    return new Krb5ClientError('policy', `${what}: ${e.message}`, { cause: e });
  }
  throw e;
}
