import { describe, expect, it } from 'vitest';
import {
  decode,
  EncodeError,
  encode,
  explicit,
  integer,
  mapped,
  octetString,
  ReverseWriter,
  sequence,
  sequenceOf,
  utf8String,
} from '../src/index.js';
import { identifierOctets, lengthOctets, toHex } from './helpers.js';

describe('ReverseWriter', () => {
  it('writes backwards and grows from a tiny buffer', () => {
    const w = new ReverseWriter(1);
    w.writeBytes(Uint8Array.of(3, 4, 5));
    w.writeByte(2);
    w.writeBytes(new Uint8Array(0));
    w.writeByte(1);
    expect(w.size).toBe(5);
    expect(toHex(w.finish())).toBe('0102030405');
  });

  it('grows past several doublings at once', () => {
    const w = new ReverseWriter(2);
    w.writeByte(0xaa);
    w.writeBytes(new Uint8Array(1000).fill(7));
    const out = w.finish();
    expect(out.length).toBe(1001);
    expect(out[1000]).toBe(0xaa);
    expect(out.subarray(0, 1000).every((b) => b === 7)).toBe(true);
  });

  it.each([0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffff, 0x1000000, 0xffffffff])(
    'writes the shortest length form for %d',
    (length) => {
      const w = new ReverseWriter(4);
      w.writeLength(length);
      expect(toHex(w.finish())).toBe(toHex(Uint8Array.from(lengthOctets(length))));
    },
  );

  it.each([
    [0, false, 0],
    [0, true, 16],
    [1, true, 10],
    [2, false, 30],
    [2, true, 31],
    [3, false, 127],
    [2, false, 128],
    [1, true, 16383],
    [1, true, 16384],
    [3, true, 0x1fffff],
  ])('writes identifier octets for class %d constructed %s tag %d', (cls, constructed, number) => {
    const w = new ReverseWriter(1);
    w.writeTag(cls, constructed, number);
    expect(toHex(w.finish())).toBe(toHex(Uint8Array.from(identifierOctets(cls, constructed, number))));
  });

  it('refuses tag numbers above 2^21-1', () => {
    expect(() => new ReverseWriter().writeTag(2, false, 0x200000)).toThrow(RangeError);
  });

  it('reset empties and zeroes the buffer, and refuses to keep one above 64 KiB', () => {
    const w = new ReverseWriter(8);
    w.writeBytes(Uint8Array.of(1, 2, 3));
    expect(w.reset()).toBe(true);
    expect(w.size).toBe(0);
    const inside = (w as unknown as { buffer: Uint8Array }).buffer;
    expect(inside.every((b) => b === 0)).toBe(true);
    w.writeByte(9);
    expect(toHex(w.finish())).toBe('09');
    const big = new ReverseWriter(16);
    big.writeBytes(new Uint8Array(70000));
    expect(big.reset()).toBe(false);
  });

  it('finish returns a fresh copy', () => {
    const w = new ReverseWriter();
    w.writeByte(1);
    const a = w.finish();
    a[0] = 9;
    expect(toHex(w.finish())).toBe('01');
  });
});

describe('encode output', () => {
  it('returns a tight Uint8Array the caller owns', () => {
    const der = encode(octetString(), Uint8Array.of(1, 2, 3));
    expect(der.byteOffset).toBe(0);
    expect(der.buffer.byteLength).toBe(der.length);
  });

  it('encodes large nested structures with correct long lengths', () => {
    const s = sequenceOf(octetString());
    const items = Array.from({ length: 300 }, (_, i) => new Uint8Array(i));
    const der = encode(s, items);
    const content = items.reduce((n, it) => n + 1 + lengthOctets(it.length).length + it.length, 0);
    const head = `30${toHex(Uint8Array.from(lengthOctets(content)))}`;
    expect(content).toBeGreaterThan(0xffff / 2);
    expect(toHex(der.subarray(0, head.length / 2))).toBe(head);
    expect(der.length).toBe(head.length / 2 + content);
  });
});

describe('encode reuses its writer safely', () => {
  it('gives independent results across calls', () => {
    const a = encode(octetString(), Uint8Array.of(1, 2, 3));
    const b = encode(octetString(), Uint8Array.of(4));
    expect(toHex(a)).toBe('0403010203');
    expect(toHex(b)).toBe('040104');
  });

  it('handles an encode() nested inside a mapping', () => {
    // The mapping encodes its inner value on its own while the outer encode is running.
    const Wrapped = mapped(octetString(), {
      decode: (bytes) => decode(integer(), bytes),
      encode: (n: number) => encode(integer(), n),
    });
    const S = sequence({ a: explicit(0, Wrapped), b: explicit(1, utf8String()), c: explicit(2, Wrapped) });
    const value = { a: 300, b: 'x'.repeat(300), c: -5 };
    const der = encode(S, value);
    expect(decode(S, der)).toEqual(value);
    expect(toHex(encode(S, value))).toBe(toHex(der));
  });

  it('is unaffected by a previous failed or large encode', () => {
    const S = sequence({ a: explicit(0, integer()), b: explicit(1, octetString()) });
    expect(() => encode(S, { a: 1, b: 'not bytes' as unknown as Uint8Array })).toThrow(EncodeError);
    expect(toHex(encode(S, { a: 1, b: Uint8Array.of(7) }))).toBe('300aa003020101a103040107');
    const large = encode(octetString(), new Uint8Array(100_000).fill(0xab));
    expect(large.length).toBe(100_005);
    expect(toHex(encode(S, { a: 1, b: Uint8Array.of(7) }))).toBe('300aa003020101a103040107');
    expect(large.every((b, i) => i < 5 || b === 0xab)).toBe(true);
  });
});
