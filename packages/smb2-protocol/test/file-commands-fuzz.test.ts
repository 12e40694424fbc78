/**
 * Fuzzing the file-command codecs: random values round-trip (encode → decode → equal), and
 * random or mutated bodies decode to a value or fail with SmbDecodeError only. Per command
 * 2 000 round-trips + 4 000 random + 4 000 mutated bodies (10 000 cases).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import { closeRequest, closeResponse } from '../src/commands/close.js';
import { createRequest, createResponse } from '../src/commands/create.js';
import type { CreateRequestContext, CreateResponseContext, Lease } from '../src/commands/create-contexts.js';
import { flushRequest, flushResponse } from '../src/commands/flush.js';
import {
  allocatedRangeQuery,
  allocatedRanges,
  compressionState,
  copyChunkRequest,
  copyChunkResponse,
  dfsReferralRequest,
  dfsReferralResponse,
  type FsctlPayloadCodec,
  fileZeroDataInformation,
  networkInterfaceInfo,
  resumeKeyResponse,
  validateNegotiateInfoRequest,
  validateNegotiateInfoResponse,
} from '../src/commands/fsctl.js';
import { ioctlRequest, ioctlResponse } from '../src/commands/ioctl.js';
import { lockRequest, lockResponse } from '../src/commands/lock.js';
import { oplockBreakRequest, oplockBreakResponse } from '../src/commands/oplock-break.js';
import { readRequest, readResponse } from '../src/commands/read.js';
import { writeRequest, writeResponse } from '../src/commands/write.js';
import { HEADER_SIZE } from '../src/header.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { decodeMessage, encodeMessage } from './file-commands-helpers.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const blob = (max = 64) => fc.uint8Array({ maxLength: max });
const nonEmpty = (max = 64) => fc.uint8Array({ minLength: 1, maxLength: max });
const fileId = fc.record({ persistent: u64, volatile: u64 });
const name = fc.string({
  unit: fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const asciiName = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});
const rawName = nonEmpty(20).filter((n) => n.length !== 4);

const lease: fc.Arbitrary<Lease> = fc.oneof(
  fc.record({
    version: fc.constant(1 as const),
    leaseKey: bytes(16),
    leaseState: u32,
    leaseFlags: u32,
    leaseDuration: u64,
  }),
  fc.record({
    version: fc.constant(2 as const),
    leaseKey: bytes(16),
    leaseState: u32,
    leaseFlags: u32,
    leaseDuration: u64,
    parentLeaseKey: bytes(16),
    epoch: u16,
  }),
);

const requestContext: fc.Arbitrary<CreateRequestContext> = fc.oneof(
  fc.constant({ tag: 'MxAc' as const }),
  fc.record({ tag: fc.constant('MxAc' as const), timestamp: u64 }),
  fc.constant({ tag: 'QFid' as const }),
  fc.record({ tag: fc.constant('RqLs' as const), lease }),
  fc.constant({ tag: 'DHnQ' as const }),
  fc.record({ tag: fc.constant('DHnC' as const), fileId }),
  fc.record({ tag: fc.constant('DH2Q' as const), timeout: u32, flags: u32, createGuid: bytes(16) }),
  fc.record({ tag: fc.constant('DH2C' as const), fileId, createGuid: bytes(16), flags: u32 }),
  fc.record({
    tag: fc.constant('ExtA' as const),
    eas: fc.array(fc.record({ flags: u8, name: asciiName, value: blob(16) }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ tag: fc.constant('SecD' as const), securityDescriptor: nonEmpty(40) }),
  fc.record({ tag: fc.constant('AlSi' as const), allocationSize: u64 }),
  fc.record({ tag: fc.constant('TWrp' as const), timestamp: u64 }),
  fc.record({ tag: fc.constant('raw' as const), name: rawName, data: blob(40) }),
);

const responseContext: fc.Arbitrary<CreateResponseContext> = fc.oneof(
  fc.record({ tag: fc.constant('MxAc' as const), queryStatus: u32, maximalAccess: u32 }),
  fc.record({ tag: fc.constant('QFid' as const), diskFileId: bytes(32) }),
  fc.record({ tag: fc.constant('RqLs' as const), lease }),
  fc.constant({ tag: 'DHnQ' as const }),
  fc.record({ tag: fc.constant('DH2Q' as const), timeout: u32, flags: u32 }),
  fc.record({ tag: fc.constant('raw' as const), name: rawName, data: blob(40) }),
);

const createReq = fc.record(
  {
    securityFlags: fc.integer({ min: 1, max: 0xff }),
    requestedOplockLevel: u8,
    impersonationLevel: u32,
    smbCreateFlags: fc.bigInt({ min: 1n, max: 0xffffffffffffffffn }),
    desiredAccess: u32,
    fileAttributes: u32,
    shareAccess: u32,
    createDisposition: u32,
    createOptions: u32,
    name,
    createContexts: fc.array(requestContext, { maxLength: 4 }),
  },
  {
    requiredKeys: [
      'requestedOplockLevel',
      'impersonationLevel',
      'desiredAccess',
      'fileAttributes',
      'shareAccess',
      'createDisposition',
      'createOptions',
      'name',
      'createContexts',
    ],
  },
);

const times = {
  creationTime: u64,
  lastAccessTime: u64,
  lastWriteTime: u64,
  changeTime: u64,
  allocationSize: u64,
  endOfFile: u64,
};

const createResp = fc.record({
  oplockLevel: u8,
  flags: u8,
  createAction: u32,
  ...times,
  fileAttributes: u32,
  fileId,
  createContexts: fc.array(responseContext, { maxLength: 4 }),
});

interface Case {
  readonly codec: BodyCodec<never>;
  readonly value: fc.Arbitrary<unknown>;
}
const c = <T>(codec: BodyCodec<T>, value: fc.Arbitrary<T>): Case => ({
  codec: codec as BodyCodec<never>,
  value,
});

const oplock = fc.record({ oplockLevel: u8, fileId });
const leaseAck = fc.record({ flags: u32, leaseKey: bytes(16), leaseState: u32, leaseDuration: u64 });

const commands: Record<string, Case[]> = {
  CREATE: [c(createRequest, createReq), c(createResponse, createResp)],
  CLOSE: [
    c(closeRequest, fc.record({ flags: u16, fileId })),
    c(closeResponse, fc.record({ flags: u16, ...times, fileAttributes: u32 })),
  ],
  FLUSH: [c(flushRequest, fc.record({ fileId })), c(flushResponse, fc.constant({}))],
  READ: [
    c(
      readRequest,
      fc.record(
        {
          padding: u8,
          flags: u8,
          length: u32,
          offset: u64,
          fileId,
          minimumCount: u32,
          channel: u32,
          remainingBytes: u32,
          readChannelInfo: nonEmpty(32),
        },
        {
          requiredKeys: [
            'padding',
            'flags',
            'length',
            'offset',
            'fileId',
            'minimumCount',
            'channel',
            'remainingBytes',
          ],
        },
      ),
    ),
    c(
      readResponse,
      fc.record({
        dataOffset: fc.integer({ min: 0x50, max: 0xff }),
        dataRemaining: u32,
        flags: u32,
        data: nonEmpty(300),
      }),
    ),
  ],
  WRITE: [
    c(
      writeRequest,
      fc.record(
        {
          dataOffset: fc.integer({ min: 0x70, max: 0x90 }),
          offset: u64,
          fileId,
          channel: u32,
          remainingBytes: u32,
          writeChannelInfo: nonEmpty(32),
          flags: u32,
          data: nonEmpty(300),
        },
        { requiredKeys: ['dataOffset', 'offset', 'fileId', 'channel', 'remainingBytes', 'flags', 'data'] },
      ),
    ),
    c(writeResponse, fc.record({ count: u32, remaining: u32 })),
  ],
  LOCK: [
    c(
      lockRequest,
      fc.record({
        lockSequenceNumber: fc.integer({ min: 0, max: 15 }),
        lockSequenceIndex: fc.integer({ min: 0, max: 0x0fffffff }),
        fileId,
        locks: fc.array(fc.record({ offset: u64, length: u64, flags: u32 }), { minLength: 1, maxLength: 5 }),
      }),
    ),
    c(lockResponse, fc.constant({})),
  ],
  IOCTL: [
    c(
      ioctlRequest,
      fc.record({
        ctlCode: u32,
        fileId,
        input: blob(100),
        maxInputResponse: u32,
        output: blob(20),
        maxOutputResponse: u32,
        flags: u32,
      }),
    ),
    c(ioctlResponse, fc.record({ ctlCode: u32, fileId, input: blob(20), output: blob(200), flags: u32 })),
  ],
  OPLOCK_BREAK: [
    c(
      oplockBreakRequest,
      fc.oneof(
        oplock.map((v) => ({ kind: 'oplock' as const, ...v })),
        leaseAck.map((v) => ({ kind: 'lease' as const, ...v })),
      ),
    ),
    c(
      oplockBreakResponse,
      fc.oneof(
        oplock.map((v) => ({ kind: 'oplock' as const, ...v })),
        leaseAck.map((v) => ({ kind: 'lease' as const, ...v })),
        fc
          .record({
            newEpoch: u16,
            flags: u32,
            leaseKey: bytes(16),
            currentLeaseState: u32,
            newLeaseState: u32,
            breakReason: u32,
            accessMaskHint: u32,
            shareMaskHint: u32,
          })
          .map((v) => ({ kind: 'leaseNotification' as const, ...v })),
      ),
    ),
  ],
};

/** Decoding must give a value or an SmbDecodeError, nothing else. */
function decodeOrDecodeError(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SmbDecodeError)) throw e;
  }
}

