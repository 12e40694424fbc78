/**
 * The RFC 3961 framework operations, dispatched to the enctype of the key:
 * string-to-key, random-to-key, encrypt, decrypt, DK/DR (§3, §5.3).
 *
 * Every operation takes the backend from `getBackend()` when it is called, so
 * `setBackend('noble')` switches everything at once. Only string-to-key is asynchronous
 * (PBKDF2 must not block an event loop); the rest is synchronous.
 */
import { enabledImpl } from './enctypes.js';
import { InvalidInputError, UnsupportedAlgorithmError } from './errors.js';
import { checkKeyShape, checkUsage, type Key, makeKey } from './key.js';
import { type CryptoBackend, getBackend, utf8Encode } from './primitives/index.js';
import type { EnctypeImpl, StringToKeyOptions } from './profile.js';
import { requireBytes, requireBytesOrString, requireLength } from './validate.js';

/** Options of `encrypt`. */
export interface EncryptOptions {
  /**
   * The confounder (16 bytes for AES, 8 for RC4-HMAC). Only for known-answer tests:
   * a fixed confounder makes the ciphertext predictable. Default: random bytes.
   */
  readonly confounder?: Uint8Array;
}

/**
 * Confounders come from a pool refilled 4 KiB at a time: one CSPRNG call per ~256
 * messages instead of one per message (a node:crypto call costs as much as encrypting a
 * small message). Each pool byte is handed out once. Keys never come from the pool.
 */
const POOL_SIZE = 4096;
let pool: { backend: CryptoBackend; bytes: Uint8Array; offset: number } | undefined;

function randomConfounder(backend: CryptoBackend, n: number): Uint8Array {
  if (pool === undefined || pool.backend !== backend || pool.offset + n > pool.bytes.length) {
    pool = { backend, bytes: backend.randomBytes(POOL_SIZE), offset: 0 };
  }
  const out = pool.bytes.subarray(pool.offset, pool.offset + n);
  pool.offset += n;
  return out;
}

/** Checks a Key argument and returns its (enabled) implementation. */
export function implForKey(key: Key): EnctypeImpl {
  checkKeyShape(key);
  const impl = enabledImpl(key.enctype);
  if (key.bytes.length !== impl.profile.keyLength) {
    throw new InvalidInputError(
      `${impl.profile.name} key must be ${impl.profile.keyLength} bytes, got ${key.bytes.length}`,
    );
  }
  return impl;
}

function bytesOf(name: string, value: Uint8Array | string): Uint8Array {
  requireBytesOrString(name, value);
  return typeof value === 'string' ? utf8Encode(value) : value;
}

/**
 * string-to-key (RFC 3961 §3): the long-term key of a principal from its password and salt
 * (normally the realm followed by the principal's name components, or the salt from
 * PA-ETYPE-INFO2). `params` is the s2kparams of PA-ETYPE-INFO2 (for AES, the PBKDF2
 * iteration count as 4 bytes big-endian); omitted or empty means the enctype default.
 * Strings are encoded as UTF-8 (for RC4-HMAC the password becomes UTF-16LE).
 */
export async function stringToKey(
  enctype: number | string,
  password: string | Uint8Array,
  salt: string | Uint8Array,
  params?: Uint8Array,
  options: StringToKeyOptions = {},
): Promise<Key> {
  const impl = enabledImpl(enctype);
  requireBytesOrString('password', password);
  const saltBytes = bytesOf('salt', salt);
  if (params !== undefined) requireBytes('s2kparams', params);
  const bytes = await impl.stringToKey(getBackend(), password, saltBytes, params, options ?? {});
  return makeKey(impl.profile.id, bytes, false);
}

/** random-to-key (RFC 3961 §3): a key from `seedLength` random bytes (identity for AES and RC4). */
export function randomToKey(enctype: number | string, randomBytes: Uint8Array): Key {
  const impl = enabledImpl(enctype);
  requireBytes('randomBytes', randomBytes);
  return makeKey(impl.profile.id, impl.randomToKey(randomBytes));
}

/** A fresh random key of the enctype, from the backend's CSPRNG. */
export function generateKey(enctype: number | string): Key {
  const impl = enabledImpl(enctype);
  const seed = getBackend().randomBytes(impl.profile.seedLength);
  return makeKey(impl.profile.id, impl.randomToKey(seed), false);
}

/**
 * encrypt (RFC 3961 §3): the complete ciphertext, confounder and integrity tag included,
 * as it goes into EncryptedData.cipher. The result may be a view into a larger buffer.
 */
export function encrypt(
  key: Key,
  usage: number,
  plaintext: Uint8Array,
  options?: EncryptOptions,
): Uint8Array {
  const impl = implForKey(key);
  checkUsage(usage);
  requireBytes('plaintext', plaintext);
  const backend = getBackend();
  const n = impl.profile.confounderLength;
  let confounder: Uint8Array;
  if (options?.confounder !== undefined) {
    requireBytes('confounder', options.confounder);
    if (options.confounder.length !== n) {
      throw new InvalidInputError(
        `${impl.profile.name} confounder must be ${n} bytes, got ${options.confounder.length}`,
      );
    }
    confounder = options.confounder;
  } else {
    confounder = randomConfounder(backend, n);
  }
  return impl.encrypt(backend, key, usage, plaintext, confounder);
}

/**
 * decrypt (RFC 3961 §3): checks integrity and returns the plaintext (without confounder).
 * IntegrityError when the tag does not verify (wrong key, wrong usage, altered data);
 * InvalidInputError when the ciphertext is shorter than confounder + tag.
 * The result may be a view into a larger buffer.
 */
export function decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array {
  const impl = implForKey(key);
  checkUsage(usage);
  requireBytes('ciphertext', ciphertext);
  return impl.decrypt(getBackend(), key, usage, ciphertext);
}

/** Ciphertext length for a plaintext of `plaintextLength` bytes. */
export function encryptedLength(enctype: number | string, plaintextLength: number): number {
  const impl = enabledImpl(enctype);
  requireLength('plaintextLength', plaintextLength, 0, Number.MAX_SAFE_INTEGER - 64);
  return plaintextLength + impl.profile.overhead;
}

/**
 * DR (RFC 3961 §5.3) for AES-SHA1 enctypes; KDF-HMAC-SHA2 with an empty context for the
 * RFC 8009 ones. `length` defaults to the key length.
 */
export function deriveRandom(key: Key, constant: Uint8Array, length?: number): Uint8Array {
  const impl = implForKey(key);
  requireBytes('constant', constant);
  if (constant.length === 0) throw new InvalidInputError('key-derivation constant must not be empty');
  const n = length ?? impl.profile.seedLength;
  requireLength('length', n, 1, 1024);
  if (impl.deriveRandom === undefined) {
    throw new UnsupportedAlgorithmError(`${impl.profile.name} has no key derivation (RFC 3961 §5.3)`);
  }
  return impl.deriveRandom(getBackend(), key, constant, n);
}

/** DK (RFC 3961 §5.3): random-to-key(DR(key, constant)), a key of the same enctype. */
export function deriveKey(key: Key, constant: Uint8Array): Key {
  const impl = implForKey(key);
  const random = deriveRandom(key, constant, impl.profile.seedLength);
  return makeKey(key.enctype, impl.randomToKey(random), false);
}
