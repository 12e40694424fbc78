import { describe, expect, it } from 'vitest';
import {
  aesCtsDecrypt,
  aesCtsEncrypt,
  BadS2kParamsError,
  ctsNextIv,
  getBackend,
  getEnctype,
  InvalidInputError,
  stringToKey,
} from '../src/index.js';
import { BACKENDS, hex, loadVectors, toHex, useBackend } from './helpers.js';

interface S2kVector {
  iterations: number;
  password_hex: string;
  salt_hex: string;
  pbkdf2_128_hex: string;
  aes128_key_hex: string;
  pbkdf2_256_hex: string;
  aes256_key_hex: string;
}
interface CtsVector {
  key_hex: string;
  iv_hex: string;
  input_length: number;
  input_hex: string;
  output_hex: string;
  next_iv_hex: string;
}
interface Rfc3962File {
  string_to_key: { vectors: S2kVector[] };
  aes_cts: { vectors: CtsVector[] };
}
const file = loadVectors<Rfc3962File>('rfc3962-appendix-b.json');

function params(iterations: number): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, iterations);
  return p;
}

describe.each(BACKENDS)('RFC 3962 App. B on %s', (backend) => {
  useBackend(backend);

  it('holds 7 string-to-key and 6 CTS vectors', () => {
    expect(file.string_to_key.vectors).toHaveLength(7);
    expect(file.aes_cts.vectors).toHaveLength(6);
  });

  describe('string-to-key', () => {
    it.each(file.string_to_key.vectors)('PBKDF2-HMAC-SHA1, $iterations iterations', async (v) => {
      const b = getBackend();
      const pw = hex(v.password_hex);
      const salt = hex(v.salt_hex);
      expect(toHex(await b.pbkdf2('sha1', pw, salt, v.iterations, 16))).toBe(v.pbkdf2_128_hex);
      expect(toHex(await b.pbkdf2('sha1', pw, salt, v.iterations, 32))).toBe(v.pbkdf2_256_hex);
    });

    it.each(file.string_to_key.vectors)('aes128/aes256 keys, $iterations iterations', async (v) => {
      const opts = { allowWeakIterations: true };
      const k128 = await stringToKey(17, hex(v.password_hex), hex(v.salt_hex), params(v.iterations), opts);
      const k256 = await stringToKey(18, hex(v.password_hex), hex(v.salt_hex), params(v.iterations), opts);
      expect(k128.enctype).toBe(17);
      expect(k256.enctype).toBe(18);
      expect(toHex(k128.bytes)).toBe(v.aes128_key_hex);
      expect(toHex(k256.bytes)).toBe(v.aes256_key_hex);
    });

    it('refuses the weak counts of App. B unless allowed (as MIT does)', async () => {
      const v = file.string_to_key.vectors[0]!;
      await expect(stringToKey(18, hex(v.password_hex), hex(v.salt_hex), params(1))).rejects.toThrow(
        BadS2kParamsError,
      );
    });

    it('string password and salt are UTF-8 (the g-clef vector)', async () => {
      const v = file.string_to_key.vectors.find((x) => x.password_hex === 'f09d849e')!;
      const key = await stringToKey('aes128-cts', '\u{1D11E}', 'EXAMPLE.COMpianist', params(50), {
        allowWeakIterations: true,
      });
      expect(toHex(key.bytes)).toBe(v.aes128_key_hex);
    });
  });

  describe('AES-CTS with key "chicken teriyaki", IV 0', () => {
    it.each(file.aes_cts.vectors)('$input_length bytes', (v) => {
      const key = hex(v.key_hex);
      const iv = hex(v.iv_hex);
      const out = aesCtsEncrypt(key, hex(v.input_hex), iv);
      expect(toHex(out)).toBe(v.output_hex);
      expect(toHex(ctsNextIv(out))).toBe(v.next_iv_hex);
      expect(toHex(aesCtsDecrypt(key, out, iv))).toBe(v.input_hex);
    });

    it('one block is plain AES; less than one block is refused', () => {
      const key = hex(file.aes_cts.vectors[0]!.key_hex);
      const block = hex('4920776f756c64206c696b6520746865');
      expect(toHex(aesCtsEncrypt(key, block))).toBe(toHex(getBackend().aesEcbEncrypt(key, block)));
      expect(toHex(aesCtsDecrypt(key, aesCtsEncrypt(key, block)))).toBe(toHex(block));
      expect(() => aesCtsEncrypt(key, block.subarray(0, 15))).toThrow(InvalidInputError);
      expect(() => aesCtsDecrypt(key, block.subarray(0, 15))).toThrow(InvalidInputError);
      expect(() => aesCtsEncrypt(key, block, new Uint8Array(8))).toThrow(InvalidInputError);
    });
  });

  it('profiles', () => {
    expect(getEnctype(17)).toMatchObject({
      keyLength: 16,
      checksumType: 15,
      checksumLength: 12,
      prfLength: 16,
    });
    expect(getEnctype('aes256-cts')).toMatchObject({ id: 18, keyLength: 32, defaultIterations: 4096 });
    expect(toHex(getEnctype(18).defaultS2kParams)).toBe('00001000');
  });
});
