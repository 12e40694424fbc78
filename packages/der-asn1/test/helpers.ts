/**
 * Shared test helpers: hex conversion, a generic DER tree walker over our `readHeader`, an
 * independent (forward, naive) DER tree encoder, an asn1js tree adapter and a fast-check
 * arbitrary for well-formed DER trees. Not a test file (vitest only picks up *.test.ts).
 */
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { expect } from 'vitest';
import { DecodeError, EncodeError, readHeader } from '../src/index.js';

export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** Runs `fn`, expects a DecodeError, checks the optional expectations and returns it. */
export function expectDecodeError(
  fn: () => unknown,
  expected: { reason?: RegExp; path?: string; offset?: number } = {},
): DecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DecodeError to be thrown').toBeInstanceOf(DecodeError);
  const error = caught as DecodeError;
  if (expected.reason !== undefined) expect(error.reason).toMatch(expected.reason);
  if (expected.path !== undefined) expect(error.path).toBe(expected.path);
  if (expected.offset !== undefined) expect(error.offset).toBe(expected.offset);
  return error;
}

/** Runs `fn`, expects an EncodeError, checks the optional expectations and returns it. */
export function expectEncodeError(
  fn: () => unknown,
  expected: { reason?: RegExp; path?: string } = {},
): EncodeError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an EncodeError to be thrown').toBeInstanceOf(EncodeError);
  const error = caught as EncodeError;
  if (expected.reason !== undefined) expect(error.reason).toMatch(expected.reason);
  if (expected.path !== undefined) expect(error.path).toBe(expected.path);
  return error;
}

// ---------------------------------------------------------------------------------------
// Generic trees
// ---------------------------------------------------------------------------------------

/** A parsed element, as both parsers report it (content as hex for cheap deep equality). */
export interface DerNode {
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly constructed: boolean;
  readonly headerLength: number;
  readonly length: number;
  /** Content octets of a primitive element, `null` for a constructed one. */
  readonly content: string | null;
  readonly children: DerNode[] | null;
}

/**
 * Walks every element in `input[offset, limit)` with our `readHeader`, recursing into all
 * constructed elements; throws DecodeError for anything that is not well-formed DER.
 */
export function walkDer(input: Uint8Array, offset = 0, limit = input.length, depth = 0): DerNode[] {
  if (depth > 200) throw new Error('walkDer: too deep');
  const out: DerNode[] = [];
  let pos = offset;
  while (pos < limit) {
    const header = readHeader(input, pos, limit);
    const tagClass = Math.floor(header.id / 0x200000);
    const tagNumber = header.id % 0x200000;
    out.push({
      tagClass,
      tagNumber,
      constructed: header.constructed,
      headerLength: header.contentStart - header.start,
      length: header.end - header.contentStart,
      content: header.constructed ? null : toHex(input.subarray(header.contentStart, header.end)),
      children: header.constructed ? walkDer(input, header.contentStart, header.end, depth + 1) : null,
    });
    pos = header.end;
  }
  return out;
}

/** Parses exactly one element filling `input` with our reader. */
export function walkOne(input: Uint8Array): DerNode {
  const nodes = walkDer(input);
  if (nodes.length !== 1) throw new Error(`expected one element, found ${nodes.length}`);
  return nodes[0]!;
}

/** The same tree as asn1js sees it. Throws if asn1js reports an error or does not use all input. */
export function asn1jsTree(input: Uint8Array): DerNode {
  const copy = input.slice();
  const parsed = asn1js.fromBER(copy);
  if (parsed.offset !== copy.length || parsed.result.error !== '') {
    throw new Error(`asn1js: offset ${parsed.offset} of ${copy.length}: ${parsed.result.error}`);
  }
  return fromAsn1js(parsed.result);
}

/** Minimal view of the asn1js block fields the adapter reads. */
interface Asn1jsBlock {
  idBlock: { tagClass: number; tagNumber: number; isConstructed: boolean; blockLength: number };
  lenBlock: { length: number; blockLength: number; isIndefiniteForm: boolean };
  valueBeforeDecodeView: Uint8Array;
  valueBlock: unknown;
}

export function fromAsn1js(block: asn1js.AsnType): DerNode {
  const b = block as unknown as Asn1jsBlock;
  const headerLength = b.idBlock.blockLength + b.lenBlock.blockLength;
  const constructed = b.idBlock.isConstructed;
  const children = constructed
    ? ((b.valueBlock as { value: asn1js.AsnType[] }).value ?? []).map(fromAsn1js)
    : null;
  return {
    tagClass: b.idBlock.tagClass - 1,
    tagNumber: b.idBlock.tagNumber,
    constructed,
    headerLength,
    length: b.lenBlock.length,
    content: constructed ? null : toHex(b.valueBeforeDecodeView.subarray(headerLength)),
    children,
  };
}

