/**
 * RFC 2743 §3.1 mechanism-independent token framing:
 *
 *     InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE {
 *         thisMech MechType,                      -- OBJECT IDENTIFIER
 *         innerContextToken ANY DEFINED BY thisMech }
 *
 * On the wire: `60 <length> 06 <oid-length> <oid> <inner token>`, the inner token being
 * mechanism bytes that are not themselves DER (for krb5: a 2-byte token ID and a Kerberos
 * message, RFC 4121 §4.1). Lengths use the DER definite forms, long form from 128 up.
 */
import { DecodeError, decodeOidContent, encodeOidContent, readHeader } from '@postntlm/der-asn1';
import { GssTokenError } from '../errors.js';

/** Largest token accepted by the decoders (1 MiB; MIT caps at the same order of magnitude). */
export const MAX_TOKEN_LENGTH = 1 << 20;

/** A decoded InitialContextToken. */
export interface GssFramedToken {
  /** The mechanism OID, dotted (`1.2.840.113554.1.2.2`). */
  readonly mech: string;
  /** The innerContextToken: a view into the input. */
  readonly inner: Uint8Array;
}

const lengthOctets = (n: number): number[] => {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
};

/** Frames `inner` as an InitialContextToken of mechanism `mech`. */
export function encodeGssToken(mech: string, inner: Uint8Array): Uint8Array {
  const oid = encodeOidContent(mech);
  const oidLen = lengthOctets(oid.length);
  const contentLength = 1 + oidLen.length + oid.length + inner.length;
  const outerLen = lengthOctets(contentLength);
  const out = new Uint8Array(1 + outerLen.length + contentLength);
  let pos = 0;
  out[pos++] = 0x60;
  out.set(outerLen, pos);
  pos += outerLen.length;
  out[pos++] = 0x06;
  out.set(oidLen, pos);
  pos += oidLen.length;
  out.set(oid, pos);
  pos += oid.length;
  out.set(inner, pos);
  return out;
}

/** A framed token at the start of some bytes, and how many bytes it took. */
export interface GssFramedPrefix extends GssFramedToken {
  /** Length of the framed token in bytes. */
  readonly length: number;
  /** The bytes after it (a view; empty when the token filled the input). */
  readonly trailing: Uint8Array;
}

/**
 * Decodes the InitialContextToken at the start of `bytes`; what follows it is reported in
 * `trailing`. `GssTokenError` for anything that is not `60 len 06 len oid ...` in DER form.
 */
export function decodeGssTokenPrefix(bytes: Uint8Array): GssFramedPrefix {
  if (bytes.length > MAX_TOKEN_LENGTH + 16)
    throw new GssTokenError(`token of ${bytes.length} bytes exceeds ${MAX_TOKEN_LENGTH}`);
  try {
    const outer = readHeader(bytes, 0, bytes.length);
    if (bytes[0] !== 0x60)
      throw new GssTokenError(`not a GSS InitialContextToken: first byte 0x${hex(bytes[0])}`);
    const oidHeader = readHeader(bytes, outer.contentStart, outer.end);
    if (bytes[outer.contentStart] !== 0x06)
      throw new GssTokenError(
        `GSS token: expected the mechanism OID (0x06), got 0x${hex(bytes[outer.contentStart])}`,
      );
    if (oidHeader.end === oidHeader.contentStart) throw new GssTokenError('GSS token: empty mechanism OID');
    const mech = decodeOidContent(bytes, oidHeader.contentStart, oidHeader.end);
    return {
      mech,
      inner: bytes.subarray(oidHeader.end, outer.end),
      length: outer.end,
      trailing: bytes.subarray(outer.end),
    };
  } catch (error) {
    if (error instanceof DecodeError)
      throw new GssTokenError(`malformed GSS token framing: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Decodes an InitialContextToken that must fill `bytes` exactly (MIT's g_verify_token_header). */
export function decodeGssToken(bytes: Uint8Array): GssFramedToken {
  const token = decodeGssTokenPrefix(bytes);
  if (token.trailing.length !== 0)
    throw new GssTokenError(`GSS token: ${token.trailing.length} trailing bytes after the framed token`);
  return { mech: token.mech, inner: token.inner };
}

const hex = (b: number | undefined): string => (b ?? 0).toString(16).padStart(2, '0');
