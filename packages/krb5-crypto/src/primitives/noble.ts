/**
 * The portable backend: @noble/ciphers + @noble/hashes (audited, pure JS). Works in
 * browsers, Deno, Bun and edge runtimes; node uses it only when forced. noble has no CCM,
 * so CCM comes from the generic SP 800-38C construction over this backend's modes.
 */
import { cbc, cmac, ctr, ecb, gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { IntegrityError, Krb5CryptoError } from '../errors.js';
import { checkAesKey, checkBlocks, checkBytes, checkHash, checkInteger, MAX_INT32 } from './assert.js';
import type { CryptoBackend, HashAlgorithm } from './backend.js';
import { aesCcmOpenGeneric, aesCcmSealGeneric } from './ccm.js';

type Bytes = Uint8Array;

const HASHES = { md5, sha1, sha256, sha384, sha512 } as const;
const NO_PADDING = { disablePadding: true } as const;
/** getRandomValues refuses more than 65536 bytes per call (WebCrypto §10.1.1). */
const RANDOM_CHUNK = 65536;

function hashFn(algorithm: HashAlgorithm) {
  checkHash(algorithm);
  return HASHES[algorithm];
}

function ecbEncrypt(key: Bytes, data: Bytes): Bytes {
  checkAesKey(key);
  checkBlocks('data', data);
  return ecb(key, NO_PADDING).encrypt(data);
}

function cbcEncrypt(key: Bytes, iv: Bytes, data: Bytes): Bytes {
  checkAesKey(key);
  checkBytes('iv', iv, 16);
  checkBlocks('data', data);
  return cbc(key, iv, NO_PADDING).encrypt(data);
}

function ctrXor(key: Bytes, counter: Bytes, data: Bytes): Bytes {
  checkAesKey(key);
  checkBytes('counter', counter, 16);
  checkBytes('data', data);
  return ctr(key, counter).encrypt(data);
}

function gcmCheck(key: Bytes, nonce: Bytes, data: Bytes, aad: Bytes): void {
  checkAesKey(key);
  checkBytes('GCM nonce', nonce, 12);
  checkBytes('data', data);
  checkBytes('aad', aad);
}

const ccmModes = { aesEcbEncrypt: ecbEncrypt, aesCbcEncrypt: cbcEncrypt, aesCtr: ctrXor };

/** The @noble backend. Stateless; safe to share. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',

  hash(algorithm, data) {
    const h = hashFn(algorithm);
    checkBytes('data', data);
    return h(data);
  },

  hmac(algorithm, key, data) {
    const h = hashFn(algorithm);
    checkBytes('HMAC key', key);
    checkBytes('data', data);
    return hmac(h, key, data);
  },

  async pbkdf2(algorithm, password, salt, iterations, length) {
    const h = hashFn(algorithm);
    checkBytes('password', password);
    checkBytes('salt', salt);
    checkInteger('iterations', iterations, 1, MAX_INT32);
    checkInteger('length', length, 1, MAX_INT32);
    try {
      return await pbkdf2Async(h, password, salt, { c: iterations, dkLen: length });
    } catch (err) {
      throw new Krb5CryptoError(`noble pbkdf2 failed: ${(err as Error)?.message}`, { cause: err });
    }
  },

  aesEcbEncrypt: ecbEncrypt,
  aesEcbDecrypt(key, data) {
    checkAesKey(key);
    checkBlocks('data', data);
    return ecb(key, NO_PADDING).decrypt(data);
  },
  aesCbcEncrypt: cbcEncrypt,
  aesCbcDecrypt(key, iv, data) {
    checkAesKey(key);
    checkBytes('iv', iv, 16);
    checkBlocks('data', data);
    return cbc(key, iv, NO_PADDING).decrypt(data);
  },
  aesCtr: ctrXor,

  aesGcmSeal(key, nonce, plaintext, aad) {
    gcmCheck(key, nonce, plaintext, aad);
    const sealed = gcm(key, nonce, aad).encrypt(plaintext); // ciphertext || tag
    const n = plaintext.length;
    return { ciphertext: sealed.subarray(0, n), tag: sealed.subarray(n) };
  },

  aesGcmOpen(key, nonce, ciphertext, tag, aad) {
    gcmCheck(key, nonce, ciphertext, aad);
    checkBytes('tag', tag, 16);
    const sealed = new Uint8Array(ciphertext.length + 16);
    sealed.set(ciphertext);
    sealed.set(tag, ciphertext.length);
    try {
      // Every argument is valid here, so the only failure left is the tag check.
      return gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      throw new IntegrityError('AES-GCM tag mismatch');
    }
  },

  aesCcmSeal(key, nonce, plaintext, aad) {
    return aesCcmSealGeneric(ccmModes, key, nonce, plaintext, aad, 16);
  },

  aesCcmOpen(key, nonce, ciphertext, tag, aad) {
    checkBytes('tag', tag, 16);
    return aesCcmOpenGeneric(ccmModes, key, nonce, ciphertext, tag, aad);
  },

  aesCmac(key, data) {
    checkAesKey(key);
    checkBytes('data', data);
    return cmac(data, key);
  },

  randomBytes(length) {
    checkInteger('length', length, 0, MAX_INT32);
    const rng = globalThis.crypto;
    if (typeof rng?.getRandomValues !== 'function') {
      throw new Krb5CryptoError('no secure random source: globalThis.crypto.getRandomValues is missing');
    }
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += RANDOM_CHUNK) {
      rng.getRandomValues(out.subarray(i, Math.min(i + RANDOM_CHUNK, length)));
    }
    return out;
  },
};
