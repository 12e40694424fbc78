/**
 * Fuzzing every exported decoder (fast-check). Each family of schemas gets at least 10 000
 * cases: a random schema of the family, a random seed it decodes (MIT vectors, real-peer
 * captures, their sub-elements), then 1-4 random mutations (bit flip, byte set, insert,
 * delete, truncate, extend, length nudge, duplicated slice). Decoding must return a value or
 * throw DecodeError (with a sane offset), nothing else; a value that decodes must re-encode
 * without throwing and decode again to the same value. Then pure random bytes and random
 * well-formed DER trees against every schema, and the function decoders (decodeMessage,
 * peekMessageType, decodeErrorData).
 */
import { DecodeError, decode, encode, readHeader, type Schema } from '@postntlm/der-asn1';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as M from '../src/index.js';
import { exportedSchemas, seedsBySchema } from './fuzz-seeds.js';

const RUNS = 10_000;
const TIMEOUT = 120_000;

const families: Record<string, readonly string[]> = {
  messages: [
    'AsReq',
    'AsRep',
    'TgsReq',
    'TgsRep',
    'ApReq',
    'ApRep',
    'KrbSafe',
    'KrbPriv',
    'KrbCred',
    'KrbError',
  ],
  'tickets and encrypted parts': [
    'Ticket',
    'RawTicket',
    'EncTicketPart',
    'EncKdcRepPart',
    'EncKdcRepPartBody',
    'EncAsRepPart',
    'EncTgsRepPart',
    'Authenticator',
    'EncApRepPart',
    'EncKrbPrivPart',
    'EncKrbCredPart',
    'KrbCredInfo',
    'KrbSafeBody',
    'KdcReqBody',
  ],
  'basic types and pa-data': [
    'Pvno',
    'Int32',
    'UInt32',
    'Microseconds',
    'KerberosString',
    'Realm',
    'KerberosTime',
    'KerberosFlags',
    'PrincipalName',
    'HostAddress',
    'HostAddresses',
    'AuthorizationDataEntry',
    'AuthorizationData',
    'AdIfRelevant',
    'AdKdcIssued',
    'AdAndOr',
    'EtypeList',
    'PaData',
    'MethodData',
    'EncryptedData',
    'EncryptionKey',
    'Checksum',
    'TransitedEncoding',
    'LastReq',
    'TypedData',
    'KerbErrorData',
    'PaEncTsEnc',
    'EtypeInfoEntry',
    'EtypeInfo',
    'EtypeInfo2Entry',
    'EtypeInfo2',
    'PaPacRequest',
    'PaPacOptions',
  ],
  'FAST and IAKerb': [
    'KrbFastArmor',
    'KrbFastArmoredReq',
    'PaFxFastRequest',
    'KrbFastReq',
    'KrbFastArmoredRep',
    'PaFxFastReply',
    'KrbFastFinished',
    'KrbFastResponse',
    'PaEncryptedChallenge',
    'IakerbHeader',
    'IakerbFinished',
  ],
  'SAM, S4U, OTP, KKDCP, CAMMAC, cookie, SPAKE': [
    'SamChallenge2Body',
    'SamChallenge2',
    'SamResponse2',
    'EncSamResponseEnc2',
    'PaForUser',
    'S4uUserId',
    'PaS4uX509User',
    'AlgorithmIdentifier',
    'OtpTokenInfo',
    'PaOtpChallenge',
    'PaOtpRequest',
    'PaOtpEncRequest',
    'KdcProxyMessage',
    'VerifierMac',
    'Verifier',
    'AdCammac',
    'SecureCookie',
    'SpakeSecondFactor',
    'SpakeSupport',
    'SpakeChallenge',
    'SpakeResponse',
    'PaSpake',
  ],
};

const schemas = new Map(exportedSchemas);
const seeds = seedsBySchema();
const stats = new Map<string, { cases: number; accepted: number }>();

function count(family: string, accepted: boolean): void {
  const entry = stats.get(family) ?? { cases: 0, accepted: 0 };
  entry.cases++;
  if (accepted) entry.accepted++;
  stats.set(family, entry);
}

