/**
 * Differential tests against asn1js (a BER parser): on valid DER both must see the same
 * tree and the same values; on BER-only forms asn1js accepts and we must reject.
 */
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigInteger,
  bitString,
  boolean,
  DecodeError,
  decode,
  defaulted,
  encode,
  enumerated,
  explicit,
  generalizedTime,
  generalString,
  ia5String,
  integer,
  namedBits,
  nullValue,
  objectIdentifier,
  octetString,
  type Schema,
  sequence,
  Utf8StringSchema,
  utf8String,
} from '../src/index.js';
import {
  asn1jsTree,
  type DerNode,
  derTreeArb,
  edgyBigIntArb,
  encodeTree,
  expectedTree,
  hex,
  integerFromOctets,
  oidArcsArb,
  tlv,
  toHex,
  walkOne,
} from './helpers.js';

const RUNS = 10_000;

/** Our strict schema for each universal primitive type the generator produces. */
const leafSchemas: Record<number, Schema<unknown>> = {
  1: boolean() as Schema<unknown>,
  2: bigInteger() as Schema<unknown>,
  3: bitString() as Schema<unknown>,
  4: octetString() as Schema<unknown>,
  5: nullValue() as Schema<unknown>,
  6: objectIdentifier() as Schema<unknown>,
  10: enumerated({ min: Number.MIN_SAFE_INTEGER }) as Schema<unknown>,
  12: utf8String() as Schema<unknown>,
  19: new Utf8StringSchema('PrintableString', 19) as Schema<unknown>,
  22: ia5String() as Schema<unknown>,
  24: generalizedTime() as Schema<unknown>,
  27: generalString() as Schema<unknown>,
};

type AnyBlock = asn1js.AsnType & {
  toBigInt?: () => bigint;
  getValue?: () => unknown;
  toDate?: () => Date;
  valueBlock: { valueHexView: Uint8Array; unusedBits?: number };
};

let leavesCompared = 0;

/** Decodes a universal primitive leaf with our schema and with asn1js, and compares the values. */
function compareLeaf(element: Uint8Array, node: DerNode): void {
  const schema = leafSchemas[node.tagNumber];
  if (node.tagClass !== 0 || node.constructed || schema === undefined) return;
  const ours = decode(schema, element);
  const block = asn1js.fromBER(element.slice()).result as AnyBlock;
  const content = hex(node.content!);
  leavesCompared++;
  switch (node.tagNumber) {
    case 1:
    case 5:
      expect(ours).toBe(block.getValue?.() ?? null);
      break;
    case 2:
      // Compare as bigint from the raw octets, never through asn1js's valueDec (see below).
      expect(ours).toBe(integerFromOctets(content));
      expect(ours).toBe(block.toBigInt!());
      break;
    case 10:
      expect(BigInt(ours as number)).toBe(block.toBigInt!());
      break;
    case 3:
      expect(ours).toEqual({ bytes: block.valueBlock.valueHexView, unusedBits: block.valueBlock.unusedBits });
      break;
    case 4:
      expect(toHex(ours as Uint8Array)).toBe(toHex(block.valueBlock.valueHexView));
      break;
    case 6: {
      // asn1js prints arcs it cannot hold in a number as {hex}; compare the others.
      const theirs = block.getValue!() as string;
      if (!theirs.includes('{')) expect(ours).toBe(theirs);
      break;
    }
    case 12:
    case 19:
    case 22:
      expect(ours).toBe(block.getValue!());
      break;
    case 27:
      // asn1js reads GeneralString as 8-bit characters; ours reads UTF-8. Same octets.
      expect(toHex(new TextEncoder().encode(ours as string))).toBe(node.content);
      break;
    case 24: {
      // asn1js's toDate() maps years 0000..0099 to 1900..1999 (Date.UTC semantics).
      const date = ours as Date;
      if (date.getUTCFullYear() >= 100) expect(date.getTime()).toBe(block.toDate!().getTime());
      break;
    }
  }
}

function compareLeaves(input: Uint8Array, node: DerNode, offset = 0): number {
  const size = node.headerLength + node.length;
  if (node.children === null) {
    compareLeaf(input.subarray(offset, offset + size), node);
  } else {
    let pos = offset + node.headerLength;
    for (const child of node.children) pos = compareLeaves(input, child, pos);
  }
  return offset + size;
}

