import { setBackend } from '@postntlm/krb5-crypto/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CipherId, Dialect } from '../src/crypto/constants.js';
import { SmbCryptoError } from '../src/crypto/errors.js';
import { deriveKey, deriveSessionKeys, KdfLabel } from '../src/crypto/kdf.js';
import { BACKENDS, hex, type Json, toHex, vector } from './vectors/load.js';

const goSmb2 = vector('go-smb2-kdf-signing.json');
const smbj = vector('smbj-kdf-signing.json');
const smblib = vector('smblibrary-signing.json');
const blog300 = vector('ms-blog-smb300-encryption.json');
const blog311 = vector('ms-blog-smb311-encryption-gcm.json');
const preauth = vector('ms-blog-smb311-preauth-integrity.json');

afterAll(() => setBackend('auto'));

describe.each(BACKENDS)('SP800-108 KDF on the %s backend', (name) => {
  beforeAll(() => setBackend(name));

  it('go-smb2 kdf_test.go (raw label/context)', () => {
    const v = goSmb2.kdf;
    expect(toHex(deriveKey(new TextEncoder().encode(v.key), v.label, v.context, 128))).toBe(v.expected_hex);
  });

  it('go-smb2 signing key (3.0)', () => {
    const s = goSmb2.signing;
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_0,
      sessionKey: hex(s.session_key_hex),
      role: 'client',
    });
    expect(toHex(keys.signingKey)).toBe(s.signing_key_hex);
  });

  it.each((smbj.kdf.vectors as Json[]).map((v: Json, i: number): [number, string, Json] => [i, v.label, v]))(
    'smbj KDFCounterHMacSHA256Spec #%i (%s)',
    (_i, _l, v) => {
      const label = new Uint8Array(hex(v.label_hex));
      expect(toHex(deriveKey(hex(v.session_key_hex), label, hex(v.context_hex), v.L_bits))).toBe(
        v.derived_key_hex,
      );
    },
  );

  it('smbj vectors through deriveSessionKeys (3.1.1)', () => {
    const [sign, c2s] = smbj.kdf.vectors;
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: hex(sign.session_key_hex),
      preauthHash: hex(sign.context_hex),
      cipher: CipherId.AES_128_GCM,
      role: 'client',
    });
    expect(toHex(keys.signingKey)).toBe(sign.derived_key_hex);
    expect(toHex(keys.encryptionKey!)).toBe(c2s.derived_key_hex);
    expect(toHex(keys.clientToServerKey!)).toBe(c2s.derived_key_hex);
  });

  it.each((smblib.vectors as Json[]).map((v: Json): [string, Json] => [v.dialect, v]))(
    'SMBLibrary signing key, dialect %s',
    (_d, v) => {
      const keys = deriveSessionKeys({
        dialect: Number(v.dialect),
        sessionKey: hex(v.session_key_hex),
        role: 'server',
      });
      expect(toHex(keys.signingKey)).toBe(v.signing_key_hex);
      if (Number(v.dialect) < 0x300) {
        expect(keys.encryptionKey).toBeUndefined();
        expect(toHex(keys.applicationKey)).toBe(v.session_key_hex);
      }
    },
  );

  it('MS blog 3.0 encryption keys (client and server roles)', () => {
    const base = { dialect: Dialect.SMB_3_0, sessionKey: hex(blog300.session_key_hex) } as const;
    const client = deriveSessionKeys({ ...base, role: 'client' });
    expect(toHex(client.encryptionKey!)).toBe(blog300.encryption_key_hex);
    expect(toHex(client.decryptionKey!)).toBe(blog300.decryption_key_hex);
    expect(toHex(client.signingKey)).toBe(blog300.signing_key_hex_computed_not_published);
    expect(toHex(client.applicationKey)).toBe(blog300.application_key_hex_computed_not_published);
    const server = deriveSessionKeys({
      ...base,
      dialect: Dialect.SMB_3_0_2,
      cipher: CipherId.AES_128_CCM,
      role: 'server',
    });
    expect(toHex(server.encryptionKey!)).toBe(blog300.decryption_key_hex);
    expect(toHex(server.decryptionKey!)).toBe(blog300.encryption_key_hex);
    expect(
      toHex(deriveKey(hex(blog300.session_key_hex), KdfLabel.ENCRYPTION_300, KdfLabel.C2S_CONTEXT_300, 128)),
    ).toBe(blog300.encryption_key_hex);
  });

  it('MS blog 3.1.1 GCM keys', () => {
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: hex(blog311.session_key_hex),
      preauthHash: hex(blog311.session_preauth_hash_hex),
      cipher: CipherId.AES_128_GCM,
      role: 'client',
    });
    expect(toHex(keys.encryptionKey!)).toBe(blog311.encryption_key_hex);
    expect(toHex(keys.decryptionKey!)).toBe(blog311.decryption_key_hex);
    expect(toHex(keys.signingKey)).toBe(blog311.signing_key_hex_computed_not_published);
    expect(toHex(keys.applicationKey)).toBe(blog311.application_key_hex_computed_not_published);
  });

  it('MS blog 3.1.1 preauth: signing key and the computed cipher/application keys', () => {
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: hex(preauth.session_key_hex),
      preauthHash: hex(preauth.session_preauth_hash_hex),
      role: 'server',
    });
    const d = preauth.derived_keys_computed_not_published;
    expect(toHex(keys.signingKey)).toBe(preauth.signing_key_hex);
    expect(toHex(keys.decryptionKey!)).toBe(d.encryption_key_c2s_hex);
    expect(toHex(keys.encryptionKey!)).toBe(d.decryption_key_s2c_hex);
    expect(toHex(keys.applicationKey)).toBe(d.application_key_hex);
  });

  it('256-bit cipher keys: L = 256 over the full session key; signing key from its first 16 bytes', () => {
    const full = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const h = new Uint8Array(64).fill(7);
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: full,
      preauthHash: h,
      cipher: CipherId.AES_256_GCM,
      role: 'client',
    });
    expect(keys.encryptionKey!.length).toBe(32);
    expect(keys.encryptionKey).toEqual(deriveKey(full, KdfLabel.C2S_311, h, 256));
    expect(keys.decryptionKey).toEqual(deriveKey(full, KdfLabel.S2C_311, h, 256));
    expect(keys.signingKey).toEqual(deriveKey(full.subarray(0, 16), KdfLabel.SIGNING_311, h, 128));
    // The 128-bit output is the prefix of one HMAC block only when L is the same: L is in the input.
    expect(toHex(deriveKey(full, 'a', 'b', 256)).slice(0, 32)).not.toBe(
      toHex(deriveKey(full, 'a', 'b', 128)),
    );
    const short = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: hex('0102'),
      preauthHash: h,
      cipher: CipherId.AES_256_CCM,
      role: 'server',
    });
    const padded = new Uint8Array(16);
    padded.set([1, 2]);
    expect(short.signingKey).toEqual(deriveKey(padded, KdfLabel.SIGNING_311, h, 128));
    expect(short.encryptionKey).toEqual(deriveKey(hex('0102'), KdfLabel.S2C_311, h, 256));
  });
});

