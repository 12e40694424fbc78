import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  decodeShareEnumResponse,
  decodeShareGetInfoResponse,
  encodeBind,
  encodeRequest,
  FAULT_STATUS,
  NDR20_SYNTAX,
  NDR64_SYNTAX,
  NdrReader,
  NdrWriter,
  PFC,
  RpcError,
  type RpcPdu,
  SRVSVC_SYNTAX,
  SrvsvcPipe,
  STYPE_DISKTREE,
  STYPE_IPC,
} from '../src/rpc/index.js';

const SHARES = [
  { name: 'docs', type: STYPE_DISKTREE, remark: 'Documents' },
  { name: 'IPC$', type: STYPE_IPC, remark: 'Remote IPC' },
];

function newPipe(shares = SHARES): SrvsvcPipe {
  return new SrvsvcPipe({ serverName: 'FILES', shares: () => shares });
}

function bindPdu(maxRecvFrag = 4280, callId = 1): Uint8Array {
  return encodeBind({
    callId,
    maxRecvFrag,
    contexts: [{ contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] }],
  });
}

function shareEnumStub(level: number, prefMax = 0xffffffff, resume: number | null = 0): Uint8Array {
  const w = new NdrWriter();
  w.referent().wideString('\\\\server');
  w.u32(level).u32(level).referent().u32(0).nullPointer();
  w.u32(prefMax);
  if (resume === null) w.nullPointer();
  else w.referent().u32(resume);
  return w.finish();
}

function getInfoStub(name: string, level: number): Uint8Array {
  return new NdrWriter().nullPointer().wideString(name).u32(level).finish();
}

/** Reads every queued message. */
function drain(pipe: SrvsvcPipe): RpcPdu[] {
  const out: RpcPdu[] = [];
  for (let r = pipe.read(0xffff); r !== null; r = pipe.read(0xffff)) out.push(decodePdu(r.data));
  return out;
}

function bound(shares = SHARES, maxRecvFrag = 4280): SrvsvcPipe {
  const pipe = newPipe(shares);
  pipe.write(bindPdu(maxRecvFrag));
  const [ack] = drain(pipe);
  expect(ack?.type).toBe('bind_ack');
  return pipe;
}

function call(pipe: SrvsvcPipe, opnum: number, stub: Uint8Array, callId = 2, contextId = 0): RpcPdu[] {
  pipe.write(encodeRequest({ callId, contextId, opnum, stub }));
  return drain(pipe);
}