function expectDecodeError(error: unknown, input: Uint8Array): void {
  if (!(error instanceof DecodeError)) throw error;
  expect(Number.isInteger(error.offset)).toBe(true);
  expect(error.offset).toBeGreaterThanOrEqual(0);
  expect(error.offset).toBeLessThanOrEqual(input.length);
  expect(typeof error.path).toBe('string');
}

/** Decodes; a value must re-encode and decode to itself. True when the input was accepted. */
function check(schema: Schema<unknown>, input: Uint8Array): boolean {
  let value: unknown;
  try {
    value = decode(schema, input);
  } catch (error) {
    expectDecodeError(error, input);
    return false;
  }
  const again = encode(schema, value);
  expect(decode(schema, again)).toEqual(value);
  return true;
}

/** The function decoders: they take the same bytes. */
function checkFunctions(input: Uint8Array): void {
  const type = M.peekMessageType(input);
  try {
    const message = M.decodeMessage(input);
    expect(message.msgType).toBe(type);
    M.encodeMessage(message); // must not throw (check() compares the re-decoded value)
  } catch (error) {
    expectDecodeError(error, input);
  }
  const eData = M.decodeErrorData(input);
  expect(['method-data', 'typed-data', 'kerb-error-data', 'unknown']).toContain(eData.kind);
}

// --- mutations ---------------------------------------------------------------------------------
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'nudge'; at: number; delta: number }
  | { kind: 'duplicate'; from: number; count: number; to: number }
  | { kind: 'leaf'; at: number; fill: Uint8Array };

