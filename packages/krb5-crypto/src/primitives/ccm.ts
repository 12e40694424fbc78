/**
 * Generic AES-CCM (NIST SP 800-38C, same construction as RFC 3610) over a backend's
 * ECB/CBC/CTR, for backends with no native CCM (noble). SMB 3 encryption (AES-128-CCM,
 * 11-byte nonce, 16-byte tag) is the main user.
 */
import { IntegrityError, InvalidInputError } from '../errors.js';
import { checkAesKey, checkBytes } from './assert.js';
import type { CryptoBackend } from './backend.js';
import { constantTimeEqual } from './bytes.js';

/** The block modes CCM is built from. */
export type CcmModes = Pick<CryptoBackend, 'aesEcbEncrypt' | 'aesCbcEncrypt' | 'aesCtr'>;

const TAG_LENGTHS = [4, 6, 8, 10, 12, 14, 16];
const ZERO_BLOCK = new Uint8Array(16);

/**
 * Validates nonce/tag sizes and the payload length limit: with an n-byte nonce the length
 * field has q = 15 - n bytes, so the payload must be below 2^(8q) bytes (SP 800-38C §A.1).
 */
export function checkCcmParams(nonce: Uint8Array, payloadLength: number, tagLength: number): void {
  checkBytes('CCM nonce', nonce, 7, 8, 9, 10, 11, 12, 13);
  if (!TAG_LENGTHS.includes(tagLength)) {
    throw new InvalidInputError(`CCM tag length must be one of ${TAG_LENGTHS.join(', ')}, got ${tagLength}`);
  }
  const q = 15 - nonce.length;
  if (q < 6 && payloadLength >= 2 ** (8 * q)) {
    throw new InvalidInputError(
      `CCM payload of ${payloadLength} bytes is too long for a ${nonce.length}-byte nonce`,
    );
  }
}

/** Counter block Ctr_i = flags(q-1) || N || [i]_q (SP 800-38C §A.3). */
function counterBlock(nonce: Uint8Array, i: number): Uint8Array {
  const ctr = new Uint8Array(16);
  ctr[0] = 14 - nonce.length; // q - 1
  ctr.set(nonce, 1);
  ctr[15] = i;
  return ctr;
}

/** B0 || encoded(a) || A || zero pad (SP 800-38C §A.2.1, §A.2.2), whole blocks. */
function header(nonce: Uint8Array, aad: Uint8Array, payloadLength: number, tagLength: number): Uint8Array {
  const a = aad.length;
  const aLen = a === 0 ? 0 : a < 0xff00 ? 2 : a <= 0xffffffff ? 6 : 10;
  const out = new Uint8Array(16 + Math.ceil((aLen + a) / 16) * 16);
  const q = 15 - nonce.length;
  out[0] = (a > 0 ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (q - 1);
  out.set(nonce, 1);
  for (let i = 0, p = payloadLength; i < q; i++, p = Math.floor(p / 256)) out[15 - i] = p % 256;
  if (aLen === 2) {
    out[16] = a >>> 8;
    out[17] = a & 0xff;
  } else if (aLen === 6) {
    out.set([0xff, 0xfe, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff], 16);
  } else if (aLen === 10) {
    // Unreachable for real byte arrays (>= 4 GiB), kept for completeness of the encoding.
    const hi = Math.floor(a / 2 ** 32);
    out.set(
      [0xff, 0xff, 0, 0, hi >>> 8, hi & 0xff, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff],
      16,
    );
  }
  out.set(aad, 16 + aLen);
  return out;
}

/** CBC-MAC T over header || payload || zero pad, in at most three CBC calls and no payload copy. */
function cbcMac(modes: CcmModes, key: Uint8Array, head: Uint8Array, payload: Uint8Array): Uint8Array {
  let out = modes.aesCbcEncrypt(key, ZERO_BLOCK, head);
  let x = out.subarray(out.length - 16);
  const whole = payload.length - (payload.length % 16);
  if (whole > 0) {
    out = modes.aesCbcEncrypt(key, x, payload.subarray(0, whole));
    x = out.subarray(out.length - 16);
  }
  if (whole < payload.length) {
    const pad = new Uint8Array(16);
    pad.set(payload.subarray(whole));
    out = modes.aesCbcEncrypt(key, x, pad);
    pad.fill(0);
    x = out.subarray(out.length - 16);
  }
  return x;
}

/** Tag = MSB_t(T) XOR MSB_t(S0), S0 = AES(K, Ctr_0). */
function tagOf(modes: CcmModes, key: Uint8Array, nonce: Uint8Array, mac: Uint8Array, tagLength: number) {
  const s0 = modes.aesEcbEncrypt(key, counterBlock(nonce, 0));
  const tag = new Uint8Array(tagLength);
  for (let i = 0; i < tagLength; i++) tag[i] = mac[i]! ^ s0[i]!;
  s0.fill(0);
  return tag;
}

/**
 * AES-CCM encryption (SP 800-38C §6.1). `tagLength` defaults to 16 (what the backend
 * interface and SMB 3 use); other even lengths 4..14 exist for the SP 800-38C examples.
 */
export function aesCcmSealGeneric(
  modes: CcmModes,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
  tagLength = 16,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  checkAesKey(key);
  checkBytes('plaintext', plaintext);
  checkBytes('aad', aad);
  checkCcmParams(nonce, plaintext.length, tagLength);
  const mac = cbcMac(modes, key, header(nonce, aad, plaintext.length, tagLength), plaintext);
  const tag = tagOf(modes, key, nonce, mac, tagLength);
  const ciphertext = modes.aesCtr(key, counterBlock(nonce, 1), plaintext);
  return { ciphertext, tag };
}

/**
 * AES-CCM decryption-verification (SP 800-38C §6.2). The tag length is taken from `tag`.
 * Throws IntegrityError on mismatch; the decrypted bytes are wiped, never returned.
 */
export function aesCcmOpenGeneric(
  modes: CcmModes,
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  checkAesKey(key);
  checkBytes('ciphertext', ciphertext);
  checkBytes('tag', tag);
  checkBytes('aad', aad);
  checkCcmParams(nonce, ciphertext.length, tag.length);
  const plaintext = modes.aesCtr(key, counterBlock(nonce, 1), ciphertext);
  const mac = cbcMac(modes, key, header(nonce, aad, plaintext.length, tag.length), plaintext);
  const expected = tagOf(modes, key, nonce, mac, tag.length);
  if (!constantTimeEqual(expected, tag)) {
    plaintext.fill(0);
    throw new IntegrityError('AES-CCM tag mismatch');
  }
  return plaintext;
}
