/**
 * Property tests (fast-check, ≥ 200 runs each) on both backends: round trips, tamper
 * detection, garbage input, wrong key sizes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decrypt,
  disableRc4Hmac,
  enableRc4Hmac,
  encrypt,
  getEnctype,
  IntegrityError,
  InvalidInputError,
  type Key,
  makeChecksum,
  prf,
  randomToKey,
  verifyChecksum,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers.js';

const RUNS = 200;
const ENCTYPES = [17, 18, 19, 20, 23];

const keyArb = (enctype: number): fc.Arbitrary<Key> =>
  fc
    .uint8Array({ minLength: getEnctype(enctype).keyLength, maxLength: getEnctype(enctype).keyLength })
    .map((bytes) => ({ enctype, bytes }));
const usageArb = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 0xffffffff }));
const dataArb = fc.uint8Array({ maxLength: 300 });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(BACKENDS)('properties on %s', (backend) => {
  useBackend(backend);
  beforeAll(() => enableRc4Hmac());
  afterAll(() => disableRc4Hmac());

  describe.each(ENCTYPES)('enctype %i', (enctype) => {
    const profile = getEnctype(enctype);

    it('decrypt(encrypt(x)) = x', () => {
      fc.assert(
        fc.property(keyArb(enctype), usageArb, dataArb, (key, usage, pt) => {
          const ct = encrypt(key, usage, pt);
          expect(ct.length).toBe(pt.length + profile.overhead);
          expect(decrypt(key, usage, ct)).toEqual(pt);
        }),
        { numRuns: RUNS },
      );
    });

    it('a flipped bit anywhere gives IntegrityError', () => {
      fc.assert(
        fc.property(keyArb(enctype), usageArb, dataArb, fc.nat(), (key, usage, pt, pos) => {
          const ct = encrypt(key, usage, pt);
          const bit = pos % (ct.length * 8);
          const bad = ct.slice();
          bad[bit >>> 3]! ^= 1 << (bit & 7);
          expect(thrown(() => decrypt(key, usage, bad))).toBeInstanceOf(IntegrityError);
        }),
        { numRuns: RUNS },
      );
    });

    it('wrong usage or wrong key gives IntegrityError', () => {
      fc.assert(
        fc.property(keyArb(enctype), keyArb(enctype), usageArb, dataArb, (k1, k2, usage, pt) => {
          const ct = encrypt(k1, usage, pt);
          // Not usage + 1: RC4-HMAC maps 3 to 8 and accepts 8 for 9 by design (see rfc4757 module).
          const other = (usage ^ 0x100) >>> 0;
          expect(thrown(() => decrypt(k1, other, ct))).toBeInstanceOf(IntegrityError);
          fc.pre(k1.bytes.some((b, i) => b !== k2.bytes[i]));
          expect(thrown(() => decrypt(k2, usage, ct))).toBeInstanceOf(IntegrityError);
        }),
        { numRuns: RUNS },
      );
    });

    it('random bytes as ciphertext: IntegrityError or InvalidInputError, nothing else', () => {
      fc.assert(
        fc.property(keyArb(enctype), usageArb, fc.uint8Array({ maxLength: 120 }), (key, usage, junk) => {
          const e = thrown(() => decrypt(key, usage, junk));
          if (junk.length < profile.overhead) expect(e).toBeInstanceOf(InvalidInputError);
          else expect(e).toBeInstanceOf(IntegrityError);
        }),
        { numRuns: RUNS },
      );
    });

    it('wrong key length gives InvalidInputError everywhere', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 64 }).filter((b) => b.length !== profile.keyLength),
          dataArb,
          (bytes, data) => {
            const key = { enctype, bytes };
            expect(thrown(() => encrypt(key, 1, data))).toBeInstanceOf(InvalidInputError);
            expect(thrown(() => decrypt(key, 1, new Uint8Array(64)))).toBeInstanceOf(InvalidInputError);
            expect(thrown(() => makeChecksum(key, 1, data))).toBeInstanceOf(InvalidInputError);
            expect(thrown(() => prf(key, data))).toBeInstanceOf(InvalidInputError);
            expect(thrown(() => randomToKey(enctype, bytes))).toBeInstanceOf(InvalidInputError);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('verifyChecksum is false after any flipped bit in data or checksum', () => {
      fc.assert(
        fc.property(
          keyArb(enctype),
          usageArb,
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
          fc.nat(),
          fc.boolean(),
          (key, usage, data, pos, inData) => {
            const c = makeChecksum(key, usage, data);
            expect(c.length).toBe(profile.checksumLength);
            expect(verifyChecksum(key, usage, data, c)).toBe(true);
            const target = inData ? data.slice() : c.slice();
            const bit = pos % (target.length * 8);
            target[bit >>> 3]! ^= 1 << (bit & 7);
            if (inData) expect(verifyChecksum(key, usage, target, c)).toBe(false);
            else expect(verifyChecksum(key, usage, data, target)).toBe(false);
            expect(verifyChecksum(key, usage, data, c.subarray(0, c.length - 1))).toBe(false);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
});
