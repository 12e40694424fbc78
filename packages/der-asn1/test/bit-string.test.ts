import { describe, expect, it } from 'vitest';
import {
  bitString,
  decode,
  EncodeError,
  encode,
  flagNames,
  flagsFromNames,
  kerberosFlags,
  namedBits,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, toHex } from './helpers.js';

describe('BIT STRING (X.690 §8.6, §11.2)', () => {
  const s = bitString();

  it('round-trips the X.690 §8.6.4.2 example', () => {
    const value = { bytes: hex('0a3b5f291cd0'), unusedBits: 4 };
    expect(toHex(encode(s, value))).toBe('0307040a3b5f291cd0');
    expect(decode(s, hex('0307040a3b5f291cd0'))).toEqual(value);
  });

  it('encodes the empty bit string as 03 01 00', () => {
    expect(toHex(encode(s, { bytes: new Uint8Array(0), unusedBits: 0 }))).toBe('030100');
    expect(decode(s, hex('030100'))).toEqual({ bytes: new Uint8Array(0), unusedBits: 0 });
  });

  it('accepts every unused count 0..7 with zero padding', () => {
    for (let unused = 0; unused <= 7; unused++) {
      const last = (0xff << unused) & 0xff;
      const der = hex(`0303${unused.toString(16).padStart(2, '0')}ff${last.toString(16).padStart(2, '0')}`);
      expect(decode(s, der)).toEqual({ bytes: der.subarray(3), unusedBits: unused });
      expect(toHex(encode(s, { bytes: der.slice(3), unusedBits: unused }))).toBe(toHex(der));
    }
  });

  it.each(['030208ff', '030280ff', '0302ff00'])('rejects an unused-bit count above 7 (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /unused-bit count .* above 7/, offset: 2 });
  });

  it.each(['03020401', '03020488', '0302010f', '0303070001'])('rejects nonzero padding bits (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /padding bits must be zero/ });
  });

  it.each(['030101', '030107'])('rejects an empty bit string with unused bits (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /empty BIT STRING/ });
  });

  it('rejects no content octets at all and the constructed form', () => {
    expectDecodeError(() => decode(s, hex('0300')), { reason: /no content octets/ });
    expectDecodeError(() => decode(s, hex('2304030200ff')), { reason: /primitive form/ });
  });

  it('validates values on encode', () => {
    const bad: unknown[] = [
      { bytes: hex('ff'), unusedBits: 8 },
      { bytes: hex('ff'), unusedBits: -1 },
      { bytes: hex('ff'), unusedBits: 1.5 },
      { bytes: hex('ff'), unusedBits: 1 }, // padding bit set
      { bytes: new Uint8Array(0), unusedBits: 3 },
      { bytes: [0xff], unusedBits: 0 },
      { unusedBits: 0 },
      null,
      undefined,
    ];
    for (const value of bad) {
      expect(() => encode(s, value as never), JSON.stringify(value)).toThrow(EncodeError);
    }
  });
});

describe('KerberosFlags (RFC 4120 §5.2.8)', () => {
  const s = kerberosFlags();

  it('always encodes 32 bits', () => {
    expect(toHex(encode(s, 0xfedcba98))).toBe('030500fedcba98');
    expect(toHex(encode(s, 0))).toBe('03050000000000');
    expect(toHex(encode(s, 0x80000000))).toBe('03050080000000');
    expect(toHex(encode(s, 1))).toBe('03050000000001');
    expect(toHex(encode(s, 0xffffffff))).toBe('030500ffffffff');
  });

  it('decodes the 32-bit form', () => {
    expect(decode(s, hex('030500fedcba98'))).toBe(0xfedcba98);
    expect(decode(s, hex('030500ffffffff'))).toBe(0xffffffff);
    expect(decode(s, hex('03050000000000'))).toBe(0);
  });

  it('decodes shorter encodings as if padded with zero bits (as MIT does)', () => {
    expect(decode(s, hex('030100'))).toBe(0);
    expect(decode(s, hex('03020780'))).toBe(0x80000000);
    expect(decode(s, hex('030200fe'))).toBe(0xfe000000);
    expect(decode(s, hex('030400fedcba'))).toBe(0xfedcba00);
  });

  it('decodes longer encodings by ignoring the bits past 32', () => {
    expect(decode(s, hex('030600fedcba98ff'))).toBe(0xfedcba98);
    expect(decode(s, hex('030804fedcba98fffff0'))).toBe(0xfedcba98);
  });

  it('still applies the BIT STRING rules', () => {
    expectDecodeError(() => decode(s, hex('03020401')), { reason: /padding/ });
    expectDecodeError(() => decode(s, hex('030208ff')), { reason: /above 7/ });
    expectDecodeError(() => decode(s, hex('030101')), { reason: /empty BIT STRING/ });
  });

  it.each([-1, 2 ** 32, 1.5, Number.NaN, '1', null, Object.create(null), Symbol('f')])(
    'rejects %s on encode',
    (value) => {
      expectEncodeError(() => encode(s, value as number), { reason: /unsigned 32-bit/ });
    },
  );
});

