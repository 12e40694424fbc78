/**
 * Property tests of the session-command codecs: arbitrary values round-trip, and random or
 * mutated bodies decode to a value or fail with `SmbDecodeError`, never anything else.
 * Per command at least 10 000 cases across its codecs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import { cancelRequest } from '../src/commands/cancel.js';
import { echoRequest, echoResponse } from '../src/commands/echo.js';
import {
  decodeShareRedirectError,
  decodeSymlinkError,
  type ErrorResponse,
  encodeShareRedirectError,
  encodeSymlinkError,
  errorResponse,
} from '../src/commands/error-response.js';
import { logoffRequest, logoffResponse } from '../src/commands/logoff.js';
import {
  Dialect,
  type NegotiateRequest,
  type NegotiateResponse,
  negotiateRequest,
  negotiateResponse,
} from '../src/commands/negotiate.js';
import { type NegotiateContext, NegotiateContextType } from '../src/commands/negotiate-contexts.js';
import {
  type SessionSetupRequest,
  type SessionSetupResponse,
  sessionSetupRequest,
  sessionSetupResponse,
} from '../src/commands/session-setup.js';
import {
  TreeConnectFlags,
  type TreeConnectRequest,
  type TreeConnectResponse,
  treeConnectRequest,
  treeConnectResponse,
} from '../src/commands/tree-connect.js';
import { treeDisconnectRequest, treeDisconnectResponse } from '../src/commands/tree-disconnect.js';
import { HEADER_SIZE } from '../src/header.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';

function encodeBody<T>(codec: BodyCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(value, w);
  return w.finish();
}

function decodeBody<T>(codec: BodyCodec<T>, body: Uint8Array): T {
  const message = new Uint8Array(HEADER_SIZE + body.length);
  message.set(body, HEADER_SIZE);
  const r = new Reader(message);
  r.pos = HEADER_SIZE;
  return codec.decode(r);
}

/** Runs `f`; only a value or an `SmbDecodeError` is acceptable. */
function valueOrDecodeError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SmbDecodeError)) throw e;
  }
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });
const guid = fc.uint8Array({ minLength: 16, maxLength: 16 });
const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const u16s = (maxLength: number) => fc.array(u16, { maxLength });

const KNOWN_TYPES = new Set<number>(Object.values(NegotiateContextType));
const negotiateContext: fc.Arbitrary<NegotiateContext> = fc.oneof(
  fc.record({ kind: fc.constant('preauthIntegrity' as const), hashAlgorithms: u16s(4), salt: bytes(64) }),
  fc.record({ kind: fc.constant('encryption' as const), ciphers: u16s(6) }),
  fc.record({ kind: fc.constant('compression' as const), flags: u32, algorithms: u16s(6) }),
  fc.record({ kind: fc.constant('netname' as const), netName: text(40) }),
  fc.record({ kind: fc.constant('transport' as const), flags: u32 }),
  fc.record({ kind: fc.constant('rdmaTransform' as const), transformIds: u16s(4) }),
  fc.record({ kind: fc.constant('signing' as const), algorithms: u16s(4) }),
  fc.record({
    kind: fc.constant('raw' as const),
    type: u16.filter((t) => !KNOWN_TYPES.has(t)),
    data: bytes(40),
  }),
);
const contexts = fc.array(negotiateContext, { maxLength: 6 });

const negotiateRequestValue: fc.Arbitrary<NegotiateRequest> = fc
  .record({
    securityMode: u16,
    capabilities: u32,
    clientGuid: guid,
    dialects: u16s(8),
    with311: fc.boolean(),
  })
  .chain(({ with311, ...v }) => {
    const dialects = with311
      ? [...v.dialects, Dialect.SMB_3_1_1]
      : v.dialects.filter((d) => d !== Dialect.SMB_3_1_1);
    return with311
      ? contexts.map((negotiateContexts): NegotiateRequest => ({ ...v, dialects, negotiateContexts }))
      : u64.map((clientStartTime): NegotiateRequest => ({ ...v, dialects, clientStartTime }));
  });

const negotiateResponseValue: fc.Arbitrary<NegotiateResponse> = fc
  .record({
    securityMode: u16,
    dialectRevision: fc.oneof(fc.constantFrom(0x0202, 0x0210, 0x0300, 0x0302, 0x0311, 0x02ff), u16),
    serverGuid: guid,
    capabilities: u32,
    maxTransactSize: u32,
    maxReadSize: u32,
    maxWriteSize: u32,
    systemTime: u64,
    serverStartTime: u64,
    securityBuffer: bytes(200),
  })
  .chain((v) =>
    v.dialectRevision === Dialect.SMB_3_1_1
      ? contexts.map((negotiateContexts): NegotiateResponse => ({ ...v, negotiateContexts }))
      : fc.constant(v),
  );

const sessionSetupRequestValue: fc.Arbitrary<SessionSetupRequest> = fc.record({
  flags: u8,
  securityMode: u8,
  capabilities: u32,
  channel: u32,
  securityBuffer: bytes(300),
  previousSessionId: u64,
});
const sessionSetupResponseValue: fc.Arbitrary<SessionSetupResponse> = fc.record({
  sessionFlags: u16,
  securityBuffer: bytes(300),
});

const treeContext = fc.record({ type: u16, data: bytes(40) });
const treeConnectRequestValue: fc.Arbitrary<TreeConnectRequest> = fc
  .record({
    flags: u16,
    path: text(60),
    ext: fc.boolean(),
    contexts: fc.array(treeContext, { maxLength: 4 }),
  })
  .map(
    ({ flags, path, ext, contexts }): TreeConnectRequest =>
      ext
        ? { flags: flags | TreeConnectFlags.EXTENSION_PRESENT, path, contexts }
        : { flags: flags & ~TreeConnectFlags.EXTENSION_PRESENT, path },
  );
