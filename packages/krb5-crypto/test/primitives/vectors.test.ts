/** Published test vectors (test/vectors/primitives, see SOURCE.md), run on every backend. */
import { describe, expect, it } from 'vitest';
import {
  aesCcmOpenGeneric,
  aesCcmSealGeneric,
  aesCmacGeneric,
  availableBackends,
  getBackend,
  type HashAlgorithm,
} from '../../src/primitives/index.js';
import { bytes, hex, loadVectors, useBackend } from './helpers.js';

type BlockVector = {
  source: string;
  mode: 'ecb' | 'cbc' | 'ctr';
  key: string;
  iv: string;
  plaintext: string;
  ciphertext: string;
};
type CmacVector = { source: string; key: string; message: string; mac: string };
type AeadVector = {
  source: string;
  key: string;
  nonce: string;
  aad: string;
  aadRepeat?: number;
  plaintext: string;
  ciphertext: string;
  tag: string;
};
type HashVector = { source: string; algorithm: HashAlgorithm; input: string; digest: string };
type HmacVector = {
  source: string;
  algorithm: HashAlgorithm;
  key: string;
  data: string;
  truncateTo?: number;
  mac: string;
};
type Pbkdf2Vector = {
  source: string;
  algorithm: HashAlgorithm;
  password: string;
  salt: string;
  iterations: number;
  length: number;
  dk: string;
};

const block = loadVectors<BlockVector>('aes-block').vectors;
const cmac = loadVectors<CmacVector>('cmac').vectors;
const gcm = loadVectors<AeadVector>('gcm').vectors;
const ccm = loadVectors<AeadVector>('ccm').vectors;
const hash = loadVectors<HashVector>('hash').vectors;
const hmac = loadVectors<HmacVector>('hmac').vectors;
const pbkdf2 = loadVectors<Pbkdf2Vector>('pbkdf2').vectors;

function aadOf(v: AeadVector): Uint8Array {
  const unit = bytes(v.aad);
  const out = new Uint8Array(unit.length * (v.aadRepeat ?? 1));
  for (let i = 0; i < out.length; i += unit.length) out.set(unit, i);
  return out;
}

describe.each(availableBackends())('%s backend: published vectors', (name) => {
  useBackend(name);

  it('uses the forced backend', () => {
    expect(getBackend().name).toBe(name);
  });

  it.each(block)('AES $mode: $source', (v) => {
    const b = getBackend();
    const [key, iv, pt, ct] = [bytes(v.key), bytes(v.iv), bytes(v.plaintext), bytes(v.ciphertext)];
    if (v.mode === 'ecb') {
      expect(hex(b.aesEcbEncrypt(key, pt))).toBe(v.ciphertext);
      expect(hex(b.aesEcbDecrypt(key, ct))).toBe(v.plaintext);
    } else if (v.mode === 'cbc') {
      expect(hex(b.aesCbcEncrypt(key, iv, pt))).toBe(v.ciphertext);
      expect(hex(b.aesCbcDecrypt(key, iv, ct))).toBe(v.plaintext);
    } else {
      expect(hex(b.aesCtr(key, iv, pt))).toBe(v.ciphertext);
      expect(hex(b.aesCtr(key, iv, ct))).toBe(v.plaintext);
    }
  });

  it.each(cmac)('AES-CMAC: $source', (v) => {
    const key = bytes(v.key);
    const msg = bytes(v.message);
    expect(hex(getBackend().aesCmac(key, msg))).toBe(v.mac);
    expect(hex(aesCmacGeneric(getBackend(), key, msg))).toBe(v.mac);
  });

  it.each(gcm)('AES-GCM: $source', (v) => {
    const b = getBackend();
    const [key, nonce, aad] = [bytes(v.key), bytes(v.nonce), aadOf(v)];
    const sealed = b.aesGcmSeal(key, nonce, bytes(v.plaintext), aad);
    expect(hex(sealed.ciphertext)).toBe(v.ciphertext);
    expect(hex(sealed.tag)).toBe(v.tag);
    expect(hex(b.aesGcmOpen(key, nonce, bytes(v.ciphertext), bytes(v.tag), aad))).toBe(v.plaintext);
  });

  // SP 800-38C examples use 4..14-byte tags, which only the generic CCM accepts; it runs
  // over this backend's ECB/CBC/CTR.
  it.each(ccm)('AES-CCM (generic, short tags): $source', (v) => {
    const b = getBackend();
    const [key, nonce, aad] = [bytes(v.key), bytes(v.nonce), aadOf(v)];
    const sealed = aesCcmSealGeneric(b, key, nonce, bytes(v.plaintext), aad, v.tag.length / 2);
    expect(hex(sealed.ciphertext)).toBe(v.ciphertext);
    expect(hex(sealed.tag)).toBe(v.tag);
    expect(hex(aesCcmOpenGeneric(b, key, nonce, bytes(v.ciphertext), bytes(v.tag), aad))).toBe(v.plaintext);
  });

  it.each(hash)('hash $algorithm: $source', (v) => {
    expect(hex(getBackend().hash(v.algorithm, bytes(v.input)))).toBe(v.digest);
  });

  it.each(hmac)('HMAC: $source ($algorithm)', (v) => {
    const mac = hex(getBackend().hmac(v.algorithm, bytes(v.key), bytes(v.data)));
    expect(v.truncateTo === undefined ? mac : mac.slice(0, 2 * v.truncateTo)).toBe(v.mac);
  });

  it.each(pbkdf2)('PBKDF2: $source', async (v) => {
    const dk = await getBackend().pbkdf2(
      v.algorithm,
      bytes(v.password),
      bytes(v.salt),
      v.iterations,
      v.length,
    );
    expect(hex(dk)).toBe(v.dk);
  });
});
