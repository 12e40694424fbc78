import { describe, expect, it } from 'vitest';
import {
  bigInteger,
  boolean,
  decode,
  encode,
  enumerated,
  int32,
  integer,
  nullValue,
  octetString,
  uint32,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, integerOctets, toHex } from './helpers.js';

const cases: Array<[number, string]> = [
  [0, '020100'],
  [1, '020101'],
  [-1, '0201ff'],
  [127, '02017f'],
  [128, '02020080'],
  [-128, '020180'],
  [-129, '0202ff7f'],
  [255, '020200ff'],
  [256, '02020100'],
  [32767, '02027fff'],
  [32768, '0203008000'],
  [-32768, '02028000'],
  [-32769, '0203ff7fff'],
  [2 ** 23 - 1, '02037fffff'],
  [2 ** 23, '020400800000'],
  [-(2 ** 23), '0203800000'],
  [-(2 ** 23) - 1, '0204ff7fffff'],
  [2 ** 24, '020401000000'],
  [2 ** 31 - 1, '02047fffffff'],
  [-(2 ** 31), '020480000000'],
  [2 ** 31, '02050080000000'],
  [2 ** 32 - 1, '020500ffffffff'],
  [2 ** 32, '02050100000000'],
  [2 ** 40, '0206010000000000'],
  [2 ** 47 - 1, '02067fffffffffff'],
  [2 ** 47, '020700800000000000'],
  [-(2 ** 47), '0206800000000000'],
  [-(2 ** 47) - 1, '0207ff7fffffffffff'],
  [2 ** 53 - 1, '02071fffffffffffff'],
  [-(2 ** 53 - 1), '0207e0000000000001'],
];

describe('INTEGER as number', () => {
  const schema = integer();
  it.each(cases)('%d <-> %s', (value, der) => {
    expect(toHex(encode(schema, value))).toBe(der);
    expect(decode(schema, hex(der))).toBe(value);
    // Cross-check with the independent bigint encoder of the helpers.
    expect(toHex(integerOctets(BigInt(value)))).toBe(der.slice(4));
  });

  it('rejects an INTEGER with no content octets', () => {
    expectDecodeError(() => decode(schema, hex('0200')), { reason: /no content octets/, offset: 2 });
  });

  it.each([
    ['020200 00', 'leading 00 before a positive octet'],
    ['0202007f', 'leading 00 before 7f'],
    ['020300 0080', '00 00 80'],
    ['0202ffff', 'leading ff before a negative octet'],
    ['0202ff80', 'leading ff before 80'],
    ['0203ffff80', 'ff ff 80'],
    ['0208000000000000 0001', 'long zero padding'],
  ])('rejects the non-minimal encoding %s (%s)', (der) => {
    expectDecodeError(() => decode(schema, hex(der)), { reason: /non-minimal INTEGER/, offset: 2 });
  });

  it('accepts the minimal encodings that start with 00 or ff', () => {
    expect(decode(schema, hex('02020080'))).toBe(128);
    expect(decode(schema, hex('0202ff7f'))).toBe(-129);
  });

  it('rejects values outside the safe-integer range on decode', () => {
    expectDecodeError(() => decode(schema, hex('0207200000000000 00')), { reason: /outside the range/ });
    expectDecodeError(() => decode(schema, hex('0207dfffffffffffff')), { reason: /outside the range/ });
    expectDecodeError(() => decode(schema, hex('0209010000000000000000')), { reason: /outside the range/ });
  });

  it('rejects non-integers and unsafe integers on encode', () => {
    for (const bad of [
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      -(2 ** 53),
      '1',
      1n,
      null,
      undefined,
    ]) {
      expectEncodeError(() => encode(schema, bad as number), { reason: /safe integer/ });
    }
  });

  it('raises EncodeError (not TypeError) for values String() cannot print', () => {
    expectEncodeError(() => encode(schema, Object.create(null) as number), {
      reason: /safe integer, got \[object Object\]/,
    });
    expectEncodeError(() => encode(schema, Symbol('x') as unknown as number), { reason: /got Symbol\(x\)/ });
  });

  it('rejects the wrong tag and the constructed form', () => {
    expectDecodeError(() => decode(schema, hex('0a0101')), { reason: /expected INTEGER/ });
    expectDecodeError(() => decode(schema, hex('2203020101')), { reason: /primitive form/ });
  });

  it('honours a custom range in both directions', () => {
    const small = integer({ min: -5, max: 10 });
    expect(decode(small, hex('0201fb'))).toBe(-5);
    expect(decode(small, hex('02010a'))).toBe(10);
    expectDecodeError(() => decode(small, hex('02010b')), { reason: /11 is outside the range -5\.\.10/ });
    expectDecodeError(() => decode(small, hex('0201fa')), { reason: /outside the range/ });
    expectEncodeError(() => encode(small, 11), { reason: /outside the range/ });
    expectEncodeError(() => encode(small, -6), { reason: /outside the range/ });
  });
});

