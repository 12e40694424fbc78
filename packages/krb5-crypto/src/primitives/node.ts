/**
 * The node:crypto backend (OpenSSL): the fast default on Node. node:crypto is fetched at
 * run time through process.getBuiltinModule (Node >= 20.16), never imported statically,
 * so this package still loads in browsers and edge runtimes, where this backend is absent.
 */
import type * as NodeCrypto from 'node:crypto';
import { IntegrityError, Krb5CryptoError } from '../errors.js';
import { checkAesKey, checkBlocks, checkBytes, checkHash, checkInteger, MAX_INT32 } from './assert.js';
import type { CryptoBackend, HashAlgorithm } from './backend.js';
import { aesCcmOpenGeneric, aesCcmSealGeneric, checkCcmParams } from './ccm.js';
import { cmacWithChain } from './cmac.js';

type NodeCryptoModule = typeof NodeCrypto;
type Bytes = Uint8Array;

/** node:crypto when running on Node (or a runtime emulating getBuiltinModule), else undefined. */
function loadNodeCrypto(): NodeCryptoModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    const mod = proc.getBuiltinModule('node:crypto') as Partial<NodeCryptoModule> | undefined;
    return typeof mod?.createCipheriv === 'function' ? (mod as NodeCryptoModule) : undefined;
  } catch {
    return undefined;
  }
}

/** Returns a plain Uint8Array view of a Buffer's bytes (no copy): Buffers never leak out. */
function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Runs a node:crypto call whose inputs were already validated. Anything it still throws
 * (e.g. an algorithm disabled by an OpenSSL FIPS configuration) becomes a Krb5CryptoError.
 */
