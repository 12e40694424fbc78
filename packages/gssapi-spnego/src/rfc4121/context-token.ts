/**
 * RFC 4121 §4.1 context-establishment tokens of the Kerberos mechanism: an RFC 2743
 * InitialContextToken whose inner token is a 2-byte token ID (big-endian) and a Kerberos
 * message. MIT frames them with the mechanism actually in use, so AP-REQs arrive under the
 * krb5 OID, Microsoft's krb5 OID (1.2.840.48018.1.2.2) or the IAKerb OID (1.3.6.1.5.2.5).
 */
import { Oid } from '@postntlm/der-asn1';
import { GssTokenError } from '../errors.js';
import { decodeGssToken, encodeGssToken } from '../rfc2743/framing.js';

/** Token IDs of RFC 4121 §4.1 and §4.2.6. */
export const TokenId = {
  AP_REQ: 0x0100,
  AP_REP: 0x0200,
  KRB_ERROR: 0x0300,
  MIC: 0x0404,
  WRAP: 0x0504,
} as const;
export type TokenId = (typeof TokenId)[keyof typeof TokenId];

const tokenIdNames = new Map<number, string>(Object.entries(TokenId).map(([name, id]) => [id, name]));

/** `AP_REQ` for 0x0100; `undefined` for an unknown ID. */
export const tokenIdName = (id: number): string | undefined => tokenIdNames.get(id);

/** Mechanism OIDs under which Kerberos context tokens are accepted. */
export const KRB5_MECHS: readonly string[] = [Oid.krb5, Oid.msKrb5, Oid.iakerb];

/** A decoded context token. */
export interface Krb5ContextToken {
  readonly mech: string;
  readonly tokenId: number;
  /** The Kerberos message (DER): AP-REQ, AP-REP or KRB-ERROR. A view into the input. */
  readonly message: Uint8Array;
}

/** Frames a Kerberos message as a context token of `mech` (default: the krb5 OID). */
export function encodeKrb5ContextToken(
  tokenId: number,
  message: Uint8Array,
  mech: string = Oid.krb5,
): Uint8Array {
  const inner = new Uint8Array(2 + message.length);
  inner[0] = tokenId >>> 8;
  inner[1] = tokenId & 0xff;
  inner.set(message, 2);
  return encodeGssToken(mech, inner);
}

/**
 * Decodes a context token. The mechanism must be one of `mechs` (default: krb5, MS krb5,
 * IAKerb) and the token ID one of AP-REQ, AP-REP, KRB-ERROR; `GssTokenError` otherwise.
 */
export function decodeKrb5ContextToken(
  bytes: Uint8Array,
  mechs: readonly string[] = KRB5_MECHS,
): Krb5ContextToken {
  const { mech, inner } = decodeGssToken(bytes);
  if (!mechs.includes(mech))
    throw new GssTokenError(`GSS token for mechanism ${mech}, expected one of ${mechs.join(', ')}`);
  if (inner.length < 2) throw new GssTokenError('krb5 context token: missing the token ID');
  const tokenId = (inner[0]! << 8) | inner[1]!;
  if (tokenId !== TokenId.AP_REQ && tokenId !== TokenId.AP_REP && tokenId !== TokenId.KRB_ERROR)
    throw new GssTokenError(
      `krb5 context token: unexpected token ID 0x${tokenId.toString(16).padStart(4, '0')}`,
    );
  return { mech, tokenId, message: inner.subarray(2) };
}
