/** Test helpers: hex, vector files, GSS/IAKerb token splitting. */
import { readFileSync } from 'node:fs';
import { decodePrefix, readHeader } from '@postntlm/der-asn1';
import { IakerbHeader } from '../src/iakerb/header.js';
import mitReference from './vectors/mit-reference-encode.json' with { type: 'json' };

export const hex = (text: string): Uint8Array => {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${text.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
};
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export interface MitVector {
  /** `encode_krb5_<structure>[(variant)]`, exactly as in reference_encode.out. */
  readonly name: string;
  /** `<structure>` without prefix and variant. */
  readonly structure: string;
  readonly der: Uint8Array;
}

/** The 78 lines of MIT's reference_encode.out. */
export const mitVectors: readonly MitVector[] = mitReference.vectors.map((v) => ({
  name: v.name,
  structure: v.name.replace(/^encode_krb5_/, '').replace(/\s*\(.*\)$/, ''),
  der: hex(v.der_hex),
}));

/** The DER of one MIT vector by its full name. */
export function mitVector(name: string): Uint8Array {
  const found = mitVectors.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no MIT vector ${name}`);
  return found.der;
}

/** Reads a one-line hex file from test/vectors. */
export const readHexVector = (path: string): Uint8Array =>
  hex(readFileSync(new URL(`./vectors/${path}`, import.meta.url), 'utf8'));

export interface SplitToken {
  /** The mech OID's content octets when the token had the RFC 2743 §3.1 framing. */
  readonly oid: Uint8Array | undefined;
  readonly tokId: number;
  /** What follows TOK_ID. */
  readonly body: Uint8Array;
}

/** Splits a GSS token: optional `60 len 06 len OID` framing, then a 2-byte TOK_ID. */
export function splitToken(token: Uint8Array): SplitToken {
  let oid: Uint8Array | undefined;
  let pos = 0;
  let end = token.length;
  if (token[0] === 0x60) {
    const outer = readHeader(token, 0, token.length);
    end = outer.end;
    const oidHeader = readHeader(token, outer.contentStart, end);
    oid = token.subarray(oidHeader.contentStart, oidHeader.end);
    pos = oidHeader.end;
  }
  const tokId = ((token[pos] ?? 0) << 8) | (token[pos + 1] ?? 0);
  return { oid, tokId, body: token.subarray(pos + 2, end) };
}

/** An IAKERB_PROXY token body (draft-ietf-kitten-iakerb §3.1): IAKERB-HEADER, then the Kerberos message. */
export function splitIakerbProxy(body: Uint8Array): {
  header: IakerbHeader;
  headerDer: Uint8Array;
  message: Uint8Array;
} {
  const { value, length } = decodePrefix(IakerbHeader, body);
  return { header: value, headerDer: body.subarray(0, length), message: body.subarray(length) };
}
