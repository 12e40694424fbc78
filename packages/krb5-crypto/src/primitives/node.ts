/**
 * The node:crypto backend (OpenSSL): the fast default on Node. node:crypto is fetched at
 * run time through process.getBuiltinModule (Node >= 20.16), never imported statically,
 * so this package still loads in browsers and edge runtimes, where this backend is absent.
 *
 * Per-call cost matters more than throughput for Kerberos (messages of 50-1500 bytes):
 * creating a node:crypto Cipheriv or Hmac costs several microseconds, more than the AES
 * or SHA work on such a message. So, per AES or HMAC key, this backend keeps:
 *
 * - its ECB and CBC cipher contexts, created once. OpenSSL's CBC context carries the last
 *   ciphertext block as its chaining value and node cannot reset its IV, so a new IV is
 *   applied by XORing (chain XOR IV) into the first input block (encryption) or the first
 *   output block (decryption): E(P1 ^ chain ^ chain ^ IV) = E(P1 ^ IV).
 * - its HMAC pad states, so that HMAC-SHA1 / SHA-256 over short inputs runs in JS
 *   (hmac-js.ts) below the length where the node:crypto call overhead would dominate.
 *
 * The cache is an ObjectCache (a WeakMap behind a small ring for keys used only once or
 * twice) keyed by the key's Uint8Array object, so an entry goes away with the array, or
 * soon after its last use for a key used once. Each entry holds a copy of the bytes it was
 * built from and is rebuilt when the array's contents no longer match, so a caller that
 * reuses or mutates a key array gets the same results as without the cache. The entry
 * (like the OpenSSL key schedule in it) goes away when the array does, or when newer keys
 * push a rarely used one out of the ring; wiping the array's bytes does not wipe it.
 */
import type * as NodeCrypto from 'node:crypto';
import { IntegrityError, Krb5CryptoError } from '../errors.js';
import { ObjectCache } from '../object-cache.js';
import { checkAesKey, checkBlocks, checkBytes, checkHash, checkInteger, MAX_INT32 } from './assert.js';
import type { CryptoBackend, HashAlgorithm } from './backend.js';
import { aesCcmOpenGeneric, aesCcmSealGeneric, checkCcmParams } from './ccm.js';
import { cmacWithChain } from './cmac.js';
import { type HmacPads, hmacPads, hmacWithPads, type JsHmacAlgorithm } from './hmac-js.js';

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
 * Longest input for which HMAC runs in JS from cached pad states rather than in OpenSSL.
 * Measured on Node 20 / x64: a node:crypto HMAC costs ~4 µs plus ~1.3 µs per KiB, the JS
 * one ~0.25 µs per 64-byte block for SHA-1 and ~0.45 µs for SHA-256. SHA-384/512 (64-bit
 * rounds, ~2.5 µs per block in JS) and MD5 always use OpenSSL. Exported for the tests.
 */
export const JS_HMAC_MAX: Readonly<Partial<Record<HashAlgorithm, number>>> = { sha1: 1024, sha256: 512 };

/** Block and digest sizes (bytes) of the hashes, for HMAC from cached pads (RFC 2104). */
const HASH_BLOCK: Readonly<Record<HashAlgorithm, number>> = {
  md5: 64,
  sha1: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
};
const HASH_SIZE: Readonly<Record<HashAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/**
 * Longest input for which an OpenSSL HMAC is computed as two one-shot hashes over cached
 * padded keys, H(K ^ opad | H(K ^ ipad | data)), rather than through a node:crypto Hmac
 * object: that object costs an OpenSSL HMAC init per call, and each one is a wrapper with a
 * weak handle that makes the next young-generation GC slower. Longer inputs are copied
 * once more than the Hmac object would need, so they keep using it.
 */
const ONE_SHOT_HMAC_MAX = 16 * 1024;

/** The cached padded keys for one-shot HMAC: K ^ ipad and K ^ opad, one hash block each. */
interface PaddedKeys {
  readonly inner: Uint8Array;
  readonly outer: Uint8Array;
}

/** What this backend uses of a node:crypto Cipheriv / Decipheriv. */
interface BlockCipher {
  update(data: Uint8Array): Uint8Array;
}

