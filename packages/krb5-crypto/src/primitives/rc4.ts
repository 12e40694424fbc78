/**
 * RC4 (the "ARCFOUR" stream cipher). Broken; needed only for the opt-in RC4-HMAC enctype
 * (RFC 4757), for interop with old Active Directory. OpenSSL 3 hides RC4 behind the legacy
 * provider and noble lacks it, so it lives here, small and self-contained.
 */
import { InvalidInputError } from '../errors.js';
import { checkBytes } from './assert.js';

/**
 * XORs `data` with the RC4 keystream of `key` (1..256 bytes), starting at keystream
 * offset 0. Encryption and decryption are the same operation.
 */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('RC4 key', key);
  checkBytes('data', data);
  if (key.length < 1 || key.length > 256) {
    throw new InvalidInputError(`RC4 key must be 1..256 bytes, got ${key.length}`);
  }
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  // Key scheduling.
  for (let i = 0, j = 0; i < 256; i++) {
    const si = s[i]!;
    j = (j + si + key[i % key.length]!) & 0xff;
    s[i] = s[j]!;
    s[j] = si;
  }
  // Keystream generation.
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    const si = s[i]!;
    j = (j + si) & 0xff;
    const sj = s[j]!;
    s[i] = sj;
    s[j] = si;
    out[n] = data[n]! ^ s[(si + sj) & 0xff]!;
  }
  s.fill(0);
  return out;
}
