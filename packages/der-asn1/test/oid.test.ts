import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decode,
  decodeOidContent,
  EncodeError,
  encode,
  encodeOidContent,
  Oid,
  objectIdentifier,
  oidName,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, oidOctets, toHex } from './helpers.js';

const s = objectIdentifier();
const oidElement = (content: string) =>
  hex(`06${(content.length / 2).toString(16).padStart(2, '0')}${content}`);

describe('OBJECT IDENTIFIER (X.690 §8.19)', () => {
  it.each([
    ['0.0', '00'],
    ['0.39', '27'],
    ['1.0', '28'],
    ['1.39', '4f'],
    ['2.0', '50'],
    ['2.47', '7f'],
    ['2.48', '8100'],
    ['2.999.3', '883703'],
    ['2.100.3', '813403'],
    ['1.2.840.113549.1.1.11', '2a864886f70d01010b'],
    ['1.3.6.1.4.1.311.2.2.10', '2b06010401823702020a'],
    ['1.2.3.127.128.16383.16384', '2a037f8100ff7f818000'],
    ['1.2.4294967295', '2a8fffffff7f'],
  ])('%s <-> %s', (oid, content) => {
    expect(toHex(encode(s, oid))).toBe(toHex(oidElement(content)));
    expect(decode(s, oidElement(content))).toBe(oid);
    expect(toHex(encodeOidContent(oid))).toBe(content);
    expect(decodeOidContent(hex(content), 0, content.length / 2)).toBe(oid);
  });

  it('round-trips every registry OID and names it', () => {
    for (const [name, oid] of Object.entries(Oid)) {
      expect(decode(s, encode(s, oid))).toBe(oid);
      expect(oidName(oid)).toBe(name);
    }
    expect(toHex(encode(s, Oid.krb5))).toBe('06092a864886f712010202');
    expect(toHex(encode(s, Oid.msKrb5))).toBe('06092a864882f712010202');
    expect(oidName('1.2.3')).toBeUndefined();
  });

  it('handles arcs above 2^53 exactly', () => {
    const cases = [
      '1.2.9007199254740991',
      '1.2.9007199254740992',
      '1.2.9007199254740993',
      '1.2.18446744073709551615',
      '1.2.18446744073709551616',
      `1.2.${2n ** 200n}`,
      '1.2.70368744177663.70368744177664.70368744177665', // around 2^46, where decoding switches to bigint
    ];
    for (const oid of cases) {
      const arcs = oid.split('.').map(BigInt);
      const der = encode(s, oid);
      expect(toHex(der.subarray(2))).toBe(toHex(oidOctets(arcs)));
      expect(decode(s, der)).toBe(oid);
    }
  });

  it('handles a big second arc under 2 (X.690 §8.19.4: first subidentifier = 80 + arc)', () => {
    for (const oid of ['2.40', '2.999', '2.4294967295', '2.9007199254740993', `2.${2n ** 100n}.7`]) {
      const der = encode(s, oid);
      expect(toHex(der.subarray(2))).toBe(toHex(oidOctets(oid.split('.').map(BigInt))));
      expect(decode(s, der)).toBe(oid);
    }
  });

  it.each([
    ['06028001', 'a subidentifier starting with 0x80'],
    ['06032a8001', 'a later subidentifier starting with 0x80'],
    ['06042a808001', 'a subidentifier starting with two 0x80 octets'],
  ])('rejects non-minimal subidentifiers: %s (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /non-minimal OBJECT IDENTIFIER subidentifier/ });
  });

  it.each([
    ['060188', 'a lone continuation octet'],
    ['06022a86', 'last subidentifier truncated'],
    ['06032a8686', 'last subidentifier truncated after two octets'],
  ])('rejects a truncated last subidentifier: %s (%s)', (der) => {
    expectDecodeError(() => decode(s, hex(der)), { reason: /ends inside a subidentifier/ });
  });

  it('rejects empty content and the constructed form', () => {
    expectDecodeError(() => decode(s, hex('0600')), { reason: /no content octets/, offset: 2 });
    expectDecodeError(() => decode(s, hex('2603060100')), { reason: /primitive form/ });
    expect(() => decodeOidContent(hex(''), 0, 0)).toThrow(DecodeError);
  });

  it.each([
    '',
    '1',
    '3.1',
    '1.40',
    '0.40',
    '1.2.',
    '.1.2',
    '1..2',
    '1.02',
    '01.2',
    '1.2.-3',
    '1.2.a',
    '1.2 ',
    ' 1.2',
    '1.2.3e4',
  ])('rejects the malformed dotted OID %j on encode', (oid) => {
    expectEncodeError(() => encode(s, oid), { reason: /invalid OBJECT IDENTIFIER/ });
    expect(() => encodeOidContent(oid)).toThrow(EncodeError);
  });

  it('rejects non-strings on encode', () => {
    expectEncodeError(() => encode(s, 123 as unknown as string));
    expectEncodeError(() => encode(s, [1, 2] as unknown as string));
    // Values a template literal cannot print still give an EncodeError, not a TypeError.
    expectEncodeError(() => encode(s, Symbol('oid') as unknown as string), {
      reason: /invalid OBJECT IDENTIFIER/,
    });
    expectEncodeError(() => encode(s, Object.create(null) as string), {
      reason: /invalid OBJECT IDENTIFIER/,
    });
  });

  it('still encodes correctly once its small encoding cache is full', () => {
    const schema = objectIdentifier();
    for (let i = 0; i < 600; i++) {
      const oid = `1.3.6.1.4.1.${i}.${i * 977}`;
      expect(decode(schema, encode(schema, oid))).toBe(oid);
    }
    // A cached OID and a fresh one give identical bytes to a new schema instance.
    expect(toHex(encode(schema, '1.3.6.1.4.1.5.4885'))).toBe(
      toHex(encode(objectIdentifier(), '1.3.6.1.4.1.5.4885')),
    );
  });
});