type ContextKind = 'ecb-encrypt' | 'ecb-decrypt' | 'cbc-encrypt' | 'cbc-decrypt';

/** A kept cipher context; for CBC, `chain` is its chaining value (the last ciphertext block it saw). */
interface KeptCipher {
  readonly cipher: BlockCipher;
  readonly chain: Uint8Array;
}

/** What is cached for one key array (see the header comment). */
interface KeyEntry {
  /** The key bytes this entry was built from. */
  readonly bytes: Uint8Array;
  readonly contexts: { [kind in ContextKind]?: KeptCipher | undefined };
  readonly pads: Partial<Record<JsHmacAlgorithm, HmacPads>>;
  readonly padded: Partial<Record<HashAlgorithm, PaddedKeys>>;
}

/** Whether `a` and `b` hold the same bytes; no early exit (the bytes are key material). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * CBC encryption through the kept context copies the input to whiten its first block.
 * Above this length the copy costs more than a new context with the right IV, so longer
 * inputs get a one-off context instead.
 */
const KEPT_CBC_ENCRYPT_MAX = 16 * 1024;

/** The reusable buffer for whitening CBC input; it holds plaintext, so it is wiped after each use. */
const whitenBuffer = new Uint8Array(KEPT_CBC_ENCRYPT_MAX);

/** The reusable buffer for one-shot HMAC input (padded key | data); wiped after each use. */
const hmacBuffer = new Uint8Array(128 + ONE_SHOT_HMAC_MAX);

function paddedKeys(key: Bytes, block: number): PaddedKeys {
  const inner = new Uint8Array(block).fill(0x36);
  const outer = new Uint8Array(block).fill(0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i]! ^= key[i]!;
    outer[i]! ^= key[i]!;
  }
  return { inner, outer };
}

/**
 * Builds the node:crypto backend, or returns undefined when node:crypto is unavailable
 * (browsers, Deno without node compat, workers). Call once and keep the result.
 */
