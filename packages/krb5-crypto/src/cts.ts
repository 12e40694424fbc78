/**
 * AES in CBC mode with ciphertext stealing, as RFC 3962 §6 uses it (and RFC 8009 §5 after
 * it): CBC-CS3 from NIST SP 800-38A Addendum, i.e. the last two ciphertext blocks are always
 * swapped, and the final one is truncated to the length of the last plaintext block.
 *
 * - Input of exactly one block is plain CBC (one AES block XOR the IV).
 * - Input shorter than one block is invalid: Kerberos always encrypts a 16-byte confounder
 *   first, so real messages are never that short.
 * - The "next IV" for chaining is the last full CBC block, which after the swap is the
 *   second-to-last block of output.
 */
import { InvalidInputError } from './errors.js';
import { type CryptoBackend, getBackend } from './primitives/index.js';
import { requireBytes } from './validate.js';

const BLOCK = 16;
export const ZERO_IV: Uint8Array = new Uint8Array(BLOCK);

/**
 * Encrypts the first `length` bytes of `buf` (zero-padded after them; `buf.length` a
 * multiple of 16 and at least `length` rounded up to 16) and returns the cipher's output
 * buffer with the CTS result in its first `length` bytes. The blocks are swapped in place,
 * so no copy of the payload is made; any room after `length` (when `buf` was made longer)
 * is free for the caller to write an integrity tag into.
 */
export function ctsEncryptScratch(
  backend: CryptoBackend,
  key: Uint8Array,
  iv: Uint8Array,
  buf: Uint8Array,
  length: number,
): Uint8Array {
  if (length < BLOCK) throw new InvalidInputError(`AES-CTS input must be at least 16 bytes, got ${length}`);
  const n = Math.ceil(length / BLOCK);
  if (buf.length < n * BLOCK || buf.length % BLOCK !== 0) {
    throw new InvalidInputError('AES-CTS: scratch buffer has the wrong size');
  }
  const c = backend.aesCbcEncrypt(key, iv, buf);
  if (n > 1) {
    const head = (n - 2) * BLOCK;
    const r = length - (n - 1) * BLOCK; // bytes in the last (partial or full) block, 1..16
    // C1..C(n-2) | Cn | C(n-1)[0..r]  (a 16-byte swap, no allocation)
    for (let i = 0; i < BLOCK; i++) {
      const prev = c[head + i]!;
      c[head + i] = c[head + BLOCK + i]!;
      if (i < r) c[head + BLOCK + i] = prev;
    }
  }
  return c;
}

/**
 * Decrypts the `length`-byte CTS ciphertext at the start of `buf`, which it overwrites
 * (`buf.length` must be at least `length` rounded up to 16). Returns the plaintext as a
 * view of the cipher's output. One copy fewer than a non-destructive decryption.
 */
export function ctsDecryptInPlace(
  backend: CryptoBackend,
  key: Uint8Array,
  iv: Uint8Array,
  buf: Uint8Array,
  length: number,
): Uint8Array {
  if (length < BLOCK) throw new InvalidInputError(`AES-CTS input must be at least 16 bytes, got ${length}`);
  const n = Math.ceil(length / BLOCK);
  if (buf.length < n * BLOCK) throw new InvalidInputError('AES-CTS: scratch buffer has the wrong size');
  const chain = buf.subarray(0, n * BLOCK);
  if (n > 1) {
    const head = (n - 2) * BLOCK;
    const r = length - (n - 1) * BLOCK;
    // buf = C1..C(n-2) | Cn | C(n-1)[0..r]. Rebuild C1..C(n-1) | Cn and run plain CBC:
    // D(Cn) = (Pn | 0...) XOR C(n-1), so the stolen tail of C(n-1) is the tail of D(Cn).
    const dn = r === BLOCK ? undefined : backend.aesEcbDecrypt(key, buf.subarray(head, head + BLOCK));
    for (let i = 0; i < BLOCK; i++) {
      const cn = buf[head + i]!;
      buf[head + i] = i < r || dn === undefined ? buf[head + BLOCK + i]! : dn[i]!;
      buf[head + BLOCK + i] = cn;
    }
  }
  return backend.aesCbcDecrypt(key, iv, chain).subarray(0, length);
}

/** AES-CTS encryption of `input` (≥ 16 bytes) with the given IV. */
export function ctsEncrypt(
  backend: CryptoBackend,
  key: Uint8Array,
  iv: Uint8Array,
  input: Uint8Array,
): Uint8Array {
  const length = input.length;
  if (length < BLOCK) throw new InvalidInputError(`AES-CTS input must be at least 16 bytes, got ${length}`);
  const buf = new Uint8Array(Math.ceil(length / BLOCK) * BLOCK);
  buf.set(input);
  return ctsEncryptScratch(backend, key, iv, buf, length).subarray(0, length);
}

/** AES-CTS decryption of `input` (≥ 16 bytes) with the given IV; `input` is not modified. */
export function ctsDecrypt(
  backend: CryptoBackend,
  key: Uint8Array,
  iv: Uint8Array,
  input: Uint8Array,
): Uint8Array {
  const length = input.length;
  if (length < BLOCK) throw new InvalidInputError(`AES-CTS input must be at least 16 bytes, got ${length}`);
  const buf = new Uint8Array(Math.ceil(length / BLOCK) * BLOCK);
  buf.set(input);
  return ctsDecryptInPlace(backend, key, iv, buf, length);
}

/** The IV that chains to a following message: the second-to-last output block (or the only one). */
export function ctsNextIv(output: Uint8Array): Uint8Array {
  if (output.length < BLOCK) throw new InvalidInputError('AES-CTS output must be at least 16 bytes');
  const n = Math.ceil(output.length / BLOCK);
  const start = n === 1 ? 0 : (n - 2) * BLOCK;
  return output.slice(start, start + BLOCK);
}

function checkIv(iv: Uint8Array | undefined): Uint8Array {
  if (iv === undefined) return ZERO_IV;
  requireBytes('iv', iv);
  if (iv.length !== BLOCK) throw new InvalidInputError(`AES-CTS IV must be 16 bytes, got ${iv.length}`);
  return iv;
}

/**
 * AES-CTS encryption as RFC 3962 defines it (no confounder, no integrity): for tests and
 * for protocols that call the raw cipher. `key` is 16 or 32 bytes; `iv` defaults to zero.
 */
export function aesCtsEncrypt(key: Uint8Array, input: Uint8Array, iv?: Uint8Array): Uint8Array {
  requireBytes('key', key);
  requireBytes('input', input);
  return ctsEncrypt(getBackend(), key, checkIv(iv), input);
}

/** AES-CTS decryption (inverse of `aesCtsEncrypt`). */
export function aesCtsDecrypt(key: Uint8Array, input: Uint8Array, iv?: Uint8Array): Uint8Array {
  requireBytes('key', key);
  requireBytes('input', input);
  return ctsDecrypt(getBackend(), key, checkIv(iv), input);
}
