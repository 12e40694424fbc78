/** node:crypto and noble must give identical bytes for every input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesCcmSealGeneric,
  aesCmacGeneric,
  availableBackends,
  type CryptoBackend,
  getBackendByName,
  type HashAlgorithm,
} from '../../src/primitives/index.js';
import * as arb from './arbitraries.js';
import { hex } from './helpers.js';

const RUNS = { numRuns: 200 };
const hasNode = availableBackends().includes('node');

describe.skipIf(!hasNode)('node vs noble: identical output', () => {
  const node = hasNode ? getBackendByName('node') : (undefined as unknown as CryptoBackend);
  const noble = getBackendByName('noble');

  function same<A extends unknown[]>(f: (b: CryptoBackend, ...args: A) => unknown) {
    return (...args: A) => {
      const a = f(node, ...args);
      const b = f(noble, ...args);
      expect(JSON.stringify(a, hexReplacer)).toBe(JSON.stringify(b, hexReplacer));
    };
  }

  it('ECB encrypt/decrypt', () => {
    fc.assert(
      fc.property(
        arb.aesKey,
        arb.blocks,
        same((b, k: Uint8Array, d: Uint8Array) => [b.aesEcbEncrypt(k, d), b.aesEcbDecrypt(k, d)]),
      ),
      RUNS,
    );
  });

  it('CBC encrypt/decrypt', () => {
    fc.assert(
      fc.property(
        arb.aesKey,
        arb.block16,
        arb.blocks,
        same((b, k: Uint8Array, iv: Uint8Array, d: Uint8Array) => [
          b.aesCbcEncrypt(k, iv, d),
          b.aesCbcDecrypt(k, iv, d),
        ]),
      ),
      RUNS,
    );
  });

  it('CTR, including counters that wrap past 2^128', () => {
    fc.assert(
      fc.property(
        arb.aesKey,
        arb.counter,
        arb.data,
        same((b, k: Uint8Array, c: Uint8Array, d: Uint8Array) => b.aesCtr(k, c, d)),
      ),
      RUNS,
    );
  });

  it('GCM seal', () => {
    fc.assert(
      fc.property(
        arb.aesKey,
        arb.gcmNonce,
        arb.data,
        arb.aad,
        same((b, k: Uint8Array, n: Uint8Array, p: Uint8Array, a: Uint8Array) => b.aesGcmSeal(k, n, p, a)),
      ),
      RUNS,
    );
  });

  it('CCM seal (native node vs generic over noble), all nonce lengths', () => {
    fc.assert(
      fc.property(arb.aesKey, arb.ccmNonce, arb.data, arb.aad, (k, n, p, a) => {
        fc.pre(n.length < 13 || p.length < 65536);
        const x = node.aesCcmSeal(k, n, p, a);
        const y = noble.aesCcmSeal(k, n, p, a);
        const z = aesCcmSealGeneric(node, k, n, p, a);
        expect([hex(x.ciphertext), hex(x.tag)]).toEqual([hex(y.ciphertext), hex(y.tag)]);
        expect([hex(z.ciphertext), hex(z.tag)]).toEqual([hex(y.ciphertext), hex(y.tag)]);
      }),
      RUNS,
    );
  });

  it('CMAC (node, noble native, generic over either)', () => {
    fc.assert(
      fc.property(arb.aesKey, arb.data, (k, d) => {
        const want = hex(noble.aesCmac(k, d));
        expect(hex(node.aesCmac(k, d))).toBe(want);
        expect(hex(aesCmacGeneric(node, k, d))).toBe(want);
        expect(hex(aesCmacGeneric(noble, k, d))).toBe(want);
      }),
      RUNS,
    );
  });

  it('hash and HMAC', () => {
    fc.assert(
      fc.property(
        arb.hashAlgorithm,
        fc.uint8Array({ maxLength: 300 }),
        arb.data,
        same((b, h: HashAlgorithm, k: Uint8Array, d: Uint8Array) => [b.hash(h, d), b.hmac(h, k, d)]),
      ),
      RUNS,
    );
  });

  it('PBKDF2 (small iteration counts)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arb.hashAlgorithm,
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 200 }),
        async (h, pw, salt, iter, len) => {
          const [a, b] = await Promise.all([
            node.pbkdf2(h, pw, salt, iter, len),
            noble.pbkdf2(h, pw, salt, iter, len),
          ]);
          expect(hex(a)).toBe(hex(b));
        },
      ),
      RUNS,
    );
  });
});

function hexReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? hex(value) : value;
}
