import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  application,
  applicationImplicit,
  type ChoiceValue,
  choice,
  decode,
  EncodeError,
  encode,
  explicit,
  generalString,
  ImplicitSchema,
  type Infer,
  implicit,
  int32,
  integer,
  nullValue,
  octetString,
  optional,
  raw,
  sequence,
  sequenceOf,
  TagClass,
  tagged,
  tagId,
  utf8String,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, tlv, toHex } from './helpers.js';

describe('EXPLICIT tags (X.690 §8.14.2)', () => {
  const s = explicit(3, integer());

  it('wraps the whole inner element in a constructed tag', () => {
    expect(toHex(encode(s, 5))).toBe('a303020105');
    expect(decode(s, hex('a303020105'))).toBe(5);
  });

  it('rejects two inner elements', () => {
    expectDecodeError(() => decode(s, hex(tlv('a3', '020105 020106'))), {
      reason: /explicit tag \[3\] holds more than one element/,
      offset: 5,
    });
  });

  it('rejects an empty wrapper and a wrong inner tag', () => {
    expectDecodeError(() => decode(s, hex('a300')), { reason: /expected a tag/, offset: 2 });
    expectDecodeError(() => decode(s, hex('a3030a0105')), { reason: /expected INTEGER, found UNIVERSAL 10/ });
  });

  it('rejects an inner element that overruns the wrapper', () => {
    expectDecodeError(() => decode(s, hex('a30302020105 00')), { reason: /truncated/ });
  });

  it('rejects the wrong class or number', () => {
    expectDecodeError(() => decode(s, hex('a203020105')), { reason: /found \[2\]/ });
    expectDecodeError(() => decode(s, hex('6303020105')), { reason: /found \[APPLICATION 3\]/ });
  });

  it('works with long-form tag numbers', () => {
    const big = explicit(1000, integer());
    expect(toHex(encode(big, 1))).toBe('bf876803020101');
    expect(decode(big, hex('bf876803020101'))).toBe(1);
  });
});

describe('IMPLICIT tags (X.690 §8.14.3)', () => {
  it('replaces the tag and keeps the content (primitive)', () => {
    const s = implicit(0, octetString());
    expect(toHex(encode(s, hex('616263')))).toBe('8003616263');
    expect(decode(s, hex('8003616263'))).toEqual(hex('616263'));
    expectDecodeError(() => decode(s, hex('0403616263')), { reason: /found UNIVERSAL 4/ });
  });

  it('keeps the constructed bit of a SEQUENCE', () => {
    const s = implicit(2, sequence({ a: integer() }));
    expect(toHex(encode(s, { a: 1 }))).toBe('a203020101');
    expect(decode(s, hex('a203020101'))).toEqual({ a: 1 });
  });

  it('keeps the content rules of the inner type', () => {
    const s = implicit(0, integer());
    expectDecodeError(() => decode(s, hex('80020001')), { reason: /non-minimal INTEGER/ });
  });

  it('cannot tag a CHOICE or an ANY implicitly', () => {
    const c = choice({ a: explicit(0, integer()), b: explicit(1, integer()) });
    expect(() => implicit(5, c as never)).toThrow(TypeError);
    expect(() => applicationImplicit(5, raw() as never)).toThrow(TypeError);
    expect(() => tagged(TagClass.context, 1, 'implicit', c as never)).toThrow(/cannot be tagged IMPLICIT/);
  });

  it('rejects invalid tag numbers at declaration', () => {
    expect(() => implicit(-1, integer())).toThrow(RangeError);
    expect(() => explicit(0x200000, integer())).toThrow(RangeError);
    expect(() => explicit(1.5, integer())).toThrow(RangeError);
  });
});

describe('APPLICATION tags', () => {
  const Ticket = application(
    1,
    sequence({ tktVno: explicit(0, int32()), realm: explicit(1, generalString()) }),
    'Ticket',
  );

  it('encodes [APPLICATION n] EXPLICIT around the SEQUENCE and names the type', () => {
    const value = { tktVno: 5, realm: 'ATHENA.MIT.EDU' };
    const der = encode(Ticket, value);
    expect(toHex(der)).toBe(
      tlv('61', tlv('30', 'a003020105', tlv('a1', tlv('1b', toHex(Buffer.from('ATHENA.MIT.EDU')))))),
    );
    expect(decode(Ticket, der)).toEqual(value);
    expect(Ticket.typeName).toBe('Ticket');
    expectDecodeError(() => decode(Ticket, hex(tlv('61', tlv('30', 'a003020105')))), {
      path: 'Ticket',
      reason: /missing component realm/,
    });
  });

  it('rejects a context tag where the application tag belongs', () => {
    expectDecodeError(() => decode(Ticket, hex(tlv('a1', tlv('30', 'a003020105')))), {
      reason: /expected Ticket, found \[1\]/,
    });
  });

  it('supports [APPLICATION n] IMPLICIT and any class via tagged()', () => {
    const gss = applicationImplicit(0, sequence({ a: integer() }));
    expect(gss).toBeInstanceOf(ImplicitSchema);
    expect(toHex(encode(gss, { a: 1 }))).toBe('6003020101');
    expect(decode(gss, hex('6003020101'))).toEqual({ a: 1 });
    const priv = tagged(TagClass.private, 7, 'explicit', nullValue());
    expect(toHex(encode(priv, null))).toBe('e7020500');
    expect(decode(priv, hex('e7020500'))).toBeNull();
    const privImplicit = tagged(TagClass.private, 7, 'implicit', nullValue());
    expect(toHex(encode(privImplicit, null))).toBe('c700');
  });
});