/** A generated element: what the bytes are meant to hold. */
export type TreeSpec =
  | {
      readonly tagClass: number;
      readonly tagNumber: number;
      readonly constructed: false;
      readonly content: Uint8Array;
    }
  | {
      readonly tagClass: number;
      readonly tagNumber: number;
      readonly constructed: true;
      readonly children: TreeSpec[];
    };

/** DER identifier octets, written independently of the library's writer. */
export function identifierOctets(tagClass: number, constructed: boolean, tagNumber: number): number[] {
  const lead = (tagClass << 6) | (constructed ? 0x20 : 0);
  if (tagNumber < 31) return [lead | tagNumber];
  const groups: number[] = [];
  let rest = tagNumber;
  do {
    groups.unshift(rest % 128);
    rest = Math.floor(rest / 128);
  } while (rest > 0);
  return [lead | 0x1f, ...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g))];
}

/** DER (shortest form) length octets. */
export function lengthOctets(length: number): number[] {
  if (length < 128) return [length];
  const bytes: number[] = [];
  let rest = length;
  while (rest > 0) {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

export function encodeTree(spec: TreeSpec): Uint8Array {
  const content = spec.constructed ? concat(...spec.children.map(encodeTree)) : spec.content;
  return concat(
    Uint8Array.from(identifierOctets(spec.tagClass, spec.constructed, spec.tagNumber)),
    Uint8Array.from(lengthOctets(content.length)),
    content,
  );
}

/** What a correct parser must report for a generated tree. */
export function expectedTree(spec: TreeSpec): DerNode {
  const children = spec.constructed ? spec.children.map(expectedTree) : null;
  const length = spec.constructed
    ? spec.children.reduce((n, c) => n + encodeTree(c).length, 0)
    : spec.content.length;
  return {
    tagClass: spec.tagClass,
    tagNumber: spec.tagNumber,
    constructed: spec.constructed,
    headerLength:
      identifierOctets(spec.tagClass, spec.constructed, spec.tagNumber).length + lengthOctets(length).length,
    length,
    content: spec.constructed ? null : toHex(spec.content),
    children,
  };
}

/** Asserts every header in a tree is the shortest possible one (X.690 §10.1, §8.1.2.4). */
export function expectMinimalHeaders(node: DerNode): void {
  const shortest =
    identifierOctets(node.tagClass, node.constructed, node.tagNumber).length +
    lengthOctets(node.length).length;
  // `expect` only on a mismatch: it is slow enough to dominate 10 000-run properties.
  if (node.headerLength !== shortest)
    expect(node.headerLength, JSON.stringify({ ...node, children: null })).toBe(shortest);
  for (const child of node.children ?? []) expectMinimalHeaders(child);
}

// --- independent encoders for universal contents ---------------------------------------

/** Minimal two's-complement octets of a bigint (X.690 §8.3.2), naive and independent. */
export function integerOctets(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    bytes.unshift(byte);
    rest >>= 8n;
    if ((rest === 0n && byte < 0x80) || (rest === -1n && byte >= 0x80)) break;
  }
  return Uint8Array.from(bytes);
}

/** Reads raw INTEGER content octets as a bigint (two's complement). */
export function integerFromOctets(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bytes.length > 0 && bytes[0]! >= 0x80 ? value - (1n << BigInt(8 * bytes.length)) : value;
}

/** OBJECT IDENTIFIER content octets of arcs (X.690 §8.19), naive and independent. */
export function oidOctets(arcs: readonly bigint[]): Uint8Array {
  const [first, second, ...rest] = arcs;
  const subs = [first! * 40n + second!, ...rest];
  const out: number[] = [];
  for (const sub of subs) {
    const groups: number[] = [];
    let v = sub;
    do {
      groups.unshift(Number(v % 128n));
      v /= 128n;
    } while (v > 0n);
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return Uint8Array.from(out);
}

const utf8 = new TextEncoder();
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** DER GeneralizedTime text of a Date (X.690 §11.7), naive and independent. */
export function generalizedTimeText(date: Date): string {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}${pad(
    date.getUTCHours(),
    2,
  )}${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}${fraction}Z`;
}

// --- arbitraries --------------------------------------------------------------------------

export const MIN_DATE = new Date('0000-01-01T00:00:00.000Z');
export const MAX_DATE = new Date('9999-12-31T23:59:59.999Z');

/** Dates in GeneralizedTime's 4-digit-year range, millisecond precision. */
export const dateArb = fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true });
/** Dates with whole seconds (KerberosTime). */
export const wholeSecondDateArb = dateArb.map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

/** 7-bit strings (IA5String). */
export const asciiStringArb = fc.string({
  unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
});
/** Any well-formed Unicode string (no lone surrogates). */
export const unicodeStringArb = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string(),
);

/** Integers with weight on the interesting edges (byte boundaries, int32/uint32/safe limits, 2^23). */
export const edgyBigIntArb = fc.oneof(
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.bigInt({ min: -300n, max: 300n }),
  fc
    .tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: -2, max: 2 }), fc.boolean())
    .map(([bits, delta, negative]) => (negative ? -1n : 1n) * (2n ** BigInt(bits) + BigInt(delta))),
);

/** Dotted OBJECT IDENTIFIER arcs: first arc 0..2, second arc < 40 under 0 and 1, big arcs allowed. */
export const oidArcsArb: fc.Arbitrary<bigint[]> = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.oneof(fc.bigInt({ min: 0n, max: 39n }), fc.bigInt({ min: 0n, max: 2n ** 70n })),
    fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 2n ** 70n })), {
      maxLength: 8,
    }),
  )
  .map(([first, second, rest]) => [BigInt(first), first < 2 ? second % 40n : second, ...rest]);

export const oidArb: fc.Arbitrary<string> = oidArcsArb.map((arcs) => arcs.join('.'));

const printable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?";

/** Content arbitraries for the universal primitive types asn1js interprets (all valid DER). */
const universalPrimitiveArb: fc.Arbitrary<TreeSpec> = fc.oneof(
  fc.constantFrom(0x00, 0xff).map((b) => prim(0, 1, Uint8Array.of(b))),
  edgyBigIntArb.map((v) => prim(0, 2, integerOctets(v))),
  fc.tuple(fc.uint8Array({ maxLength: 24 }), fc.integer({ min: 0, max: 7 })).map(([bytes, unused]) => {
    if (bytes.length === 0) return prim(0, 3, Uint8Array.of(0));
    const padded = bytes.slice();
    const last = padded.length - 1;
    padded[last] = padded[last]! & (0xff << unused);
    return prim(0, 3, concat(Uint8Array.of(unused), padded));
  }),
  fc.uint8Array({ maxLength: 40 }).map((b) => prim(0, 4, b)),
  fc.constant(prim(0, 5, new Uint8Array(0))),
  oidArcsArb.map((arcs) => prim(0, 6, oidOctets(arcs))),
  edgyBigIntArb
    .filter((v) => v >= -(2n ** 53n - 1n) && v <= 2n ** 53n - 1n)
    .map((v) => prim(0, 10, integerOctets(v))),
  unicodeStringArb.map((s) => prim(0, 12, utf8.encode(s))),
  fc.string({ unit: fc.constantFrom(...printable) }).map((s) => prim(0, 19, utf8.encode(s))),
  asciiStringArb.map((s) => prim(0, 22, utf8.encode(s))),
  dateArb.map((d) => prim(0, 24, utf8.encode(generalizedTimeText(d)))),
  unicodeStringArb.map((s) => prim(0, 27, utf8.encode(s))),
);

function prim(tagClass: number, tagNumber: number, content: Uint8Array): TreeSpec {
  return { tagClass, tagNumber, constructed: false, content };
}

/** Tag numbers for the non-universal classes: mostly low-tag-number form, some long forms. */
const tagNumberArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 30 }) },
  { weight: 2, arbitrary: fc.integer({ min: 31, max: 16383 }) },
  { weight: 1, arbitrary: fc.integer({ min: 16384, max: 0x1fffff }) },
  { weight: 1, arbitrary: fc.constantFrom(31, 127, 128, 16383, 16384, 0x1fffff) },
);

const bytesArb = fc.oneof(
  { weight: 20, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 120, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(127, 128, 255, 256).map((n) => new Uint8Array(n).fill(0xa5)) },
);

/** Well-formed DER trees: universal leaves with valid contents, SEQUENCE/SET, tagged anything. */
export const derTreeArb: fc.Arbitrary<TreeSpec> = fc.letrec<{ node: TreeSpec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 6, withCrossShrink: true },
    { weight: 4, arbitrary: universalPrimitiveArb },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 3 }), tagNumberArb, bytesArb)
        .map(([cls, num, content]) => prim(cls, num, content)),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(16, 17), fc.array(tie('node'), { maxLength: 5 }))
        .map(([num, children]): TreeSpec => ({ tagClass: 0, tagNumber: num, constructed: true, children })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 3 }), tagNumberArb, fc.array(tie('node'), { maxLength: 4 }))
        .map(
          ([cls, num, children]): TreeSpec => ({
            tagClass: cls,
            tagNumber: num,
            constructed: true,
            children,
          }),
        ),
    },
  ),
})).node;

/** Builds one element from a hex identifier and hex content parts (spaces allowed), length computed. */
export function tlv(identifier: string, ...content: string[]): string {
  const body = content.join('').replace(/\s+/g, '');
  return `${identifier}${toHex(Uint8Array.from(lengthOctets(body.length / 2)))}${body}`;
}
