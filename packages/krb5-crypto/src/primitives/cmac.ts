/**
 * AES-CMAC (RFC 4493, NIST SP 800-38B) built on CBC encryption, for backends with no
 * native CMAC (node:crypto exposes no MAC API for it). SMB 3.0/3.0.2 signing uses it.
 */
import { checkAesKey, checkBytes } from './assert.js';
import type { CryptoBackend } from './backend.js';

/**
 * CBC encryption from an all-zero IV that keeps its chaining value across calls: each call
 * takes whole blocks and returns their ciphertext. One chain is one key and one message.
 */
export type CbcChain = (blocks: Uint8Array) => Uint8Array;

const ZERO_BLOCK = new Uint8Array(16);

/** Doubling in GF(2^128) (RFC 4493 §2.3), in place. */
function dbl(block: Uint8Array): void {
  const msb = block[0]! >> 7;
  for (let i = 0; i < 15; i++) block[i] = ((block[i]! << 1) | (block[i + 1]! >> 7)) & 0xff;
  block[15] = ((block[15]! << 1) & 0xff) ^ (msb * 0x87);
}

function lastBlock(out: Uint8Array): Uint8Array {
  return out.slice(out.length - 16);
}

/**
 * Messages up to this size are copied once so the whole MAC is two chain calls: each call
 * into node:crypto costs microseconds, more than copying a few KiB. Larger messages are
 * fed in place (four calls, no copy).
 */
const COPY_LIMIT = 4096;

/**
 * RFC 4493 §2.4 over a CBC chain. The first chain call encrypts the zero block, giving
 * L = AES(K, 0^128) for the subkeys and leaving L as the chaining value; XORing L into the
 * first message block cancels it, so the rest is ordinary CBC-MAC from a zero IV.
 */
export function cmacWithChain(chain: CbcChain, data: Uint8Array): Uint8Array {
  const l = lastBlock(chain(ZERO_BLOCK));
  const n = data.length === 0 ? 1 : Math.ceil(data.length / 16);
  const complete = data.length > 0 && data.length % 16 === 0;
  const tailStart = 16 * (n - 1);
  const k = l.slice();
  dbl(k); // K1
  if (!complete) dbl(k); // K2

  // M_last XOR K (RFC 4493 §2.4 step 4), padded with 10* when incomplete.
  const last = new Uint8Array(16);
  last.set(data.subarray(tailStart));
  if (!complete) last[data.length - tailStart] = 0x80;
  for (let i = 0; i < 16; i++) last[i]! ^= k[i]!;

  let tag: Uint8Array;
  if (n === 1) {
    for (let i = 0; i < 16; i++) last[i]! ^= l[i]!;
    tag = lastBlock(chain(last));
  } else if (data.length <= COPY_LIMIT) {
    const buf = new Uint8Array(16 * n);
    buf.set(data.subarray(0, tailStart));
    for (let i = 0; i < 16; i++) buf[i]! ^= l[i]!;
    buf.set(last, tailStart);
    tag = lastBlock(chain(buf));
    buf.fill(0);
  } else {
    const first = data.slice(0, 16);
    for (let i = 0; i < 16; i++) first[i]! ^= l[i]!;
    chain(first);
    if (n > 2) chain(data.subarray(16, tailStart));
    tag = lastBlock(chain(last));
  }
  l.fill(0);
  k.fill(0);
  last.fill(0);
  return tag;
}

/** A CBC chain over any backend's one-shot aesCbcEncrypt (the IV carries the chain). */
export function cbcChainFrom(backend: Pick<CryptoBackend, 'aesCbcEncrypt'>, key: Uint8Array): CbcChain {
  let iv: Uint8Array = ZERO_BLOCK;
  return (blocks) => {
    const out = backend.aesCbcEncrypt(key, iv, blocks);
    iv = out.subarray(out.length - 16);
    return out;
  };
}

/**
 * Generic AES-CMAC (RFC 4493) over a backend's AES-CBC. Returns the 16-byte MAC.
 * Backends use their own `aesCmac`; this is exported for testing and for custom backends.
 */
export function aesCmacGeneric(
  backend: Pick<CryptoBackend, 'aesCbcEncrypt'>,
  key: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  checkAesKey(key);
  checkBytes('data', data);
  return cmacWithChain(cbcChainFrom(backend, key), data);
}
