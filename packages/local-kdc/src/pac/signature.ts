/**
 * PAC_SIGNATURE_DATA ([MS-PAC] §2.8): SignatureType (a signed 32-bit checksum type),
 * Signature, and an optional 2-byte RODCIdentifier, and the checksum type per key.
 */
import type { Key } from '@postntlm/krb5-crypto';
import { Cksumtype, getCksumtype, isCksumtypeSupported } from '@postntlm/krb5-crypto';
import { LeReader, LeWriter } from './bytes.js';
import { check, PacError } from './errors.js';

export interface PacSignatureData {
  readonly signatureType: number;
  readonly signature: Uint8Array;
  readonly rodcIdentifier?: number | undefined;
}

/**
 * The checksum type a PAC signature made with `key` uses: [MS-PAC] §2.8 names
 * HMAC_SHA1_96_AES128 (15), HMAC_SHA1_96_AES256 (16) and KERB_CHECKSUM_HMAC_MD5 (-138);
 * for the RFC 8009 enctypes (19, 20), which [MS-PAC] does not cover, this is MIT's choice
 * (the enctype's mandatory checksum, krb5int_c_mandatory_cksumtype): hmac-sha256-128-aes128
 * (19) and hmac-sha384-192-aes256 (20).
 */
export function pacChecksumType(key: Key): number {
  switch (key.enctype) {
    case 17:
      return Cksumtype.HMAC_SHA1_96_AES128;
    case 18:
      return Cksumtype.HMAC_SHA1_96_AES256;
    case 19:
      return Cksumtype.HMAC_SHA256_128_AES128;
    case 20:
      return Cksumtype.HMAC_SHA384_192_AES256;
    case 23:
      return Cksumtype.HMAC_MD5_ARCFOUR;
    default:
      throw new PacError(`no PAC checksum type for enctype ${key.enctype}`);
  }
}

/** Checksum length of a type, or undefined when the type is not implemented here. */
export function checksumLength(type: number): number | undefined {
  return isCksumtypeSupported(type) ? getCksumtype(type).length : undefined;
}

export function encodeSignatureData(sig: PacSignatureData): Uint8Array {
  const w = new LeWriter().i32(sig.signatureType).bytes(sig.signature);
  if (sig.rodcIdentifier !== undefined) w.u16(sig.rodcIdentifier);
  return w.finish();
}

/** A zero-filled PAC_SIGNATURE_DATA for `key` (what is checksummed before signing). */
export function zeroSignatureData(key: Key): Uint8Array {
  const type = pacChecksumType(key);
  const length = checksumLength(type);
  if (length === undefined) throw new PacError(`checksum type ${type} is not implemented`);
  return encodeSignatureData({ signatureType: type, signature: new Uint8Array(length) });
}

export function decodeSignatureData(bytes: Uint8Array): PacSignatureData {
  const r = new LeReader(bytes, 0, 'PAC_SIGNATURE_DATA');
  const signatureType = r.i32();
  const known = checksumLength(signatureType);
  if (known === undefined) return { signatureType, signature: r.take(r.remaining) };
  check(
    r.remaining === known || r.remaining === known + 2,
    `PAC_SIGNATURE_DATA of ${bytes.length} bytes for checksum type ${signatureType}`,
  );
  const signature = r.take(known);
  return r.remaining === 2
    ? { signatureType, signature, rodcIdentifier: r.u16() }
    : { signatureType, signature };
}
