/** Helpers shared by the initiator and the acceptor contexts. */
import { DecodeError, decode, type Schema } from '@postntlm/der-asn1';
import type { Key } from '@postntlm/krb5-crypto';
import { encode, KrbError, type Principal, type PrincipalName } from '@postntlm/krb5-messages';
import type { GssError } from '../errors.js';
import { GssTokenError } from '../errors.js';
import { encodeKrb5ContextToken, TokenId } from './context-token.js';
import type { SecurityContext } from './security-context.js';

/** What one step of context establishment produced (RFC 2743 §2.2.1/§2.2.2, sans-IO). */
export interface ContextStep {
  /** A token to send to the peer (also on failure: a KRB-ERROR token from the acceptor). */
  readonly outputToken?: Uint8Array | undefined;
  /** True once the context is established (`context` is then set). */
  readonly done: boolean;
  /** Set when establishment failed; the context cannot continue. */
  readonly error?: GssError | undefined;
  /** The established context, when `done`. */
  readonly context?: SecurityContext | undefined;
}

/** Decodes a Kerberos structure, turning `DecodeError` into `GssTokenError`. */
export function decodeKrb<T>(schema: Schema<T>, bytes: Uint8Array, what: string): T {
  try {
    return decode(schema, bytes);
  } catch (error) {
    if (error instanceof DecodeError)
      throw new GssTokenError(`malformed ${what}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** KerberosTime (whole seconds) and microseconds from milliseconds. */
export function kerberosTimeOf(ms: number): { time: Date; usec: number } {
  const seconds = Math.floor(ms / 1000);
  return { time: new Date(seconds * 1000), usec: (ms - seconds * 1000) * 1000 };
}

/** Milliseconds from KerberosTime and microseconds. */
export const msOf = (time: Date, usec: number): number => time.getTime() + Math.floor(usec / 1000);

/** A key from an RFC 4120 EncryptionKey. */
export const keyOf = (k: { keytype: number; keyvalue: Uint8Array }): Key => ({
  enctype: k.keytype,
  bytes: k.keyvalue.slice(),
});

/** `alice@MIT.TEST`-style text of a principal, for messages and replay ids. */
export const principalText = (p: Principal): string => `${p.name.nameString.join('/')}@${p.realm}`;

/** A KRB-ERROR context token (token ID 03 00). */
export function krbErrorToken(
  mech: string,
  nowMs: number,
  errorCode: number,
  server: { realm: string; name: PrincipalName },
  eText?: string,
): Uint8Array {
  const { time, usec } = kerberosTimeOf(nowMs);
  const message = encode(KrbError, {
    pvno: 5,
    msgType: 30,
    stime: time,
    susec: usec,
    errorCode,
    realm: server.realm,
    sname: server.name,
    ...(eText === undefined ? {} : { eText }),
  });
  return encodeKrb5ContextToken(TokenId.KRB_ERROR, message, mech);
}
