/**
 * The node backend's per-key cache (kept ECB/CBC contexts whose IV is applied by whitening
 * the first block, HMAC pad states with short HMACs in JS) must be invisible: every call
 * gives what a fresh node:crypto call gives, whatever came before it on the same key array,
 * and also after the caller has changed the array's bytes. The references here are
 * node:crypto objects made fresh for every call, never the backend under test.
 */
import * as nodeCrypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacPads, hmacWithPads, type JsHmacAlgorithm } from '../../src/primitives/hmac-js.js';
import {
  availableBackends,
  type CryptoBackend,
  getBackendByName,
  type HashAlgorithm,
} from '../../src/primitives/index.js';
import { JS_HMAC_MAX } from '../../src/primitives/node.js';
import * as arb from './arbitraries.js';
import { hex } from './helpers.js';

const hasNode = availableBackends().includes('node');
const JS_ALGORITHMS: JsHmacAlgorithm[] = ['sha1', 'sha256'];

function refHmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): string {
  return nodeCrypto.createHmac(algorithm, key).update(data).digest('hex');
}

function refCipher(mode: 'ecb' | 'cbc', decrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array) {
  const name = `aes-${key.length * 8}-${mode}`;
  const c = decrypt
    ? nodeCrypto.createDecipheriv(name, key, mode === 'ecb' ? null : iv)
    : nodeCrypto.createCipheriv(name, key, mode === 'ecb' ? null : iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]).toString('hex');
}

describe.skipIf(!hasNode)('JS HMAC from pad states (hmac-js.ts)', () => {
  it.each(JS_ALGORITHMS)(
    '%s: every message length up to two blocks and a bit, several key lengths',
    (alg) => {
      const block = 64;
      for (const keyLength of [0, 1, 16, 20, 24, 32, 48, block - 1, block, block + 1, 3 * block]) {
        const key = nodeCrypto.randomBytes(keyLength);
        const pads = hmacPads(alg, key);
        for (let n = 0; n <= 2 * block + 20; n++) {
          const data = nodeCrypto.randomBytes(n);
          expect(hex(hmacWithPads(pads, data)), `key ${keyLength}, data ${n}`).toBe(refHmac(alg, key, data));
        }
      }
    },
  );

  it('random keys and messages (views at offsets, up to 70 kB)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...JS_ALGORITHMS),
        fc.uint8Array({ maxLength: 300 }),
        arb.data,
        (alg, key, data) => {
          expect(hex(hmacWithPads(hmacPads(alg, key), data))).toBe(refHmac(alg, key, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pads are reusable: one key, many messages in a row', () => {
    for (const alg of JS_ALGORITHMS) {
      const key = nodeCrypto.randomBytes(32);
      const pads = hmacPads(alg, key);
      for (let i = 0; i < 50; i++) {
        const data = nodeCrypto.randomBytes((i * 37) % 400);
        expect(hex(hmacWithPads(pads, data))).toBe(refHmac(alg, key, data));
      }
    }
  });
});

type Op =
  | { kind: 'ecb'; decrypt: boolean; data: Uint8Array }
  | { kind: 'cbc'; decrypt: boolean; iv: Uint8Array; data: Uint8Array }
  | { kind: 'hmac'; algorithm: HashAlgorithm; data: Uint8Array }
  | { kind: 'mutate'; index: number; value: number };

/** Short messages (the kept-context and JS-HMAC paths) mostly, long ones sometimes. */
const opData = arb.bytesOfLength(
  fc.oneof(
    { arbitrary: fc.constantFrom(0, 16, 32, 80, 176, 496, 512, 528, 1008, 1024, 1040), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => 16 * n), weight: 3 },
    { arbitrary: fc.integer({ min: 1000, max: 1400 }).map((n) => 16 * n), weight: 1 }, // around 16 KiB
    { arbitrary: fc.integer({ min: 0, max: 4500 }).map((n) => 16 * n), weight: 1 },
  ),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('ecb' as const), decrypt: fc.boolean(), data: opData }),
  {
    arbitrary: fc.record({
      kind: fc.constant('cbc' as const),
      decrypt: fc.boolean(),
      iv: arb.block16,
      data: opData,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('hmac' as const), algorithm: arb.hashAlgorithm, data: opData }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('mutate' as const),
    index: fc.nat({ max: 31 }),
    value: fc.integer({ min: 0, max: 255 }),
  }),
);

