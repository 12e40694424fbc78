/**
 * The enctype PRF (RFC 3961 §3 pseudo-random; RFC 3962 §5, RFC 8009 §5, RFC 4757 as MIT
 * and Windows implement it) and PRF+ (RFC 6113 §5.1):
 *
 *   PRF+(K, s) = PRF(K, 1 | s) | PRF(K, 2 | s) | ...   (counter: one octet)
 *
 * truncated to the requested length, at most 255 PRF outputs.
 */
import { InvalidInputError } from './errors.js';
import type { Key } from './key.js';
import { getBackend } from './primitives/index.js';
import { implForKey } from './rfc3961.js';
import { requireBytes, requireLength } from './validate.js';

/** PRF(key, input): 16 bytes for AES-SHA1, 32/48 for RFC 8009, 20 for RC4-HMAC. */
export function prf(key: Key, input: Uint8Array): Uint8Array {
  const impl = implForKey(key);
  requireBytes('input', input);
  return impl.prf(getBackend(), key, input);
}

/** PRF+(key, input) truncated to `length` bytes (RFC 6113 §5.1); length ≤ 255 PRF outputs. */
export function prfPlus(key: Key, input: Uint8Array, length: number): Uint8Array {
  const impl = implForKey(key);
  requireBytes('input', input);
  const max = 255 * impl.profile.prfLength;
  requireLength('length', length, 0, max);
  const backend = getBackend();
  const out = new Uint8Array(length);
  const block = new Uint8Array(1 + input.length);
  block.set(input, 1);
  for (let i = 1, filled = 0; filled < length; i++) {
    if (i > 255) throw new InvalidInputError('PRF+ counter overflow');
    block[0] = i;
    const r = impl.prf(backend, key, block);
    const take = Math.min(r.length, length - filled);
    out.set(r.subarray(0, take), filled);
    filled += take;
  }
  return out;
}
