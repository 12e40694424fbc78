import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChoiceValue,
  choice,
  DecodeError,
  decode,
  decodePrefix,
  encode,
  explicit,
  integer,
  lazy,
  nullValue,
  octetString,
  optional,
  raw,
  type Schema,
  sequence,
  sequenceOf,
  utf8String,
} from '../src/index.js';
import { concat, expectDecodeError, lengthOctets } from './helpers.js';

/** `depth` nested `[0]` constructed wrappers around NULL, built inside out. */
function nestedExplicit(depth: number): Uint8Array {
  // Compute every level's length first, then fill the buffer front to back.
  const lengths: number[] = new Array(depth);
  let inner = 2; // 05 00
  for (let i = depth - 1; i >= 0; i--) {
    lengths[i] = inner;
    inner += 1 + lengthOctets(inner).length;
  }
  const out = new Uint8Array(inner);
  let pos = 0;
  for (let i = 0; i < depth; i++) {
    out[pos++] = 0xa0;
    for (const octet of lengthOctets(lengths[i]!)) out[pos++] = octet;
  }
  out[pos++] = 0x05;
  out[pos++] = 0x00;
  expect(pos).toBe(out.length);
  return out;
}

type Nest = ChoiceValue<{ leaf: Schema<null>; nested: Schema<Nest> }>;
const Nest: Schema<Nest> = choice(
  {
    leaf: nullValue(),
    nested: explicit(
      0,
      lazy(() => Nest),
    ),
  },
  'Nest',
);

function nestValue(depth: number): Nest {
  let value: Nest = { type: 'leaf', value: null };
  for (let i = 0; i < depth; i++) value = { type: 'nested', value };
  return value;
}

describe('maxDepth', () => {
  it('decodes nesting up to the default limit of 64', () => {
    expect(decode(Nest, nestedExplicit(64))).toEqual(nestValue(64));
    expectDecodeError(() => decode(Nest, nestedExplicit(65)), { reason: /nesting deeper than 64 levels/ });
  });

  it('turns 100 000 nested explicit tags into a DecodeError, not a stack overflow', () => {
    const input = nestedExplicit(100_000);
    expect(input.length).toBeGreaterThan(400_000);
    const started = performance.now();
    const err = expectDecodeError(() => decode(Nest, input), { reason: /nesting deeper than 64 levels/ });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err.offset).toBeGreaterThan(0);
    // The error path is bounded by the depth limit, not by the input.
    expect(err.segments.length).toBeLessThan(200);
  });

  it('caps a huge caller-chosen maxDepth at 1000, so deep input is a DecodeError, not a RangeError', () => {
    const input = nestedExplicit(100_000);
    expectDecodeError(() => decode(Nest, input, { maxDepth: 100_000 }), {
      reason: /nesting deeper than 1000 levels/,
    });
  });

  it('honours a caller-chosen depth in both directions', () => {
    expect(decode(Nest, nestedExplicit(1000), { maxDepth: 1000 })).toEqual(nestValue(1000));
    expectDecodeError(() => decode(Nest, nestedExplicit(1001), { maxDepth: 1000 }), {
      reason: /deeper than 1000/,
    });
    expectDecodeError(() => decode(Nest, nestedExplicit(3), { maxDepth: 2 }), { reason: /deeper than 2/ });
    expectDecodeError(() => decode(Nest, nestedExplicit(1), { maxDepth: 0 }), { reason: /deeper than 0/ });
  });

  it('counts SEQUENCE and SEQUENCE OF levels too', () => {
    const Deep: Schema<unknown[]> = sequenceOf(lazy(() => Deep));
    let der: Uint8Array = Uint8Array.of(0x30, 0x00);
    for (let i = 0; i < 100; i++) der = concat(Uint8Array.of(0x30, ...lengthOctets(der.length)), der);
    expectDecodeError(() => decode(Deep, der), { reason: /nesting deeper than 64/ });
    expect(decode(Deep, der, { maxDepth: 101 })).toHaveLength(1);
  });

  it('recovers: the depth count does not leak between sibling elements', () => {
    // 200 siblings, each two levels deep, under a limit of 3.
    const Pair = sequence({ a: explicit(0, integer()) });
    const List = sequenceOf(Pair);
    const der = encode(
      List,
      Array.from({ length: 200 }, (_, i) => ({ a: i })),
    );
    expect(decode(List, der, { maxDepth: 3 })).toHaveLength(200);
    expectDecodeError(() => decode(List, der, { maxDepth: 2 }), { reason: /deeper than 2/ });
  });
});

