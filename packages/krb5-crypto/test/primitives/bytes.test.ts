import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  concatBytes,
  constantTimeEqual,
  hexToBytes,
  InvalidInputError,
  isBytes,
  utf8Encode,
  xorBytes,
} from '../../src/primitives/index.js';

const RUNS = { numRuns: 200 };

describe('byte helpers', () => {
  it('hex round trip, lower and upper case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const h = bytesToHex(b);
        expect(h).toMatch(/^[0-9a-f]*$/);
        expect(h).toBe(Buffer.from(b).toString('hex'));
        expect(hexToBytes(h)).toEqual(b);
        expect(hexToBytes(h.toUpperCase())).toEqual(b);
      }),
      RUNS,
    );
  });

  it('hexToBytes rejects odd length, non-hex characters and non-strings', () => {
    for (const bad of ['a', 'zz', '0x00', ' 00', '0g', '00 ']) {
      expect(() => hexToBytes(bad)).toThrow(InvalidInputError);
    }
    expect(() => hexToBytes(7 as unknown as string)).toThrow(InvalidInputError);
  });

  it('constantTimeEqual agrees with element-wise comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
      RUNS,
    );
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
  });

  it('concatBytes and xorBytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 30 }), { maxLength: 6 }), (parts) => {
        expect(concatBytes(...parts)).toEqual(new Uint8Array(Buffer.concat(parts)));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        const b = a.map((x) => x ^ 0x5a);
        expect(xorBytes(a, b)).toEqual(new Uint8Array(a.length).fill(0x5a));
        expect(xorBytes(a, a)).toEqual(new Uint8Array(a.length));
      }),
      RUNS,
    );
    expect(() => xorBytes(new Uint8Array(2), new Uint8Array(3))).toThrow(InvalidInputError);
    expect(() => concatBytes(new Uint8Array(1), 'x' as unknown as Uint8Array)).toThrow(InvalidInputError);
  });

  it('utf8Encode matches Buffer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Encode(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
      }),
      RUNS,
    );
    expect(() => utf8Encode(undefined as unknown as string)).toThrow(InvalidInputError);
  });

  it('isBytes accepts Uint8Array and Buffer only', () => {
    expect(isBytes(new Uint8Array(1))).toBe(true);
    expect(isBytes(Buffer.alloc(1))).toBe(true);
    expect(isBytes(new Uint8ClampedArray(1))).toBe(false);
    expect(isBytes(new Int8Array(1))).toBe(false);
    expect(isBytes([1])).toBe(false);
  });
});
