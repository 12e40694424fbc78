import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decode,
  decodePrefix,
  describeTag,
  explicit,
  implicit,
  integer,
  MAX_TAG_NUMBER,
  nullValue,
  octetString,
  raw,
  readHeader,
  sequence,
  TagClass,
  tagged,
  tagId,
} from '../src/index.js';
import { concat, expectDecodeError, hex } from './helpers.js';

const header = (text: string, offset = 0, limit?: number) => {
  const input = hex(text);
  return readHeader(input, offset, limit ?? input.length);
};

describe('readHeader', () => {
  it('reads identifier, constructed bit and length', () => {
    expect(header('3003020105')).toEqual({ id: 16, constructed: true, start: 0, contentStart: 2, end: 5 });
    expect(header('020105')).toEqual({ id: 2, constructed: false, start: 0, contentStart: 2, end: 3 });
    expect(header('0500')).toEqual({ id: 5, constructed: false, start: 0, contentStart: 2, end: 2 });
  });

  it('reads at an offset', () => {
    expect(header('ffff a003020105', 2)).toEqual({
      id: tagId(TagClass.context, 0),
      constructed: true,
      start: 2,
      contentStart: 4,
      end: 7,
    });
  });

  it('maps the four classes to ids', () => {
    expect(header('4000').id).toBe(tagId(TagClass.application, 0));
    expect(header('6a00').id).toBe(tagId(TagClass.application, 10));
    expect(header('8100').id).toBe(tagId(TagClass.context, 1));
    expect(header('df1f00').id).toBe(tagId(TagClass.private, 31));
    expect(describeTag(tagId(TagClass.application, 10))).toBe('[APPLICATION 10]');
    expect(describeTag(tagId(TagClass.context, 3))).toBe('[3]');
    expect(describeTag(tagId(TagClass.universal, 16))).toBe('UNIVERSAL 16');
    expect(describeTag(tagId(TagClass.private, 7))).toBe('[PRIVATE 7]');
  });

  describe('lengths (X.690 §8.1.3, §10.1)', () => {
    it.each([
      ['048180', 128],
      ['0481ff', 255],
      ['04820100', 256],
      ['0482ffff', 65535],
      ['0483010000', 65536],
    ])('accepts the minimal long form %s (%d)', (head, length) => {
      const input = concat(hex(head), new Uint8Array(length));
      const h = readHeader(input, 0, input.length);
      expect(h.end - h.contentStart).toBe(length);
      expect(h.contentStart).toBe(head.length / 2);
    });

    it('accepts a four-octet length (checked against the limit only)', () => {
      const length = 0x01000000;
      const input = concat(hex('0484 01000000'), new Uint8Array(length));
      expect(readHeader(input, 0, input.length).end).toBe(6 + length);
      expectDecodeError(() => readHeader(input, 0, input.length - 1), { reason: /truncated/ });
    });

    it('rejects the indefinite form (0x80)', () => {
      expectDecodeError(() => header('3080 020101 0000'), { reason: /indefinite length/, offset: 1 });
      expectDecodeError(() => header('2480 040100 0000'), { reason: /indefinite/ });
    });

    it.each([
      ['048105 0102030405', 'long form for 5'],
      [`04817f${'00'.repeat(127)}`, 'long form for 127'],
      [`04820080${'00'.repeat(128)}`, 'two octets for 128'],
      [`048200ff${'00'.repeat(255)}`, 'two octets for 255'],
      [`0483000100${'00'.repeat(256)}`, 'three octets for 256'],
      ['048400000005 0102030405', 'four octets for 5'],
      ['048100', 'long form for 0'],
    ])('rejects the non-minimal length %s… (%s)', (text) => {
      expectDecodeError(() => header(text), { reason: /non-minimal length/ });
    });

    it.each(['0485 0000000005', '0485 0100000000', '0488 0000000000000001', '04ff'])(
      'rejects lengths of 5 or more octets (%s)',
      (text) => {
        expectDecodeError(() => header(text), { reason: /octets is too large/, offset: 1 });
      },
    );
  });

  describe('truncation', () => {
    it.each([
      ['', /expected a tag/],
      ['30', /expected a length/],
      ['1f', /inside a long tag/],
      ['1f81', /inside a long tag/],
      ['1f8181', /inside a long tag/],
      ['1f1f', /expected a length/],
      ['0481', /inside a length/],
      ['0482 01', /inside a length/],
      ['0484 010000', /inside a length/],
      ['0401', /truncated: 1 content octets declared, 0 available/],
      ['0405 01020304', /truncated: 5 content octets declared, 4 available/],
      [`0481 80${'00'.repeat(127)}`, /truncated/],
    ])('%j is rejected', (text, reason) => {
      expectDecodeError(() => header(text), { reason });
    });

    it('never reads past the limit even when the buffer goes on', () => {
      const input = hex('3003020105');
      expectDecodeError(() => readHeader(input, 0, 4), { reason: /truncated/ });
      expectDecodeError(() => readHeader(input, 0, 1), { reason: /expected a length/ });
      expectDecodeError(() => readHeader(input, 5, 5), { reason: /expected a tag/, offset: 5 });
      expectDecodeError(() => readHeader(hex('0482 0100'), 0, 3), { reason: /inside a length/ });
    });
  });

  describe('tag numbers (X.690 §8.1.2.4)', () => {
    it.each([
      ['9f1f00', 31],
      ['9f7f00', 127],
      ['9f810000', 128],
      ['9fff7f00', 16383],
      ['9f81800000', 16384],
      ['9fffff7f00', MAX_TAG_NUMBER],
    ])('accepts the minimal long form %s (%d)', (text, number) => {
      const h = header(text);
      expect(h.id).toBe(tagId(TagClass.context, number));
      expect(h.contentStart).toBe(text.length / 2);
    });

    it.each(['9f8000', '9f807f00', '9f80810000'])('rejects a leading 0x80 tag octet (%s)', (text) => {
      expectDecodeError(() => header(text), { reason: /non-minimal long tag number/ });
    });

    it.each(['9f0000', '9f0100', '9f1e00', '1f0500', '3f1000'])(
      'rejects the long form below 31 (%s)',
      (text) => {
        expectDecodeError(() => header(text), {
          reason: /long tag form used for a tag number below 31/,
          offset: 0,
        });
      },
    );

    it.each(['9f8180800000', '9fffffff7f00', '9f8080808001'])(
      'rejects tag numbers above 2^21-1 (%s)',
      (text) => {
        expectDecodeError(() => header(text), { reason: /tag number too large|non-minimal/ });
      },
    );

    it('rejects an endless run of continuation octets quickly', () => {
      expectDecodeError(() => header(`9f${'ff'.repeat(10000)}`), { reason: /tag number too large/ });
    });
  });
});

