/**
 * Random and mutated bytes into the PDU decoder and the pipe: the only outcomes allowed are
 * a typed RpcError or well-formed PDUs (FAULT, BIND_NAK, ...) — never another exception,
 * never a hang.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodeBind,
  encodeRequest,
  NDR20_SYNTAX,
  NDR64_SYNTAX,
  NdrWriter,
  PFC,
  RpcError,
  SRVSVC_SYNTAX,
  SrvsvcPipe,
  STYPE_DISKTREE,
  STYPE_IPC,
} from '../src/rpc/index.js';

const RUNS = 10_000;
const fixture = (name: string): Uint8Array =>
  Uint8Array.from(
    Buffer.from(
      readFileSync(new URL(`./fixtures/rpc-samba-${name}.hex`, import.meta.url), 'utf8').trim(),
      'hex',
    ),
  );

const SHARES = [
  { name: 'docs', type: STYPE_DISKTREE, remark: 'Documents' },
  { name: 'IPC$', type: STYPE_IPC, remark: 'Remote IPC' },
];

const enumStub = new NdrWriter()
  .referent()
  .wideString('srv')
  .u32(1)
  .u32(1)
  .referent()
  .u32(0)
  .nullPointer()
  .u32(-1)
  .referent()
  .u32(0)
  .finish();
const getInfoStub = new NdrWriter().nullPointer().wideString('docs').u32(1).finish();

/** Valid PDUs to mutate. */
const SEEDS: readonly Uint8Array[] = [
  fixture('bind'),
  fixture('share-enum-request'),
  fixture('bind-ack'),
  fixture('share-enum-response'),
  encodeBind({
    callId: 1,
    contexts: [
      { contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR64_SYNTAX, NDR20_SYNTAX] },
      {
        contextId: 1,
        abstractSyntax: SRVSVC_SYNTAX,
        transferSyntaxes: [{ uuid: '6cb71c2c-9812-4540-0300-000000000000', version: 1 }],
      },
    ],
  }),
  encodeBind(
    {
      callId: 2,
      contexts: [{ contextId: 1, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] }],
    },
    true,
  ),
  encodeRequest({ callId: 3, contextId: 0, opnum: 15, stub: enumStub }),
  encodeRequest({ callId: 4, contextId: 0, opnum: 16, stub: getInfoStub }),
  encodeRequest({ callId: 5, contextId: 0, opnum: 15, stub: enumStub.subarray(0, 16), flags: PFC.firstFrag }),
  encodeRequest({ callId: 5, contextId: 0, opnum: 15, stub: enumStub.subarray(16), flags: PFC.lastFrag }),
];

const ALLOWED_REPLIES = new Set(['bind_ack', 'bind_nak', 'alter_context_resp', 'response', 'fault']);

function expectOnlyRpcError(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
  }
}

/** Writes `chunks` to a fresh pipe, reading with short buffers: only RpcErrors may escape. */
function feed(chunks: readonly Uint8Array[], bindFirst: boolean): void {
  const pipe = new SrvsvcPipe({ serverName: 'FUZZ', shares: () => SHARES });
  if (bindFirst) pipe.write(SEEDS[0]!);
  for (const chunk of chunks) {
    expectOnlyRpcError(() => pipe.write(chunk));
    let reads = 0;
    for (let r = pipe.read(1 + (chunk.length % 300)); r !== null; r = pipe.read(1 + (chunk.length % 300))) {
      reads++;
      if (reads > 100_000) throw new Error('read loop does not end');
    }
  }
}

const mutation = fc.record({
  seed: fc.nat(SEEDS.length - 1),
  edits: fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
  cut: fc.option(fc.nat(400), { nil: undefined }),
  keepHeader: fc.boolean(),
});

function mutate(m: {
  seed: number;
  edits: [number, number][];
  cut: number | undefined;
  keepHeader: boolean;
}): Uint8Array {
  const bytes = SEEDS[m.seed]!.slice();
  for (const [at, value] of m.edits) {
    const pos = m.keepHeader ? 16 + (at % Math.max(1, bytes.length - 16)) : at % bytes.length;
    if (pos < bytes.length) bytes[pos] = value;
  }
  if (m.cut === undefined) return bytes;
  const cut = bytes.slice(0, m.cut % (bytes.length + 1));
  // With keepHeader, frag_length follows the cut so the PDU is complete (reaching the body decoders).
  if (m.keepHeader && cut.length >= 16) new DataView(cut.buffer).setUint16(8, cut.length, true);
  return cut;
}

describe('fuzz', () => {
  it('decodePdu: random bytes give a PDU or an RpcError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, validHeader) => {
        if (validHeader && bytes.length >= 16) {
          bytes.set([5, 0], 0);
          bytes.set([0x10, 0, 0, 0], 4);
          new DataView(bytes.buffer, bytes.byteOffset).setUint16(8, bytes.length, true);
          bytes[2] = bytes[2]! % 20;
        }
        expectOnlyRpcError(() => decodePdu(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodePdu: mutated valid PDUs give a PDU or an RpcError', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        expectOnlyRpcError(() => decodePdu(mutate(m)));
      }),
      { numRuns: RUNS },
    );
  });

  it('pipe: mutated PDU sequences give RpcErrors or well-formed replies', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean(), (ms, bindFirst) => {
        const pipe = new SrvsvcPipe({ serverName: 'FUZZ', shares: () => SHARES });
        if (bindFirst) pipe.write(SEEDS[0]!);
        for (const m of ms) {
          expectOnlyRpcError(() => pipe.write(mutate(m)));
          for (let r = pipe.read(65536); r !== null; r = pipe.read(65536)) {
            expect(r.overflow).toBe(false);
            expect(ALLOWED_REPLIES.has(decodePdu(r.data).type)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('pipe: random stubs for every opnum give a RESPONSE or a FAULT', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(enumStub.length),
        (opnum, noise, keep) => {
          const pipe = new SrvsvcPipe({ serverName: 'FUZZ', shares: () => SHARES });
          pipe.write(SEEDS[0]!);
          pipe.read(65536);
          // Half the time a valid prefix followed by noise, to get past the first fields.
          const base = opnum === 16 ? getInfoStub : enumStub;
          const stub = Uint8Array.from([...base.subarray(0, keep % (base.length + 1)), ...noise]);
          pipe.write(encodeRequest({ callId: 9, contextId: 0, opnum, stub }));
          const r = pipe.read(65536);
          expect(r).not.toBeNull();
          const pdu = decodePdu(r!.data);
          expect(['response', 'fault']).toContain(pdu.type);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('pipe: random chunks of random bytes, with short reads, never crash', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 6 }),
        fc.boolean(),
        (chunks, bindFirst) => {
          feed(chunks, bindFirst);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