const position = fc.nat({ max: 0xffff });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({
    kind: fc.constant('nudge' as const),
    at: position,
    delta: fc.constantFrom(-2, -1, 1, 2, 0x80),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: position,
    count: fc.integer({ min: 1, max: 32 }),
    to: position,
  }),
  // Rewrites the content of one primitive element and keeps every length valid, so the
  // input stays well-formed DER and reaches the value checks (ranges, UTF-8, times, tags).
  fc.record({
    kind: fc.constant('leaf' as const),
    at: position,
    fill: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
);

/** Content ranges [start, end) of the primitive elements of a DER buffer (best effort). */
function leaves(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  out: Array<[number, number]> = [],
): Array<[number, number]> {
  let pos = start;
  while (pos < end) {
    let header: ReturnType<typeof readHeader>;
    try {
      header = readHeader(bytes, pos, end);
    } catch {
      return out;
    }
    if (header.constructed) leaves(bytes, header.contentStart, header.end, out);
    else if (header.end > header.contentStart) out.push([header.contentStart, header.end]);
    pos = header.end;
  }
  return out;
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(input);
  for (const m of mutations) {
    const n = bytes.length;
    const at = (p: number, span = n) => (span === 0 ? 0 : p % span);
    switch (m.kind) {
      case 'flip':
        if (n > 0) bytes[at(m.at)]! ^= 1 << m.bit;
        break;
      case 'set':
        if (n > 0) bytes[at(m.at)] = m.value;
        break;
      case 'nudge':
        if (n > 0) bytes[at(m.at)] = (bytes[at(m.at)]! + m.delta) & 0xff;
        break;
      case 'insert':
        bytes = splice(bytes, at(m.at, n + 1), 0, m.bytes);
        break;
      case 'delete': {
        const i = at(m.at);
        bytes = splice(bytes, i, Math.min(m.count, n - i), new Uint8Array());
        break;
      }
      case 'truncate':
        bytes = bytes.slice(0, at(m.at));
        break;
      case 'extend':
        bytes = splice(bytes, n, 0, m.bytes);
        break;
      case 'duplicate': {
        const from = at(m.from);
        bytes = splice(bytes, at(m.to, n + 1), 0, bytes.slice(from, from + m.count));
        break;
      }
      case 'leaf': {
        const ranges = leaves(bytes);
        if (ranges.length === 0) break;
        const [start, end] = ranges[m.at % ranges.length]!;
        for (let i = start; i < end; i++) bytes[i] = m.fill[(i - start) % m.fill.length]!;
        break;
      }
    }
  }
  return bytes;
}

// --- random well-formed DER trees (reach deeper than random bytes) ------------------------------
function element(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
}
const primitiveArb = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0xffffffff }).map((v) => {
    const out: number[] = [];
    let x = BigInt(v);
    do {
      out.unshift(Number(x & 0xffn));
      x >>= 8n;
    } while (!((x === 0n && (out[0]! & 0x80) === 0) || (x === -1n && (out[0]! & 0x80) !== 0)));
    return element(0x02, Uint8Array.from(out));
  }),
  fc.uint8Array({ maxLength: 24 }).map((b) => element(0x04, b)),
  fc.string({ maxLength: 16 }).map((s) => element(0x1b, new TextEncoder().encode(s))),
  fc.string({ maxLength: 16 }).map((s) => element(0x0c, new TextEncoder().encode(s))),
  fc
    .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
    .map((d) =>
      element(0x18, new TextEncoder().encode(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`)),
    ),
  fc.constantFrom(
    element(0x03, Uint8Array.of(0, 0x40, 0x81, 0, 0x10)),
    element(0x03, Uint8Array.of(0)),
    element(0x01, Uint8Array.of(0xff)),
    element(0x05, new Uint8Array()),
    element(0x06, Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x02, 0x05)),
  ),
);
const constructedTags = [
  0x30, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0x61, 0x62, 0x63, 0x6a,
  0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x74, 0x75, 0x76, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e,
];
const { tree: derTreeArb } = fc.letrec<{ tree: Uint8Array }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveArb,
    fc
      .tuple(fc.constantFrom(...constructedTags), fc.array(tie('tree'), { maxLength: 6 }))
      .map(([tag, children]) => element(tag, Uint8Array.from(children.flatMap((c) => [...c])))),
  ),
}));

// --- the properties ------------------------------------------------------------------------------
describe('fuzz', () => {
  it('assigns every exported schema to a family and has seeds that round-trip', () => {
    const assigned = Object.values(families).flat();
    expect([...assigned].sort()).toEqual(exportedSchemas.map(([name]) => name).sort());
    for (const [name, schema] of exportedSchemas) {
      const list = seeds.get(name)!;
      expect(list.length, name).toBeGreaterThan(0);
      for (const seed of list) expect(check(schema, seed), name).toBe(true);
    }
  });

  for (const [family, names] of Object.entries(families)) {
    it(
      `${family}: mutated seeds decode or throw DecodeError (${RUNS} cases)`,
      () => {
        const cases = fc.record({
          name: fc.constantFrom(...names),
          pick: fc.nat(),
          mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        });
        fc.assert(
          fc.property(cases, ({ name, pick, mutations }) => {
            const list = seeds.get(name)!;
            const input = mutate(list[pick % list.length]!, mutations);
            count(family, check(schemas.get(name)!, input));
            if (family === 'messages') checkFunctions(input);
          }),
          { numRuns: RUNS },
        );
      },
      TIMEOUT,
    );
  }

  const allNames = exportedSchemas.map(([name]) => name);

  it(
    `random bytes against every schema and the function decoders (${RUNS} cases)`,
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...allNames), fc.uint8Array({ maxLength: 300 }), (name, input) => {
          count('random bytes', check(schemas.get(name)!, input));
          checkFunctions(input);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `random DER trees against every schema and the function decoders (${RUNS} cases)`,
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...allNames), derTreeArb, (name, input) => {
          count('random DER trees', check(schemas.get(name)!, input));
          checkFunctions(input);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  afterAll(() => {
    const lines = [...stats].map(([family, s]) => `${family}: ${s.cases} cases, ${s.accepted} decoded`);
    console.log(`fuzz cases\n  ${lines.join('\n  ')}`);
    for (const [, s] of stats) expect(s.cases).toBeGreaterThanOrEqual(RUNS);
  });
});
