import { describe, expect, it } from 'vitest';
import {
  Cksumtype,
  decrypt,
  deriveRandom,
  encrypt,
  getBackend,
  getEnctype,
  type Key,
  makeChecksum,
  prf,
  randomToKey,
  stringToKey,
  verifyChecksum,
} from '../src/index.js';
import { BACKENDS, hex, loadVectors, toHex, useBackend, utf8 } from './helpers.js';

interface EncVector {
  usage: number;
  plaintext_hex: string;
  confounder_hex: string;
  aes_output_hex: string;
  truncated_hmac_hex: string;
  ciphertext_hex: string;
}
interface EnctypeVectors {
  enctype: number;
  enctype_name: string;
  string_to_key: {
    password: string;
    salt_hex: string;
    saltp_hex: string;
    iterations: number;
    s2kparams_hex: string;
    key_hex: string;
  };
  key_derivation: { base_key_hex: string; usage: number; Kc_hex: string; Ke_hex: string; Ki_hex: string };
  prf: { key_hex: string; input_hex: string; output_hex: string };
  checksum: {
    key_hex: string;
    usage: number;
    plaintext_hex: string;
    checksum_hex: string;
    cksumtype: number;
  };
  encryption: { key_hex: string; Ke_hex: string; Ki_hex: string; vectors: EncVector[] };
}
const file = loadVectors<{ enctypes: EnctypeVectors[] }>('rfc8009-appendix-a.json');

function usageConstant(usage: number, kind: number): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage);
  c[4] = kind;
  return c;
}

describe.each(BACKENDS)('RFC 8009 App. A on %s', (backend) => {
  useBackend(backend);

  it('holds enctypes 19 and 20 with 4 encryptions each', () => {
    expect(file.enctypes.map((e) => e.enctype)).toEqual([19, 20]);
    for (const e of file.enctypes) expect(e.encryption.vectors).toHaveLength(4);
  });

  describe.each(file.enctypes)('$enctype_name', (e) => {
    const key = (h: string): Key => randomToKey(e.enctype, hex(h));

    it('saltp = enctype name | 0x00 | salt, and PBKDF2 over it', async () => {
      const s = e.string_to_key;
      expect(toHex(utf8(e.enctype_name))).toBe(s.saltp_hex.slice(0, e.enctype_name.length * 2));
      expect(s.saltp_hex).toBe(`${toHex(utf8(e.enctype_name))}00${s.salt_hex}`);
      const profile = getEnctype(e.enctype);
      expect(profile.name).toBe(e.enctype_name);
      expect(profile.defaultIterations).toBe(s.iterations);
      const tkey = await getBackend().pbkdf2(
        profile.hash,
        utf8(s.password),
        hex(s.saltp_hex),
        s.iterations,
        profile.keyLength,
      );
      expect(tkey).toHaveLength(profile.keyLength);
    });

    it('string-to-key (32768 iterations), explicit and default s2kparams', async () => {
      const s = e.string_to_key;
      const k1 = await stringToKey(e.enctype, s.password, hex(s.salt_hex), hex(s.s2kparams_hex));
      expect(toHex(k1.bytes)).toBe(s.key_hex);
      const k2 = await stringToKey(e.enctype_name, utf8(s.password), hex(s.salt_hex));
      expect(toHex(k2.bytes)).toBe(s.key_hex);
    });

    it('Kc, Ke, Ki for usage 2', () => {
      const d = e.key_derivation;
      const k = key(d.base_key_hex);
      expect(toHex(deriveRandom(k, usageConstant(d.usage, 0x99), d.Kc_hex.length / 2))).toBe(d.Kc_hex);
      expect(toHex(deriveRandom(k, usageConstant(d.usage, 0xaa), d.Ke_hex.length / 2))).toBe(d.Ke_hex);
      expect(toHex(deriveRandom(k, usageConstant(d.usage, 0x55), d.Ki_hex.length / 2))).toBe(d.Ki_hex);
      expect([e.encryption.Ke_hex, e.encryption.Ki_hex]).toEqual([d.Ke_hex, d.Ki_hex]);
    });

    it('PRF("test")', () => {
      expect(toHex(prf(key(e.prf.key_hex), hex(e.prf.input_hex)))).toBe(e.prf.output_hex);
    });

    it('checksum over 00..14', () => {
      const c = e.checksum;
      const k = key(c.key_hex);
      expect(toHex(makeChecksum(k, c.usage, hex(c.plaintext_hex)))).toBe(c.checksum_hex);
      expect(toHex(makeChecksum(k, c.usage, hex(c.plaintext_hex), c.cksumtype))).toBe(c.checksum_hex);
      expect(verifyChecksum(k, c.usage, hex(c.plaintext_hex), hex(c.checksum_hex))).toBe(true);
      expect(getEnctype(e.enctype).checksumType).toBe(
        e.enctype === 19 ? Cksumtype.HMAC_SHA256_128_AES128 : Cksumtype.HMAC_SHA384_192_AES256,
      );
    });

    it.each(e.encryption.vectors)('encrypt $plaintext_hex with its confounder', (v) => {
      const k = key(e.encryption.key_hex);
      const ct = encrypt(k, v.usage, hex(v.plaintext_hex), { confounder: hex(v.confounder_hex) });
      expect(toHex(ct)).toBe(v.ciphertext_hex);
      expect(v.ciphertext_hex).toBe(v.aes_output_hex + v.truncated_hmac_hex);
      expect(toHex(decrypt(k, v.usage, hex(v.ciphertext_hex)))).toBe(v.plaintext_hex);
    });
  });
});