describe('named bit lists (X.690 §11.2.2)', () => {
  const s = namedBits();

  it('removes trailing zero bits on encode', () => {
    expect(toHex(encode(s, 0))).toBe('030100');
    expect(toHex(encode(s, 0x80000000))).toBe('03020780'); // bit 0 only
    expect(toHex(encode(s, 0x40000000))).toBe('03020640'); // bit 1
    expect(toHex(encode(s, 0xc0000000))).toBe('030206c0');
    expect(toHex(encode(s, 0x01000000))).toBe('03020001'); // bit 7: a whole octet
    expect(toHex(encode(s, 0x00800000))).toBe('0303070080'); // bit 8
    expect(toHex(encode(s, 0x7e000000))).toBe('0302017e'); // SPNEGO ContextFlags bits 1..6
    expect(toHex(encode(s, 0xfedcba98))).toBe('030503fedcba98');
    expect(toHex(encode(s, 1))).toBe('03050000000001');
    expect(toHex(encode(s, 0xffffffff))).toBe('030500ffffffff');
  });

  it('decodes the minimal forms', () => {
    for (const value of [
      0, 0x80000000, 0x40000000, 0x01000000, 0x00800000, 0x7e000000, 0xfedcba98, 1, 0xffffffff,
    ]) {
      expect(decode(s, encode(s, value))).toBe(value);
    }
  });

  it.each([
    ['03020080', 'bit 0 set, seven zero bits kept'],
    ['03020600', 'all-zero octet with unused 6'],
    ['030200 00', 'a zero octet'],
    ['0303070000', 'two zero octets'],
    ['030300fe00', 'a trailing zero octet'],
    ['03050000000000', 'the 32-bit zero of KerberosFlags'],
    ['030500fedcba98', 'the 32-bit KerberosFlags form of 0xFEDCBA98'],
  ])('rejects trailing zero bits: %s (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /trailing zero bits/ });
  });

  it('rejects more than 32 bits', () => {
    expectDecodeError(() => decode(s, hex('030600000000 0001')), { reason: /longer than 32 bits/ });
  });

  it('rejects values that are not uint32', () => {
    expectEncodeError(() => encode(s, -1), { reason: /unsigned 32-bit/ });
  });
});

describe('flagNames / flagsFromNames', () => {
  // KDCOptions bit positions (RFC 4120 §5.4.1).
  const names = {
    forwardable: 1,
    forwarded: 2,
    proxiable: 3,
    renewable: 8,
    canonicalize: 15,
    renewableOk: 27,
  } as const;

  it('maps bit positions to the ASN.1 numbering (bit 0 is the MSB)', () => {
    expect(flagsFromNames(['forwardable'], names)).toBe(0x40000000);
    expect(flagsFromNames(['renewableOk'], names)).toBe(0x00000010);
    expect(flagsFromNames(['forwardable', 'renewable', 'canonicalize'], names)).toBe(0x40810000);
    expect(flagsFromNames([], names)).toBe(0);
  });

  it('returns the names of the set bits and ignores unnamed bits', () => {
    expect(flagNames(0x40810000, names)).toEqual(['forwardable', 'renewable', 'canonicalize']);
    expect(flagNames(0x80000001, names)).toEqual([]);
    expect(flagNames(0xffffffff, names).sort()).toEqual(Object.keys(names).sort());
  });

  it('round-trips through KerberosFlags', () => {
    const value = flagsFromNames(['forwardable', 'proxiable', 'renewableOk'], names);
    const back = flagNames(decode(kerberosFlags(), encode(kerberosFlags(), value)), names);
    expect(back).toEqual(['forwardable', 'proxiable', 'renewableOk']);
  });

  it('handles bit 0 (the sign bit of a 32-bit int) as an unsigned value', () => {
    const withBit0 = { reserved: 0, last: 31 } as const;
    expect(flagsFromNames(['reserved'], withBit0)).toBe(0x80000000);
    expect(flagsFromNames(['reserved', 'last'], withBit0)).toBe(0x80000001);
    expect(flagNames(0x80000001, withBit0)).toEqual(['reserved', 'last']);
  });

  it('rejects an unknown name', () => {
    expectEncodeError(() => flagsFromNames(['nope' as 'forwardable'], names), {
      reason: /unknown flag nope/,
    });
  });

  it.each(['toString', 'constructor', '__proto__', 'valueOf'])(
    'rejects the inherited property name %s as an unknown flag (never a set bit)',
    (name) => {
      expectEncodeError(() => flagsFromNames([name as 'forwardable'], names), { reason: /unknown flag/ });
    },
  );

  it('rejects a name table with a bit outside 0..31 instead of aliasing another bit', () => {
    const wide = { low: 1, beyond: 33 } as const;
    expect(() => flagNames(0x40000000, wide)).toThrow(/bit 33, not 0..31/);
    expect(() => flagsFromNames(['beyond'], wide)).toThrow(/bit 33, not 0..31/);
    expect(flagsFromNames(['low'], wide)).toBe(0x40000000);
  });
});
