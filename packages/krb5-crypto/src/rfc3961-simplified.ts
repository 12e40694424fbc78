/**
 * RFC 3961 §5.3: key derivation (DR / DK) and the "simplified profile" that builds a
 * complete enctype from a block cipher in CBC-CTS mode plus an HMAC:
 *
 *   Kc = DK(base, usage | 0x99)   checksum key
 *   Ke = DK(base, usage | 0xAA)   encryption key
 *   Ki = DK(base, usage | 0x55)   integrity key
 *
 *   encrypt  = E(Ke, confounder | plaintext) | HMAC(Ki, confounder | plaintext)[0..h]
 *   checksum = HMAC(Kc, data)[0..h]
 *
 * DR(K, constant) = k-truncate(E(K, c1) | E(K, E(K, c1)) | ...) where c1 is the constant,
 * n-folded to the cipher block size unless it already has that size.
 * DK(K, constant) = random-to-key(DR(K, constant)); random-to-key is the identity for AES.
 */
import { ctsDecryptInPlace, ctsEncryptScratch, ZERO_IV } from './cts.js';
import { IntegrityError, InvalidInputError } from './errors.js';
import { type Key, usageBytesBE, usageKeys } from './key.js';
import { nfold } from './nfold.js';
import { type CryptoBackend, constantTimeEqual, type HashAlgorithm } from './primitives/index.js';
import { releaseScratch, takeScratch } from './scratch.js';

export const KC_CONSTANT = 0x99;
export const KE_CONSTANT = 0xaa;
export const KI_CONSTANT = 0x55;

const BLOCK = 16;

/** The 5-byte well-known constant for a usage: usage (4 bytes big-endian) | 0x99/0xAA/0x55. */
export function usageConstant(usage: number, kind: number): Uint8Array {
  const c = new Uint8Array(5);
  c.set(usageBytesBE(usage));
  c[4] = kind;
  return c;
}

/** DR with AES (the RFC 3962 "E" on one block is plain AES, IV zero). */
export function deriveRandomAes(
  backend: CryptoBackend,
  baseKey: Uint8Array,
  constant: Uint8Array,
  length: number,
): Uint8Array {
  if (constant.length === 0) throw new InvalidInputError('key-derivation constant must not be empty');
  let block = constant.length === BLOCK ? constant : nfold(constant, BLOCK * 8);
  const out = new Uint8Array(length);
  for (let filled = 0; filled < length; filled += BLOCK) {
    block = backend.aesEcbEncrypt(baseKey, block);
    out.set(block.subarray(0, Math.min(BLOCK, length - filled)), filled);
  }
  return out;
}

/** Parameters of one simplified-profile enctype. */
export interface SimplifiedParams {
  readonly keyLength: number;
  readonly hash: HashAlgorithm;
  /** h: truncated HMAC length in bytes (12 for the RFC 3962 enctypes). */
  readonly macLength: number;
}

/**
 * The usage constants n-folded to one AES block, by (usage, kind): they depend on nothing
 * else, and n-fold costs more than the AES block it feeds. Bounded (usages are few).
 */
const foldedConstants = new Map<number, Uint8Array>();
const FOLDED_CONSTANTS_MAX = 1024;

function foldedUsageConstant(usage: number, kind: number): Uint8Array {
  const id = (usage >>> 0) * 256 + kind;
  let block = foldedConstants.get(id);
  if (block === undefined) {
    block = nfold(usageConstant(usage, kind), BLOCK * 8);
    if (foldedConstants.size < FOLDED_CONSTANTS_MAX) foldedConstants.set(id, block);
  }
  return block;
}

function derive(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
  kind: number,
): Uint8Array {
  // A copy: the cached block must not reach a backend that could write into its input.
  return deriveRandomAes(backend, key.bytes, foldedUsageConstant(usage, kind).slice(), p.keyLength);
}

/**
 * Ke and Ki of (key, usage) together: the two DR chains (RFC 3961 §5.3) run side by side,
 * one two-block ECB call per step instead of one call per block. Same bytes as `derive`.
 */