describe('constructed / primitive bit', () => {
  it('rejects a primitive SEQUENCE', () => {
    const s = sequence({ a: integer() });
    expectDecodeError(() => decode(s, hex('1003020105')), {
      reason: /SEQUENCE must use the constructed form/,
    });
  });
  it('rejects a constructed INTEGER and NULL', () => {
    expectDecodeError(() => decode(integer(), hex('2201 05')), { reason: /primitive form/ });
    expectDecodeError(() => decode(nullValue(), hex('2500')), { reason: /primitive form/ });
  });
  it('rejects a primitive EXPLICIT tag', () => {
    expectDecodeError(() => decode(explicit(0, integer()), hex('8003020105')), {
      reason: /constructed form/,
    });
  });
  it('rejects a constructed IMPLICIT tag over a primitive type', () => {
    expectDecodeError(() => decode(implicit(0, integer()), hex('a00105')), { reason: /primitive form/ });
    expect(decode(implicit(0, integer()), hex('800105'))).toBe(5);
  });
  it('rejects a primitive IMPLICIT tag over a constructed type', () => {
    const s = implicit(1, sequence({ a: integer() }));
    expect(decode(s, hex('a103020105'))).toEqual({ a: 5 });
    expectDecodeError(() => decode(s, hex('8103020105')), { reason: /constructed form/ });
  });
  it('ignores the constructed bit only for ANY (raw)', () => {
    expect(decode(raw(), hex('2400'))).toEqual(hex('2400'));
  });
});

describe('decode / decodePrefix', () => {
  const s = sequence({ a: integer() }, { name: 'Thing' });

  it('rejects trailing bytes in decode, with their count and offset', () => {
    const err = expectDecodeError(() => decode(s, hex('3003020105 00')), {
      reason: /1 trailing bytes after Thing/,
      offset: 5,
      path: 'Thing',
    });
    expect(err.message).toBe('Thing: 1 trailing bytes after Thing (at byte 5)');
    expectDecodeError(() => decode(s, hex('3003020105 3003020105')), { reason: /5 trailing bytes/ });
  });

  it('reports the length consumed in decodePrefix', () => {
    expect(decodePrefix(s, hex('3003020105 ffffff'))).toEqual({ value: { a: 5 }, length: 5 });
    expect(decodePrefix(s, hex('3003020105'))).toEqual({ value: { a: 5 }, length: 5 });
    expectDecodeError(() => decodePrefix(s, hex('3004020105')), { reason: /truncated/ });
  });

  it('rejects the wrong outer tag', () => {
    expectDecodeError(() => decode(s, hex('3103020105')), {
      reason: /expected Thing, found UNIVERSAL 17/,
      offset: 0,
    });
    expectDecodeError(() => decode(octetString(), hex('0c00')), { reason: /found UNIVERSAL 12/ });
  });

  it('rejects empty input and non-Uint8Array input', () => {
    expectDecodeError(() => decode(s, new Uint8Array(0)), { reason: /expected a tag/ });
    expectDecodeError(() => decode(s, [0x30, 0] as unknown as Uint8Array), {
      reason: /must be a Uint8Array/,
    });
    expectDecodeError(() => decode(s, new ArrayBuffer(2) as unknown as Uint8Array), { reason: /Uint8Array/ });
  });

  it('reads from a subarray view with a byte offset', () => {
    const backing = hex('ffff 3003020107 ffff');
    expect(decode(s, backing.subarray(2, 7))).toEqual({ a: 7 });
  });

  it('produces DecodeError instances with name, reason, offset and message', () => {
    const err = expectDecodeError(() => decode(integer(), hex('0200')));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('DecodeError');
    expect(err.message).toBe('INTEGER: INTEGER has no content octets (at byte 2)');
    expect(new DecodeError('x', 3).message).toBe('x (at byte 3)');
  });

  it('works with a long-form tag type at the top level', () => {
    const s31 = tagged(TagClass.private, 300, 'explicit', integer());
    expect(decode(s31, hex('ff822c03020105'))).toBe(5);
  });
});
