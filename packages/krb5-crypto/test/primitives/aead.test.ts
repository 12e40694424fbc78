/** AEAD behaviour on every backend: seal→open round trips, and any alteration is an IntegrityError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesCcmOpenGeneric,
  aesCcmSealGeneric,
  availableBackends,
  getBackend,
  IntegrityError,
} from '../../src/primitives/index.js';
import * as arb from './arbitraries.js';
import { hex, useBackend } from './helpers.js';

const RUNS = { numRuns: 200 };

type Which = 'gcm' | 'ccm';
const nonceFor = (which: Which) => (which === 'gcm' ? arb.gcmNonce : arb.ccmNonce);

function seal(which: Which, k: Uint8Array, n: Uint8Array, p: Uint8Array, a: Uint8Array) {
  const b = getBackend();
  return which === 'gcm' ? b.aesGcmSeal(k, n, p, a) : b.aesCcmSeal(k, n, p, a);
}

function open(which: Which, k: Uint8Array, n: Uint8Array, c: Uint8Array, t: Uint8Array, a: Uint8Array) {
  const b = getBackend();
  return which === 'gcm' ? b.aesGcmOpen(k, n, c, t, a) : b.aesCcmOpen(k, n, c, t, a);
}

/** Copy of `x` with bit `bit` (mod its length in bits) flipped. */
function flip(x: Uint8Array, bit: number): Uint8Array {
  const y = x.slice();
  const i = bit % (8 * x.length);
  y[i >> 3]! ^= 1 << (i & 7);
  return y;
}

/** Runs `f` and returns what it threw (or a marker if it did not). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return 'did not throw';
}

// 13-byte CCM nonces cap the payload at 64 KiB - 1: keep payloads below that here.
const payload = arb.data.filter((d) => d.length < 65536);

describe.each(availableBackends())('%s backend: AEAD', (name) => {
  useBackend(name);

  describe.each(['gcm', 'ccm'] as const)('%s', (which) => {
    it('open(seal(p)) === p, inputs untouched', () => {
      fc.assert(
        fc.property(arb.aesKey, nonceFor(which), payload, arb.aad, (k, n, p, a) => {
          const before = hex(p);
          const { ciphertext, tag } = seal(which, k, n, p, a);
          expect(ciphertext.length).toBe(p.length);
          expect(tag.length).toBe(16);
          expect(hex(p)).toBe(before);
          expect(hex(open(which, k, n, ciphertext, tag, a))).toBe(before);
        }),
        RUNS,
      );
    });

    it('a flipped bit in ciphertext, tag, aad or nonce gives IntegrityError and nothing else', () => {
      fc.assert(
        fc.property(
          arb.aesKey,
          nonceFor(which),
          payload,
          arb.aad,
          fc.constantFrom('ciphertext', 'tag', 'aad', 'nonce'),
          fc.nat(),
          (k, n, p, a, where, bit) => {
            fc.pre(where !== 'ciphertext' || p.length > 0);
            fc.pre(where !== 'aad' || a.length > 0);
            const { ciphertext: c, tag: t } = seal(which, k, n, p, a);
            const args: Record<'c' | 't' | 'a' | 'n', Uint8Array> = { c, t, a, n };
            if (where === 'ciphertext') args.c = flip(c, bit);
            if (where === 'tag') args.t = flip(t, bit);
            if (where === 'aad') args.a = flip(a, bit);
            if (where === 'nonce') args.n = flip(n, bit);
            const err = thrown(() => open(which, k, args.n, args.c, args.t, args.a));
            expect(err).toBeInstanceOf(IntegrityError);
          },
        ),
        RUNS,
      );
    });

    it('a wrong key gives IntegrityError, also for an empty payload', () => {
      fc.assert(
        fc.property(
          arb.aesKey,
          nonceFor(which),
          fc.uint8Array({ maxLength: 40 }),
          arb.aad,
          fc.nat(),
          (k, n, p, a, bit) => {
            const { ciphertext, tag } = seal(which, k, n, p, a);
            expect(thrown(() => open(which, flip(k, bit), n, ciphertext, tag, a))).toBeInstanceOf(
              IntegrityError,
            );
          },
        ),
        RUNS,
      );
    });
  });

  // OpenSSL skips the CCM tag check when the payload is empty, and trips over empty views of
  // non-empty buffers; the node backend must do neither.
  it.each([
    ['gcm', 12],
    ['ccm', 11],
    ['ccm', 7],
    ['ccm', 13],
  ] as const)('%s with an empty payload (%i-byte nonce) rejects a forged tag', (which, nonceLength) => {
    const key = new Uint8Array(32).fill(7);
    const nonce = new Uint8Array(nonceLength).fill(1);
    const emptyView = new Uint8Array(40).subarray(20, 20);
    for (const aad of [new Uint8Array(0), new Uint8Array(64).fill(2), new Uint8Array(9).subarray(3, 3)]) {
      for (const empty of [new Uint8Array(0), emptyView]) {
        const { ciphertext, tag } = seal(which, key, nonce, empty, aad);
        expect(ciphertext.length).toBe(0);
        expect(open(which, key, nonce, ciphertext, tag, aad).length).toBe(0);
        expect(open(which, key, nonce, emptyView, tag, aad).length).toBe(0);
        expect(thrown(() => open(which, key, nonce, ciphertext, new Uint8Array(16), aad))).toBeInstanceOf(
          IntegrityError,
        );
        expect(thrown(() => open(which, key, nonce, ciphertext, tag, new Uint8Array(1)))).toBeInstanceOf(
          IntegrityError,
        );
      }
    }
  });

  it('generic CCM with short tags: round trip and tamper detection', () => {
    fc.assert(
      fc.property(
        arb.aesKey,
        arb.ccmNonce,
        fc.uint8Array({ maxLength: 100 }),
        arb.aad,
        fc.constantFrom(4, 6, 8, 10, 12, 14, 16),
        fc.nat(),
        (k, n, p, a, tagLength, bit) => {
          const b = getBackend();
          const { ciphertext, tag } = aesCcmSealGeneric(b, k, n, p, a, tagLength);
          expect(tag.length).toBe(tagLength);
          expect(hex(aesCcmOpenGeneric(b, k, n, ciphertext, tag, a))).toBe(hex(p));
          expect(thrown(() => aesCcmOpenGeneric(b, k, n, ciphertext, flip(tag, bit), a))).toBeInstanceOf(
            IntegrityError,
          );
        },
      ),
      RUNS,
    );
  });
});