function deriveKeKi(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
): { ke: Uint8Array; ki: Uint8Array } {
  const length = p.keyLength;
  const ke = new Uint8Array(length);
  const ki = new Uint8Array(length);
  let blocks: Uint8Array = new Uint8Array(2 * BLOCK);
  blocks.set(foldedUsageConstant(usage, KE_CONSTANT));
  blocks.set(foldedUsageConstant(usage, KI_CONSTANT), BLOCK);
  for (let filled = 0; filled < length; filled += BLOCK) {
    blocks = backend.aesEcbEncrypt(key.bytes, blocks);
    const take = Math.min(BLOCK, length - filled);
    ke.set(blocks.subarray(0, take), filled);
    ki.set(blocks.subarray(BLOCK, BLOCK + take), filled);
  }
  return { ke, ki };
}

/** The usage's Ke and Ki, derived on first use (both at once when both are missing). */
function encryptionKeys(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
): { encKey: Uint8Array; intKey: Uint8Array } {
  const u = usageKeys(key, usage);
  if (u.ke === undefined && u.ki === undefined) {
    const both = deriveKeKi(backend, p, key, usage);
    u.ke = both.ke;
    u.ki = both.ki;
  }
  u.ke ??= derive(backend, p, key, usage, KE_CONSTANT);
  u.ki ??= derive(backend, p, key, usage, KI_CONSTANT);
  return { encKey: u.ke, intKey: u.ki };
}

export function simplifiedEncrypt(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
  plaintext: Uint8Array,
  confounder: Uint8Array,
): Uint8Array {
  const { encKey, intKey } = encryptionKeys(backend, p, key, usage);
  const length = BLOCK + plaintext.length;
  // confounder | plaintext, zero-padded, in scratch space; the cipher's output buffer gets
  // room for the tag (an extra zero block costs one AES block, less than a copy).
  const buf = takeScratch(Math.ceil((length + p.macLength) / BLOCK) * BLOCK);
  try {
    buf.set(confounder);
    buf.set(plaintext, BLOCK);
    const mac = backend.hmac(p.hash, intKey, buf.subarray(0, length));
    const out = ctsEncryptScratch(backend, encKey, ZERO_IV, buf, length);
    for (let i = 0; i < p.macLength; i++) out[length + i] = mac[i]!;
    return out.subarray(0, length + p.macLength);
  } finally {
    releaseScratch(buf);
  }
}

export function simplifiedDecrypt(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
  ciphertext: Uint8Array,
): Uint8Array {
  if (ciphertext.length < BLOCK + p.macLength) {
    throw new InvalidInputError(
      `ciphertext too short: ${ciphertext.length} bytes, need at least ${BLOCK + p.macLength}`,
    );
  }
  const { encKey, intKey } = encryptionKeys(backend, p, key, usage);
  const split = ciphertext.length - p.macLength;
  const scratch = takeScratch(Math.ceil(split / BLOCK) * BLOCK);
  let plain: Uint8Array;
  try {
    scratch.set(ciphertext.subarray(0, split));
    plain = ctsDecryptInPlace(backend, encKey, ZERO_IV, scratch, split);
  } finally {
    releaseScratch(scratch);
  }
  const mac = backend.hmac(p.hash, intKey, plain).subarray(0, p.macLength);
  if (!constantTimeEqual(mac, ciphertext.subarray(split))) {
    plain.fill(0);
    throw new IntegrityError('decrypt: integrity check failed (wrong key or usage, or altered ciphertext)');
  }
  return plain.subarray(BLOCK);
}

export function simplifiedChecksum(
  backend: CryptoBackend,
  p: SimplifiedParams,
  key: Key,
  usage: number,
  data: Uint8Array,
): Uint8Array {
  const u = usageKeys(key, usage);
  u.kc ??= derive(backend, p, key, usage, KC_CONSTANT);
  const checksumKey = u.kc;
  return backend.hmac(p.hash, checksumKey, data).slice(0, p.macLength);
}
