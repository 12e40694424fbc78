/**
 * Property tests (fast-check, 10 000 runs each): round trips of a rich schema, canonical
 * re-encoding of whatever decodes, and only DecodeError / EncodeError ever escaping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  application,
  bigInteger,
  bitString,
  boolean,
  captured,
  choice,
  DecodeError,
  decode,
  defaulted,
  EncodeError,
  encode,
  enumerated,
  explicit,
  generalizedTime,
  generalString,
  type Infer,
  ia5String,
  implicit,
  int32,
  integer,
  kerberosFlags,
  kerberosTime,
  lazy,
  mapped,
  namedBits,
  nullValue,
  objectIdentifier,
  octetString,
  optional,
  raw,
  type Schema,
  sequence,
  sequenceOf,
  uint32,
  utf8String,
} from '../src/index.js';
import {
  asciiStringArb,
  dateArb,
  derTreeArb,
  edgyBigIntArb,
  encodeTree,
  expectMinimalHeaders,
  oidArb,
  toHex,
  unicodeStringArb,
  walkDer,
  wholeSecondDateArb,
} from './helpers.js';

const RUNS = 10_000;

// --- the schema ---------------------------------------------------------------------------

const Inner = sequence(
  {
    id: explicit(0, integer()),
    name: optional(explicit(1, utf8String())),
    flag: defaulted(explicit(2, boolean()), false),
  },
  { name: 'Inner' },
);

const Alt = choice(
  {
    num: explicit(0, bigInteger()),
    text: explicit(1, ia5String()),
    bytes: implicit(2, octetString()),
    nested: explicit(3, Inner),
    nothing: nullValue(),
  },
  'Alt',
);

interface TreeNode {
  label: string;
  kids?: TreeNode[] | undefined;
}
const TreeNode: Schema<TreeNode> = sequence(
  { label: explicit(0, generalString()), kids: optional(explicit(1, sequenceOf(lazy(() => TreeNode)))) },
  { name: 'TreeNode' },
);

const colours = ['red', 'green', 'blue'] as const;
type Colour = (typeof colours)[number];
const ColourSchema = mapped(enumerated({ min: 0, max: 2 }), {
  name: 'Colour',
  decode: (n): Colour => colours[n]!,
  encode: (c: Colour) => {
    const n = colours.indexOf(c);
    if (n < 0) throw new Error(`unknown colour ${String(c)}`);
    return n;
  },
});

const Rich = sequence(
  {
    small: int32(),
    unsigned: explicit(0, uint32()),
    big: explicit(1, bigInteger()),
    colour: explicit(2, ColourSchema),
    bool: explicit(3, boolean()),
    nul: optional(explicit(4, nullValue())),
    bytes: explicit(5, octetString()),
    utf8: explicit(6, utf8String()),
    general: optional(explicit(7, generalString())),
    ia5: explicit(8, ia5String()),
    time: explicit(9, kerberosTime()),
    gtime: optional(explicit(10, generalizedTime())),
    oid: explicit(11, objectIdentifier()),
    bits: explicit(12, bitString()),
    named: optional(explicit(13, namedBits())),
    items: explicit(14, sequenceOf(Inner, { max: 6 })),
    alt: explicit(15, Alt),
    oids: optional(explicit(16, sequenceOf(objectIdentifier()))),
    any: optional(explicit(17, raw())),
    tree: optional(explicit(18, TreeNode)),
    version: defaulted(explicit(19, integer()), 0),
    app: optional(application(30, Inner)),
  },
  { name: 'Rich' },
);
type Rich = Infer<typeof Rich>;

// --- arbitraries --------------------------------------------------------------------------

const innerArb: fc.Arbitrary<Infer<typeof Inner>> = fc.record(
  { id: fc.maxSafeInteger(), name: unicodeStringArb, flag: fc.boolean() },
  { requiredKeys: ['id', 'flag'] },
);

const altArb: fc.Arbitrary<Infer<typeof Alt>> = fc.oneof(
  edgyBigIntArb.map((value) => ({ type: 'num' as const, value })),
  asciiStringArb.map((value) => ({ type: 'text' as const, value })),
  fc.uint8Array({ maxLength: 20 }).map((value) => ({ type: 'bytes' as const, value })),
  innerArb.map((value) => ({ type: 'nested' as const, value })),
  fc.constant({ type: 'nothing' as const, value: null }),
);

const bitsArb = fc
  .tuple(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 7 }))
  .map(([bytes, unused]) => {
    if (bytes.length === 0) return { bytes, unusedBits: 0 };
    const last = bytes.length - 1;
    bytes[last] = bytes[last]! & (0xff << unused);
    return { bytes, unusedBits: unused };
  });

const treeNodeArb: fc.Arbitrary<TreeNode> = fc.letrec<{ node: TreeNode }>((tie) => ({
  node: fc.record(
    { label: unicodeStringArb, kids: fc.array(tie('node'), { maxLength: 3 }) },
    { requiredKeys: ['label'] },
  ),
})).node;

const richArb: fc.Arbitrary<Rich> = fc.record(
  {
    small: fc.integer(),
    unsigned: fc.integer({ min: 0, max: 0xffffffff }),
    big: edgyBigIntArb,
    colour: fc.constantFrom(...colours),
    bool: fc.boolean(),
    nul: fc.constant(null),
    bytes: fc.uint8Array({ maxLength: 64 }),
    utf8: unicodeStringArb,
    general: unicodeStringArb,
    ia5: asciiStringArb,
    time: wholeSecondDateArb,
    gtime: dateArb,
    oid: oidArb,
    bits: bitsArb,
    named: fc.integer({ min: 0, max: 0xffffffff }),
    items: fc.array(innerArb, { maxLength: 6 }),
    alt: altArb,
    oids: fc.array(oidArb, { maxLength: 4 }),
    any: derTreeArb.map(encodeTree),
    tree: treeNodeArb,
    version: fc.integer({ min: -3, max: 3 }),
    app: innerArb,
  },
  {
    requiredKeys: [
      'small',
      'unsigned',
      'big',
      'colour',
      'bool',
      'bytes',
      'utf8',
      'ia5',
      'time',
      'oid',
      'bits',
    ].concat(['items', 'alt', 'version']) as Array<keyof Rich>,
  },
) as fc.Arbitrary<Rich>;

// --- mutations ----------------------------------------------------------------------------

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.constantFrom(0x00, 0x80, 0x81, 0xff, 0x1f),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(input);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = m.at % bytes.length;
    switch (m.kind) {
      case 'flip':
        bytes[at] = bytes[at]! ^ (1 << m.bit);
        break;
      case 'set':
        bytes[at] = m.byte;
        break;
      case 'insert':
        bytes.splice(at, 0, m.byte);
        break;
      case 'delete':
        bytes.splice(at, 1);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(bytes);
}

/** Decodes; if it worked, the value must re-encode to exactly the input (DER is canonical). */
function decodeIsCanonical<T>(schema: Schema<T>, input: Uint8Array): 'decoded' | 'rejected' {
  let value: T;
  try {
    value = decode(schema, input);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(input.length);
    return 'rejected';
  }
  expect(toHex(encode(schema, value))).toBe(toHex(input));
  return 'decoded';
}