const treeConnectResponseValue: fc.Arbitrary<TreeConnectResponse> = fc.record({
  shareType: u8,
  shareFlags: u32,
  capabilities: u32,
  maximalAccess: u32,
});

const errorResponseValue: fc.Arbitrary<ErrorResponse> = fc.oneof(
  bytes(80).map((errorData): ErrorResponse => ({ errorData, errorContexts: [] })),
  fc
    .array(fc.record({ errorId: u32, data: bytes(40) }), { minLength: 1, maxLength: 5 })
    .map((errorContexts): ErrorResponse => ({ errorData: new Uint8Array(0), errorContexts })),
);

const emptyValue = fc.constant({});

/** An encoded valid body with some bytes overwritten and maybe cut short. */
function mutated<T>(codec: BodyCodec<T>, value: fc.Arbitrary<T>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(value, fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 6 }), fc.option(fc.nat()))
    .map(([v, edits, cut]) => {
      const body = encodeBody(codec, v);
      for (const [at, b] of edits) if (body.length > 0) body[at % body.length] = b;
      return cut === null ? body : body.subarray(0, cut % (body.length + 1));
    });
}

/** A random body that at least starts with the right StructureSize (so decoding gets past it). */
function randomBody(structureSize: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    bytes(200),
    bytes(200).map((b) => {
      const out = new Uint8Array(2 + b.length);
      out[0] = structureSize & 0xff;
      out[1] = structureSize >> 8;
      out.set(b, 2);
      return out;
    }),
  );
}

interface Case<T> {
  readonly codec: BodyCodec<T>;
  readonly value: fc.Arbitrary<T>;
  readonly structureSize: number;
}

function fuzz<T>(c: Case<T>, runs: { roundTrip: number; random: number; mutated: number }): void {
  fc.assert(
    fc.property(c.value, (v) => {
      expect(decodeBody(c.codec, encodeBody(c.codec, v))).toEqual(v);
    }),
    { numRuns: runs.roundTrip },
  );
  fc.assert(
    fc.property(randomBody(c.structureSize), (body) => valueOrDecodeError(() => decodeBody(c.codec, body))),
    { numRuns: runs.random },
  );
  fc.assert(
    fc.property(mutated(c.codec, c.value), (body) => valueOrDecodeError(() => decodeBody(c.codec, body))),
    { numRuns: runs.mutated },
  );
}

const TWO = { roundTrip: 1000, random: 2000, mutated: 2000 }; // 5 000 per codec, two codecs per command
const ONE = { roundTrip: 1000, random: 4500, mutated: 4500 }; // 10 000 for a command with one codec

describe('session-command codecs under fast-check (≥ 10 000 cases per command)', () => {
  it('NEGOTIATE', () => {
    fuzz({ codec: negotiateRequest, value: negotiateRequestValue, structureSize: 36 }, TWO);
    fuzz({ codec: negotiateResponse, value: negotiateResponseValue, structureSize: 65 }, TWO);
  });
  it('SESSION_SETUP', () => {
    fuzz({ codec: sessionSetupRequest, value: sessionSetupRequestValue, structureSize: 25 }, TWO);
    fuzz({ codec: sessionSetupResponse, value: sessionSetupResponseValue, structureSize: 9 }, TWO);
  });
  it('TREE_CONNECT', () => {
    fuzz({ codec: treeConnectRequest, value: treeConnectRequestValue, structureSize: 9 }, TWO);
    fuzz({ codec: treeConnectResponse, value: treeConnectResponseValue, structureSize: 16 }, TWO);
  });
  it('LOGOFF, TREE_DISCONNECT, ECHO', () => {
    for (const codec of [
      logoffRequest,
      logoffResponse,
      treeDisconnectRequest,
      treeDisconnectResponse,
      echoRequest,
      echoResponse,
    ]) {
      fuzz({ codec, value: emptyValue, structureSize: 4 }, TWO);
    }
  });
  it('CANCEL', () => {
    fuzz({ codec: cancelRequest, value: emptyValue, structureSize: 4 }, ONE);
  });
  it('ERROR response, symbolic link and share redirect error data', () => {
    fuzz({ codec: errorResponse, value: errorResponseValue, structureSize: 9 }, ONE);
    const link = fc.record({
      unparsedPathLength: u16,
      substituteName: text(40),
      printName: text(40),
      flags: u32,
    });
    fc.assert(
      fc.property(link, (v) => {
        expect(decodeSymlinkError(encodeSymlinkError(v))).toEqual(v);
      }),
      { numRuns: 1000 },
    );
    const redirect = fc.record({
      ipAddrMoveList: fc.array(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }).map((address) => ({ type: 1 as const, address })),
          fc.uint8Array({ minLength: 16, maxLength: 16 }).map((address) => ({ type: 2 as const, address })),
        ),
        { maxLength: 4 },
      ),
      resourceName: text(30),
    });
    fc.assert(
      fc.property(redirect, (v) => {
        expect(decodeShareRedirectError(encodeShareRedirectError(v))).toEqual(v);
      }),
      { numRuns: 1000 },
    );
    const edits = fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(link, edits, fc.nat(), (v, e, cut) => {
        const b = encodeSymlinkError(v);
        for (const [at, x] of e) b[at % b.length] = x;
        valueOrDecodeError(() => decodeSymlinkError(b.subarray(0, cut % (b.length + 1))));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(redirect, edits, fc.nat(), (v, e, cut) => {
        const b = encodeShareRedirectError(v);
        for (const [at, x] of e) b[at % b.length] = x;
        valueOrDecodeError(() => decodeShareRedirectError(b.subarray(0, cut % (b.length + 1))));
      }),
      { numRuns: 2000 },
    );
  });
});