function stubOf(pdus: RpcPdu[]): Uint8Array {
  const parts = pdus.map((p) => {
    if (p.type !== 'response') throw new Error(`expected a response, got ${p.type}`);
    return p.stub;
  });
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('BIND', () => {
  it('accepts SRVSVC over NDR 2.0, rejects NDR64 and unknown interfaces, acks feature negotiation', () => {
    const pipe = newPipe();
    pipe.write(
      encodeBind({
        callId: 7,
        contexts: [
          { contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR64_SYNTAX] },
          { contextId: 1, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR64_SYNTAX, NDR20_SYNTAX] },
          {
            contextId: 2,
            abstractSyntax: SRVSVC_SYNTAX,
            transferSyntaxes: [{ uuid: '6cb71c2c-9812-4540-0300-000000000000', version: 1 }],
          },
          {
            contextId: 3,
            abstractSyntax: { uuid: '12345778-1234-abcd-ef00-0123456789ab', version: 1 },
            transferSyntaxes: [NDR20_SYNTAX],
          },
          {
            contextId: 4,
            abstractSyntax: { ...SRVSVC_SYNTAX, version: 2 },
            transferSyntaxes: [NDR20_SYNTAX],
          },
        ],
      }),
    );
    const [ack] = drain(pipe);
    if (ack?.type !== 'bind_ack') throw new Error(String(ack?.type));
    expect(ack.header.callId).toBe(7);
    expect(ack.secondaryAddress).toBe('\\PIPE\\srvsvc');
    expect(ack.results.map((r) => [r.result, r.reason])).toEqual([
      [2, 2],
      [0, 0],
      [3, 0],
      [2, 1],
      [2, 1],
    ]);
    expect(ack.results[1]!.transferSyntax).toEqual(NDR20_SYNTAX);
    // Context 1 is usable, context 0 is not.
    expect(call(pipe, 15, shareEnumStub(1), 2, 1)[0]?.type).toBe('response');
    const [fault] = call(pipe, 15, shareEnumStub(1), 3, 0);
    expect(fault).toMatchObject({ type: 'fault', status: FAULT_STATUS.unknownInterface });
  });

  it('negotiates the fragment size like Samba (min of both, ≥ 2048, ≤ 4280)', () => {
    const sizes = (xmit: number, recv: number): number => {
      const p2 = newPipe();
      p2.write(
        encodeBind({
          callId: 1,
          maxXmitFrag: xmit,
          maxRecvFrag: recv,
          contexts: [{ contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] }],
        }),
      );
      const [ack] = drain(p2);
      if (ack?.type !== 'bind_ack') throw new Error('no ack');
      expect(ack.maxXmitFrag).toBe(ack.maxRecvFrag);
      return ack.maxXmitFrag;
    };
    expect(sizes(4280, 4280)).toBe(4280);
    expect(sizes(5840, 5840)).toBe(4280);
    expect(sizes(4280, 3000)).toBe(3000);
    expect(sizes(1024, 1024)).toBe(2048);
  });

  it('NAKs a BIND without contexts, a second BIND, and an authenticated BIND', () => {
    const empty = newPipe();
    empty.write(encodeBind({ callId: 1, contexts: [] }));
    expect(drain(empty)[0]).toMatchObject({ type: 'bind_nak', reason: 0 });

    const twice = bound();
    twice.write(bindPdu(4280, 5));
    expect(drain(twice)[0]).toMatchObject({ type: 'bind_nak', header: { callId: 5 } });

    const auth = bindPdu();
    const withAuth = new Uint8Array(auth.length + 8 + 16);
    withAuth.set(auth);
    new DataView(withAuth.buffer).setUint16(8, withAuth.length, true);
    new DataView(withAuth.buffer).setUint16(10, 16, true);
    const p = newPipe();
    p.write(withAuth);
    expect(drain(p)[0]).toMatchObject({ type: 'bind_nak', reason: 8, versions: [{ major: 5, minor: 0 }] });
  });

  it('adds contexts with ALTER_CONTEXT (empty secondary address)', () => {
    const pipe = bound();
    pipe.write(
      encodeBind(
        {
          callId: 3,
          contexts: [{ contextId: 5, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] }],
        },
        true,
      ),
    );
    const [resp] = drain(pipe);
    expect(resp).toMatchObject({
      type: 'alter_context_resp',
      secondaryAddress: '',
      results: [{ result: 0 }],
    });
    expect(call(pipe, 15, shareEnumStub(0), 4, 5)[0]?.type).toBe('response');
  });
});