// --- properties ---------------------------------------------------------------------------

describe('property (a): round trips', () => {
  it(`decode(encode(v)) deep-equals v and encode(decode(b)) == b, ${RUNS} rich values`, () => {
    fc.assert(
      fc.property(richArb, (value) => {
        const der = encode(Rich, value);
        const back = decode(Rich, der);
        expect(back).toEqual(value);
        expect(toHex(encode(Rich, back))).toBe(toHex(der));
        // Every header the encoder wrote is well formed and minimal.
        const [tree] = walkDer(der);
        expectMinimalHeaders(tree!);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});

describe('property (b): hostile input', () => {
  it(`mutated valid encodings decode canonically or throw DecodeError, ${RUNS} cases`, () => {
    const outcomes = { decoded: 0, rejected: 0 };
    fc.assert(
      fc.property(richArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (value, mutations) => {
        const input = mutate(encode(Rich, value), mutations);
        outcomes[decodeIsCanonical(Rich, input)]++;
      }),
      { numRuns: RUNS },
    );
    // Both branches are exercised in earnest.
    expect(outcomes.decoded).toBeGreaterThan(RUNS / 20);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 5);
  }, 60_000);

  const schemas: Array<[string, Schema<unknown>]> = [
    ['Rich', Rich as Schema<unknown>],
    ['Inner', Inner as Schema<unknown>],
    ['Alt', Alt as Schema<unknown>],
    ['TreeNode', TreeNode as Schema<unknown>],
    ['SEQUENCE OF ANY', sequenceOf(raw()) as Schema<unknown>],
    ['captured SEQUENCE OF Inner', sequenceOf(captured(Inner)) as Schema<unknown>],
    ['INTEGER', integer() as Schema<unknown>],
    ['BIT STRING', bitString() as Schema<unknown>],
    ['named bits', namedBits() as Schema<unknown>],
    ['OBJECT IDENTIFIER', objectIdentifier() as Schema<unknown>],
    ['GeneralizedTime', generalizedTime() as Schema<unknown>],
    ['UTF8String', utf8String() as Schema<unknown>],
  ];

  it(`random bytes decode canonically or throw DecodeError, ${RUNS} cases over ${schemas.length} schemas`, () => {
    const headerArb = fc.constantFrom(0x30, 0x02, 0x03, 0x06, 0x0c, 0x18, 0x7e, 0xa0, 0x0a, 0x05);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: schemas.length - 1 }),
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          // A plausible outer header over random content reaches deeper code.
          fc
            .tuple(headerArb, fc.uint8Array({ maxLength: 100 }))
            .map(([tag, body]) => Uint8Array.from([tag, body.length, ...body])),
          // Random DER trees: well formed, but of unrelated shape.
          derTreeArb.map(encodeTree),
        ),
        (index, input) => {
          decodeIsCanonical(schemas[index]![1], input);
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it(`the generic walker either rejects mutated DER trees or sees canonical headers, ${RUNS} cases`, () => {
    fc.assert(
      fc.property(derTreeArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (spec, mutations) => {
        const input = mutate(encodeTree(spec), mutations);
        try {
          for (const node of walkDer(input)) expectMinimalHeaders(node);
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error;
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});

describe('property (c): encode only ever throws EncodeError', () => {
  const targets: Array<[string, Schema<unknown>]> = [
    ['Rich', Rich as Schema<unknown>],
    ['Alt', Alt as Schema<unknown>],
    ['Inner', Inner as Schema<unknown>],
    ['INTEGER', integer() as Schema<unknown>],
    ['Int32', int32() as Schema<unknown>],
    ['INTEGER (bigint)', bigInteger() as Schema<unknown>],
    ['BOOLEAN', boolean() as Schema<unknown>],
    ['NULL', nullValue() as Schema<unknown>],
    ['OCTET STRING', octetString({ max: 8 }) as Schema<unknown>],
    ['BIT STRING', bitString() as Schema<unknown>],
    ['KerberosFlags', kerberosFlags() as Schema<unknown>],
    ['named bits', namedBits() as Schema<unknown>],
    ['UTF8String', utf8String() as Schema<unknown>],
    ['IA5String', ia5String() as Schema<unknown>],
    ['KerberosTime', kerberosTime() as Schema<unknown>],
    ['OBJECT IDENTIFIER', objectIdentifier() as Schema<unknown>],
    ['SEQUENCE OF', sequenceOf(integer(), { max: 3 }) as Schema<unknown>],
    ['ANY', raw() as Schema<unknown>],
    ['captured', captured(Inner) as Schema<unknown>],
    ['mapped', ColourSchema as Schema<unknown>],
  ];

  it(`arbitrary JS values either encode (and round-trip) or throw EncodeError, ${RUNS} cases`, () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withSparseArray: true,
      withUnicodeString: true,
    });
    const valueArb = fc.oneof(
      anything,
      fc.record({
        type: fc.constantFrom('num', 'text', 'toString', '__proto__', 'nothing'),
        value: anything,
      }),
      fc.record({ value: anything, der: fc.oneof(anything, derTreeArb.map(encodeTree)) }),
      fc.constantFrom(Symbol('s'), Object.create(null), () => 1, new Date(Number.NaN)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: targets.length - 1 }), valueArb, (index, value) => {
        const schema = targets[index]![1];
        let der: Uint8Array;
        try {
          der = encode(schema, value);
        } catch (error) {
          if (!(error instanceof EncodeError)) throw error;
          return;
        }
        if (targets[index]![0] === 'captured' && (value as { der?: unknown }).der !== undefined) {
          // A given `der` is written verbatim after a header check only (by design: relayed
          // bytes are not re-validated), so decoding it may fail, but only as a DecodeError.
          try {
            decode(schema, der);
          } catch (error) {
            if (!(error instanceof DecodeError)) throw error;
          }
          return;
        }
        // Whatever encoded must decode again without error.
        decode(schema, der);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
