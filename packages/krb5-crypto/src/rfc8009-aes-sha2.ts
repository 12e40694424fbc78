/**
 * RFC 8009: aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20).
 *
 * - KDF-HMAC-SHA2 (§3): SP 800-108 counter-mode KDF with HMAC-SHA-256 / SHA-384:
 *   K(i) = HMAC(key, i (4 bytes BE) | label | 0x00 | context | k (4 bytes BE, in bits)).
 * - Kc / Ke / Ki = KDF(base, usage | 0x99 / 0xAA / 0x55, k) with k = 128/192 (Kc, Ki)
 *   and 128/256 (Ke) bits for 19/20.
 * - string-to-key (§4): saltp = enctype-name | 0x00 | salt;
 *   tkey = PBKDF2-HMAC-SHA2(password, saltp, iterations, key length);
 *   key = KDF(tkey, "kerberos", key bits). Default 32768 iterations.
 * - encryption (§5): C = AES-CTS(Ke, IV, confounder | plaintext);
 *   H = HMAC(Ki, IV | C) truncated to 128/192 bits; ciphertext = C | H (encrypt-then-MAC).
 * - checksum: HMAC(Kc, data) truncated; PRF: KDF(base, "prf", input, 256/384 bits).
 */
import { ctsDecryptInPlace, ctsEncryptScratch, ZERO_IV } from './cts.js';
import { IntegrityError, InvalidInputError } from './errors.js';
import { type Key, usageKeys } from './key.js';
import { type CryptoBackend, constantTimeEqual, type HashAlgorithm, utf8Encode } from './primitives/index.js';
import type { EnctypeImpl, EnctypeProfile } from './profile.js';
import { Cksumtype } from './registry/cksumtype.js';
import { Enctype, enctypeAliases } from './registry/enctype.js';
import { KC_CONSTANT, KE_CONSTANT, KI_CONSTANT, usageConstant } from './rfc3961-simplified.js';
import { iterationsToS2kParams, parseIterationCount, passwordBytes } from './rfc3962-aes-sha1.js';
import { releaseScratch, takeScratch } from './scratch.js';

const BLOCK = 16;
const KERBEROS = utf8Encode('kerberos');
const PRF_LABEL = utf8Encode('prf');
const EMPTY = new Uint8Array(0);
const DEFAULT_ITERATIONS = 32768;

