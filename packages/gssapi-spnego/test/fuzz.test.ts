/**
 * Property and fuzz tests (fast-check, ≥ 10 000 cases per parser): random and mutated input
 * gives a value or a typed `GssError`, never a TypeError, a RangeError or a hang; values
 * re-encode to the same bytes.
 */
import { Oid } from '@postntlm/der-asn1';
import { fixedClock } from '@postntlm/krb5-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDelegation,
  decodeGssChecksum,
  decodeGssToken,
  decodeGssTokenPrefix,
  decodeKrb5ContextToken,
  encodeDelegation,
  encodeGssChecksum,
  encodeGssToken,
  GssError,
  GssSampleFrameReader,
  Krb5Acceptor,
  Krb5Initiator,
  MemoryReplayCache,
  makeMicToken,
  makeWrapToken,
  parsePerMessageHeader,
  unwrapToken,
  verifyMicToken,
} from '../src/index.js';
import { fixture, NOW } from './helpers.js';

const RUNS = 10_000;

/** Runs `f`; a non-GssError exception fails the property. */
function typed(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (error) {
    if (error instanceof GssError) return true;
    throw error;
  }
}

/** Mutations of a seed: flip, insert, delete, truncate, extend. */
function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .array(
      fc.tuple(
        fc.nat({ max: Math.max(0, seed.length - 1) }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 4 }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((ops) => {
      let b = Array.from(seed);
      for (const [pos, value, kind] of ops) {
        if (kind === 0 && b.length > 0) b[pos % b.length] = value;
        else if (kind === 1) b.splice(pos, 0, value);
        else if (kind === 2) b.splice(pos, 1);
        else if (kind === 3) b = b.slice(0, pos);
        else b.push(value);
      }
      return Uint8Array.from(b);
    });
}

const bytes = fc.uint8Array({ maxLength: 300 });
const oneOf = (seed: Uint8Array) => fc.oneof(bytes, mutated(seed));

describe('fuzz: framing', () => {
  const seed = encodeGssToken(Oid.krb5, new Uint8Array(200).fill(1));
  it('decodeGssToken / decodeGssTokenPrefix / decodeKrb5ContextToken never throw untyped', () => {
    fc.assert(
      fc.property(
        oneOf(seed),
        (b) =>
          typed(() => {
            const p = decodeGssTokenPrefix(b);
            expect(p.length + p.trailing.length).toBe(b.length);
            const d = decodeGssToken(b.subarray(0, p.length));
            expect(encodeGssToken(d.mech, d.inner)).toEqual(b.subarray(0, p.length));
          }) && typed(() => decodeKrb5ContextToken(b)),
      ),
      { numRuns: RUNS },
    );
  });

  it('encode → decode round-trips any OID and inner token', () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.nat(), { maxLength: 8 }),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join('.'));
    fc.assert(
      fc.property(oid, fc.uint8Array({ maxLength: 400 }), (mech, inner) => {
        expect(decodeGssToken(encodeGssToken(mech, inner))).toEqual({ mech, inner });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: 0x8003 checksum', () => {
  const value = fc.record({
    bindings: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    flags: fc.nat({ max: 0xffffffff }),
    delegation: fc.option(fc.uint8Array({ maxLength: 100 }), { nil: undefined }),
    extensions: fc.array(
      fc.record({ type: fc.nat({ max: 0xffffffff }), data: fc.uint8Array({ maxLength: 40 }) }),
      {
        maxLength: 4,
      },
    ),
  });
  it('encode → decode → encode is the identity', () => {
    fc.assert(
      fc.property(value, (v) => {
        const b = encodeGssChecksum(v);
        expect(encodeGssChecksum(decodeGssChecksum(b))).toEqual(b);
      }),
      { numRuns: RUNS },
    );
  });
  it('random and mutated checksums: a value that re-encodes byte-exactly, or GssTokenError', () => {
    const seed = encodeGssChecksum({
      bindings: new Uint8Array(16),
      flags: 0x3f,
      delegation: new Uint8Array(10),
      extensions: [{ type: 2, data: new Uint8Array(8) }],
    });
    fc.assert(
      fc.property(oneOf(seed), (b) =>
        typed(() => expect(encodeGssChecksum(decodeGssChecksum(b))).toEqual(b)),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: per-message tokens', () => {
  const key = { enctype: 17, bytes: new Uint8Array(16).fill(3) };
  const opts = { sentByAcceptor: false, acceptorSubkey: true, seq: 5n };
  const wrapSeed = makeWrapToken(key, opts, new Uint8Array(20).fill(0x41));
  const unsealedSeed = makeWrapToken(key, { ...opts, seal: false, rrc: 28 }, new Uint8Array(20).fill(0x41));
  const micSeed = makeMicToken(key, opts, new Uint8Array(20));
  it('parsePerMessageHeader / unwrapToken / verifyMicToken on random and mutated tokens', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes, mutated(wrapSeed), mutated(unsealedSeed), mutated(micSeed)),
        (b) =>
          typed(() => parsePerMessageHeader(b)) &&
          typed(() => unwrapToken(key, b)) &&
          typed(() => verifyMicToken(key, b, new Uint8Array(20))),
      ),
      { numRuns: RUNS },
    );
  });
  it('wrap → unwrap round-trips for any message, seal and RRC', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        fc.nat({ max: 300 }),
        fc.nat({ max: 32 }),
        (m, seal, rrc, ec) => {
          const t = makeWrapToken(key, { ...opts, seal, rrc, ec }, m);
          expect(unwrapToken(key, t).message).toEqual(m);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: gss-sample frames', () => {
  it('any byte stream: frames or GssTokenError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        const reader = new GssSampleFrameReader();
        return chunks.every((c) => typed(() => reader.push(c)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: context tokens through the acceptor and the initiator', () => {
  const fx = fixture(17);
  const clock = fixedClock(NOW);
  const initiator = new Krb5Initiator({ credential: fx.ticket(), clock });
  const apReq = initiator.step().outputToken!;
  const apRep = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() }).step(
    apReq,
  ).outputToken!;
  it('mutated AP-REQ tokens give a typed error (with a KRB-ERROR token) or a context', () => {
    const cache = new MemoryReplayCache();
    fc.assert(
      fc.property(oneOf(apReq), (b) => {
        const r = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: cache }).step(b);
        return r.done || r.error instanceof GssError;
      }),
      { numRuns: RUNS },
    );
  });
  it('mutated AP-REP tokens give a typed error or a context', () => {
    fc.assert(
      fc.property(oneOf(apRep), (b) => {
        const fresh = new Krb5Initiator({ credential: fx.ticket(), clock });
        fresh.step();
        const r = fresh.step(b);
        return r.done || r.error instanceof GssError;
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: delegated KRB-CRED', () => {
  const fx = fixture(17);
  const key = { enctype: 17, bytes: new Uint8Array(16).fill(9) };
  const seed = encodeDelegation(fx.ticket(), key);
  it('random and mutated KRB-CREDs: credentials or a typed error', () => {
    fc.assert(
      fc.property(oneOf(seed), (b) => typed(() => decodeDelegation(b, [key]))),
      { numRuns: RUNS },
    );
  });
});
