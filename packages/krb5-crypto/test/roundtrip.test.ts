/**
 * Sliding-window tests: every plaintext length 0..80 for every enctype (covers the AES-CTS
 * edge cases: total lengths 16, 17, 31, 32, 48... after the 16-byte confounder), checked
 * against an independent textbook CBC-CS3, and node vs noble byte-for-byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aesCtsDecrypt,
  aesCtsEncrypt,
  availableBackends,
  decrypt,
  disableRc4Hmac,
  enableRc4Hmac,
  encrypt,
  getBackend,
  getEnctype,
  type Key,
  makeChecksum,
  prf,
  setBackend,
} from '../src/index.js';
import { BACKENDS, toHex, useBackend } from './helpers.js';

const ENCTYPES = [17, 18, 19, 20, 23];
const LENGTHS = Array.from({ length: 81 }, (_, i) => i);

/** Deterministic bytes. */
function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function keyFor(enctype: number): Key {
  // A plain object (randomToKey would refuse RC4 while tests are being collected).
  return { enctype, bytes: pattern(getEnctype(enctype).keyLength, enctype) };
}

/** CBC-CS3 straight from RFC 3962 §6 / NIST SP 800-38A addendum, one block at a time with ECB. */
function referenceCts(key: Uint8Array, input: Uint8Array): Uint8Array {
  const b = getBackend();
  const n = Math.ceil(input.length / 16);
  const blocks: Uint8Array[] = [];
  let prev: Uint8Array = new Uint8Array(16);
  for (let i = 0; i < n; i++) {
    const p = new Uint8Array(16);
    p.set(input.subarray(i * 16, i * 16 + 16));
    const x = p.map((v, j) => v ^ prev[j]!);
    prev = b.aesEcbEncrypt(key, x);
    blocks.push(prev);
  }
  if (n === 1) return blocks[0]!;
  const r = input.length - (n - 1) * 16;
  const last = blocks[n - 1]!;
  const secondLast = blocks[n - 2]!;
  return new Uint8Array([
    ...blocks.slice(0, n - 2).flatMap((x) => [...x]),
    ...last,
    ...secondLast.subarray(0, r),
  ]);
}

describe.each(BACKENDS)('sliding window on %s', (backend) => {
  useBackend(backend);
  beforeAll(() => enableRc4Hmac());
  afterAll(() => disableRc4Hmac());

  describe.each(ENCTYPES)('enctype %i', (enctype) => {
    const key = keyFor(enctype);
    const profile = getEnctype(enctype);

    it('encrypt → decrypt for every length 0..80', () => {
      for (const len of LENGTHS) {
        const pt = pattern(len, len + 1);
        const ct = encrypt(key, 3, pt);
        expect(ct.length).toBe(len + profile.overhead);
        expect(toHex(decrypt(key, 3, ct))).toBe(toHex(pt));
      }
    });

    it('fixed confounder gives a deterministic ciphertext', () => {
      const confounder = pattern(profile.confounderLength, 99);
      const a = encrypt(key, 5, pattern(33, 1), { confounder });
      const b = encrypt(key, 5, pattern(33, 1), { confounder });
      expect(toHex(a)).toBe(toHex(b));
      expect(toHex(encrypt(key, 5, pattern(33, 1)))).not.toBe(toHex(a));
    });
  });

  it('AES-CTS matches a textbook CBC-CS3 for input lengths 16..120 (both key sizes)', () => {
    for (const keyLen of [16, 32]) {
      const k = pattern(keyLen, keyLen);
      for (let len = 16; len <= 120; len++) {
        const input = pattern(len, len);
        const out = aesCtsEncrypt(k, input);
        expect(toHex(out)).toBe(toHex(referenceCts(k, input)));
        expect(toHex(aesCtsDecrypt(k, out))).toBe(toHex(input));
      }
    }
  });
});

describe.runIf(availableBackends().length > 1)('node and noble agree', () => {
  beforeAll(() => enableRc4Hmac());
  afterAll(() => {
    disableRc4Hmac();
    setBackend('auto');
  });

  it.each(ENCTYPES)('enctype %i: same ciphertext, checksum and PRF for lengths 0..80', (enctype) => {
    const key = keyFor(enctype);
    const confounder = pattern(getEnctype(enctype).confounderLength, 7);
    for (const len of LENGTHS) {
      const pt = pattern(len, 1000 + len);
      setBackend('node');
      const a = encrypt(key, 11, pt, { confounder });
      const ca = makeChecksum(key, 11, pt);
      const pa = prf(key, pt);
      setBackend('noble');
      const b = encrypt(key, 11, pt, { confounder });
      const cb = makeChecksum(key, 11, pt);
      const pb = prf(key, pt);
      expect(toHex(b)).toBe(toHex(a));
      expect(toHex(cb)).toBe(toHex(ca));
      expect(toHex(pb)).toBe(toHex(pa));
      expect(toHex(decrypt(key, 11, a))).toBe(toHex(pt));
      setBackend('node');
      expect(toHex(decrypt(key, 11, b))).toBe(toHex(pt));
    }
  });
});