describe('CHOICE', () => {
  const Name = choice(
    {
      text: explicit(0, utf8String()),
      id: explicit(1, integer()),
      blob: implicit(2, octetString()),
      nothing: nullValue(),
    },
    'Name',
  );

  it('decodes to a discriminated { type, value }', () => {
    expect(decode(Name, hex('a0030c0161'))).toEqual({ type: 'text', value: 'a' });
    expect(decode(Name, hex('a103020107'))).toEqual({ type: 'id', value: 7 });
    expect(decode(Name, hex('8200'))).toEqual({ type: 'blob', value: new Uint8Array(0) });
    expect(decode(Name, hex('0500'))).toEqual({ type: 'nothing', value: null });
  });

  it('encodes each alternative with its own tag', () => {
    expect(toHex(encode(Name, { type: 'text', value: 'a' }))).toBe('a0030c0161');
    expect(toHex(encode(Name, { type: 'id', value: 7 }))).toBe('a103020107');
    expect(toHex(encode(Name, { type: 'blob', value: hex('ff') }))).toBe('8201ff');
    expect(toHex(encode(Name, { type: 'nothing', value: null }))).toBe('0500');
  });

  it('rejects a tag that is no alternative', () => {
    expectDecodeError(() => decode(Name, hex('a303020107')), {
      reason: /expected Name, found \[3\]/,
      offset: 0,
    });
    const inSeq = sequence({ n: explicit(0, Name) }, { name: 'Holder' });
    expectDecodeError(() => decode(inSeq, hex(tlv('30', tlv('a0', 'a303020107')))), {
      path: 'Holder.n',
      reason: /expected Name, found \[3\]/,
    });
  });

  it('puts the alternative name in error paths', () => {
    expectDecodeError(() => decode(Name, hex('a1020200')), { path: 'Name.id', reason: /no content octets/ });
    expectEncodeError(() => encode(Name, { type: 'id', value: 1.5 }), { path: 'Name.id' });
  });

  it('rejects values that are not a known { type, value }', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'text',
      { value: 'a' },
      { type: 'other', value: 1 },
      { type: 'toString', value: 1 },
      { type: 'constructor', value: 1 },
      { type: '__proto__', value: 1 },
      { type: 'hasOwnProperty', value: 1 },
    ];
    for (const value of bad) {
      expect(() => encode(Name, value as never), JSON.stringify(value)).toThrow(EncodeError);
    }
  });

  it('refuses alternatives with the same tag or without a fixed tag', () => {
    expect(() => choice({ a: explicit(0, integer()), b: explicit(0, utf8String()) })).toThrow(
      /share the tag \[0\]/,
    );
    expect(() => choice({ a: integer(), b: raw() })).toThrow(/has no fixed tag/);
  });

  it('accepts a nested untagged CHOICE as an alternative and lists all tag ids', () => {
    const Inner = choice({ i: integer(), s: utf8String() });
    const Outer = choice({ inner: Inner, o: octetString() });
    expect(Outer.tagIds).toEqual([tagId(0, 2), tagId(0, 12), tagId(0, 4)]);
    expect(decode(Outer, hex('020101'))).toEqual({ type: 'inner', value: { type: 'i', value: 1 } });
    expect(toHex(encode(Outer, { type: 'inner', value: { type: 's', value: 'x' } }))).toBe('0c0178');
  });

  it('works as an OPTIONAL component, chosen by tag', () => {
    const S = sequence({
      a: optional(choice({ x: explicit(0, integer()), y: explicit(1, integer()) })),
      z: explicit(2, integer()),
    });
    expect(decode(S, hex(tlv('30', 'a103020101', 'a203020102')))).toEqual({
      a: { type: 'y', value: 1 },
      z: 2,
    });
    expect(decode(S, hex(tlv('30', 'a203020102')))).toEqual({ z: 2 });
  });

  it('has a discriminated union type', () => {
    type N = Infer<typeof Name>;
    expectTypeOf<N>().toEqualTypeOf<
      | { readonly type: 'text'; readonly value: string }
      | { readonly type: 'id'; readonly value: number }
      | { readonly type: 'blob'; readonly value: Uint8Array }
      | { readonly type: 'nothing'; readonly value: null }
    >();
    expectTypeOf<ChoiceValue<{ a: typeof Name }>>().toEqualTypeOf<{
      readonly type: 'a';
      readonly value: N;
    }>();
    const v = decode(Name, hex('a103020107'));
    if (v.type === 'id') expectTypeOf(v.value).toEqualTypeOf<number>();
  });

  it('works inside SEQUENCE OF', () => {
    const list = sequenceOf(Name);
    const value = [
      { type: 'id', value: 1 },
      { type: 'nothing', value: null },
    ] as const;
    const der = encode(list, [...value]);
    expect(decode(list, der)).toEqual(value);
  });
});