describe('Int32 and UInt32 (RFC 4120 §5.2.4)', () => {
  it('Int32 accepts exactly -2^31..2^31-1', () => {
    const s = int32();
    expect(decode(s, hex('020480000000'))).toBe(-(2 ** 31));
    expect(decode(s, hex('02047fffffff'))).toBe(2 ** 31 - 1);
    expectDecodeError(() => decode(s, hex('02050080000000')), { reason: /Int32 2147483648 is outside/ });
    expectDecodeError(() => decode(s, hex('0205ff7fffffff')), { reason: /Int32 -2147483649 is outside/ });
    expect(toHex(encode(s, -(2 ** 31)))).toBe('020480000000');
    expectEncodeError(() => encode(s, 2 ** 31), { reason: /outside/ });
    expectEncodeError(() => encode(s, -(2 ** 31) - 1), { reason: /outside/ });
  });

  it('UInt32 accepts exactly 0..2^32-1, with a sign octet above 2^31', () => {
    const s = uint32();
    expect(decode(s, hex('020100'))).toBe(0);
    expect(decode(s, hex('020500ffffffff'))).toBe(2 ** 32 - 1);
    expect(toHex(encode(s, 0xff000000))).toBe('020500ff000000');
    expectDecodeError(() => decode(s, hex('0201ff')), { reason: /UInt32 -1 is outside/ });
    expectDecodeError(() => decode(s, hex('02050100000000')), { reason: /outside/ });
    expectEncodeError(() => encode(s, -1), { reason: /outside/ });
    expectEncodeError(() => encode(s, 2 ** 32), { reason: /outside/ });
  });

  it('names the type in errors and paths', () => {
    expectDecodeError(() => decode(int32(), hex('02050080000000')), { path: 'Int32' });
    expectDecodeError(() => decode(uint32(), hex('0200')), {
      reason: /UInt32 has no content/,
      path: 'UInt32',
    });
  });
});

describe('ENUMERATED', () => {
  const s = enumerated({ min: 0, max: 3 });
  it('uses UNIVERSAL 10 and the INTEGER rules', () => {
    expect(toHex(encode(s, 2))).toBe('0a0102');
    expect(decode(s, hex('0a0103'))).toBe(3);
    expectDecodeError(() => decode(s, hex('0a020003')), { reason: /non-minimal ENUMERATED/ });
    expectDecodeError(() => decode(s, hex('0a0104')), { reason: /outside the range 0\.\.3/ });
    expectDecodeError(() => decode(s, hex('020101')), { reason: /expected ENUMERATED/ });
  });
});

describe('INTEGER as bigint', () => {
  const s = bigInteger();
  const big: Array<[bigint, string]> = [
    [0n, '020100'],
    [-1n, '0201ff'],
    [128n, '02020080'],
    [-129n, '0202ff7f'],
    [2n ** 53n, '020720000000000000'],
    [2n ** 63n - 1n, '02087fffffffffffffff'],
    [2n ** 63n, '0209008000000000000000'],
    [-(2n ** 63n), '02088000000000000000'],
    [2n ** 64n - 1n, '020900ffffffffffffffff'],
    [-(2n ** 64n), '0209ff0000000000000000'],
  ];
  it.each(big)('%s <-> %s', (value, der) => {
    expect(toHex(encode(s, value))).toBe(der);
    expect(decode(s, hex(der))).toBe(value);
  });

  it('round-trips a 2048-bit modulus-sized value', () => {
    const value = (1n << 2047n) + 12345n;
    const der = encode(s, value);
    expect(der.length).toBe(4 + 257);
    expect(toHex(der.subarray(0, 5))).toBe('0282010100');
    expect(decode(s, der)).toBe(value);
    expect(decode(s, encode(s, -value))).toBe(-value);
  });

  it('applies the minimality rule', () => {
    expectDecodeError(() => decode(s, hex('0209000000000000000001')), { reason: /non-minimal/ });
    expectDecodeError(() => decode(s, hex('0200')), { reason: /no content/ });
  });

  it('rejects non-bigints on encode', () => {
    expectEncodeError(() => encode(s, 1 as unknown as bigint), { reason: /must be a bigint/ });
  });
});

