/**
 * One Key object used for many messages in a row, as a KDC or a GSS context uses it: the
 * derived keys and the node backend's kept cipher contexts and HMAC pad states are warm
 * after the first message. Every ciphertext, checksum and plaintext must still equal what
 * the noble backend computes, for message lengths on both sides of every size threshold
 * (JS HMAC below 512 / 1024 bytes, one-off CBC contexts above 16 KiB).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  availableBackends,
  decrypt,
  encrypt,
  getEnctype,
  type Key,
  makeChecksum,
  randomToKey,
  setBackend,
  verifyChecksum,
} from '../src/index.js';
import { toHex } from './helpers.js';

const ENCTYPES = [17, 18, 19, 20];
/** HMAC input = plaintext + 16 (RFC 3962) or + 32 (RFC 8009); thresholds in node.ts. */
const LENGTHS = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.constantFrom(479, 480, 481, 495, 496, 497, 991, 992, 993, 1007, 1008, 1009, 1500),
  fc.integer({ min: 16 * 1024 - 64, max: 16 * 1024 + 64 }),
);

describe.runIf(availableBackends().length > 1)('warm keys: node equals noble message after message', () => {
  afterAll(() => setBackend('auto'));

  it.each(ENCTYPES)('enctype %i', (enctype) => {
    const p = getEnctype(enctype);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: p.keyLength, maxLength: p.keyLength }),
        fc.array(
          fc.record({
            usage: fc.constantFrom(1, 2, 3, 7, 11, 12, 1024),
            plaintext: LENGTHS.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
            confounder: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (keyBytes, messages) => {
          const key: Key = randomToKey(enctype, keyBytes);
          for (const { usage, plaintext, confounder } of messages) {
            setBackend('node');
            const a = encrypt(key, usage, plaintext, { confounder });
            const ca = makeChecksum(key, usage, plaintext);
            const pa = decrypt(key, usage, a);
            setBackend('noble');
            const b = encrypt(key, usage, plaintext, { confounder });
            const cb = makeChecksum(key, usage, plaintext);
            expect(toHex(b)).toBe(toHex(a));
            expect(toHex(cb)).toBe(toHex(ca));
            expect(toHex(pa)).toBe(toHex(plaintext));
            setBackend('node');
            expect(verifyChecksum(key, usage, plaintext, cb)).toBe(true);
            const flipped = a.slice();
            flipped[flipped.length - 1]! ^= 1;
            expect(() => decrypt(key, usage, flipped)).toThrow(/integrity/);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe.runIf(availableBackends().length > 1)('many keys in turn: node equals noble', () => {
  afterAll(() => setBackend('auto'));

  // More keys than the caches' ring of new keys, each used a random number of times, in a
  // random order: keys are evicted, come back and get promoted in every order.
  it.each(ENCTYPES)('enctype %i', (enctype) => {
    const p = getEnctype(enctype);
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: p.keyLength, maxLength: p.keyLength }), {
          minLength: 20,
          maxLength: 40,
        }),
        fc.array(fc.record({ which: fc.nat(), usage: fc.constantFrom(2, 3, 7, 9) }), {
          minLength: 50,
          maxLength: 150,
        }),
        (keyBytes, uses) => {
          const keys = keyBytes.map((b) => randomToKey(enctype, b));
          const plaintext = new Uint8Array(100).fill(7);
          const confounder = new Uint8Array(16).fill(1);
          for (const { which, usage } of uses) {
            const key = keys[which % keys.length]!;
            setBackend('node');
            const a = encrypt(key, usage, plaintext, { confounder });
            expect(toHex(decrypt(key, usage, a))).toBe(toHex(plaintext));
            setBackend('noble');
            expect(toHex(encrypt(key, usage, plaintext, { confounder }))).toBe(toHex(a));
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