describe('REQUEST / RESPONSE', () => {
  it('NetrShareEnum level 1 and level 0', () => {
    const pipe = bound();
    const level1 = decodeShareEnumResponse(stubOf(call(pipe, 15, shareEnumStub(1))));
    expect(level1).toEqual({ level: 1, shares: SHARES, totalEntries: 2, resumeHandle: 0, status: 0 });
    const level0 = decodeShareEnumResponse(stubOf(call(pipe, 15, shareEnumStub(0, 0xffffffff, null), 3)));
    expect(level0).toEqual({
      level: 0,
      shares: SHARES.map((s) => ({ name: s.name, type: 0, remark: '' })),
      totalEntries: 2,
      resumeHandle: null,
      status: 0,
    });
  });

  it('NetrShareEnum: unsupported level → ERROR_INVALID_LEVEL with a NULL container', () => {
    const pipe = bound();
    const r = decodeShareEnumResponse(stubOf(call(pipe, 15, shareEnumStub(502))));
    expect(r).toEqual({ level: 502, shares: null, totalEntries: 0, resumeHandle: 0, status: 124 });
  });

  it('NetrShareEnum: PreferedMaximumLength pages with ERROR_MORE_DATA and the resume handle', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, type: STYPE_DISKTREE, remark: 'x' }));
    const pipe = bound(many);
    const names: string[] = [];
    let resume = 0;
    for (let round = 0; round < 20; round++) {
      const r = decodeShareEnumResponse(stubOf(call(pipe, 15, shareEnumStub(1, 100, resume), 10 + round)));
      names.push(...(r.shares ?? []).map((s) => s.name));
      if (r.status === 0) break;
      expect(r.status).toBe(234);
      resume = r.resumeHandle!;
    }
    expect(names).toEqual(many.map((s) => s.name));
  });

  it('NetrShareGetInfo: level 1, case-insensitive, unknown share, bad level', () => {
    const pipe = bound();
    expect(decodeShareGetInfoResponse(stubOf(call(pipe, 16, getInfoStub('DOCS', 1))))).toEqual({
      level: 1,
      share: SHARES[0],
      status: 0,
    });
    expect(decodeShareGetInfoResponse(stubOf(call(pipe, 16, getInfoStub('ipc$', 0), 3)))).toEqual({
      level: 0,
      share: { name: 'IPC$', type: 0, remark: '' },
      status: 0,
    });
    expect(decodeShareGetInfoResponse(stubOf(call(pipe, 16, getInfoStub('nope', 1), 4)))).toMatchObject({
      share: null,
      status: 2310,
    });
    expect(decodeShareGetInfoResponse(stubOf(call(pipe, 16, getInfoStub('docs', 7), 5)))).toMatchObject({
      share: null,
      status: 124,
    });
  });

  it('NetrServerGetInfo level 101 and an unsupported level', () => {
    const pipe = bound();
    const stub = (level: number): Uint8Array => new NdrWriter().nullPointer().u32(level).finish();
    const r = new NdrReader(stubOf(call(pipe, 21, stub(101))));
    expect(r.u32()).toBe(101); // union tag
    expect(r.pointer()).not.toBe(0);
    expect(r.u32()).toBe(500); // PLATFORM_ID_NT
    expect(r.pointer()).not.toBe(0);
    r.u32(); // version major
    r.u32(); // version minor
    expect(r.u32() & 0x8003).toBe(0x8003); // workstation | server | server NT
    expect(r.pointer()).not.toBe(0);
    expect(r.wideString()).toBe('FILES');
    expect(r.wideString()).toBe('');
    expect(r.u32()).toBe(0);
    const bad = new NdrReader(stubOf(call(pipe, 21, stub(102), 3)));
    expect([bad.u32(), bad.pointer(), bad.u32()]).toEqual([102, 0, 124]);
  });

  it('faults: unknown opnum, bad stub data, request before BIND, unknown context', () => {
    const pipe = bound();
    const [opnum] = call(pipe, 99, new Uint8Array(0), 9);
    expect(opnum).toMatchObject({ type: 'fault', status: FAULT_STATUS.opRangeError, header: { callId: 9 } });
    expect(opnum!.header.flags & PFC.didNotExecute).toBe(PFC.didNotExecute);
    expect(call(pipe, 15, Uint8Array.of(1, 2, 3), 10)[0]).toMatchObject({ type: 'fault', status: 0x6f7 });
    expect(call(pipe, 15, shareEnumStub(1), 11, 9)[0]).toMatchObject({
      status: FAULT_STATUS.unknownInterface,
    });
    const fresh = newPipe();
    expect(call(fresh, 15, shareEnumStub(1))[0]).toMatchObject({
      type: 'fault',
      status: FAULT_STATUS.protocolError,
    });
  });

  it('reassembles a request sent in several fragments and several writes', () => {
    const pipe = bound();
    const stub = shareEnumStub(1);
    const frags = [stub.subarray(0, 8), stub.subarray(8, 20), stub.subarray(20)].map((part, i, all) =>
      encodeRequest({
        callId: 4,
        contextId: 0,
        opnum: 15,
        stub: part,
        flags: (i === 0 ? PFC.firstFrag : 0) | (i === all.length - 1 ? PFC.lastFrag : 0),
      }),
    );
    pipe.write(frags[0]!);
    expect(pipe.available).toBe(0);
    // The second fragment split over two writes, the third glued to its tail.
    pipe.write(frags[1]!.subarray(0, 5));
    expect(pipe.partialInput).toBe(5);
    const tail = new Uint8Array(frags[1]!.length - 5 + frags[2]!.length);
    tail.set(frags[1]!.subarray(5));
    tail.set(frags[2]!, frags[1]!.length - 5);
    pipe.write(tail);
    expect(decodeShareEnumResponse(stubOf(drain(pipe))).shares).toEqual(SHARES);
  });

  it('faults fragments out of sequence', () => {
    const pipe = bound();
    const mid = encodeRequest({ callId: 4, contextId: 0, opnum: 15, stub: new Uint8Array(8), flags: 0 });
    pipe.write(mid);
    expect(drain(pipe)[0]).toMatchObject({ type: 'fault', status: FAULT_STATUS.protocolError });
    pipe.write(
      encodeRequest({ callId: 5, contextId: 0, opnum: 15, stub: new Uint8Array(8), flags: PFC.firstFrag }),
    );
    pipe.write(
      encodeRequest({ callId: 6, contextId: 0, opnum: 15, stub: new Uint8Array(8), flags: PFC.lastFrag }),
    );
    expect(drain(pipe)[0]).toMatchObject({ type: 'fault', header: { callId: 6 } });
  });

  it('fragments a large response to the negotiated size; alloc_hint counts down', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      name: `share${i}`,
      type: STYPE_DISKTREE,
      remark: 'a remark of some length for share number '.repeat(2) + i,
    }));
    const pipe = bound(many, 2048);
    const pdus = call(pipe, 15, shareEnumStub(1));
    expect(pdus.length).toBeGreaterThan(5);
    let remaining = -1;
    pdus.forEach((p, i) => {
      if (p.type !== 'response') throw new Error(p.type);
      expect(p.header.fragLength).toBeLessThanOrEqual(2048);
      expect(p.header.flags & PFC.firstFrag).toBe(i === 0 ? PFC.firstFrag : 0);
      expect(p.header.flags & PFC.lastFrag).toBe(i === pdus.length - 1 ? PFC.lastFrag : 0);
      if (i < pdus.length - 1) expect(p.stub.length % 8).toBe(0);
      if (remaining >= 0) expect(p.allocHint).toBe(remaining);
      remaining = p.allocHint - p.stub.length;
    });
    expect(remaining).toBe(0);
    expect(decodeShareEnumResponse(stubOf(pdus)).shares).toEqual(many);
  });
});