describe('BOOLEAN (X.690 §11.1)', () => {
  const s = boolean();
  it('encodes TRUE as FF and FALSE as 00', () => {
    expect(toHex(encode(s, true))).toBe('0101ff');
    expect(toHex(encode(s, false))).toBe('010100');
    expect(decode(s, hex('0101ff'))).toBe(true);
    expect(decode(s, hex('010100'))).toBe(false);
  });
  it.each(['010101', '01017f', '010180', '0101fe'])('rejects TRUE encoded as %s', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /0xFF in DER/, offset: 2 });
  });
  it.each(['0100', '0102ffff', '01020000'])('rejects the content length of %s', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /exactly one content octet/ });
  });
  it('rejects non-booleans on encode', () => {
    expectEncodeError(() => encode(s, 1 as unknown as boolean), { reason: /must be a boolean/ });
  });
});

describe('NULL', () => {
  const s = nullValue();
  it('is 05 00 and decodes to null', () => {
    expect(toHex(encode(s, null))).toBe('0500');
    expect(decode(s, hex('0500'))).toBeNull();
  });
  it('rejects content and non-null values', () => {
    expectDecodeError(() => decode(s, hex('050100')), { reason: /no content octets/ });
    expectEncodeError(() => encode(s, undefined as unknown as null), { reason: /must be null/ });
  });
});

describe('OCTET STRING', () => {
  it('round-trips empty, short and long-length strings', () => {
    const s = octetString();
    for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536]) {
      const bytes = new Uint8Array(n).map((_, i) => i * 7);
      const der = encode(s, bytes);
      const lengthOctets = n < 128 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 4;
      expect(der.length).toBe(1 + lengthOctets + n);
      expect(decode(s, der)).toEqual(bytes);
    }
  });

  it('decodes to a view into the input (no copy)', () => {
    const input = hex('0403010203');
    const out = decode(octetString(), input);
    expect(out.buffer).toBe(input.buffer);
    expect(out.byteOffset).toBe(2);
  });

  it('enforces a size range both ways', () => {
    const s = octetString({ min: 2, max: 4 });
    expect(decode(s, hex('04020102'))).toEqual(hex('0102'));
    expect(decode(s, hex('040401020304'))).toEqual(hex('01020304'));
    expectDecodeError(() => decode(s, hex('040101')), { reason: /1 octets, expected 2\.\.4/ });
    expectDecodeError(() => decode(s, hex('04050102030405')), { reason: /5 octets, expected 2\.\.4/ });
    expectEncodeError(() => encode(s, hex('01')), { reason: /expected 2\.\.4/ });
    expectEncodeError(() => encode(s, hex('0102030405')), { reason: /expected 2\.\.4/ });
    const exact = octetString({ min: 16, max: 16 });
    expect(encode(exact, new Uint8Array(16)).length).toBe(18);
    expectEncodeError(() => encode(exact, new Uint8Array(15)));
  });

  it('rejects the constructed form (X.690 §10.2) and non-Uint8Array values', () => {
    expectDecodeError(() => decode(octetString(), hex('2406040201020400')), { reason: /primitive form/ });
    expectEncodeError(() => encode(octetString(), [1, 2] as unknown as Uint8Array), { reason: /Uint8Array/ });
  });

  it('accepts a Buffer (a Uint8Array subclass) both ways', () => {
    const buf = Buffer.from('0403616263', 'hex');
    expect(Buffer.from(decode(octetString(), buf)).toString()).toBe('abc');
    expect(toHex(encode(octetString(), Buffer.from('abc')))).toBe('0403616263');
  });
});
