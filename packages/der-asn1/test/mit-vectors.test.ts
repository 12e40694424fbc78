/**
 * MIT krb5's reference DER encodings (src/tests/asn.1/reference_encode.out @473b51b6, copied
 * to test/vectors/mit-reference-encode.json) read as generic DER: every one must be a
 * well-formed tree with minimal headers that asn1js parses identically. The Kerberos
 * schemas themselves live in another package; a few small structures are checked here.
 */
import { describe, expect, it } from 'vitest';
import {
  application,
  bigInteger,
  bitString,
  boolean,
  decode,
  encode,
  enumerated,
  explicit,
  generalizedTime,
  generalString,
  ia5String,
  int32,
  integer,
  kerberosFlags,
  kerberosTime,
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
  asn1jsTree,
  type DerNode,
  encodeTree,
  expectMinimalHeaders,
  hex,
  type TreeSpec,
  toHex,
  walkOne,
} from './helpers.js';
import reference from './vectors/mit-reference-encode.json' with { type: 'json' };

interface Vector {
  name: string;
  der_hex: string;
  length: number;
}
const vectors = reference.vectors as Vector[];
const byName = (name: string): Uint8Array => {
  const found = vectors.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no vector ${name}`);
  return hex(found.der_hex);
};

function toSpec(node: DerNode): TreeSpec {
  return node.children === null
    ? { tagClass: node.tagClass, tagNumber: node.tagNumber, constructed: false, content: hex(node.content!) }
    : {
        tagClass: node.tagClass,
        tagNumber: node.tagNumber,
        constructed: true,
        children: node.children.map(toSpec),
      };
}

/** Every universal primitive leaf must also pass our strict per-type DER rules. */
const leafSchemas: Record<number, Schema<unknown>> = {
  1: boolean() as Schema<unknown>,
  2: bigInteger() as Schema<unknown>,
  5: nullValue() as Schema<unknown>,
  6: objectIdentifier() as Schema<unknown>,
  10: enumerated() as Schema<unknown>,
  22: ia5String() as Schema<unknown>,
  3: bitString() as Schema<unknown>,
  4: octetString() as Schema<unknown>,
  12: utf8String() as Schema<unknown>,
  24: generalizedTime() as Schema<unknown>,
  27: generalString() as Schema<unknown>,
};

function checkLeaves(input: Uint8Array, node: DerNode, offset: number, seen: Set<number>): number {
  const end = offset + node.headerLength + node.length;
  if (node.children === null) {
    if (node.tagClass === 0) {
      const schema = leafSchemas[node.tagNumber];
      expect(schema, `universal ${node.tagNumber} leaf`).toBeDefined();
      decode(schema!, input.subarray(offset, end));
      seen.add(node.tagNumber);
    }
  } else {
    let pos = offset + node.headerLength;
    for (const child of node.children) pos = checkLeaves(input, child, pos, seen);
    expect(pos).toBe(end);
  }
  return end;
}

const leafTypesSeen = new Set<number>();

describe('MIT krb5 reference encodings as generic DER', () => {
  it('holds all 78 vectors with consistent lengths', () => {
    expect(reference.source.commit).toBe('473b51b640bef2e97c490d6f2985658befa89c16');
    expect(vectors).toHaveLength(78);
    for (const v of vectors) expect(v.der_hex.length / 2, v.name).toBe(v.length);
  });

  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const der = hex(vector.der_hex);

    it('is one well-formed DER tree with minimal headers, re-encoding to the same bytes', () => {
      const tree = walkOne(der);
      expect(tree.headerLength + tree.length).toBe(der.length);
      expectMinimalHeaders(tree);
      expect(toHex(encodeTree(toSpec(tree)))).toBe(vector.der_hex);
      expect(toHex(decode(raw(), der))).toBe(vector.der_hex);
    });

    it('matches the asn1js tree', () => {
      expect(asn1jsTree(der)).toEqual(walkOne(der));
    });

    it('has universal leaves that are strict DER values', () => {
      expect(checkLeaves(der, walkOne(der), 0, leafTypesSeen)).toBe(der.length);
    });
  });
});

describe('MIT vectors leaf coverage', () => {
  it('exercised the strict leaf decoders for every universal type in the vectors', () => {
    // Runs after the per-vector checks above (vitest runs a file's tests in order).
    expect([...leafTypesSeen].sort((a, b) => a - b)).toEqual([2, 3, 4, 6, 12, 24, 27]);
  });
});

describe('MIT vectors through small schemas', () => {
  const EncryptedData = sequence(
    {
      etype: explicit(0, int32()),
      kvno: optional(explicit(1, integer())),
      cipher: explicit(2, octetString()),
    },
    { name: 'EncryptedData' },
  );
  const PrincipalName = sequence({
    nameType: explicit(0, int32()),
    nameString: explicit(1, sequenceOf(generalString())),
  });
  const Ticket = application(
    1,
    sequence({
      tktVno: explicit(0, int32()),
      realm: explicit(1, generalString()),
      sname: explicit(2, PrincipalName),
      encPart: explicit(3, EncryptedData),
    }),
    'Ticket',
  );
  const cipher = new TextEncoder().encode('krbASN.1 test message');

  it('round-trips the sample Ticket', () => {
    const der = byName('encode_krb5_ticket');
    const value = decode(Ticket, der);
    expect(value).toEqual({
      tktVno: 5,
      realm: 'ATHENA.MIT.EDU',
      sname: { nameType: 1, nameString: ['hftsai', 'extra'] },
      encPart: { etype: 0, kvno: 5, cipher },
    });
    expect(toHex(encode(Ticket, value))).toBe(toHex(der));
  });

  // MIT writes kvno as a signed 32-bit INTEGER: 0xFF000000 goes on the wire as 02 04 FF 00 00 00
  // (-16777216), not as a 5-octet positive INTEGER.
  it.each([
    ['encode_krb5_enc_data', 5],
    ['encode_krb5_enc_data(MSB-set kvno)', 0xff000000 | 0],
    ['encode_krb5_enc_data(kvno=-1)', -1],
  ])('round-trips %s (kvno %d)', (name, kvno) => {
    const der = byName(name);
    expect(decode(EncryptedData, der)).toEqual({ etype: 0, kvno, cipher });
    expect(toHex(encode(EncryptedData, { etype: 0, kvno, cipher }))).toBe(toHex(der));
  });

  it('rejects both negative-kvno vectors under a UInt32 kvno', () => {
    const Strict = sequence({
      etype: explicit(0, int32()),
      kvno: optional(explicit(1, uint32())),
      cipher: explicit(2, octetString()),
    });
    expect(decode(Strict, byName('encode_krb5_enc_data')).kvno).toBe(5);
    expect(toHex(byName('encode_krb5_enc_data(MSB-set kvno)'))).toContain('a1060204ff000000');
    expect(() => decode(Strict, byName('encode_krb5_enc_data(MSB-set kvno)'))).toThrow(/UInt32 -16777216/);
    expect(() => decode(Strict, byName('encode_krb5_enc_data(kvno=-1)'))).toThrow(/UInt32 -1/);
  });

  it('round-trips PA-ENC-TS-ENC with and without usec', () => {
    const PaEncTs = sequence({
      patimestamp: explicit(0, kerberosTime()),
      pausec: optional(explicit(1, int32())),
    });
    const when = new Date(771228197 * 1000);
    const full = byName('encode_krb5_pa_enc_ts');
    expect(decode(PaEncTs, full)).toEqual({ patimestamp: when, pausec: 123456 });
    expect(toHex(encode(PaEncTs, { patimestamp: when, pausec: 123456 }))).toBe(toHex(full));
    const noUsec = byName('encode_krb5_pa_enc_ts (no usec)');
    expect(decode(PaEncTs, noUsec)).toEqual({ patimestamp: when });
    expect(toHex(encode(PaEncTs, { patimestamp: when }))).toBe(toHex(noUsec));
  });

  it('round-trips the IAKERB header and finished messages', () => {
    const IakerbHeader = sequence({
      targetRealm: explicit(1, utf8String()),
      cookie: optional(explicit(2, octetString())),
    });
    const header = byName('encode_krb5_iakerb_header');
    expect(toHex(header)).toBe('3018a10a0c086b72623564617461a20a04086b72623564617461');
    const value = decode(IakerbHeader, header);
    expect(value).toEqual({ targetRealm: 'krb5data', cookie: new TextEncoder().encode('krb5data') });
    expect(toHex(encode(IakerbHeader, value))).toBe(toHex(header));

    const Checksum = sequence({ cksumtype: explicit(0, int32()), checksum: explicit(1, octetString()) });
    const IakerbFinished = sequence({ checksum: explicit(1, Checksum) });
    const finished = byName('encode_krb5_iakerb_finished');
    const f = decode(IakerbFinished, finished);
    expect(f).toEqual({ checksum: { cksumtype: 1, checksum: new TextEncoder().encode('1234') } });
    expect(toHex(encode(IakerbFinished, f))).toBe(toHex(finished));
  });

  it('reads the TicketFlags 0xFEDCBA98 from the sample EncTicketPart', () => {
    const body = byName('encode_krb5_enc_tkt_part');
    const flagsAt = toHex(body).indexOf('a007030500fedcba98');
    expect(flagsAt).toBeGreaterThan(0);
    const flags = body.subarray(flagsAt / 2 + 2, flagsAt / 2 + 9);
    expect(decode(kerberosFlags(), flags)).toBe(0xfedcba98);
    expect(toHex(encode(kerberosFlags(), 0xfedcba98))).toBe(toHex(flags));
  });
});