describe('differential: valid DER trees (asn1js.fromBER vs our readHeader walker)', () => {
  it(`agree on ${RUNS} generated trees: tags, constructed bit, lengths, contents and leaf values`, () => {
    leavesCompared = 0;
    let elements = 0;
    fc.assert(
      fc.property(derTreeArb, (spec) => {
        const der = encodeTree(spec);
        const ours = walkOne(der);
        expect(ours).toEqual(expectedTree(spec));
        expect(asn1jsTree(der)).toEqual(ours);
        compareLeaves(der, ours);
        elements += countNodes(ours);
      }),
      { numRuns: RUNS },
    );
    // The generated trees are not trivial.
    expect(elements).toBeGreaterThan(2 * RUNS);
    expect(leavesCompared).toBeGreaterThan(RUNS);
  }, 60_000);

  it('agree on the length-form boundaries (127/128, 255/256, 65535/65536, 2^24-1)', () => {
    for (const n of [0, 127, 128, 255, 256, 65535, 65536, 0xffffff]) {
      const spec = {
        tagClass: 2,
        tagNumber: 1,
        constructed: false as const,
        content: new Uint8Array(n).fill(1),
      };
      const der = encodeTree(spec);
      const ours = walkOne(der);
      expect(ours).toEqual(expectedTree(spec));
      const theirs = asn1jsTree(der);
      expect({ ...theirs, content: null }).toEqual({ ...ours, content: null });
      expect(theirs.content === ours.content).toBe(true);
    }
  });

  it(`encode the same INTEGER octets as asn1js for ${RUNS} values`, () => {
    const s = bigInteger();
    fc.assert(
      fc.property(edgyBigIntArb, (v) => {
        const theirs = new Uint8Array(asn1js.Integer.fromBigInt(v).toBER());
        expect(toHex(encode(s, v))).toBe(toHex(theirs));
        expect(decode(s, theirs)).toBe(v);
      }),
      { numRuns: RUNS },
    );
  });

  it(`encode the same OBJECT IDENTIFIER octets as asn1js for ${RUNS} OIDs with arcs below 2^53`, () => {
    const s = objectIdentifier();
    const safeArcs = oidArcsArb.filter((arcs) => arcs.every((a) => a < 2n ** 53n - 80n));
    fc.assert(
      fc.property(safeArcs, (arcs) => {
        const oid = arcs.join('.');
        const theirs = new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER());
        expect(toHex(encode(s, oid))).toBe(toHex(theirs));
        expect(decode(s, theirs)).toBe(oid);
      }),
      { numRuns: RUNS },
    );
  });
});

function countNodes(node: DerNode): number {
  return 1 + (node.children ?? []).reduce((n, c) => n + countNodes(c), 0);
}

describe('asn1js INTEGER valueDec bug (why integers are compared as bigint)', () => {
  it('asn1js valueDec is 0 for INTEGERs needing 4+ octets (|v| >= 2^23), though toBigInt() is right', () => {
    const wrong = [2 ** 23, -(2 ** 23) - 1, 2 ** 24, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 53 - 1];
    for (const v of wrong) {
      const der = encode(integer(), v);
      const block = asn1js.fromBER(der.slice()).result as asn1js.Integer;
      expect(block.valueBlock.valueDec, `asn1js valueDec of ${v}`).toBe(0);
      expect(block.valueBlock.warnings.join()).toMatch(/Too big Integer/);
      expect(block.toBigInt()).toBe(BigInt(v));
      expect(decode(integer(), der)).toBe(v);
    }
    // Just below the threshold (3 content octets) valueDec is still right.
    for (const v of [2 ** 23 - 1, -(2 ** 23), 65536, -1, 0]) {
      const block = asn1js.fromBER(encode(integer(), v).slice()).result as asn1js.Integer;
      expect(block.valueBlock.valueDec).toBe(v);
    }
  });
});