describe('maxItems', () => {
  const Nulls = sequenceOf(nullValue(), { name: 'Nulls' });
  const nulls = (n: number) =>
    concat(
      Uint8Array.of(0x30, ...lengthOctets(2 * n)),
      new Uint8Array(2 * n).map((_, i) => (i % 2 === 0 ? 5 : 0)),
    );

  it('allows 65 536 elements by default and rejects one more', () => {
    expect(decode(Nulls, nulls(65536))).toHaveLength(65536);
    expectDecodeError(() => decode(Nulls, nulls(65537)), {
      reason: /Nulls has more than 65536 elements/,
      offset: 1 + lengthOctets(2 * 65537).length + 2 * 65536,
    });
  });

  it('applies a caller-chosen limit and the schema max, whichever is lower', () => {
    expectDecodeError(() => decode(Nulls, nulls(11), { maxItems: 10 }), { reason: /more than 10 elements/ });
    expect(decode(Nulls, nulls(10), { maxItems: 10 })).toHaveLength(10);
    const Small = sequenceOf(nullValue(), { max: 3 });
    expectDecodeError(() => decode(Small, nulls(4), { maxItems: 100 }), { reason: /more than 3 elements/ });
    expectDecodeError(() => decode(Small, nulls(4), { maxItems: 2 }), { reason: /more than 2 elements/ });
  });

  it('applies to nested lists separately', () => {
    const Matrix = sequenceOf(sequenceOf(integer()));
    const der = encode(Matrix, [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(decode(Matrix, der, { maxItems: 3 })).toHaveLength(3);
    expectDecodeError(() => decode(Matrix, der, { maxItems: 2 }), { reason: /more than 2/ });
  });
});

describe('maxLength', () => {
  it('rejects inputs over 4 MiB by default, before parsing', () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    expectDecodeError(() => decode(octetString(), big), {
      reason: /input of 4194305 bytes exceeds the 4194304-byte limit/,
      offset: 0,
    });
    const exact = concat(Uint8Array.of(0x04, 0x83, 0x3f, 0xff, 0xfb), new Uint8Array(4 * 1024 * 1024 - 5));
    expect(decode(octetString(), exact)).toHaveLength(4 * 1024 * 1024 - 5);
  });

  it('applies a caller-chosen limit to decode and decodePrefix', () => {
    const der = encode(octetString(), new Uint8Array(100));
    expectDecodeError(() => decode(octetString(), der, { maxLength: 101 }), {
      reason: /exceeds the 101-byte limit/,
    });
    expect(decode(octetString(), der, { maxLength: 102 })).toHaveLength(100);
    expectDecodeError(() => decodePrefix(octetString(), der, { maxLength: 50 }), { reason: /50-byte limit/ });
  });
});

describe('junk input is rejected fast', () => {
  const Rich = sequence({
    a: explicit(0, integer()),
    b: optional(explicit(1, sequenceOf(utf8String()))),
    c: explicit(2, octetString()),
  });
  const schemas: Array<[string, Schema<unknown>]> = [
    ['sequence', Rich as Schema<unknown>],
    ['sequenceOf(raw)', sequenceOf(raw()) as Schema<unknown>],
    ['recursive choice', Nest as Schema<unknown>],
    ['octetString', octetString() as Schema<unknown>],
  ];
  const MB = 1024 * 1024;

  it.each(schemas)(
    '1 MB of random bytes into %s gives a DecodeError in well under a second',
    (_name, schema) => {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const input = new Uint8Array(MB);
          let x = seed | 1;
          for (let i = 0; i < input.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            input[i] = x & 0xff;
          }
          const started = performance.now();
          expect(() => decode(schema, input)).toThrow(DecodeError);
          expect(performance.now() - started).toBeLessThan(500);
        }),
        { numRuns: 5 },
      );
    },
  );

  it('1 MB of 0xFF, 0x00, 0x80 or 0x30 runs is rejected at once', () => {
    for (const fill of [0xff, 0x00, 0x80, 0x30, 0xa0, 0x1f]) {
      const started = performance.now();
      for (const [, schema] of schemas) {
        expect(() => decode(schema, new Uint8Array(MB).fill(fill))).toThrow(DecodeError);
      }
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('1 MB of well-formed tiny elements is walked linearly', () => {
    const count = (MB - 8) / 2;
    const body = new Uint8Array(2 * count).map((_, i) => (i % 2 === 0 ? 5 : 0));
    const input = concat(Uint8Array.of(0x30, ...lengthOctets(body.length)), body);
    let started = performance.now();
    expectDecodeError(() => decode(sequenceOf(raw()), input), { reason: /more than 65536 elements/ });
    expect(performance.now() - started).toBeLessThan(500);
    started = performance.now();
    expect(decode(sequenceOf(raw()), input, { maxItems: count })).toHaveLength(count);
    expect(performance.now() - started).toBeLessThan(2000);
    // An extensible SEQUENCE skipping half a million unknown elements is linear too.
    const Ext = sequence({ first: optional(explicit(0, integer())) }, { extensible: true });
    started = performance.now();
    expect(decode(Ext, input)).toEqual({});
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