/** Runs `ops` on one key array through `backend`, checking every result against node:crypto made fresh. */
function check(backend: CryptoBackend, key: Uint8Array, ops: Op[]): void {
  for (const o of ops) {
    const before = o.kind === 'mutate' ? '' : hex(o.data);
    const keyBefore = hex(key);
    if (o.kind === 'mutate') {
      key[o.index % key.length] = o.value;
    } else if (o.kind === 'ecb') {
      const got = o.decrypt ? backend.aesEcbDecrypt(key, o.data) : backend.aesEcbEncrypt(key, o.data);
      expect(hex(got)).toBe(refCipher('ecb', o.decrypt, key, new Uint8Array(16), o.data));
    } else if (o.kind === 'cbc') {
      const ivBefore = hex(o.iv);
      const got = o.decrypt
        ? backend.aesCbcDecrypt(key, o.iv, o.data)
        : backend.aesCbcEncrypt(key, o.iv, o.data);
      expect(hex(got)).toBe(refCipher('cbc', o.decrypt, key, o.iv, o.data));
      expect(hex(o.iv)).toBe(ivBefore);
    } else {
      expect(hex(backend.hmac(o.algorithm, key, o.data))).toBe(refHmac(o.algorithm, key, o.data));
    }
    if (o.kind !== 'mutate') {
      expect(hex(o.data)).toBe(before); // inputs are never modified
      expect(hex(key)).toBe(keyBefore);
    }
  }
}

describe.skipIf(!hasNode)('node backend: cached per-key state is invisible', () => {
  const node = hasNode ? getBackendByName('node') : (undefined as unknown as CryptoBackend);

  it('any sequence of ECB / CBC / HMAC calls on one key array, with its bytes changed in between', () => {
    fc.assert(
      fc.property(arb.aesKey, fc.array(op, { minLength: 1, maxLength: 25 }), (key, ops) =>
        check(node, key, ops),
      ),
      { numRuns: 150 },
    );
  });

  it('the same, with a Buffer as the key (Buffer#slice is a view, not a copy)', () => {
    fc.assert(
      fc.property(arb.aesKey, fc.array(op, { minLength: 1, maxLength: 15 }), (key, ops) =>
        check(node, Buffer.from(key), ops),
      ),
      { numRuns: 50 },
    );
  });

  it('a key changed and changed back, and two arrays with the same bytes', () => {
    const key = nodeCrypto.randomBytes(32);
    const twin = new Uint8Array(key);
    const iv = nodeCrypto.randomBytes(16);
    const data = nodeCrypto.randomBytes(80);
    const want = refCipher('cbc', false, key, iv, data);
    expect(hex(node.aesCbcEncrypt(key, iv, data))).toBe(want);
    const saved = key[0]!;
    key[0] = saved ^ 1;
    expect(hex(node.aesCbcEncrypt(key, iv, data))).toBe(refCipher('cbc', false, key, iv, data));
    expect(hex(node.hmac('sha1', key, data))).toBe(refHmac('sha1', key, data));
    key[0] = saved;
    expect(hex(node.aesCbcEncrypt(key, iv, data))).toBe(want);
    expect(hex(node.aesCbcEncrypt(twin, iv, data))).toBe(want);
    expect(hex(node.hmac('sha1', key, data))).toBe(refHmac('sha1', key, data));
    key.fill(0); // a wiped key is a different key
    expect(hex(node.aesCbcDecrypt(key, iv, data))).toBe(refCipher('cbc', true, key, iv, data));
  });

  it('CBC chaining state survives long inputs (one-off context) and empty inputs in between', () => {
    const key = nodeCrypto.randomBytes(16);
    const iv = nodeCrypto.randomBytes(16);
    const small = nodeCrypto.randomBytes(48);
    const big = nodeCrypto.randomBytes(16 * 1024 + 16);
    for (const data of [small, big, new Uint8Array(0), small, big, small]) {
      expect(hex(node.aesCbcEncrypt(key, iv, data))).toBe(refCipher('cbc', false, key, iv, data));
      expect(hex(node.aesCbcDecrypt(key, iv, data))).toBe(refCipher('cbc', true, key, iv, data));
    }
  });

  it('HMAC on either side of the JS / OpenSSL threshold with one key', () => {
    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512', 'md5'] as const) {
      const key = nodeCrypto.randomBytes(alg === 'sha1' ? 64 : 24);
      const t = JS_HMAC_MAX[alg] ?? 100;
      for (const n of [0, 1, 63, 64, t - 1, t, t + 1, 2 * t, 0, t + 1, t, 64]) {
        const data = nodeCrypto.randomBytes(n);
        expect(hex(node.hmac(alg, key, data)), `${alg} ${n}`).toBe(refHmac(alg, key, data));
      }
    }
    const long = nodeCrypto.randomBytes(65); // longer than a block: OpenSSL
    const data = nodeCrypto.randomBytes(100);
    expect(hex(node.hmac('sha256', long, data))).toBe(refHmac('sha256', long, data));
  });
});
