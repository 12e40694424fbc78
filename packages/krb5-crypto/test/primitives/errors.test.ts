/** Bad input gives a typed error (InvalidInputError / UnsupportedAlgorithmError), never a bare TypeError or a crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableBackends,
  getBackend,
  InvalidInputError,
  Krb5CryptoError,
  UnsupportedAlgorithmError,
} from '../../src/primitives/index.js';
import { useBackend } from './helpers.js';

const RUNS = { numRuns: 200 };
const u8 = (n: number) => new Uint8Array(n);
const badKeyLength = fc.integer({ min: 0, max: 80 }).filter((n) => n !== 16 && n !== 32);
const badBlockLength = fc.integer({ min: 1, max: 2000 }).filter((n) => n % 16 !== 0);
const notBytes: unknown[] = [
  undefined,
  null,
  'abcd',
  16,
  [1, 2, 3],
  new Uint16Array(8),
  new ArrayBuffer(16),
  {},
];

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return 'did not throw';
}

async function rejectionOf(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (err) {
    return err;
  }
  return 'did not reject';
}

describe.each(availableBackends())('%s backend: input errors', (name) => {
  useBackend(name);

  it('wrong AES key lengths: InvalidInputError from every AES method', () => {
    fc.assert(
      fc.property(badKeyLength, (n) => {
        const b = getBackend();
        const k = u8(n);
        const calls = [
          () => b.aesEcbEncrypt(k, u8(16)),
          () => b.aesEcbDecrypt(k, u8(16)),
          () => b.aesCbcEncrypt(k, u8(16), u8(16)),
          () => b.aesCbcDecrypt(k, u8(16), u8(16)),
          () => b.aesCtr(k, u8(16), u8(5)),
          () => b.aesGcmSeal(k, u8(12), u8(5), u8(0)),
          () => b.aesGcmOpen(k, u8(12), u8(5), u8(16), u8(0)),
          () => b.aesCcmSeal(k, u8(11), u8(5), u8(0)),
          () => b.aesCcmOpen(k, u8(11), u8(5), u8(16), u8(0)),
          () => b.aesCmac(k, u8(5)),
        ];
        for (const call of calls) expect(errorOf(call)).toBeInstanceOf(InvalidInputError);
      }),
      RUNS,
    );
  });

  it('ECB/CBC data that is not whole blocks: InvalidInputError', () => {
    fc.assert(
      fc.property(badBlockLength, fc.constantFrom(16, 32), (n, kl) => {
        const b = getBackend();
        for (const call of [
          () => b.aesEcbEncrypt(u8(kl), u8(n)),
          () => b.aesEcbDecrypt(u8(kl), u8(n)),
          () => b.aesCbcEncrypt(u8(kl), u8(16), u8(n)),
          () => b.aesCbcDecrypt(u8(kl), u8(16), u8(n)),
        ]) {
          expect(errorOf(call)).toBeInstanceOf(InvalidInputError);
        }
      }),
      RUNS,
    );
  });

  it('wrong IV, counter, nonce and tag lengths: InvalidInputError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (n) => {
        const b = getBackend();
        const k = u8(16);
        if (n !== 16) {
          expect(errorOf(() => b.aesCbcEncrypt(k, u8(n), u8(16)))).toBeInstanceOf(InvalidInputError);
          expect(errorOf(() => b.aesCbcDecrypt(k, u8(n), u8(16)))).toBeInstanceOf(InvalidInputError);
          expect(errorOf(() => b.aesCtr(k, u8(n), u8(16)))).toBeInstanceOf(InvalidInputError);
          expect(errorOf(() => b.aesGcmOpen(k, u8(12), u8(3), u8(n), u8(0)))).toBeInstanceOf(
            InvalidInputError,
          );
          expect(errorOf(() => b.aesCcmOpen(k, u8(11), u8(3), u8(n), u8(0)))).toBeInstanceOf(
            InvalidInputError,
          );
        }
        if (n !== 12) {
          expect(errorOf(() => b.aesGcmSeal(k, u8(n), u8(3), u8(0)))).toBeInstanceOf(InvalidInputError);
          expect(errorOf(() => b.aesGcmOpen(k, u8(n), u8(3), u8(16), u8(0)))).toBeInstanceOf(
            InvalidInputError,
          );
        }
        if (n < 7 || n > 13) {
          expect(errorOf(() => b.aesCcmSeal(k, u8(n), u8(3), u8(0)))).toBeInstanceOf(InvalidInputError);
          expect(errorOf(() => b.aesCcmOpen(k, u8(n), u8(3), u8(16), u8(0)))).toBeInstanceOf(
            InvalidInputError,
          );
        }
      }),
      RUNS,
    );
  });

  it('CCM payload too long for the nonce: InvalidInputError', () => {
    const b = getBackend();
    // A 13-byte nonce leaves a 2-byte length field: at most 65535 bytes.
    expect(errorOf(() => b.aesCcmSeal(u8(16), u8(13), u8(65536), u8(0)))).toBeInstanceOf(InvalidInputError);
    expect(errorOf(() => b.aesCcmOpen(u8(16), u8(13), u8(65536), u8(16), u8(0)))).toBeInstanceOf(
      InvalidInputError,
    );
    expect(b.aesCcmSeal(u8(16), u8(13), u8(65535), u8(0)).ciphertext.length).toBe(65535);
  });

  it('non-Uint8Array arguments: InvalidInputError, never TypeError', () => {
    const b = getBackend();
    for (const bad of notBytes) {
      const x = bad as Uint8Array;
      const calls = [
        () => b.hash('sha256', x),
        () => b.hmac('sha256', x, u8(1)),
        () => b.hmac('sha256', u8(1), x),
        () => b.aesEcbEncrypt(x, u8(16)),
        () => b.aesEcbEncrypt(u8(16), x),
        () => b.aesCbcEncrypt(u8(16), x, u8(16)),
        () => b.aesCtr(u8(16), u8(16), x),
        () => b.aesGcmSeal(u8(16), u8(12), x, u8(0)),
        () => b.aesGcmSeal(u8(16), u8(12), u8(0), x),
        () => b.aesGcmOpen(u8(16), u8(12), u8(0), x, u8(0)),
        () => b.aesCcmSeal(u8(16), x, u8(0), u8(0)),
        () => b.aesCcmOpen(u8(16), u8(11), x, u8(16), u8(0)),
        () => b.aesCmac(u8(16), x),
      ];
      for (const call of calls) expect(errorOf(call)).toBeInstanceOf(InvalidInputError);
    }
  });

  it('unknown hash algorithm: UnsupportedAlgorithmError', async () => {
    const b = getBackend();
    for (const alg of ['sha224', 'SHA256', 'md4', '', undefined]) {
      const h = alg as 'sha256';
      expect(errorOf(() => b.hash(h, u8(1)))).toBeInstanceOf(UnsupportedAlgorithmError);
      expect(errorOf(() => b.hmac(h, u8(1), u8(1)))).toBeInstanceOf(UnsupportedAlgorithmError);
      expect(await rejectionOf(() => b.pbkdf2(h, u8(1), u8(1), 1, 16))).toBeInstanceOf(
        UnsupportedAlgorithmError,
      );
    }
  });

  it('PBKDF2 bad counts reject with InvalidInputError (a rejected promise, not a sync throw)', async () => {
    const b = getBackend();
    for (const [iter, len] of [
      [0, 16],
      [-1, 16],
      [1.5, 16],
      [Number.NaN, 16],
      [1, 0],
      [1, -3],
      [1, 2 ** 31],
    ] as const) {
      const p = b.pbkdf2('sha1', u8(1), u8(1), iter, len);
      expect(p).toBeInstanceOf(Promise);
      expect(await rejectionOf(() => p)).toBeInstanceOf(InvalidInputError);
    }
    expect(
      await rejectionOf(() => b.pbkdf2('sha1', 'pw' as unknown as Uint8Array, u8(1), 1, 16)),
    ).toBeInstanceOf(InvalidInputError);
  });

  it('randomBytes: lengths, chunking past 65536 bytes, bad counts', () => {
    const b = getBackend();
    expect(b.randomBytes(0).length).toBe(0);
    const big = b.randomBytes(200_000);
    expect(big.length).toBe(200_000);
    // The last chunk must be filled too: 4096 zero bytes at the end is vanishingly unlikely.
    expect(big.subarray(big.length - 4096).some((x) => x !== 0)).toBe(true);
    expect(b.randomBytes(32)).not.toEqual(b.randomBytes(32));
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 31, '8']) {
      expect(errorOf(() => b.randomBytes(bad as number))).toBeInstanceOf(InvalidInputError);
    }
  });

  it('every error is a Krb5CryptoError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 64 }), (kl, dl) => {
        const err = errorOf(() => getBackend().aesCbcEncrypt(u8(kl), u8(16), u8(dl)));
        if (err !== 'did not throw') expect(err).toBeInstanceOf(Krb5CryptoError);
      }),
      RUNS,
    );
  });

  it('AES-192 keys are refused (not used by Kerberos or SMB)', () => {
    expect(errorOf(() => getBackend().aesEcbEncrypt(u8(24), u8(16)))).toBeInstanceOf(InvalidInputError);
  });
});
