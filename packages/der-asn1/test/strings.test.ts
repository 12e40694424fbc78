import { describe, expect, it } from 'vitest';
import { decode, encode, generalString, ia5String, utf8String } from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, toHex } from './helpers.js';

const utf8Bytes = (s: string) => toHex(new TextEncoder().encode(s));

describe.each([
  ['UTF8String', utf8String, '0c'],
  ['GeneralString', generalString, '1b'],
] as const)('%s (UTF-8 octets)', (name, make, tag) => {
  const s = make();
  const samples = [
    '',
    'ATHENA.MIT.EDU',
    'hftsai',
    'Müller',
    'Ελληνικά',
    '日本語のレルム',
    '😀 emoji (4-byte UTF-8)',
    '\u0000nul\u007f',
    '\ufeffBOM is kept',
    'a'.repeat(63),
    'a'.repeat(64),
    'b'.repeat(200),
    `${'é'.repeat(40)}long non-ASCII`,
  ];

  it.each(samples)('round-trips %j', (text) => {
    const der = encode(s, text);
    expect(der[0]).toBe(Number.parseInt(tag, 16));
    const body = utf8Bytes(text);
    expect(toHex(der).endsWith(body)).toBe(true);
    expect(decode(s, der)).toBe(text);
  });

  it.each([
    ['c0af', 'overlong "/" (2 octets)'],
    ['c180', 'overlong (2 octets)'],
    ['e080af', 'overlong (3 octets)'],
    ['f08080af', 'overlong (4 octets)'],
    ['eda080', 'UTF-16 high surrogate D800'],
    ['edbfbf', 'UTF-16 low surrogate DFFF'],
    ['eda0bdedb880', 'CESU-8 surrogate pair'],
    ['e282', 'truncated 3-octet sequence'],
    ['80', 'lone continuation octet'],
    ['f4908080', 'above U+10FFFF'],
    ['f5808080', 'F5 lead octet'],
    ['ff', 'FF octet'],
    ['41c3', 'truncated at the end'],
  ])('rejects invalid UTF-8 %s (%s)', (bytes) => {
    const der = hex(`${tag}${(bytes.length / 2).toString(16).padStart(2, '0')}${bytes}`);
    expectDecodeError(() => decode(s, der), { reason: new RegExp(`${name} is not valid UTF-8`), offset: 2 });
  });

  it('rejects invalid UTF-8 in a long (>= 64 octet) string too', () => {
    const der = hex(`${tag}41${'61'.repeat(64)}c0`);
    expectDecodeError(() => decode(s, der), { reason: /not valid UTF-8/ });
  });

  it.each(['\ud800', 'a\udc00b', '\udbff'])('rejects a lone surrogate on encode (%j)', (text) => {
    expectEncodeError(() => encode(s, text), { reason: /lone surrogate/ });
  });

  it('rejects non-strings on encode and the constructed form on decode', () => {
    expectEncodeError(() => encode(s, 42 as unknown as string), { reason: /must be a string/ });
    const constructed = Number.parseInt(tag, 16) | 0x20;
    expectDecodeError(() => decode(s, hex(`${constructed.toString(16)}03${tag}0141`)), {
      reason: /primitive form/,
    });
  });
});

describe('GeneralString for Kerberos', () => {
  it('decodes UTF-8 principal names as Windows and MIT send them', () => {
    expect(decode(generalString(), hex('1b074dc3bc6c6c6572'))).toBe('Müller');
  });
  it('does not accept a UTF8String tag', () => {
    expectDecodeError(() => decode(generalString(), hex('0c0141')), { reason: /expected GeneralString/ });
  });
});

describe('IA5String', () => {
  const s = ia5String();
  it('round-trips 7-bit text including control characters', () => {
    const text = `${String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i))}`;
    expect(decode(s, encode(s, text))).toBe(text);
    expect(toHex(encode(s, 'Smith'))).toBe('1605536d697468');
  });

  it.each(['80', 'ff', 'c3a9', '41e9'])('rejects the non-ASCII octets %s on decode', (bytes) => {
    const der = hex(`16${(bytes.length / 2).toString(16).padStart(2, '0')}${bytes}`);
    expectDecodeError(() => decode(s, der), { reason: /non-ASCII/ });
  });

  it.each(['é', 'ÿ', '\u0080', '日本', '😀'])('rejects non-ASCII characters on encode (%j)', (text) => {
    expectEncodeError(() => encode(s, text), { reason: /non-ASCII/ });
  });

  it('rejects non-strings on encode', () => {
    expectEncodeError(() => encode(s, null as unknown as string), { reason: /must be a string/ });
  });
});
