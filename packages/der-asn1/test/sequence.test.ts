import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  boolean,
  DecodeError,
  decode,
  defaulted,
  EncodeError,
  encode,
  explicit,
  generalizedTime,
  type Infer,
  int32,
  integer,
  octetString,
  optional,
  sequence,
  sequenceOf,
  uint32,
  utf8String,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, tlv, toHex } from './helpers.js';

const EncryptedData = sequence(
  {
    etype: explicit(0, int32()),
    kvno: optional(explicit(1, uint32())),
    cipher: explicit(2, octetString()),
  },
  { name: 'EncryptedData' },
);

// EncryptedData {etype 18, kvno 2, cipher 'abc'} and without kvno.
const withKvno = hex(tlv('30', 'a003020112 a103020102 a2050403616263'));
const withoutKvno = hex(tlv('30', 'a003020112 a2050403616263'));

describe('SEQUENCE with OPTIONAL components', () => {
  it('encodes and decodes with the optional component present', () => {
    const value = { etype: 18, kvno: 2, cipher: hex('616263') };
    expect(toHex(encode(EncryptedData, value))).toBe(toHex(withKvno));
    expect(decode(EncryptedData, withKvno)).toEqual(value);
  });

  it('omits an absent or undefined optional component and leaves it out of the value', () => {
    expect(toHex(encode(EncryptedData, { etype: 18, cipher: hex('616263') }))).toBe(toHex(withoutKvno));
    expect(toHex(encode(EncryptedData, { etype: 18, kvno: undefined, cipher: hex('616263') }))).toBe(
      toHex(withoutKvno),
    );
    const value = decode(EncryptedData, withoutKvno);
    expect(value).toEqual({ etype: 18, cipher: hex('616263') });
    expect('kvno' in value).toBe(false);
  });

  it('reports a missing required component with its name, what was found and where', () => {
    const err = expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a003020112'))), {
      reason: /^missing component cipher: found end of SEQUENCE$/,
      path: 'EncryptedData',
      offset: 7,
    });
    expect(err.message).toBe('EncryptedData: missing component cipher: found end of SEQUENCE (at byte 7)');
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a2050403616263'))), {
      reason: /^missing component etype: found \[2\]$/,
      offset: 2,
    });
    expectDecodeError(() => decode(EncryptedData, hex('3000')), {
      reason: /missing component etype: found end/,
    });
  });

  it('rejects components out of order', () => {
    // cipher, then etype
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a2050403616263 a003020112'))), {
      reason: /missing component etype/,
    });
    // etype, cipher, kvno
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a003020112 a2050403616263 a103020102'))), {
      reason: /unexpected element \[1\] in EncryptedData/,
      offset: 14,
    });
  });

  it('rejects unexpected and duplicate elements', () => {
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a003020112 a2050403616263 a303020101'))), {
      reason: /unexpected element \[3\] in EncryptedData/,
      path: 'EncryptedData',
      offset: 14,
    });
    expectDecodeError(
      () => decode(EncryptedData, hex(tlv('30', 'a003020112 a2050403616263 a2050403616263'))),
      {
        reason: /unexpected element \[2\]/,
      },
    );
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a003020112 a2050403616263 0500'))), {
      reason: /unexpected element UNIVERSAL 5/,
    });
  });

  it('puts the component name in the path of an inner error', () => {
    // Cipher with a truncated OCTET STRING inside [2] (as in the smoke test).
    expectDecodeError(() => decode(EncryptedData, hex('3009a003020100a2020401')), {
      path: 'EncryptedData.cipher',
      offset: 9,
      reason: /truncated/,
    });
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a003020112 a2050c03616263'))), {
      path: 'EncryptedData.cipher',
      reason: /expected OCTET STRING, found UNIVERSAL 12/,
      offset: 9,
    });
    expectDecodeError(() => decode(EncryptedData, hex(tlv('30', 'a0070205 0100000000 a2050403616263'))), {
      path: 'EncryptedData.etype',
    });
  });

  it('rejects a truncated SEQUENCE', () => {
    expectDecodeError(() => decode(EncryptedData, withKvno.subarray(0, withKvno.length - 1)), {
      reason: /truncated/,
      offset: 0,
    });
  });
});

