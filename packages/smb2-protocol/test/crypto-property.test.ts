import { setBackend } from '@postntlm/krb5-crypto/primitives';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CipherId, cipherKeyLength } from '../src/crypto/constants.js';
import { SmbCryptoError } from '../src/crypto/errors.js';
import { computeSignature, signMessage, verifySignature } from '../src/crypto/signing.js';
import { decodeTransform, decryptMessage, encryptMessage } from '../src/crypto/transform.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { BACKENDS } from './vectors/load.js';

afterAll(() => setBackend('auto'));

const cipherArb = fc.constantFrom<CipherId>(
  CipherId.AES_128_CCM,
  CipherId.AES_128_GCM,
  CipherId.AES_256_CCM,
  CipherId.AES_256_GCM,
);

/** A message, the cuts splitting it into parts, a cipher and a key of the right length. */
const caseArb = fc
  .record({
    cipher: cipherArb,
    message: fc.uint8Array({ maxLength: 3000 }),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    sessionId: fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
    key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map((c) => {
    const offsets = [...new Set(c.cuts.map((x) => x % (c.message.length + 1)))].sort((a, b) => a - b);
    const parts: Uint8Array[] = [];
    let prev = 0;
    for (const o of [...offsets, c.message.length]) {
      parts.push(c.message.subarray(prev, o));
      prev = o;
    }
    return { ...c, parts, key: c.key.subarray(0, cipherKeyLength(c.cipher)) };
  });

const RUNS = { node: 2000, noble: 300 } as const;

describe.each(BACKENDS)('encryption properties on the %s backend', (name) => {
  it('decryptMessage(encryptMessage(x)) = x, whole or in parts', () => {
    setBackend(name);
    fc.assert(
      fc.property(caseArb, (c) => {
        const frame = encryptMessage({
          cipher: c.cipher,
          key: c.key,
          sessionId: c.sessionId,
          message: c.parts,
        });
        expect(frame.length).toBe(52 + c.message.length);
        expect(decodeTransform(frame).header.sessionId).toBe(c.sessionId);
        expect(decryptMessage(frame, c.key, c.cipher)).toEqual(c.message);
      }),
      { numRuns: RUNS[name] },
    );
  });

  it('a flipped bit anywhere in the frame is refused', () => {
    setBackend(name);
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (c, at, bit) => {
        const frame = encryptMessage({
          cipher: c.cipher,
          key: c.key,
          sessionId: c.sessionId,
          message: c.message,
        });
        const i = at % frame.length;
        frame[i]! ^= 1 << bit;
        let error: unknown;
        try {
          decryptMessage(frame, c.key, c.cipher);
        } catch (e) {
          error = e;
        }
        // Header fields checked structurally fail as decode errors; everything else fails the tag.
        expect(error instanceof SmbCryptoError || error instanceof SmbDecodeError).toBe(true);
        if (i >= 4 && !(i >= 36 && i < 40) && !(i >= 42 && i < 44)) {
          expect((error as SmbCryptoError).kind).toBe('integrity');
        }
      }),
      { numRuns: RUNS[name] },
    );
  });

  it('signatures verify, and a flipped bit outside the signature field is refused', () => {
    setBackend(name);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 2000 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.constantFrom(0, 1, 2),
        fc.nat(),
        (m, key, alg, at) => {
          const msg = m.slice();
          signMessage([msg.subarray(0, 64), msg.subarray(64)], key, alg as 0 | 1 | 2);
          expect(verifySignature(msg, key, alg as 0 | 1 | 2)).toBe(true);
          expect(computeSignature(msg, key, alg as 0 | 1 | 2)).toEqual(msg.slice(48, 64));
          const i = at % msg.length;
          if (i >= 48 && i < 64) return;
          msg[i]! ^= 0x10;
          expect(verifySignature(msg, key, alg as 0 | 1 | 2)).toBe(false);
        },
      ),
      { numRuns: RUNS[name] },
    );
  });
});

describe('decodeTransform / decryptMessage on hostile bytes', () => {
  const key = new Uint8Array(16).fill(3);
  const seed = encryptMessage({
    cipher: CipherId.AES_128_GCM,
    key,
    sessionId: 5n,
    message: new Uint8Array(80),
  });

  const typedOnly = (frame: Uint8Array, cipher: CipherId) => {
    for (const fn of [() => decodeTransform(frame), () => decryptMessage(frame, key, cipher)]) {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof SmbDecodeError || e instanceof SmbCryptoError)) throw e;
      }
    }
  };

  it('random bytes (10 000 cases, half with a transform ProtocolId)', () => {
    setBackend('auto');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), cipherArb, (bytes, prefix, cipher) => {
        const frame = bytes.slice();
        if (prefix && frame.length >= 4) frame.set([0xfd, 0x53, 0x4d, 0x42]);
        typedOnly(frame, cipher);
      }),
      { numRuns: 10_000 },
    );
  });

  it('mutations of a valid frame (10 000 cases): bytes changed, cut, appended', () => {
    setBackend('auto');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat({ max: seed.length }),
        fc.uint8Array({ maxLength: 8 }),
        (edits, cut, extra) => {
          const frame = new Uint8Array(cut + extra.length);
          frame.set(seed.subarray(0, cut));
          frame.set(extra, cut);
          for (const [at, v] of edits) if (frame.length > 0) frame[at % frame.length] = v;
          typedOnly(frame, CipherId.AES_128_GCM);
          const unchanged = frame.length === seed.length && frame.every((x, i) => x === seed[i]);
          if (!unchanged) expect(() => decryptMessage(frame, key, CipherId.AES_128_GCM)).toThrow();
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
