/**
 * AES-CMAC (RFC 4493) over a message given as parts, without joining them: whole blocks go
 * straight from each part into an AES-CBC chain (zero IV), only the blocks that straddle
 * two parts and the final block are copied. The chain is node:crypto's CBC Cipheriv when
 * the node backend is active (native.ts), else the backend's aesCbcEncrypt with the last
 * ciphertext block carried as the next IV.
 */
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import type { NodeCryptoModule } from './native.js';

/** CBC-encrypts whole blocks, continuing the chain; returns the last ciphertext block (a view is fine). */
type CbcChain = (blocks: Uint8Array) => Uint8Array;

const ZERO_BLOCK = new Uint8Array(16);

/** Doubling in GF(2^128) (RFC 4493 §2.3), in place. */
function dbl(b: Uint8Array): void {
  const msb = b[0]! >> 7;
  for (let i = 0; i < 15; i++) b[i] = ((b[i]! << 1) | (b[i + 1]! >> 7)) & 0xff;
  b[15] = ((b[15]! << 1) & 0xff) ^ (msb * 0x87);
}

function nativeChain(c: NodeCryptoModule, key: Uint8Array): CbcChain {
  const cipher = c.createCipheriv(`aes-${key.length * 8}-cbc`, key, ZERO_BLOCK);
  cipher.setAutoPadding(false);
  return (blocks) => {
    const out = cipher.update(blocks);
    return out.subarray(out.length - 16);
  };
}

function backendChain(key: Uint8Array): CbcChain {
  const backend = getBackend();
  let iv: Uint8Array = ZERO_BLOCK;
  return (blocks) => {
    const out = backend.aesCbcEncrypt(key, iv, blocks);
    iv = out.slice(out.length - 16);
    return iv;
  };
}

/** AES-CMAC of the concatenation of `parts` (16-byte tag). `native` selects node:crypto's CBC. */
export function aesCmacParts(
  key: Uint8Array,
  parts: readonly Uint8Array[],
  native?: NodeCryptoModule,
): Uint8Array {
  const backend = getBackend();
  const l = backend.aesEcbEncrypt(key, ZERO_BLOCK).slice(0, 16);
  const chain = native !== undefined ? nativeChain(native, key) : backendChain(key);

  let n = 0;
  for (const p of parts) n += p.length;
  const blocks = n === 0 ? 1 : Math.ceil(n / 16);
  const complete = n > 0 && n % 16 === 0;
  const lastStart = 16 * (blocks - 1);

  const pending = new Uint8Array(16);
  let fill = 0;
  const last = new Uint8Array(16);
  let pos = 0; // bytes of the message consumed so far

  for (const p of parts) {
    let i = 0;
    // Bytes before the final block go through the chain.
    const before = Math.max(0, Math.min(p.length, lastStart - pos));
    if (fill > 0) {
      const take = Math.min(16 - fill, before);
      pending.set(p.subarray(0, take), fill);
      fill += take;
      i = take;
      if (fill === 16) {
        chain(pending);
        fill = 0;
      }
    }
    const whole = i + Math.floor((before - i) / 16) * 16;
    if (whole > i) chain(p.subarray(i, whole));
    if (before > whole) {
      pending.set(p.subarray(whole, before), 0);
      fill = before - whole;
    }
    // The rest belongs to the final block.
    if (p.length > before) last.set(p.subarray(before), pos + before - lastStart);
    pos += p.length;
  }

  const k = l;
  dbl(k); // K1
  if (!complete) {
    dbl(k); // K2
    last[n - lastStart] = 0x80;
  }
  for (let i = 0; i < 16; i++) last[i]! ^= k[i]!;
  const tag = chain(last).slice();
  k.fill(0);
  return tag;
}
