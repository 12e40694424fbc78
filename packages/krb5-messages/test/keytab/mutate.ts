/** fast-check arbitraries that damage valid files the ways files get damaged. */
import fc from 'fast-check';

type Mutation = (b: Uint8Array) => Uint8Array;

/** Values that make a length or count field lie: 0, sign bits, all ones, just too big. */
const hostileValues = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const at = (b: Uint8Array, pos: number): number => (b.length === 0 ? 0 : pos % (b.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // truncate
  fc.nat().map((pos) => (b: Uint8Array) => b.slice(0, at(b, pos))),
  // flip bits of one byte
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([pos, x]) => (b: Uint8Array) => {
    const out = b.slice();
    if (out.length > 0) out[pos % out.length]! ^= x;
    return out;
  }),
  // overwrite a 1/2/4-byte field with a hostile or random value, big- or little-endian
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(1, 2, 4),
      fc.oneof(fc.constantFrom(...hostileValues), fc.nat({ max: 0xffffffff })),
      fc.boolean(),
    )
    .map(([pos, width, value, little]) => (b: Uint8Array) => {
      const out = b.slice();
      if (out.length < width) return out;
      const p = pos % (out.length - width + 1);
      for (let i = 0; i < width; i++) {
        const shift = 8 * (little ? i : width - 1 - i);
        out[p + i] = Math.floor(value / 2 ** shift) & 0xff;
      }
      return out;
    }),
  // insert random bytes
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([pos, ins]) => (b: Uint8Array) => {
    const p = at(b, pos);
    return concat(b.subarray(0, p), ins, b.subarray(p));
  }),
  // delete a range
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 16 })).map(([pos, n]) => (b: Uint8Array) => {
    const p = at(b, pos);
    return concat(b.subarray(0, p), b.subarray(p + n));
  }),
  // extend with random bytes
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => (b: Uint8Array) => concat(b, tail)),
  // duplicate a slice (repeated records)
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 80 })).map(([pos, n]) => (b: Uint8Array) => {
    const p = at(b, pos);
    return concat(b.subarray(0, p), b.subarray(p, p + n), b.subarray(p));
  }),
);

/** One of `seeds` with 1 to 4 mutations applied. */
export const mutated = (seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, ms]) => ms.reduce((b, m) => m(b), seed));

/** Random bytes, half of them starting like an MIT file (05 0N) so the parser gets past the version. */
export const randomFile = (versions: readonly number[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 256 }),
    fc
      .tuple(fc.constantFrom(...versions), fc.uint8Array({ maxLength: 256 }))
      .map(([v, rest]) => Uint8Array.from([5, v, ...rest])),
  );