/** KDF-HMAC-SHA2(key, label, context, length bytes), RFC 8009 §3 (SP 800-108 counter mode). */
export function kdfHmacSha2(
  backend: CryptoBackend,
  hash: HashAlgorithm,
  key: Uint8Array,
  label: Uint8Array,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const bits = length * 8;
  const input = new Uint8Array(4 + label.length + 1 + context.length + 4);
  const view = new DataView(input.buffer);
  input.set(label, 4);
  input.set(context, 4 + label.length + 1);
  view.setUint32(input.length - 4, bits >>> 0, false);
  const out = new Uint8Array(length);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    view.setUint32(0, i, false);
    const block = backend.hmac(hash, key, input);
    const take = Math.min(block.length, length - filled);
    out.set(block.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

function makeImpl(
  id: 19 | 20,
  keyLength: 16 | 32,
  hash: 'sha256' | 'sha384',
  macLength: 16 | 24,
  prfLength: 32 | 48,
  cksumtype: number,
): EnctypeImpl {
  const names = enctypeAliases(id);
  const name = names[0]!;
  const nameBytes = utf8Encode(name);
  const profile: EnctypeProfile = Object.freeze({
    id,
    name,
    names,
    spec: 'RFC 8009',
    keyLength,
    seedLength: keyLength,
    blockSize: 16,
    messageBlockSize: 1,
    confounderLength: 16,
    integrityLength: macLength,
    overhead: 16 + macLength,
    checksumType: cksumtype,
    checksumLength: macLength,
    prfLength,
    defaultIterations: DEFAULT_ITERATIONS,
    defaultS2kParams: iterationsToS2kParams(DEFAULT_ITERATIONS),
    hash,
    requiresOptIn: false,
  });

  const derive = (
    backend: CryptoBackend,
    key: Key,
    usage: number,
    kind: number,
    length: number,
  ): Uint8Array => kdfHmacSha2(backend, hash, key.bytes, usageConstant(usage, kind), EMPTY, length);

  return {
    profile,
    async stringToKey(backend, password, salt, s2kparams, options) {
      const iterations = parseIterationCount(s2kparams, DEFAULT_ITERATIONS, options);
      const saltp = new Uint8Array(nameBytes.length + 1 + salt.length);
      saltp.set(nameBytes);
      saltp.set(salt, nameBytes.length + 1);
      const tkey = await backend.pbkdf2(hash, passwordBytes(password), saltp, iterations, keyLength);
      return kdfHmacSha2(backend, hash, tkey, KERBEROS, EMPTY, keyLength);
    },
    randomToKey(seed) {
      if (seed.length !== keyLength) {
        throw new InvalidInputError(`${name} needs ${keyLength} key bytes, got ${seed.length}`);
      }
      return seed;
    },
    encrypt(backend, key, usage, plaintext, confounder) {
      const u = usageKeys(key, usage);
      u.ke ??= derive(backend, key, usage, KE_CONSTANT, keyLength);
      const encKey = u.ke;
      u.ki ??= derive(backend, key, usage, KI_CONSTANT, macLength);
      const intKey = u.ki;
      const length = BLOCK + plaintext.length;
      // confounder | plaintext, zero-padded, with room in the cipher output for the tag.
      const padded = takeScratch(Math.ceil((length + macLength) / BLOCK) * BLOCK);
      let out: Uint8Array;
      try {
        padded.set(confounder);
        padded.set(plaintext, BLOCK);
        out = ctsEncryptScratch(backend, encKey, ZERO_IV, padded, length);
      } finally {
        releaseScratch(padded);
      }
      // H = HMAC(Ki, IV | C) with the 16-byte zero IV, which is not sent.
      const macInput = takeScratch(BLOCK + length);
      try {
        macInput.set(out.subarray(0, length), BLOCK);
        const mac = backend.hmac(hash, intKey, macInput);
        for (let i = 0; i < macLength; i++) out[length + i] = mac[i]!;
      } finally {
        releaseScratch(macInput);
      }
      return out.subarray(0, length + macLength);
    },
    decrypt(backend, key, usage, ciphertext) {
      if (ciphertext.length < BLOCK + macLength) {
        throw new InvalidInputError(
          `ciphertext too short: ${ciphertext.length} bytes, need at least ${BLOCK + macLength}`,
        );
      }
      const u = usageKeys(key, usage);
      u.ke ??= derive(backend, key, usage, KE_CONSTANT, keyLength);
      const encKey = u.ke;
      u.ki ??= derive(backend, key, usage, KI_CONSTANT, macLength);
      const intKey = u.ki;
      const split = ciphertext.length - macLength;
      // IV | C, with room to decrypt C in place once the HMAC has been checked.
      const buf = takeScratch(BLOCK + Math.ceil(split / BLOCK) * BLOCK);
      try {
        buf.set(ciphertext.subarray(0, split), BLOCK);
        const mac = backend.hmac(hash, intKey, buf.subarray(0, BLOCK + split)).subarray(0, macLength);
        if (!constantTimeEqual(mac, ciphertext.subarray(split))) {
          throw new IntegrityError(
            'decrypt: integrity check failed (wrong key or usage, or altered ciphertext)',
          );
        }
        return ctsDecryptInPlace(backend, encKey, ZERO_IV, buf.subarray(BLOCK), split).subarray(BLOCK);
      } finally {
        releaseScratch(buf);
      }
    },
    checksum(backend, key, usage, data) {
      const u = usageKeys(key, usage);
      u.kc ??= derive(backend, key, usage, KC_CONSTANT, macLength);
      const checksumKey = u.kc;
      return backend.hmac(hash, checksumKey, data).slice(0, macLength);
    },
    prf(backend, key, input) {
      return kdfHmacSha2(backend, hash, key.bytes, PRF_LABEL, input, prfLength);
    },
    deriveRandom: (backend, key, constant, length) =>
      kdfHmacSha2(backend, hash, key.bytes, constant, EMPTY, length),
  };
}

export const aes128CtsHmacSha256128: EnctypeImpl = makeImpl(
  Enctype.AES128_CTS_HMAC_SHA256_128,
  16,
  'sha256',
  16,
  32,
  Cksumtype.HMAC_SHA256_128_AES128,
);
export const aes256CtsHmacSha384192: EnctypeImpl = makeImpl(
  Enctype.AES256_CTS_HMAC_SHA384_192,
  32,
  'sha384',
  24,
  48,
  Cksumtype.HMAC_SHA384_192_AES256,
);
