/** Public API behaviour: registries, profiles, argument checking, policy, caching, backends. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BadS2kParamsError,
  Cksumtype,
  cksumtypeFromName,
  cksumtypeName,
  decrypt,
  deriveKey,
  deriveRandom,
  Enctype,
  encrypt,
  encryptedLength,
  enctypeAliases,
  enctypeFromName,
  enctypeName,
  generateKey,
  getBackend,
  getCksumtype,
  getEnctype,
  InvalidInputError,
  isCksumtypeSupported,
  isEnctypeSupported,
  type Key,
  KeyUsage,
  Krb5CryptoError,
  keyUsageFromName,
  keyUsageName,
  knownEnctypes,
  MAX_PBKDF2_ITERATIONS,
  makeChecksum,
  prf,
  prfPlus,
  randomToKey,
  setBackend,
  stringToKey,
  supportedEnctypes,
  UnsupportedAlgorithmError,
  verifyChecksum,
} from '../src/index.js';
import type { CryptoBackend } from '../src/primitives/index.js';
import { hex, toHex } from './helpers.js';

const be32 = (n: number): Uint8Array => {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, n);
  return p;
};

describe('registries', () => {
  it('enctype names and aliases (MIT)', () => {
    expect(enctypeName(18)).toBe('aes256-cts-hmac-sha1-96');
    expect(enctypeName(19)).toBe('aes128-cts-hmac-sha256-128');
    expect(enctypeName(20)).toBe('aes256-cts-hmac-sha384-192');
    expect(enctypeName(23)).toBe('arcfour-hmac');
    expect(enctypeName(999)).toBeUndefined();
    expect(enctypeAliases(17)).toEqual(['aes128-cts-hmac-sha1-96', 'aes128-cts', 'aes128-sha1']);
    for (const [name, id] of [
      ['aes256-cts', 18],
      ['AES256-CTS-HMAC-SHA1-96', 18],
      ['aes128-cts', 17],
      ['aes128-sha2', 19],
      ['aes256-sha2', 20],
      ['rc4-hmac', 23],
      ['arcfour-hmac-md5', 23],
      ['des3-hmac-sha1', 16],
      ['camellia256-cts', 26],
      ['AES256_CTS_HMAC_SHA384_192', 20],
      ['18', 18],
    ] as const) {
      expect(enctypeFromName(name)).toBe(id);
    }
    expect(enctypeFromName('nope')).toBeUndefined();
    expect(Enctype.AES256_CTS_HMAC_SHA1_96).toBe(18);
    expect(knownEnctypes()).toContain(26);
  });

  it('checksum types', () => {
    expect(cksumtypeName(15)).toBe('hmac-sha1-96-aes128');
    expect(cksumtypeName(16)).toBe('hmac-sha1-96-aes256');
    expect(cksumtypeName(19)).toBe('hmac-sha256-128-aes128');
    expect(cksumtypeName(20)).toBe('hmac-sha384-192-aes256');
    expect(cksumtypeName(-138)).toBe('hmac-md5-arcfour');
    expect(cksumtypeFromName('hmac-md5-rc4')).toBe(-138);
    expect(cksumtypeFromName('HMAC_SHA1_96_AES256')).toBe(16);
    expect(Cksumtype.HMAC_MD5_ARCFOUR).toBe(-138);
    expect(getCksumtype(20)).toMatchObject({ length: 24, keyed: true, enctype: 20 });
    expect(getCksumtype(7)).toMatchObject({ length: 16, keyed: false });
    expect(isCksumtypeSupported(12)).toBe(false);
    expect(() => getCksumtype(12)).toThrow(UnsupportedAlgorithmError);
    expect(() => getCksumtype(12345)).toThrow(UnsupportedAlgorithmError);
  });

  it('key usages with reverse lookup', () => {
    expect(KeyUsage.AS_REQ_PA_ENC_TIMESTAMP).toBe(1);
    expect(KeyUsage.AP_REQ_AUTH).toBe(11);
    expect(KeyUsage.KRB_SAFE_CKSUM).toBe(15);
    expect(KeyUsage.GSS_INITIATOR_SIGN).toBe(25);
    expect(KeyUsage.IAKERB_FINISHED).toBe(41);
    expect(KeyUsage.IAKERB_FINISHED_MIT_LEGACY).toBe(42);
    expect(keyUsageName(3)).toBe('AS_REP_ENCPART');
    expect(keyUsageName(41)).toBe('IAKERB_FINISHED');
    expect(keyUsageName(26)).toBe('PA_S4U_X509_USER_REQUEST');
    expect(keyUsageName(9999)).toBeUndefined();
    expect(keyUsageFromName('tgs_rep_encpart_subkey')).toBe(9);
    expect(keyUsageFromName('toString')).toBeUndefined();
    for (let u = 1; u <= 27; u++) expect(keyUsageName(u)).toBeDefined();
  });
});

describe('profiles and support', () => {
  it('getEnctype for each implemented enctype', () => {
    expect(getEnctype(17)).toMatchObject({ keyLength: 16, overhead: 28, checksumType: 15, prfLength: 16 });
    expect(getEnctype(18)).toMatchObject({ keyLength: 32, overhead: 28, checksumType: 16, prfLength: 16 });
    expect(getEnctype(19)).toMatchObject({ keyLength: 16, overhead: 32, checksumType: 19, prfLength: 32 });
    expect(getEnctype(20)).toMatchObject({ keyLength: 32, overhead: 40, checksumType: 20, prfLength: 48 });
    expect(getEnctype(23)).toMatchObject({ keyLength: 16, overhead: 24, checksumType: -138, prfLength: 20 });
    expect(toHex(getEnctype(19).defaultS2kParams)).toBe('00008000');
    expect(Object.isFrozen(getEnctype(18))).toBe(true);
  });

  it('unimplemented and unknown enctypes are UnsupportedAlgorithmError', async () => {
    for (const e of [1, 3, 16, 24, 25, 26, 999, 'des3-cbc-sha1', 'camellia128-cts', 'bogus', 1.5]) {
      expect(() => getEnctype(e)).toThrow(UnsupportedAlgorithmError);
      expect(isEnctypeSupported(e)).toBe(false);
    }
    await expect(stringToKey('des-cbc-md5', 'p', 's')).rejects.toThrow(UnsupportedAlgorithmError);
    expect(() => generateKey(26)).toThrow(UnsupportedAlgorithmError);
    expect(supportedEnctypes()).toEqual([20, 19, 18, 17]);
  });

  it('errors form one hierarchy', () => {
    expect(new BadS2kParamsError('x')).toBeInstanceOf(InvalidInputError);
    expect(new InvalidInputError('x')).toBeInstanceOf(Krb5CryptoError);
    expect(new UnsupportedAlgorithmError('x')).toBeInstanceOf(Krb5CryptoError);
  });

  it('encryptedLength', () => {
    expect(encryptedLength(18, 100)).toBe(128);
    expect(encryptedLength('aes256-sha2', 0)).toBe(40);
    expect(() => encryptedLength(18, -1)).toThrow(InvalidInputError);
  });
});

describe('string-to-key parameters (MIT rules)', () => {
  it('refuses malformed, zero, weak and huge iteration counts', async () => {
    await expect(stringToKey(17, 'p', 's', hex('001000'))).rejects.toThrow(BadS2kParamsError);
    // Present but empty is not "absent": MIT refuses it too (absent is `undefined`).
    await expect(stringToKey(17, 'p', 's', new Uint8Array(0))).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(17, 'p', 's', be32(0))).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(17, 'p', 's', be32(4095))).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(19, 'p', 's', be32(4096))).rejects.toThrow(BadS2kParamsError);
    await expect(
      stringToKey(17, 'p', 's', be32(MAX_PBKDF2_ITERATIONS), { allowWeakIterations: true }),
    ).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(17, 'p', 's', be32(0xffffffff))).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(17, 'p', 's', 'x' as unknown as Uint8Array)).rejects.toThrow(InvalidInputError);
  });

  it('absent params mean the default (and equal the explicit default)', async () => {
    const a = await stringToKey(17, 'password', 'ATHENA.MIT.EDUraeburn');
    const c = await stringToKey(17, 'password', 'ATHENA.MIT.EDUraeburn', be32(4096));
    expect(toHex(a.bytes)).toBe(toHex(c.bytes));
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('bad password / salt types are InvalidInputError', async () => {
    await expect(stringToKey(18, 42 as unknown as string, 's')).rejects.toThrow(InvalidInputError);
    await expect(stringToKey(18, 'p', null as unknown as string)).rejects.toThrow(InvalidInputError);
  });
});

describe('argument checking', () => {
  const key = randomToKey(18, new Uint8Array(32).fill(7));

  it('keys', () => {
    const bad = [null, undefined, 5, {}, { enctype: 18 }, { enctype: '18', bytes: new Uint8Array(32) }];
    for (const k of bad) {
      expect(() => encrypt(k as unknown as Key, 1, new Uint8Array(1))).toThrow(InvalidInputError);
      expect(() => decrypt(k as unknown as Key, 1, new Uint8Array(40))).toThrow(InvalidInputError);
      expect(() => makeChecksum(k as unknown as Key, 1, new Uint8Array(1))).toThrow(InvalidInputError);
    }
    expect(() =>
      encrypt({ enctype: 18, bytes: [1, 2] as unknown as Uint8Array }, 1, new Uint8Array(1)),
    ).toThrow(InvalidInputError);
  });

  it('usages, data, confounders', () => {
    for (const u of [1.5, Number.NaN, -0x80000001, 2 ** 32, '1']) {
      expect(() => encrypt(key, u as number, new Uint8Array(1))).toThrow(InvalidInputError);
      expect(() => makeChecksum(key, u as number, new Uint8Array(1))).toThrow(InvalidInputError);
    }
    expect(() => encrypt(key, 1, 'text' as unknown as Uint8Array)).toThrow(InvalidInputError);
    expect(() => decrypt(key, 1, null as unknown as Uint8Array)).toThrow(InvalidInputError);
    expect(() => encrypt(key, 1, new Uint8Array(1), { confounder: new Uint8Array(8) })).toThrow(
      InvalidInputError,
    );
    expect(() => verifyChecksum(key, 1, new Uint8Array(1), 'x' as unknown as Uint8Array)).toThrow(
      InvalidInputError,
    );
    // Negative usages exist (MIT AD-SIGNEDPATH = -21) and are encoded as 32-bit two's complement.
    expect(decrypt(key, -21, encrypt(key, -21, new Uint8Array([1])))).toEqual(new Uint8Array([1]));
    expect(toHex(makeChecksum(key, -21, new Uint8Array(1)))).toBe(
      toHex(makeChecksum(key, 0xffffffeb, new Uint8Array(1))),
    );
  });

  it('too-short ciphertexts are InvalidInputError, minimum lengths decrypt', () => {
    for (const e of [17, 18, 19, 20]) {
      const k = generateKey(e);
      const n = getEnctype(e).overhead;
      expect(() => decrypt(k, 1, new Uint8Array(n - 1))).toThrow(InvalidInputError);
      expect(decrypt(k, 1, encrypt(k, 1, new Uint8Array(0)))).toHaveLength(0);
    }
  });

  it('checksum type vs key', () => {
    const k17 = generateKey(17);
    expect(() => makeChecksum(k17, 1, new Uint8Array(1), 16)).toThrow(InvalidInputError);
    expect(() => makeChecksum(null, 1, new Uint8Array(1), 15)).toThrow(InvalidInputError);
    expect(() => makeChecksum(null, 1, new Uint8Array(1))).toThrow(InvalidInputError);
    expect(makeChecksum(k17, 1, new Uint8Array(1), 15)).toEqual(makeChecksum(k17, 1, new Uint8Array(1)));
    expect(toHex(makeChecksum(null, 0, new Uint8Array(0), Cksumtype.NIST_SHA))).toBe(
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    );
    expect(() => makeChecksum(k17, 1, new Uint8Array(1), 2)).toThrow(UnsupportedAlgorithmError);
    expect(() => makeChecksum(k17, 1, new Uint8Array(1), 1.5)).toThrow(UnsupportedAlgorithmError);
  });

  it('key derivation', () => {
    const k = generateKey(17);
    expect(() => deriveRandom(k, new Uint8Array(0))).toThrow(InvalidInputError);
    expect(() => deriveRandom(k, new Uint8Array(5), 0)).toThrow(InvalidInputError);
    const dk = deriveKey(k, new Uint8Array([0, 0, 0, 2, 0x99]));
    expect(dk.enctype).toBe(17);
    expect(toHex(dk.bytes)).toBe(toHex(deriveRandom(k, new Uint8Array([0, 0, 0, 2, 0x99]))));
    // The cached Kc (usage 2) is the same DK: a checksum with it matches HMAC-SHA1-96 under dk.
    const mac = getBackend()
      .hmac('sha1', dk.bytes, new Uint8Array([1]))
      .subarray(0, 12);
    expect(toHex(makeChecksum(k, 2, new Uint8Array([1])))).toBe(toHex(mac));
  });

  it('randomToKey copies its input', () => {
    const seed = new Uint8Array(16).fill(1);
    const k = randomToKey(17, seed);
    seed.fill(2);
    expect(k.bytes[0]).toBe(1);
    expect(Object.isFrozen(k)).toBe(true);
  });
});

describe('PRF+', () => {
  it('is PRF(1|s) | PRF(2|s) | ... truncated', () => {
    for (const e of [17, 18, 19, 20]) {
      const k = generateKey(e);
      const s = new Uint8Array([0x61, 0x62]);
      const n = getEnctype(e).prfLength;
      const expected = new Uint8Array([
        ...prf(k, new Uint8Array([1, ...s])),
        ...prf(k, new Uint8Array([2, ...s])),
      ]);
      expect(toHex(prfPlus(k, s, 2 * n - 3))).toBe(toHex(expected.subarray(0, 2 * n - 3)));
      expect(prfPlus(k, s, 0)).toHaveLength(0);
      expect(prfPlus(k, s, 255 * n)).toHaveLength(255 * n);
      expect(() => prfPlus(k, s, 255 * n + 1)).toThrow(InvalidInputError);
      expect(() => prfPlus(k, s, -1)).toThrow(InvalidInputError);
    }
  });
});

describe('derived-key cache and backend switching', () => {
  afterEach(() => setBackend('auto'));

  function countingBackend(): { backend: CryptoBackend; counts: Record<string, number> } {
    const inner = getBackend();
    const counts: Record<string, number> = {};
    const backend = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          counts[String(prop)] = (counts[String(prop)] ?? 0) + 1;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    return { backend, counts };
  }

  it('AES-SHA1: Ke/Ki derived once per key and usage', () => {
    const { backend, counts } = countingBackend();
    setBackend(backend);
    const key = randomToKey(18, new Uint8Array(32).fill(3));
    encrypt(key, 7, new Uint8Array(100));
    const afterFirst = counts.aesEcbEncrypt ?? 0;
    // Ke and Ki together: two AES blocks each for a 32-byte key, in two 2-block ECB calls
    expect(afterFirst).toBe(2);
    for (let i = 0; i < 10; i++) decrypt(key, 7, encrypt(key, 7, new Uint8Array(100)));
    expect(counts.aesEcbEncrypt ?? 0).toBe(afterFirst);
    encrypt(key, 8, new Uint8Array(1));
    expect(counts.aesEcbEncrypt).toBe(afterFirst + 2);
  });

  it('AES-SHA2: Ke/Ki/Kc derived once per key and usage', () => {
    const { backend, counts } = countingBackend();
    setBackend(backend);
    const key = randomToKey(20, new Uint8Array(32).fill(3));
    const ct = encrypt(key, 7, new Uint8Array(100));
    // Ke, Ki, and the message HMAC.
    expect(counts.hmac).toBe(3);
    decrypt(key, 7, ct);
    expect(counts.hmac).toBe(4);
    makeChecksum(key, 7, new Uint8Array(1));
    makeChecksum(key, 7, new Uint8Array(1));
    expect(counts.hmac).toBe(4 + 1 + 2);
  });

  it('setBackend switches every operation', () => {
    const { backend, counts } = countingBackend();
    setBackend(backend);
    const key = generateKey(17);
    encrypt(key, 1, new Uint8Array(5));
    expect(counts.randomBytes).toBe(2);
    expect(counts.aesCbcEncrypt).toBe(1);
  });

  it('scratch space: re-entrant backends and failing calls leave no trace', () => {
    const inner = getBackend();
    for (const enctype of [17, 18, 19, 20]) {
      const key = randomToKey(enctype, new Uint8Array(getEnctype(enctype).keyLength).fill(5));
      const other = randomToKey(enctype, new Uint8Array(getEnctype(enctype).keyLength).fill(6));
      const confounder = new Uint8Array(16).fill(9);
      const pt = new Uint8Array(70).map((_, i) => i);
      const expected = toHex(encrypt(key, 4, pt, { confounder }));
      // A backend whose HMAC calls back into encrypt/decrypt while the outer call holds the scratch.
      let depth = 0;
      setBackend({
        ...inner,
        name: inner.name,
        hash: inner.hash,
        pbkdf2: inner.pbkdf2,
        hmac(alg, k, d) {
          if (depth === 0) {
            depth++;
            const c = encrypt(other, 1, new Uint8Array(40).fill(1), { confounder });
            expect(decrypt(other, 1, c)).toEqual(new Uint8Array(40).fill(1));
            depth--;
          }
          return inner.hmac(alg, k, d);
        },
      } as CryptoBackend);
      expect(toHex(encrypt(key, 4, pt, { confounder }))).toBe(expected);
      expect(decrypt(key, 4, hex(expected))).toEqual(pt);
      // A backend call that throws midway.
      let fail = true;
      setBackend({
        ...inner,
        name: inner.name,
        aesCbcEncrypt(k, iv, d) {
          if (fail) {
            fail = false;
            throw new InvalidInputError('injected');
          }
          return inner.aesCbcEncrypt(k, iv, d);
        },
      } as CryptoBackend);
      expect(() => encrypt(key, 4, pt, { confounder })).toThrow('injected');
      expect(toHex(encrypt(key, 4, pt, { confounder }))).toBe(expected);
      setBackend('auto');
    }
  });
});