describe('SEQUENCE with DEFAULT components (X.690 §11.5)', () => {
  const WithDefault = sequence(
    {
      version: defaulted(explicit(0, integer()), 0),
      name: explicit(1, utf8String()),
      critical: defaulted(explicit(2, boolean()), false),
      data: defaulted(explicit(3, octetString()), new Uint8Array(0)),
      when: defaulted(explicit(4, generalizedTime()), new Date('2000-01-01T00:00:00Z')),
    },
    { name: 'WithDefault' },
  );
  const base = hex(tlv('30', 'a1030c0161'));

  it('fills in defaults when absent', () => {
    expect(decode(WithDefault, base)).toEqual({
      version: 0,
      name: 'a',
      critical: false,
      data: new Uint8Array(0),
      when: new Date('2000-01-01T00:00:00Z'),
    });
  });

  it('omits values equal to the default on encode (numbers, booleans, bytes, dates)', () => {
    const value = {
      version: 0,
      name: 'a',
      critical: false,
      data: new Uint8Array(0),
      when: new Date('2000-01-01T00:00:00Z'),
    };
    expect(toHex(encode(WithDefault, value))).toBe(toHex(base));
    expect(toHex(encode(WithDefault, { name: 'a' } as never))).toBe(toHex(base));
  });

  it('encodes and decodes non-default values', () => {
    const value = {
      version: 2,
      name: 'a',
      critical: true,
      data: hex('00'),
      when: new Date('2001-01-01T00:00:00Z'),
    };
    const der = encode(WithDefault, value);
    expect(toHex(der)).toBe(
      tlv(
        '30',
        'a003020102 a1030c0161 a2030101ff a303040100',
        tlv('a4', tlv('18', toHex(new TextEncoder().encode('20010101000000Z')))),
      ),
    );
    expect(decode(WithDefault, der)).toEqual(value);
  });

  it.each([
    ['version', 'a003020100', 'a1030c0161', 2],
    ['critical', '', 'a1030c0161 a203010100', 7],
    ['data', '', 'a1030c0161 a3020400', 7],
    ['when', '', `a1030c0161 a411180f${toHex(new TextEncoder().encode('20000101000000Z'))}`, 7],
  ])('rejects %s encoded with its DEFAULT value', (field, before, after, offset) => {
    const body = hex(`${before}${after}`);
    const der = Uint8Array.from([0x30, body.length, ...body]);
    expectDecodeError(() => decode(WithDefault, der), {
      reason: /DEFAULT value must be omitted in DER/,
      path: `WithDefault.${field}`,
      offset,
    });
  });

  it('uses a custom equality for DEFAULT', () => {
    const caseless = sequence({
      mode: defaulted(explicit(0, utf8String()), 'auto', (a, b) => a.toLowerCase() === b.toLowerCase()),
    });
    expect(toHex(encode(caseless, { mode: 'AUTO' }))).toBe('3000');
    expectDecodeError(() => decode(caseless, hex(tlv('30', tlv('a0', tlv('0c', '4155544f'))))), {
      reason: /DEFAULT value must be omitted/,
    });
  });
});