describe('BER-only forms: asn1js accepts, we reject', () => {
  const Seq = sequence({ a: integer() });
  const Flagged = sequence({ critical: defaulted(explicit(0, boolean()), false), n: explicit(1, integer()) });
  const cases: Array<[string, string, Schema<unknown>, RegExp]> = [
    ['indefinite-length SEQUENCE', '3080 020101 0000', Seq as Schema<unknown>, /indefinite length/],
    [
      'indefinite-length OCTET STRING (constructed)',
      '2480 040101 0000',
      octetString() as Schema<unknown>,
      /indefinite/,
    ],
    ['non-minimal length 81 05', '048105 0102030405', octetString() as Schema<unknown>, /non-minimal length/],
    [
      'non-minimal length 82 00 80',
      `048200 80${'00'.repeat(128)}`,
      octetString() as Schema<unknown>,
      /non-minimal length/,
    ],
    ['non-minimal length 81 03 on a SEQUENCE', '308103 020101', Seq as Schema<unknown>, /non-minimal length/],
    ['non-minimal INTEGER 00 05', '02020005', integer() as Schema<unknown>, /non-minimal INTEGER/],
    ['non-minimal INTEGER ff ff', '0202ffff', integer() as Schema<unknown>, /non-minimal INTEGER/],
    [
      'non-minimal INTEGER 00 00 80 (bigint)',
      '0203000080',
      bigInteger() as Schema<unknown>,
      /non-minimal INTEGER/,
    ],
    ['non-minimal ENUMERATED', '0a020001', enumerated() as Schema<unknown>, /non-minimal ENUMERATED/],
    ['BOOLEAN TRUE as 01', '010101', boolean() as Schema<unknown>, /0xFF/],
    [
      'constructed OCTET STRING',
      tlv('24', '040101', '040102'),
      octetString() as Schema<unknown>,
      /primitive form/,
    ],
    [
      'constructed BIT STRING',
      tlv('23', '0303000a3b', '030504 5f291cd0'),
      bitString() as Schema<unknown>,
      /primitive form/,
    ],
    [
      'constructed UTF8String',
      tlv('2c', '0c0141', '0c0142'),
      utf8String() as Schema<unknown>,
      /primitive form/,
    ],
    ['long-form tag for INTEGER (tag 2 < 31)', '1f0201 05', integer() as Schema<unknown>, /long tag form/],
    ['long-form tag for NULL', '1f0500', nullValue() as Schema<unknown>, /long tag form/],
    ['non-minimal long tag number', '9f801f00', nullValue() as Schema<unknown>, /non-minimal long tag/],
    ['BIT STRING with nonzero padding', '03020401', bitString() as Schema<unknown>, /padding/],
    [
      'named BIT STRING with trailing zero bits',
      '03030080 00',
      namedBits() as Schema<unknown>,
      /trailing zero bits/,
    ],
    [
      'GeneralizedTime with a trailing zero fraction',
      `1811${toHex(new TextEncoder().encode('19920622123421.0Z'))}`,
      generalizedTime() as Schema<unknown>,
      /trailing zeros/,
    ],
    [
      'GeneralizedTime in local time',
      `180e${toHex(new TextEncoder().encode('19920622123421'))}`,
      generalizedTime() as Schema<unknown>,
      /YYYYMMDDHHMMSS/,
    ],
    [
      'GeneralizedTime without seconds',
      `180d${toHex(new TextEncoder().encode('199206221234Z'))}`,
      generalizedTime() as Schema<unknown>,
      /YYYYMMDDHHMMSS/,
    ],
    [
      'DEFAULT value encoded explicitly',
      tlv('30', 'a003010100', 'a103020101'),
      Flagged as Schema<unknown>,
      /DEFAULT/,
    ],
  ];

  it.each(cases)('%s', (_name, text, schema, reason) => {
    const input = hex(text);
    const theirs = asn1js.fromBER(input.slice());
    expect(theirs.offset, 'asn1js consumed the whole input').toBe(input.length);
    expect(theirs.result.error).toBe('');
    let caught: unknown;
    try {
      decode(schema, input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).reason).toMatch(reason);
  });

  it('the header-level forms are rejected by the generic walker as well', () => {
    for (const text of ['3080 020101 0000', '048105 0102030405', '1f0201 05', '9f801f00', '308103 020101']) {
      expect(() => walkOne(hex(text))).toThrow(DecodeError);
    }
  });
});
