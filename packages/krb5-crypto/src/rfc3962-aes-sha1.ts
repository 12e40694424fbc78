/**
 * RFC 3962: aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18).
 *
 * - Simplified profile (RFC 3961 §5.3) with AES-CTS (§6), HMAC-SHA1 truncated to 96 bits.
 * - string-to-key (§4): tkey = random-to-key(PBKDF2-HMAC-SHA1(password, salt, iterations,
 *   key length)); key = DK(tkey, "kerberos").
 * - s2kparams: the iteration count as 4 bytes big-endian; default 4096 (00 00 10 00).
 * - PRF (§5): PRF(K, s) = E(DK(K, "prf"), truncate16(SHA-1(s))), AES on one block.
 */
import { BadS2kParamsError, InvalidInputError } from './errors.js';
import { type Key, namedDerived } from './key.js';
import { utf8Encode } from './primitives/index.js';
import type { EnctypeImpl, EnctypeProfile, StringToKeyOptions } from './profile.js';
import { Cksumtype } from './registry/cksumtype.js';
import { Enctype, enctypeAliases } from './registry/enctype.js';
import {
  deriveRandomAes,
  type SimplifiedParams,
  simplifiedChecksum,
  simplifiedDecrypt,
  simplifiedEncrypt,
} from './rfc3961-simplified.js';
import { requireBytes } from './validate.js';

/** MIT's implementation limit: iteration counts at or above 2^24 are refused. */
export const MAX_PBKDF2_ITERATIONS = 0x1000000;

const KERBEROS = utf8Encode('kerberos');
const PRF_CONSTANT = utf8Encode('prf');

/**
 * Parses s2kparams holding a PBKDF2 iteration count (RFC 3962 §4, reused by RFC 8009 §4).
 * Mirrors MIT krb5: must be 4 bytes; 0 (meaning 2^32) and counts ≥ 2^24 are refused;
 * counts below the enctype default are refused unless `allowWeakIterations`.
 */
export function parseIterationCount(
  params: Uint8Array | undefined,
  defaultIterations: number,
  options: StringToKeyOptions,
): number {
  if (params === undefined) return defaultIterations;
  requireBytes('s2kparams', params);
  if (params.length !== 4) {
    throw new BadS2kParamsError(`s2kparams must be 4 bytes (iteration count), got ${params.length}`);
  }
  const count = ((params[0]! << 24) | (params[1]! << 16) | (params[2]! << 8) | params[3]!) >>> 0;
  if (count === 0) throw new BadS2kParamsError('s2kparams: iteration count 0 (2^32) is refused');
  if (count < defaultIterations && options.allowWeakIterations !== true) {
    throw new BadS2kParamsError(
      `s2kparams: iteration count ${count} is below the default ${defaultIterations} (weak); refused`,
    );
  }
  if (count >= MAX_PBKDF2_ITERATIONS) {
    throw new BadS2kParamsError(
      `s2kparams: iteration count ${count} is too large (limit ${MAX_PBKDF2_ITERATIONS - 1})`,
    );
  }
  return count;
}

/** Encodes an iteration count as s2kparams (4 bytes big-endian). */
export function iterationsToS2kParams(iterations: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, iterations >>> 0, false);
  return out;
}

export function passwordBytes(password: Uint8Array | string): Uint8Array {
  if (typeof password === 'string') return utf8Encode(password);
  requireBytes('password', password);
  return password;
}

const DEFAULT_ITERATIONS = 4096;

function makeImpl(id: 17 | 18, keyLength: 16 | 32, cksumtype: number): EnctypeImpl {
  const params: SimplifiedParams = { keyLength, hash: 'sha1', macLength: 12 };
  const names = enctypeAliases(id);
  const profile: EnctypeProfile = Object.freeze({
    id,
    name: names[0]!,
    names,
    spec: 'RFC 3962',
    keyLength,
    seedLength: keyLength,
    blockSize: 16,
    messageBlockSize: 1,
    confounderLength: 16,
    integrityLength: 12,
    overhead: 28,
    checksumType: cksumtype,
    checksumLength: 12,
    prfLength: 16,
    defaultIterations: DEFAULT_ITERATIONS,
    defaultS2kParams: iterationsToS2kParams(DEFAULT_ITERATIONS),
    hash: 'sha1',
    requiresOptIn: false,
  });
  return {
    profile,
    async stringToKey(backend, password, salt, s2kparams, options) {
      const iterations = parseIterationCount(s2kparams, DEFAULT_ITERATIONS, options);
      const tkey = await backend.pbkdf2('sha1', passwordBytes(password), salt, iterations, keyLength);
      return deriveRandomAes(backend, tkey, KERBEROS, keyLength);
    },
    randomToKey(seed) {
      if (seed.length !== keyLength) {
        throw new InvalidInputError(`${profile.name} needs ${keyLength} key bytes, got ${seed.length}`);
      }
      return seed;
    },
    encrypt: (backend, key, usage, plaintext, confounder) =>
      simplifiedEncrypt(backend, params, key, usage, plaintext, confounder),
    decrypt: (backend, key, usage, ciphertext) => simplifiedDecrypt(backend, params, key, usage, ciphertext),
    checksum: (backend, key, usage, data) => simplifiedChecksum(backend, params, key, usage, data),
    prf(backend, key: Key, input) {
      const prfKey = namedDerived(key, 'prf', () =>
        deriveRandomAes(backend, key.bytes, PRF_CONSTANT, keyLength),
      );
      const digest = backend.hash('sha1', input).subarray(0, 16);
      return backend.aesEcbEncrypt(prfKey, digest);
    },
    deriveRandom: (backend, key, constant, length) => deriveRandomAes(backend, key.bytes, constant, length),
  };
}

export const aes128CtsHmacSha196: EnctypeImpl = makeImpl(
  Enctype.AES128_CTS_HMAC_SHA1_96,
  16,
  Cksumtype.HMAC_SHA1_96_AES128,
);
export const aes256CtsHmacSha196: EnctypeImpl = makeImpl(
  Enctype.AES256_CTS_HMAC_SHA1_96,
  32,
  Cksumtype.HMAC_SHA1_96_AES256,
);