/** Random bodies (often starting with the right StructureSize) behind a zero header. */
function randomMessage(structureSize: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 400 })).map(([right, body]) => {
    const m = new Uint8Array(HEADER_SIZE + body.length);
    m.set(body, HEADER_SIZE);
    if (right && body.length >= 2) {
      m[HEADER_SIZE] = structureSize & 0xff;
      m[HEADER_SIZE + 1] = structureSize >> 8;
    }
    return m;
  });
}

/** An encoded valid message with bytes flipped, its length cut or extended. */
function mutated(value: fc.Arbitrary<unknown>, codec: BodyCodec<never>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      value,
      fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: -16, max: 8 }),
    )
    .map(([v, flips, cut]) => {
      const m = encodeMessage(codec, v as never);
      for (const [at, b] of flips) m[HEADER_SIZE + (at % Math.max(1, m.length - HEADER_SIZE))] = b;
      const len = Math.max(HEADER_SIZE, m.length + cut);
      const out = new Uint8Array(len);
      out.set(m.subarray(0, Math.min(len, m.length)));
      return out;
    });
}

describe('file command fuzzing', () => {
  for (const [command, cases] of Object.entries(commands)) {
    it(`${command}: round-trips, random and mutated bodies (10 000 cases)`, () => {
      for (const { codec, value } of cases) {
        fc.assert(
          fc.property(value, (v) => {
            const m = encodeMessage(codec, v as never);
            expect(decodeMessage(codec, m)).toEqual(v);
            // And the re-encoding is byte-identical.
            expect(encodeMessage(codec, decodeMessage(codec, m))).toEqual(m);
          }),
          { numRuns: 1000 },
        );
        const size = new DataView(encodeMessage(codec, fc.sample(value, 1)[0] as never).buffer).getUint16(
          HEADER_SIZE,
          true,
        );
        fc.assert(
          fc.property(randomMessage(size), (m) => decodeOrDecodeError(() => decodeMessage(codec, m))),
          { numRuns: 2000 },
        );
        fc.assert(
          fc.property(mutated(value, codec), (m) => decodeOrDecodeError(() => decodeMessage(codec, m))),
          { numRuns: 2000 },
        );
      }
    });
  }

  const payloads: [string, FsctlPayloadCodec<never>, fc.Arbitrary<unknown>][] = [
    [
      'VALIDATE_NEGOTIATE_INFO request',
      validateNegotiateInfoRequest as FsctlPayloadCodec<never>,
      fc.record({
        capabilities: u32,
        guid: bytes(16),
        securityMode: u16,
        dialects: fc.array(u16, { maxLength: 8 }),
      }),
    ],
    [
      'VALIDATE_NEGOTIATE_INFO response',
      validateNegotiateInfoResponse as FsctlPayloadCodec<never>,
      fc.record({ capabilities: u32, guid: bytes(16), securityMode: u16, dialect: u16 }),
    ],
    [
      'NETWORK_INTERFACE_INFO',
      networkInterfaceInfo as FsctlPayloadCodec<never>,
      fc.array(
        fc.record({
          ifIndex: u32,
          capability: u32,
          linkSpeed: u64,
          sockAddr: fc.oneof(
            fc.record({ family: fc.constant('ipv4' as const), port: u16, address: bytes(4) }),
            fc.record({
              family: fc.constant('ipv6' as const),
              port: u16,
              flowInfo: u32,
              address: bytes(16),
              scopeId: u32,
            }),
            fc.record({ family: u16.filter((f) => f !== 2 && f !== 0x17), raw: bytes(126) }),
          ),
        }),
        { maxLength: 4 },
      ),
    ],
    [
      'resume key',
      resumeKeyResponse as FsctlPayloadCodec<never>,
      fc.record({ resumeKey: bytes(24), context: blob(8) }),
    ],
    [
      'copychunk',
      copyChunkRequest as FsctlPayloadCodec<never>,
      fc.record({
        sourceKey: bytes(24),
        chunks: fc.array(fc.record({ sourceOffset: u64, targetOffset: u64, length: u32 }), { maxLength: 5 }),
      }),
    ],
    [
      'copychunk response',
      copyChunkResponse as FsctlPayloadCodec<never>,
      fc.record({ chunksWritten: u32, chunkBytesWritten: u32, totalBytesWritten: u32 }),
    ],
    [
      'DFS referral request',
      dfsReferralRequest as FsctlPayloadCodec<never>,
      fc.record({ maxReferralLevel: u16, requestFileName: name.filter((s) => !s.includes('\0')) }),
    ],
    [
      'DFS referral response',
      dfsReferralResponse as FsctlPayloadCodec<never>,
      fc.record({ pathConsumed: u16, numberOfReferrals: u16, referralHeaderFlags: u32, referrals: blob(40) }),
    ],
    [
      'SET_ZERO_DATA',
      fileZeroDataInformation as FsctlPayloadCodec<never>,
      fc.record({ fileOffset: u64, beyondFinalZero: u64 }),
    ],
    [
      'QUERY_ALLOCATED_RANGES request',
      allocatedRangeQuery as FsctlPayloadCodec<never>,
      fc.record({ fileOffset: u64, length: u64 }),
    ],
    [
      'QUERY_ALLOCATED_RANGES response',
      allocatedRanges as FsctlPayloadCodec<never>,
      fc.array(fc.record({ fileOffset: u64, length: u64 }), { maxLength: 6 }),
    ],
    ['GET/SET_COMPRESSION', compressionState as FsctlPayloadCodec<never>, u16],
  ];

  it('FSCTL payloads: round-trips and random inputs', () => {
    for (const [, codec, value] of payloads) {
      fc.assert(
        fc.property(value, (v) => {
          expect(codec.decode(codec.encode(v as never))).toEqual(v);
        }),
        { numRuns: 300 },
      );
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (b) => decodeOrDecodeError(() => codec.decode(b))),
        { numRuns: 1000 },
      );
    }
  });
});