describe('named-pipe semantics', () => {
  it('a short READ gets part of a message with the overflow flag; the next READ the rest', () => {
    const pipe = newPipe();
    pipe.write(bindPdu());
    const total = pipe.available;
    const first = pipe.read(10)!;
    expect(first).toMatchObject({ overflow: true });
    expect(first.data.length).toBe(10);
    expect(pipe.available).toBe(total - 10);
    const rest = pipe.read(4096)!;
    expect(rest.overflow).toBe(false);
    expect(decodePdu(Uint8Array.from([...first.data, ...rest.data])).type).toBe('bind_ack');
    expect(pipe.read(4096)).toBeNull();
  });

  it('each response fragment is its own message', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      name: `share-number-${i}`,
      type: 0,
      remark: 'r'.repeat(30),
    }));
    const pipe = bound(many, 2048);
    pipe.write(encodeRequest({ callId: 2, contextId: 0, opnum: 15, stub: shareEnumStub(1) }));
    const first = pipe.read(65536)!;
    expect(first.overflow).toBe(false);
    expect(decodePdu(first.data).header.flags & PFC.lastFrag).toBe(0);
  });

  it('TRANSCEIVE: answer truncated to the output size with overflow, rest by READ; busy while unread', () => {
    const pipe = newPipe();
    const ack = pipe.transceive(bindPdu(), 20);
    expect(ack.overflow).toBe(true);
    expect(ack.data.length).toBe(20);
    expect(() => pipe.transceive(bindPdu(), 100)).toThrow(RpcError);
    try {
      pipe.transceive(bindPdu(), 100);
    } catch (error) {
      expect((error as RpcError).code).toBe('pipe-busy');
    }
    const rest = pipe.read(1000)!;
    expect(decodePdu(Uint8Array.from([...ack.data, ...rest.data])).type).toBe('bind_ack');
    const resp = pipe.transceive(
      encodeRequest({ callId: 2, contextId: 0, opnum: 15, stub: shareEnumStub(1) }),
      4280,
    );
    expect(decodeShareEnumResponse((decodePdu(resp.data) as { stub: Uint8Array }).stub).shares).toEqual(
      SHARES,
    );
  });

  it('garbage is an RpcError and leaves the pipe usable', () => {
    const pipe = newPipe();
    expect(() => pipe.write(new Uint8Array(16).fill(0xff))).toThrow(RpcError);
    expect(pipe.partialInput).toBe(0);
    pipe.write(bindPdu());
    expect(drain(pipe)[0]?.type).toBe('bind_ack');
  });
});
