/**
 * RC4-HMAC (enctype 23, RFC 4757): the opt-in policy, and every entry of rc4-hmac.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadS2kParamsError,
  Cksumtype,
  decrypt,
  disableRc4Hmac,
  enableRc4Hmac,
  encrypt,
  generateKey,
  getBackend,
  getEnctype,
  isEnctypeEnabled,
  isRc4HmacEnabled,
  type Key,
  makeChecksum,
  prf,
  randomToKey,
  stringToKey,
  supportedEnctypes,
  UnsupportedAlgorithmError,
  verifyChecksum,
} from '../src/index.js';
import { rc4 } from '../src/primitives/index.js';
import { BACKENDS, hex, loadVectors, toHex, useBackend } from './helpers.js';

interface Rc4File {
  string_to_key: { password: string; key_hex: string }[];
  decrypt: {
    vectors: {
      enctype: number;
      usage: number;
      key_hex: string;
      plaintext_hex: string;
      ciphertext_hex: string;
    }[];
  };
  checksum: {
    vectors: {
      cksumtype: number;
      enctype: number;
      usage: number;
      key_hex: string;
      plaintext_hex: string;
      checksum_hex: string;
    }[];
  };
  gss_wrap_ms_kile_4_5: {
    session_key_hex: string;
    send_seq_num: string;
    confounder_hex: string;
    plaintext_hex: string;
    expected_token_hex: string;
    expected_token_fields: {
      gss_header: string;
      tok_id: string;
      sgn_alg: string;
      seal_alg: string;
      filler: string;
      snd_seq_encrypted: string;
      sgn_cksum: string;
      confounder_encrypted: string;
    };
  };
}
const file = loadVectors<Rc4File>('rc4-hmac.json');
const rawKey = (enctype: number, h: string): Key => ({ enctype, bytes: hex(h) });

describe('RC4-HMAC opt-in policy', () => {
  afterAll(() => disableRc4Hmac());

  it('is refused by default everywhere', async () => {
    disableRc4Hmac();
    expect(isRc4HmacEnabled()).toBe(false);
    expect(isEnctypeEnabled(23)).toBe(false);
    expect(isEnctypeEnabled('rc4-hmac')).toBe(false);
    expect(supportedEnctypes()).not.toContain(23);
    expect(supportedEnctypes(true)).toContain(23);
    // Metadata stays readable.
    expect(getEnctype('arcfour-hmac')).toMatchObject({ id: 23, requiresOptIn: true, keyLength: 16 });
    const k = rawKey(23, 'f81fec39255f5784e850c4377c88bd85');
    await expect(stringToKey(23, 'foo', '')).rejects.toThrow(UnsupportedAlgorithmError);
    expect(() => randomToKey(23, k.bytes)).toThrow(UnsupportedAlgorithmError);
    expect(() => generateKey('rc4-hmac')).toThrow(UnsupportedAlgorithmError);
    expect(() => encrypt(k, 1, new Uint8Array(3))).toThrow(UnsupportedAlgorithmError);
    expect(() => decrypt(k, 1, new Uint8Array(40))).toThrow(UnsupportedAlgorithmError);
    expect(() => makeChecksum(k, 1, new Uint8Array(3))).toThrow(UnsupportedAlgorithmError);
    expect(() => verifyChecksum(k, 1, new Uint8Array(3), new Uint8Array(16))).toThrow(
      UnsupportedAlgorithmError,
    );
    expect(() => prf(k, new Uint8Array(3))).toThrow(UnsupportedAlgorithmError);
  });

  it('works once enabled, and can be disabled again', () => {
    enableRc4Hmac();
    expect(isEnctypeEnabled(23)).toBe(true);
    const k = generateKey(23);
    expect(decrypt(k, 7, encrypt(k, 7, new Uint8Array([1, 2, 3])))).toEqual(new Uint8Array([1, 2, 3]));
    enableRc4Hmac(false);
    expect(isEnctypeEnabled(23)).toBe(false);
    expect(() => encrypt(k, 7, new Uint8Array(1))).toThrow(UnsupportedAlgorithmError);
  });

  it('enctype 24 (arcfour-hmac-exp) is never available', () => {
    enableRc4Hmac();
    expect(isEnctypeEnabled(24)).toBe(false);
    expect(() => getEnctype('rc4-hmac-exp')).toThrow(UnsupportedAlgorithmError);
    disableRc4Hmac();
  });
});

describe.each(BACKENDS)('rc4-hmac.json on %s', (backend) => {
  useBackend(backend);
  beforeAll(() => enableRc4Hmac());
  afterAll(() => disableRc4Hmac());

  it('holds 1 s2k, 10 decrypt (5 of them enctype 24), 2 checksums, 1 GSS wrap', () => {
    expect(file.string_to_key).toHaveLength(1);
    expect(file.decrypt.vectors).toHaveLength(10);
    expect(file.decrypt.vectors.filter((v) => v.enctype === 24)).toHaveLength(5);
    expect(file.checksum.vectors).toHaveLength(2);
  });

  it.each(file.string_to_key)('string-to-key("$password") = NT hash', async (v) => {
    expect(toHex((await stringToKey(23, v.password, 'ignored salt')).bytes)).toBe(v.key_hex);
    expect(toHex((await stringToKey('rc4-hmac', new TextEncoder().encode(v.password), '')).bytes)).toBe(
      v.key_hex,
    );
  });

  it('string-to-key: UTF-16LE of non-ASCII passwords, s2kparams refused, bad UTF-8 refused', async () => {
    const a = await stringToKey(23, 'pässwörd€', '');
    const b = await stringToKey(23, new TextEncoder().encode('pässwörd€'), '');
    expect(toHex(a.bytes)).toBe(toHex(b.bytes));
    await expect(stringToKey(23, 'x', '', hex('00001000'))).rejects.toThrow(BadS2kParamsError);
    await expect(stringToKey(23, hex('ff'), '')).rejects.toThrow(/UTF-8/);
  });

  it.each(file.decrypt.vectors.filter((v) => v.enctype === 23))('decrypt usage $usage', (v) => {
    const key = randomToKey(23, hex(v.key_hex));
    expect(toHex(decrypt(key, v.usage, hex(v.ciphertext_hex)))).toBe(v.plaintext_hex);
  });

  it.each(file.decrypt.vectors.filter((v) => v.enctype === 24))('enctype 24 usage $usage is refused', (v) => {
    expect(() => decrypt(rawKey(24, v.key_hex), v.usage, hex(v.ciphertext_hex))).toThrow(
      UnsupportedAlgorithmError,
    );
  });

  it.each(file.checksum.vectors)('checksum $cksumtype usage $usage', (v) => {
    const key = randomToKey(v.enctype, hex(v.key_hex));
    expect(toHex(makeChecksum(key, v.usage, hex(v.plaintext_hex), v.cksumtype))).toBe(v.checksum_hex);
    expect(verifyChecksum(key, v.usage, hex(v.plaintext_hex), hex(v.checksum_hex), v.cksumtype)).toBe(true);
  });

  it('usage 9 decrypts data sealed with usage 8 (RFC 4757 value) as MIT does', () => {
    const key = generateKey(23);
    const ct = encrypt(key, 8, new Uint8Array([9, 9]));
    expect(decrypt(key, 9, ct)).toEqual(new Uint8Array([9, 9]));
    expect(() => decrypt(key, 7, ct)).toThrow(/integrity/);
  });

  it('hmac-md5-arcfour (-138) also takes AES keys (S4U2Self PA-FOR-USER)', () => {
    const aes = generateKey(18);
    const c = makeChecksum(aes, 17, new Uint8Array([1, 2, 3]), Cksumtype.HMAC_MD5_ARCFOUR);
    expect(c).toHaveLength(16);
    expect(verifyChecksum(aes, 17, new Uint8Array([1, 2, 3]), c, -138)).toBe(true);
    expect(() => makeChecksum(aes, 17, new Uint8Array(1), Cksumtype.MD5_HMAC_ARCFOUR)).toThrow(
      /arcfour-hmac key/,
    );
  });

  it('[MS-KILE] §4.5 GSS_WrapEx example (RFC 4757 §7.3), built from the -138 checksum and RC4', () => {
    const w = file.gss_wrap_ms_kile_4_5;
    const f = w.expected_token_fields;
    const b = getBackend();
    const kss = hex(w.session_key_hex);
    const key = randomToKey(23, kss);
    const header = hex(f.tok_id + f.sgn_alg + f.seal_alg + f.filler);
    const confounder = hex(w.confounder_hex);
    // RC4 wrap pads the data with one 0x01 byte (block size 1, RFC 1964 §1.2.2.3 padding).
    const data = new Uint8Array([...hex(w.plaintext_hex), 1]);
    // SGN_CKSUM = HMAC-MD5(Ksign, MD5(13 | header | confounder | data))[0..8]: exactly the -138 checksum, usage 13.
    const sgn = makeChecksum(key, 13, new Uint8Array([...header, ...confounder, ...data]), -138).subarray(
      0,
      8,
    );
    expect(toHex(sgn)).toBe(f.sgn_cksum);
    const seq = Number.parseInt(w.send_seq_num, 16);
    const sndSeq = new Uint8Array(8); // seq number big-endian, then 0x00000000 for the initiator
    new DataView(sndSeq.buffer).setUint32(0, seq);
    const kseq = b.hmac('md5', b.hmac('md5', kss, new Uint8Array(4)), sgn);
    expect(toHex(rc4(kseq, sndSeq))).toBe(f.snd_seq_encrypted);
    const klocal = kss.map((x) => x ^ 0xf0);
    const kcrypt = b.hmac('md5', b.hmac('md5', klocal, new Uint8Array(4)), sndSeq.subarray(0, 4));
    const sealed = rc4(kcrypt, new Uint8Array([...confounder, ...data]));
    expect(toHex(sealed.subarray(0, 8))).toBe(f.confounder_encrypted);
    expect(w.expected_token_hex).toBe(
      f.gss_header + toHex(header) + f.snd_seq_encrypted + f.sgn_cksum + f.confounder_encrypted,
    );
    // And the sealed data decrypts back.
    expect(toHex(rc4(kcrypt, sealed).subarray(8, 8 + 15))).toBe(w.plaintext_hex);
  });
});
