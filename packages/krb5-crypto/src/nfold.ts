/**
 * n-fold (RFC 3961 §5.1): stretches or shrinks a byte string to n bits so that every input
 * bit influences the output. Used to turn key-derivation constants ("kerberos", usage
 * numbers) into one cipher block.
 *
 * Definition: replicate the input, rotating each successive copy 13 bits to the right,
 * until the length is the least common multiple of n and the input length (in bits);
 * then cut that into n-bit pieces and add them with one's-complement addition
 * (end-around carry).
 */
import { InvalidInputError } from './errors.js';
import { isBytes } from './primitives/index.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Writes `src` rotated right by `bits` (as one big-endian bit string) into `dst` at `offset`. */
function rotateRightInto(src: Uint8Array, bits: number, dst: Uint8Array, offset: number): void {
  const n = src.length;
  const total = n * 8;
  const r = bits % total;
  const q = Math.floor(r / 8);
  const s = r % 8;
  for (let j = 0; j < n; j++) {
    // Output bit i comes from input bit (i - r) mod total.
    const hi = src[(((j - q) % n) + n) % n]!;
    const lo = src[(((j - q - 1) % n) + n) % n]!;
    dst[offset + j] = s === 0 ? hi : ((hi >>> s) | (lo << (8 - s))) & 0xff;
  }
}

/**
 * n-fold(input, outBits). `outBits` must be a positive multiple of 8 (all uses in Kerberos
 * are: 56, 64, 128, 168, 192, 256...), `input` must be non-empty.
 */
export function nfold(input: Uint8Array, outBits: number): Uint8Array {
  if (!isBytes(input)) throw new InvalidInputError('n-fold input must be a Uint8Array');
  if (input.length === 0) throw new InvalidInputError('n-fold input must not be empty');
  if (!Number.isSafeInteger(outBits) || outBits <= 0 || outBits % 8 !== 0 || outBits > 8 * 65536) {
    throw new InvalidInputError(
      `n-fold output size must be a positive multiple of 8 bits, got ${String(outBits)}`,
    );
  }
  const inLen = input.length;
  const outLen = outBits / 8;
  const lcm = (inLen / gcd(inLen, outLen)) * outLen;
  if (lcm > 1 << 24) throw new InvalidInputError('n-fold input and output sizes are too large');

  // The replicated, rotated string, lcm bytes long.
  const expanded = new Uint8Array(lcm);
  for (let k = 0; k < lcm / inLen; k++) rotateRightInto(input, 13 * k, expanded, k * inLen);

  // One's-complement sum of the outLen-byte pieces (big-endian numbers).
  const sum = new Uint8Array(outLen);
  for (let off = 0; off < lcm; off += outLen) {
    let carry = 0;
    for (let i = outLen - 1; i >= 0; i--) {
      const v = sum[i]! + expanded[off + i]! + carry;
      sum[i] = v & 0xff;
      carry = v >>> 8;
    }
    // End-around carry: add it back at the least significant end (may ripple).
    while (carry !== 0) {
      for (let i = outLen - 1; carry !== 0 && i >= 0; i--) {
        const v = sum[i]! + carry;
        sum[i] = v & 0xff;
        carry = v >>> 8;
      }
    }
  }
  return sum;
}