function native<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Krb5CryptoError) throw err;
    throw new Krb5CryptoError(`node:crypto ${what} failed: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    });
  }
}

const aesName = (key: Bytes, mode: string): string => `aes-${key.length * 8}-${mode}`;

/**
 * Builds the node:crypto backend, or returns undefined when node:crypto is unavailable
 * (browsers, Deno without node compat, workers). Call once and keep the result.
 */
export function createNodeBackend(): CryptoBackend | undefined {
  const loaded = loadNodeCrypto();
  if (loaded === undefined) return undefined;
  const c: NodeCryptoModule = loaded;
  const oneShotHash = typeof c.hash === 'function' ? c.hash : undefined;

  function blockCipher(mode: 'ecb' | 'cbc', decrypt: boolean, key: Bytes, iv: Bytes | null, data: Bytes) {
    return native(`aes-${mode}`, () => {
      const cipher = decrypt
        ? c.createDecipheriv(aesName(key, mode), key, iv)
        : c.createCipheriv(aesName(key, mode), key, iv);
      cipher.setAutoPadding(false);
      // Whole blocks without padding: update() yields everything, final() yields nothing.
      const out = cipher.update(data);
      cipher.final();
      return view(out);
    });
  }

  function ecb(decrypt: boolean, key: Bytes, data: Bytes): Bytes {
    checkAesKey(key);
    checkBlocks('data', data);
    return blockCipher('ecb', decrypt, key, null, data);
  }

  function cbc(decrypt: boolean, key: Bytes, iv: Bytes, data: Bytes): Bytes {
    checkAesKey(key);
    checkBytes('iv', iv, 16);
    checkBlocks('data', data);
    return blockCipher('cbc', decrypt, key, iv, data);
  }

  function aeadCheck(key: Bytes, nonce: Bytes, data: Bytes, aad: Bytes): void {
    checkAesKey(key);
    checkBytes('nonce', nonce);
    checkBytes('data', data);
    checkBytes('aad', aad);
  }

  const backend: CryptoBackend = {
    name: 'node',

    hash(algorithm: HashAlgorithm, data: Bytes): Bytes {
      checkHash(algorithm);
      checkBytes('data', data);
      return native('hash', () =>
        view(
          oneShotHash !== undefined
            ? oneShotHash(algorithm, data, 'buffer')
            : c.createHash(algorithm).update(data).digest(),
        ),
      );
    },

    hmac(algorithm: HashAlgorithm, key: Bytes, data: Bytes): Bytes {
      checkHash(algorithm);
      checkBytes('HMAC key', key);
      checkBytes('data', data);
      return native('hmac', () => view(c.createHmac(algorithm, key).update(data).digest()));
    },

    async pbkdf2(algorithm, password, salt, iterations, length): Promise<Bytes> {
      checkHash(algorithm);
      checkBytes('password', password);
      checkBytes('salt', salt);
      checkInteger('iterations', iterations, 1, MAX_INT32);
      checkInteger('length', length, 1, MAX_INT32);
      return new Promise<Bytes>((resolve, reject) => {
        native('pbkdf2', () =>
          c.pbkdf2(password, salt, iterations, length, algorithm, (err, key) => {
            if (err) reject(new Krb5CryptoError(`node:crypto pbkdf2 failed: ${err.message}`, { cause: err }));
            else resolve(view(key));
          }),
        );
      });
    },

    aesEcbEncrypt: (key, data) => ecb(false, key, data),
    aesEcbDecrypt: (key, data) => ecb(true, key, data),
    aesCbcEncrypt: (key, iv, data) => cbc(false, key, iv, data),
    aesCbcDecrypt: (key, iv, data) => cbc(true, key, iv, data),

    aesCtr(key, counter, data) {
      checkAesKey(key);
      checkBytes('counter', counter, 16);
      checkBytes('data', data);
      // OpenSSL's CTR increments the whole 128-bit block big-endian, as the interface requires.
      return native('aes-ctr', () => view(c.createCipheriv(aesName(key, 'ctr'), key, counter).update(data)));
    },

    aesGcmSeal(key, nonce, plaintext, aad) {
      aeadCheck(key, nonce, plaintext, aad);
      checkBytes('GCM nonce', nonce, 12);
      return native('aes-gcm seal', () => {
        const cipher = c.createCipheriv(aesName(key, 'gcm') as NodeCrypto.CipherGCMTypes, key, nonce, {
          authTagLength: 16,
        });
        cipher.setAAD(aad);
        const ciphertext = view(cipher.update(plaintext));
        cipher.final();
        return { ciphertext, tag: view(cipher.getAuthTag()) };
      });
    },

    aesGcmOpen(key, nonce, ciphertext, tag, aad) {
      aeadCheck(key, nonce, ciphertext, aad);
      checkBytes('tag', tag, 16);
      checkBytes('GCM nonce', nonce, 12);
      const decipher = native('aes-gcm open', () => {
        const d = c.createDecipheriv(aesName(key, 'gcm') as NodeCrypto.CipherGCMTypes, key, nonce, {
          authTagLength: 16,
        });
        d.setAuthTag(tag);
        d.setAAD(aad);
        return d;
      });
      const plaintext = native('aes-gcm open', () => decipher.update(ciphertext));
      try {
        decipher.final(); // verifies the tag
      } catch {
        plaintext.fill(0);
        throw new IntegrityError('AES-GCM tag mismatch');
      }
      return view(plaintext);
    },

    aesCcmSeal(key, nonce, plaintext, aad) {
      aeadCheck(key, nonce, plaintext, aad);
      checkCcmParams(nonce, plaintext.length, 16);
      // With no payload OpenSSL's CCM misbehaves through node: open accepts any tag, and an
      // empty view over a non-empty buffer fails with "tag not set". The generic CCM over
      // this backend's ECB/CBC/CTR gives the same bytes and checks the tag.
      if (plaintext.length === 0) return aesCcmSealGeneric(backend, key, nonce, plaintext, aad);
      return native('aes-ccm seal', () => {
        const cipher = c.createCipheriv(aesName(key, 'ccm') as NodeCrypto.CipherCCMTypes, key, nonce, {
          authTagLength: 16,
        });
        cipher.setAAD(aad, { plaintextLength: plaintext.length });
        const ciphertext = view(cipher.update(plaintext));
        cipher.final();
        return { ciphertext, tag: view(cipher.getAuthTag()) };
      });
    },

    aesCcmOpen(key, nonce, ciphertext, tag, aad) {
      aeadCheck(key, nonce, ciphertext, aad);
      checkBytes('tag', tag, 16);
      checkCcmParams(nonce, ciphertext.length, 16);
      if (ciphertext.length === 0) return aesCcmOpenGeneric(backend, key, nonce, ciphertext, tag, aad); // see seal
      const decipher = native('aes-ccm open', () => {
        const d = c.createDecipheriv(aesName(key, 'ccm') as NodeCrypto.CipherCCMTypes, key, nonce, {
          authTagLength: 16,
        });
        d.setAuthTag(tag);
        d.setAAD(aad, { plaintextLength: ciphertext.length });
        return d;
      });
      // For CCM OpenSSL verifies inside update() and outputs nothing on failure.
      let plaintext: Bytes;
      try {
        plaintext = decipher.update(ciphertext);
        decipher.final();
      } catch {
        throw new IntegrityError('AES-CCM tag mismatch');
      }
      return view(plaintext);
    },

    aesCmac(key, data) {
      checkAesKey(key);
      checkBytes('data', data);
      // One CBC cipher object carries the chain across calls: one OpenSSL context per MAC.
      return native('aes-cmac', () => {
        const cipher = c.createCipheriv(aesName(key, 'cbc'), key, new Uint8Array(16));
        cipher.setAutoPadding(false);
        return cmacWithChain((blocks) => view(cipher.update(blocks)), data);
      });
    },

    randomBytes(length) {
      checkInteger('length', length, 0, MAX_INT32);
      const out = new Uint8Array(length);
      native('randomFillSync', () => c.randomFillSync(out));
      return out;
    },
  };
  return backend;
}
