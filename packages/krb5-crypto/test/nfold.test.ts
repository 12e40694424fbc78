import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, nfold } from '../src/index.js';
import { hex, loadVectors, toHex } from './helpers.js';

interface NfoldFile {
  vectors: { input_hex: string; output_bits: number; expected_hex: string }[];
}
const file = loadVectors<NfoldFile>('rfc3961-nfold.json');

describe('n-fold (RFC 3961 §5.1, App. A.1)', () => {
  it('has the 14 published vectors', () => expect(file.vectors).toHaveLength(14));

  it.each(file.vectors)('n-fold($input_hex, $output_bits) = $expected_hex', (v) => {
    expect(toHex(nfold(hex(v.input_hex), v.output_bits))).toBe(v.expected_hex);
  });

  it('is the identity when input and output sizes are equal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (x) => {
        expect(toHex(nfold(x, x.length * 8))).toBe(toHex(x));
      }),
      { numRuns: 200 },
    );
  });

  it('always returns outBits/8 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 40 }), (x, n) => {
        expect(nfold(x, n * 8)).toHaveLength(n);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects empty input and sizes that are not whole bytes', () => {
    expect(() => nfold(new Uint8Array(0), 64)).toThrow(InvalidInputError);
    expect(() => nfold(hex('00'), 63)).toThrow(InvalidInputError);
    expect(() => nfold(hex('00'), 0)).toThrow(InvalidInputError);
    expect(() => nfold(hex('00'), Number.NaN)).toThrow(InvalidInputError);
    expect(() => nfold('abc' as unknown as Uint8Array, 64)).toThrow(InvalidInputError);
  });
});