describe('deriveSessionKeys refuses what the dialect does not define', () => {
  const k = new Uint8Array(16).fill(1);
  it.each([
    [{ dialect: Dialect.SMB_3_1_1, sessionKey: k, role: 'client' }, 'invalid-argument'],
    [
      { dialect: Dialect.SMB_3_0, sessionKey: k, cipher: CipherId.AES_128_GCM, role: 'client' },
      'unsupported',
    ],
    [
      { dialect: Dialect.SMB_2_1, sessionKey: k, cipher: CipherId.AES_128_CCM, role: 'client' },
      'unsupported',
    ],
    [{ dialect: 0x0400, sessionKey: k, role: 'client' }, 'unsupported'],
    [{ dialect: Dialect.SMB_3_0, sessionKey: new Uint8Array(0), role: 'client' }, 'invalid-argument'],
    [{ dialect: Dialect.SMB_3_0, sessionKey: k, cipher: 9, role: 'client' }, 'invalid-argument'],
  ])('%o → %s', (opts, kind) => {
    expect(() => deriveSessionKeys(opts as never)).toThrow(SmbCryptoError);
    try {
      deriveSessionKeys(opts as never);
    } catch (e) {
      expect((e as SmbCryptoError).kind).toBe(kind);
    }
  });
  it('deriveKey refuses bad lengths', () => {
    expect(() => deriveKey(k, 'a', 'b', 100)).toThrow(SmbCryptoError);
    expect(() => deriveKey(k, 'a\u0100', 'b', 128)).toThrow(SmbCryptoError);
  });
});