describe('SEQUENCE extensibility', () => {
  const Ext = sequence(
    { a: explicit(0, integer()), b: optional(explicit(1, integer())) },
    { extensible: true },
  );

  it('skips unknown elements after the known ones', () => {
    expect(decode(Ext, hex(tlv('30', 'a003020101 a103020102 a203020103 0500')))).toEqual({ a: 1, b: 2 });
    expect(decode(Ext, hex(tlv('30', 'a003020101 a5050403616263')))).toEqual({ a: 1 });
    expect(decode(Ext, hex(tlv('30', 'a003020101 3003020109 0c0141')))).toEqual({ a: 1 });
  });

  it('still checks every skipped element is well formed', () => {
    expectDecodeError(() => decode(Ext, hex(tlv('30', 'a003020101 a2050401'))), { reason: /truncated/ });
    expectDecodeError(() => decode(Ext, hex(tlv('30', 'a003020101 a2800000'))), { reason: /indefinite/ });
  });

  it('does not skip unknown elements before a required component', () => {
    const Req = sequence({ a: explicit(0, integer()), c: explicit(2, integer()) }, { extensible: true });
    expectDecodeError(() => decode(Req, hex(tlv('30', 'a003020101 a103020109 a203020103'))), {
      reason: /missing component c: found \[1\]/,
    });
  });

  it('re-encodes only the known components', () => {
    expect(toHex(encode(Ext, decode(Ext, hex(tlv('30', 'a003020101 a5050403616263')))))).toBe(
      '3005a003020101',
    );
  });
});

describe('SEQUENCE OF', () => {
  const Ints = sequenceOf(integer(), { name: 'Ints', min: 1, max: 3 });

  it('round-trips arrays within the size range', () => {
    expect(toHex(encode(Ints, [1, 2, 3]))).toBe('3009020101020102020103');
    expect(decode(Ints, hex('3009020101020102020103'))).toEqual([1, 2, 3]);
    expect(decode(Ints, hex('3003020100'))).toEqual([0]);
  });

  it('rejects too few and too many elements, both ways', () => {
    expectDecodeError(() => decode(Ints, hex('3000')), {
      reason: /Ints has 0 elements, at least 1 required/,
    });
    expectDecodeError(() => decode(Ints, hex('300c020101020102020103020104')), {
      reason: /Ints has more than 3 elements/,
      offset: 11,
    });
    expectEncodeError(() => encode(Ints, []), { reason: /Ints has 0 elements, expected 1\.\.3/ });
    expectEncodeError(() => encode(Ints, [1, 2, 3, 4]), { reason: /has 4 elements/ });
  });

  it('allows an empty SEQUENCE OF by default', () => {
    expect(toHex(encode(sequenceOf(integer()), []))).toBe('3000');
    expect(decode(sequenceOf(integer()), hex('3000'))).toEqual([]);
  });

  it('indexes element errors', () => {
    expectDecodeError(() => decode(Ints, hex(tlv('30', '020101 020102 0200'))), {
      path: 'Ints[2]',
      reason: /no content octets/,
    });
    expectDecodeError(() => decode(Ints, hex(tlv('30', '020101 0c0141'))), {
      path: 'Ints[1]',
      reason: /expected INTEGER/,
    });
    expectEncodeError(() => encode(Ints, [1, 2.5]), { path: 'Ints[1]', reason: /safe integer/ });
  });

  it('rejects non-arrays on encode', () => {
    expectEncodeError(() => encode(Ints, { length: 1, 0: 1 } as unknown as number[]), {
      reason: /must be an array/,
    });
  });
});

