import fc from 'fast-check';

/** Lengths that hit the block edges (0, 1, 15, 16, 17, ...) far more often than uniform sampling would. */
export const edgyLength = fc.oneof(
  {
    arbitrary: fc.constantFrom(0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257),
    weight: 4,
  },
  { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 4 },
  { arbitrary: fc.integer({ min: 300, max: 70_000 }), weight: 1 },
);

/**
 * Byte arrays of the given lengths, half of them views at an offset into a larger buffer
 * (what callers slicing packets pass in), so byteOffset handling is exercised too.
 */
export const bytesOfLength = (n: fc.Arbitrary<number>) =>
  fc
    .tuple(
      n.chain((length) => fc.uint8Array({ minLength: length, maxLength: length })),
      fc.option(fc.integer({ min: 1, max: 7 }), { freq: 2 }),
    )
    .map(([d, offset]) => {
      if (offset === null) return d;
      const buf = new Uint8Array(offset + d.length + 5).fill(0xa5);
      buf.set(d, offset);
      return buf.subarray(offset, offset + d.length);
    });

/** Arbitrary data with edge-case lengths, including large ones. */
export const data = bytesOfLength(edgyLength);

/** Whole-block data (ECB/CBC inputs). */
export const blocks = bytesOfLength(
  fc
    .oneof(
      { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 4 },
      { arbitrary: fc.integer({ min: 20, max: 4096 }), weight: 1 },
    )
    .map((n) => 16 * n),
);

export const aesKey = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
);

export const block16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

/** CTR counter blocks, often near the 2^128 wrap where implementations disagree first. */
export const counter = fc.oneof(
  block16,
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 15 }), fc.integer({ min: 0, max: 255 }))
    .map(([head, low]) => {
      const c = new Uint8Array(16).fill(0xff);
      c.set(head.subarray(0, 16 - 3));
      c[15] = low;
      return c;
    }),
  fc.constant(new Uint8Array(16).fill(0xff)),
);

export const gcmNonce = fc.uint8Array({ minLength: 12, maxLength: 12 });
export const ccmNonce = fc
  .integer({ min: 7, max: 13 })
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
export const aad = bytesOfLength(
  fc.oneof(fc.constantFrom(0, 1, 14, 15, 16, 17), fc.integer({ min: 0, max: 600 })),
);
export const hashAlgorithm = fc.constantFrom('md5', 'sha1', 'sha256', 'sha384', 'sha512') as fc.Arbitrary<
  'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512'
>;
