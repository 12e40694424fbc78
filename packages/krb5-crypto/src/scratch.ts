/**
 * One reusable, zero-filled scratch buffer for the synchronous encrypt/decrypt paths.
 *
 * Allocating a typed array larger than 64 bytes costs about a microsecond in V8 (its
 * memory lives outside the JS heap), as much as the rest of the Kerberos layer for a small
 * message. The buffers that never leave a call (confounder | plaintext before encryption,
 * IV | ciphertext for the RFC 8009 HMAC, a ciphertext being reordered for CTS decryption)
 * therefore come from here. Invariants: the buffer is all zeros whenever it is not in use
 * (callers rely on zero padding), it is wiped on release (no plaintext lingers), and a
 * nested use (a custom backend calling back into this package) gets a fresh array.
 */

const MAX_RETAINED = 64 * 1024 + 256;
let cached: Uint8Array | undefined;
let busy = false;

/** A zero-filled buffer of `size` bytes; give it back with `releaseScratch` (in a finally). */
export function takeScratch(size: number): Uint8Array {
  if (busy || size > MAX_RETAINED) return new Uint8Array(size);
  if (cached === undefined || cached.length < size) cached = new Uint8Array(Math.max(size, 2048));
  busy = true;
  return cached.subarray(0, size);
}

/** Wipes `buf` and, if it is the shared buffer, makes that available again. */
export function releaseScratch(buf: Uint8Array): void {
  buf.fill(0);
  if (cached !== undefined && buf.buffer === cached.buffer) busy = false;
}