describe('error paths through nested structures', () => {
  const Item = sequence({ id: explicit(0, integer()), name: explicit(1, utf8String()) }, { name: 'Item' });
  const X = sequence(
    { version: explicit(0, integer()), items: explicit(1, sequenceOf(Item)) },
    { name: 'X' },
  );
  const item = (id: number, name: string) => ({ id, name });
  const good = { version: 1, items: [item(1, 'a'), item(2, 'b'), item(3, 'c')] };

  it('round-trips the structure', () => {
    expect(decode(X, encode(X, good))).toEqual(good);
  });

  it('names X.items[2].name on decode, with the byte offset of the bad content', () => {
    const der = encode(X, good);
    // Replace the last name 'c' (0x63) with an invalid UTF-8 octet.
    const bad = der.slice();
    const at = bad.lastIndexOf(0x63);
    bad[at] = 0xff;
    const err = expectDecodeError(() => decode(X, bad), { path: 'X.items[2].name', offset: at });
    expect(err.segments).toEqual(['X', 'items', '[2]', 'name']);
    expect(err.message).toBe(`X.items[2].name: UTF8String is not valid UTF-8 (at byte ${at})`);
  });

  it('names X.items[2].name on encode', () => {
    const err = expectEncodeError(
      () => encode(X, { version: 1, items: [item(1, 'a'), item(2, 'b'), item(3, '\ud800')] }),
      { path: 'X.items[2].name', reason: /lone surrogate/ },
    );
    expect(err.message).toBe('X.items[2].name: UTF8String contains a lone surrogate');
    expect(err.name).toBe('EncodeError');
  });

  it('names the element with the missing component, the same way on decode and on encode', () => {
    const missing = { version: 1, items: [item(1, 'a'), item(2, 'b'), { id: 3 }] } as unknown as typeof good;
    expectEncodeError(() => encode(X, missing), { path: 'X.items[2]', reason: /^missing component name$/ });
    const der = encode(X, { version: 1, items: [item(1, 'a'), item(2, 'b'), item(3, 'c')] });
    // Rebuild the third Item without its name.
    const third = hex('3005a003020103');
    const twoItems = encode(sequenceOf(Item), [item(1, 'a'), item(2, 'b')]).subarray(2);
    const list = Uint8Array.from([0x30, twoItems.length + third.length, ...twoItems, ...third]);
    const items = Uint8Array.from([0xa1, list.length, ...list]);
    const version = hex('a003020101');
    const bad = Uint8Array.from([0x30, version.length + items.length, ...version, ...items]);
    expect(bad.length).toBeLessThan(der.length);
    expectDecodeError(() => decode(X, bad), {
      path: 'X.items[2]',
      reason: /^missing component name: found end/,
    });
  });

  it('names a missing top-level component on encode', () => {
    expectEncodeError(() => encode(X, { version: 1 } as unknown as typeof good), {
      path: 'X',
      reason: /^missing component items$/,
    });
  });

  it('rejects non-object values on encode', () => {
    for (const bad of [null, undefined, 1, 'x']) {
      expect(() => encode(X, bad as unknown as typeof good)).toThrow(EncodeError);
    }
  });

  it('ignores properties that are not components', () => {
    const extra = { ...good, comment: 'not encoded' } as typeof good;
    expect(toHex(encode(X, extra))).toBe(toHex(encode(X, good)));
  });

  it('uses the default name SEQUENCE in paths when none is given', () => {
    const anon = sequence({ a: explicit(0, integer()) });
    expectDecodeError(() => decode(anon, hex('3004a0020200')), { path: 'SEQUENCE.a' });
    expect(new DecodeError('r', 0, ['A', '[1]', 'b']).path).toBe('A[1].b');
  });
});

describe('Infer<> of a sequence', () => {
  it('has required, optional and defaulted fields with the right types', () => {
    const S = sequence({
      n: explicit(0, int32()),
      maybe: optional(explicit(1, utf8String())),
      d: defaulted(explicit(2, boolean()), false),
      list: explicit(3, sequenceOf(octetString())),
      inner: optional(explicit(4, sequence({ x: integer() }))),
    });
    type V = Infer<typeof S>;
    expectTypeOf<V>().toEqualTypeOf<{
      n: number;
      maybe?: string | undefined;
      d: boolean;
      list: Uint8Array[];
      inner?: { x: number } | undefined;
    }>();
    expectTypeOf<Infer<typeof EncryptedData>>().toEqualTypeOf<{
      etype: number;
      kvno?: number | undefined;
      cipher: Uint8Array;
    }>();
    expectTypeOf(decode(S, encode(S, { n: 1, d: true, list: [] }))).toEqualTypeOf<V>();
    // @ts-expect-error a required component cannot be left out
    const missing: V = { d: false, list: [] };
    expect(missing).toBeDefined();
  });
});
