/**
 * MD4 (RFC 1320). Broken as a hash; needed only because the RC4-HMAC enctype (RFC 4757)
 * derives its key as MD4(UTF-16LE(password)), the NT hash. OpenSSL 3 hides MD4 behind the
 * legacy provider and noble lacks it, so it lives here, small and self-contained.
 */
import { checkBytes } from './assert.js';

const rotl = (x: number, s: number): number => (x << s) | (x >>> (32 - s));

// Message word order of rounds 2 and 3 (RFC 1320 §3.4).
const R2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const R3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const S1 = [3, 7, 11, 19];
const S2 = [3, 5, 9, 13];
const S3 = [3, 9, 11, 15];

/** The 16-byte MD4 digest of `data`. */
export function md4(data: Uint8Array): Uint8Array {
  checkBytes('data', data);
  // Padding (RFC 1320 §3.1-3.2): 0x80, zeros to 56 mod 64, then the bit length as 64-bit LE.
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const dv = new DataView(padded.buffer);
  const bits = data.length * 8;
  dv.setUint32(padded.length - 8, bits >>> 0, true);
  dv.setUint32(padded.length - 4, Math.floor(bits / 2 ** 32), true);

  const h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const x = new Uint32Array(16);
  const v = new Uint32Array(4); // a, b, c, d
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = dv.getUint32(off + 4 * i, true);
    v.set(h);
    // Step i updates v[(4 - i) & 3]: the a, d, c, b rotation of RFC 1320 §3.4.
    for (let i = 0; i < 16; i++) {
      const j = (4 - i) & 3;
      const b = v[(j + 1) & 3]!;
      const c = v[(j + 2) & 3]!;
      const d = v[(j + 3) & 3]!;
      v[j] = rotl((v[j]! + ((b & c) | (~b & d)) + x[i]!) | 0, S1[i & 3]!);
    }
    for (let i = 0; i < 16; i++) {
      const j = (4 - i) & 3;
      const b = v[(j + 1) & 3]!;
      const c = v[(j + 2) & 3]!;
      const d = v[(j + 3) & 3]!;
      v[j] = rotl((v[j]! + ((b & c) | (b & d) | (c & d)) + x[R2[i]!]! + 0x5a827999) | 0, S2[i & 3]!);
    }
    for (let i = 0; i < 16; i++) {
      const j = (4 - i) & 3;
      const b = v[(j + 1) & 3]!;
      const c = v[(j + 2) & 3]!;
      const d = v[(j + 3) & 3]!;
      v[j] = rotl((v[j]! + (b ^ c ^ d) + x[R3[i]!]! + 0x6ed9eba1) | 0, S3[i & 3]!);
    }
    for (let i = 0; i < 4; i++) h[i] = h[i]! + v[i]!;
  }
  padded.fill(0);
  x.fill(0);
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) ov.setUint32(4 * i, h[i]!, true);
  return out;
}
