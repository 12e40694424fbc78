import { describe, expect, it } from 'vitest';
import {
  application,
  applicationImplicit,
  bigInteger,
  bitString,
  boolean,
  DecodeError,
  decode,
  encode,
  enumerated,
  explicit,
  generalizedTime,
  ia5String,
  implicit,
  integer,
  kerberosTime,
  nullValue,
  objectIdentifier,
  octetString,
  type Schema,
  sequence,
  TagClass,
  tagged,
  Utf8StringSchema,
} from '../src/index.js';
import { asn1jsTree, hex, toHex, walkOne } from './helpers.js';
import vectors from './vectors/x690-examples.json' with { type: 'json' };

interface Example {
  name: string;
  source: string;
  type: string;
  value: unknown;
  hex: string;
}
interface Invalid {
  name: string;
  source: string;
  type: string;
  hex: string;
  reason: string;
}

// X.690 §8.14.3's tagging example, with VisibleString declared as a UTF-8-decoded string type
// under UNIVERSAL 26 (all "Jones" octets are ASCII).
const Type1 = new Utf8StringSchema('VisibleString', 26);
const Type2 = applicationImplicit(3, Type1);
const Type3 = explicit(2, Type2);
const Type4 = applicationImplicit(7, Type3);
const Type5 = implicit(2, Type2);

const Smith = sequence({ name: ia5String(), ok: boolean() });

/** Schema for each `type` in the vector file, and how a JSON value becomes the schema's value. */
const codecs: Record<string, { schema: Schema<unknown>; value: (json: unknown) => unknown }> = {
  integer: { schema: integer() as Schema<unknown>, value: (v) => v },
  bigInteger: { schema: bigInteger() as Schema<unknown>, value: (v) => BigInt(v as string) },
  enumerated: { schema: enumerated() as Schema<unknown>, value: (v) => v },
  boolean: { schema: boolean() as Schema<unknown>, value: (v) => v },
  null: { schema: nullValue() as Schema<unknown>, value: () => null },
  octetString: { schema: octetString() as Schema<unknown>, value: (v) => hex(v as string) },
  bitString: {
    schema: bitString() as Schema<unknown>,
    value: (v) => {
      const { bytes, unusedBits } = v as { bytes: string; unusedBits: number };
      return { bytes: hex(bytes), unusedBits };
    },
  },
  oid: { schema: objectIdentifier() as Schema<unknown>, value: (v) => v },
  smith: { schema: Smith as Schema<unknown>, value: (v) => v },
  type1: { schema: Type1 as Schema<unknown>, value: (v) => v },
  type2: { schema: Type2 as Schema<unknown>, value: (v) => v },
  type3: { schema: Type3 as Schema<unknown>, value: (v) => v },
  type4: { schema: Type4 as Schema<unknown>, value: (v) => v },
  type5: { schema: Type5 as Schema<unknown>, value: (v) => v },
  app31null: {
    schema: tagged(TagClass.application, 31, 'implicit', nullValue()) as Schema<unknown>,
    value: () => null,
  },
  priv201null: {
    schema: tagged(TagClass.private, 201, 'implicit', nullValue()) as Schema<unknown>,
    value: () => null,
  },
  generalizedTime: { schema: generalizedTime() as Schema<unknown>, value: (v) => new Date(v as string) },
  kerberosTime: { schema: kerberosTime() as Schema<unknown>, value: (v) => new Date(v as string) },
};

const examples = vectors.examples as Example[];
const invalid = vectors.invalid as Invalid[];

describe('X.690 examples and known encodings (test/vectors/x690-examples.json)', () => {
  it('has a source for every entry and a codec for every type', () => {
    expect(examples.length).toBeGreaterThanOrEqual(40);
    for (const entry of [...examples, ...invalid]) {
      expect(entry.source, entry.name).toMatch(/X\.690|RFC/);
      expect(codecs[entry.type], entry.type).toBeDefined();
    }
  });

  describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, entry) => {
    const { schema, value } = codecs[entry.type]!;
    it('encodes to the listed octets', () => {
      expect(toHex(encode(schema, value(entry.value)))).toBe(entry.hex);
    });
    it('decodes to the listed value', () => {
      expect(decode(schema, hex(entry.hex))).toEqual(value(entry.value));
    });
    it('is a well-formed tree that asn1js parses identically', () => {
      expect(walkOne(hex(entry.hex))).toEqual(asn1jsTree(hex(entry.hex)));
    });
  });

  describe.each(invalid.map((e) => [e.name, e] as const))('rejects %s', (_name, entry) => {
    it('throws DecodeError with the expected reason', () => {
      const { schema } = codecs[entry.type]!;
      const run = () => decode(schema, hex(entry.hex));
      expect(run).toThrow(DecodeError);
      expect(run).toThrow(new RegExp(entry.reason, 'i'));
    });
  });

  it('Type3 [2] EXPLICIT is the constructed wrapper around the whole Type2 encoding', () => {
    const der = encode(Type3, 'Jones');
    expect(der[0]).toBe(0xa2); // context, constructed, 2
    expect(toHex(der.subarray(2))).toBe(toHex(encode(Type2, 'Jones')));
    // The same wrapper as an [APPLICATION 2] EXPLICIT would differ only in its class bits.
    expect(encode(application(2, Type2), 'Jones')[0]).toBe(0x62);
  });
});
