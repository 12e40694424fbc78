/**
 * Small byte helpers used across krb5-crypto. They live here, in one copy, so the
 * Kerberos layer and the backends agree on semantics (and on constant-time comparison).
 */
import { InvalidInputError } from '../errors.js';
import { checkBytes } from './assert.js';

/**
 * Compares two byte arrays without an early exit, so the time taken does not reveal
 * where a MAC or tag first differs (checksum and AEAD tag checks, RFC 3961 §5.4).
 * Lengths are treated as public: different lengths return false at once.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  checkBytes('a', a);
  checkBytes('b', b);
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Concatenates byte arrays into one new array (inputs are not modified). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const [i, p] of parts.entries()) {
    checkBytes(`part ${i}`, p);
    length += p.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** XOR of two equal-length byte arrays into a new array. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  checkBytes('a', a);
  checkBytes('b', b);
  if (a.length !== b.length)
    throw new InvalidInputError(`xor of unequal lengths ${a.length} and ${b.length}`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex encoding. */
export function bytesToHex(bytes: Uint8Array): string {
  checkBytes('bytes', bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Strict hex decoding (either case, no whitespace or 0x prefix); anything else is InvalidInputError. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new InvalidInputError('hex must be a string');
  if (hex.length % 2 !== 0) throw new InvalidInputError(`hex length must be even, got ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new InvalidInputError(`invalid hex character near offset ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * UTF-8 encoding (passwords and principal names in string-to-key, RFC 3961 §5.3). Lone
 * surrogates become U+FFFD, as with TextEncoder.
 */
export function utf8Encode(text: string): Uint8Array {
  if (typeof text !== 'string') throw new InvalidInputError('text must be a string');
  return encoder.encode(text);
}