export function createNodeBackend(): CryptoBackend | undefined {
  const loaded = loadNodeCrypto();
  if (loaded === undefined) return undefined;
  const c: NodeCryptoModule = loaded;
  const oneShotHash = typeof c.hash === 'function' ? c.hash : undefined;

  const keys = new ObjectCache<Uint8Array, KeyEntry>();

  function entryFor(key: Bytes): KeyEntry {
    let entry = keys.get(key);
    if (entry === undefined || !sameBytes(entry.bytes, key)) {
      // A copy, also when the key is a Buffer (whose slice() would be a view).
      entry = { bytes: new Uint8Array(key), contexts: {}, pads: {}, padded: {} };
      keys.set(key, entry);
    }
    return entry;
  }

  function newCipher(mode: 'ecb' | 'cbc', decrypt: boolean, key: Bytes, iv: Bytes | null): BlockCipher {
    const cipher = decrypt
      ? c.createDecipheriv(aesName(key, mode), key, iv)
      : c.createCipheriv(aesName(key, mode), key, iv);
    cipher.setAutoPadding(false);
    return cipher;
  }

  function context(entry: KeyEntry, kind: ContextKind, key: Bytes): KeptCipher {
    let kept = entry.contexts[kind];
    if (kept === undefined) {
      const ecb = kind === 'ecb-encrypt' || kind === 'ecb-decrypt';
      const decrypt = kind === 'ecb-decrypt' || kind === 'cbc-decrypt';
      kept = {
        cipher: newCipher(ecb ? 'ecb' : 'cbc', decrypt, key, ecb ? null : new Uint8Array(16)),
        chain: new Uint8Array(16),
      };
      entry.contexts[kind] = kept;
    }
    return kept;
  }

  /**
   * Whole blocks through a cipher context: without padding, update() yields them all and
   * final() would yield nothing, so kept contexts are never finalised. A kept context that
   * fails is dropped, since its chaining value is then unknown.
   */
  function run(cipher: BlockCipher, data: Bytes, entry?: KeyEntry, kind?: ContextKind): Bytes {
    let out: Uint8Array;
    try {
      out = cipher.update(data);
      if (out.length !== data.length)
        throw new Krb5CryptoError('node:crypto: cipher output has the wrong length');
    } catch (err) {
      if (entry !== undefined && kind !== undefined) entry.contexts[kind] = undefined;
      throw err;
    }
    return out;
  }

  function ecb(decrypt: boolean, key: Bytes, data: Bytes): Bytes {
    checkAesKey(key);
    checkBlocks('data', data);
    if (data.length === 0) return new Uint8Array(0);
    const entry = entryFor(key);
    const kind = decrypt ? 'ecb-decrypt' : 'ecb-encrypt';
    return native('aes-ecb', () => view(run(context(entry, kind, key).cipher, data, entry, kind)));
  }

  function cbcEncrypt(key: Bytes, iv: Bytes, data: Bytes): Bytes {
    checkAesKey(key);
    checkBytes('iv', iv, 16);
    checkBlocks('data', data);
    const n = data.length;
    if (n === 0) return new Uint8Array(0);
    if (n > KEPT_CBC_ENCRYPT_MAX) {
      return native('aes-cbc', () => view(run(newCipher('cbc', false, key, iv), data)));
    }
    const entry = entryFor(key);
    return native('aes-cbc', () => {
      const kept = context(entry, 'cbc-encrypt', key);
      const chain = kept.chain;
      // E(P1 ^ chain ^ (chain ^ IV)) = E(P1 ^ IV): the kept context starts from `chain`.
      const input = whitenBuffer.subarray(0, n);
      input.set(data);
      for (let i = 0; i < 16; i++) input[i]! ^= chain[i]! ^ iv[i]!;
      let out: Bytes;
      try {
        out = run(kept.cipher, input, entry, 'cbc-encrypt');
      } finally {
        input.fill(0);
      }
      for (let i = 0, j = n - 16; i < 16; i++, j++) chain[i] = out[j]!;
      return view(out);
    });
  }

  function cbcDecrypt(key: Bytes, iv: Bytes, data: Bytes): Bytes {
    checkAesKey(key);
    checkBytes('iv', iv, 16);
    checkBlocks('data', data);
    const n = data.length;
    if (n === 0) return new Uint8Array(0);
    const entry = entryFor(key);
    return native('aes-cbc', () => {
      const kept = context(entry, 'cbc-decrypt', key);
      const out = run(kept.cipher, data, entry, 'cbc-decrypt');
      // The context XORed D(C1) with `chain`; the caller asked for the IV.
      const chain = kept.chain;
      for (let i = 0; i < 16; i++) out[i]! ^= chain[i]! ^ iv[i]!;
      for (let i = 0, j = n - 16; i < 16; i++, j++) chain[i] = data[j]!;
      return view(out);
    });
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
      const max = JS_HMAC_MAX[algorithm];
      // Keys longer than a block (64 bytes) would be hashed first: left to OpenSSL, uncached.
      if (max !== undefined && data.length <= max && key.length <= 64) {
        const alg = algorithm as JsHmacAlgorithm;
        const entry = entryFor(key);
        let pads = entry.pads[alg];
        if (pads === undefined) {
          pads = hmacPads(alg, key);
          entry.pads[alg] = pads;
        }
        return hmacWithPads(pads, data);
      }
      const block = HASH_BLOCK[algorithm];
      if (oneShotHash !== undefined && data.length <= ONE_SHOT_HMAC_MAX && key.length <= block) {
        const hash = oneShotHash;
        const entry = entryFor(key);
        let padded = entry.padded[algorithm];
        if (padded === undefined) {
          padded = paddedKeys(key, block);
          entry.padded[algorithm] = padded;
        }
        const pads = padded;
        return native('hmac', () => {
          const innerLength = block + data.length;
          const outerLength = block + HASH_SIZE[algorithm];
          try {
            const input = hmacBuffer.subarray(0, innerLength);
            input.set(pads.inner);
            input.set(data, block);
            const inner = hash(algorithm, input, 'buffer');
            const outerInput = hmacBuffer.subarray(0, outerLength);
            outerInput.set(pads.outer);
            outerInput.set(inner, block);
            inner.fill(0);
            return view(hash(algorithm, outerInput, 'buffer'));
          } finally {
            hmacBuffer.fill(0, 0, Math.max(innerLength, outerLength));
          }
        });
      }
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
    aesCbcEncrypt: cbcEncrypt,
    aesCbcDecrypt: cbcDecrypt,

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
