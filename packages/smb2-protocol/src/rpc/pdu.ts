import { ByteReader } from './bytes.js';
import { COMMON_HEADER_LENGTH, PFC, PTYPE } from './constants.js';
import { RpcError } from './errors.js';
import { decodeHeader, finishPdu, type PduHeader, startPdu } from './header.js';
import { type SyntaxId, uuidFromBytes, uuidToBytes } from './uuid.js';

/** p_cont_elem_t: one presentation context offered in a BIND or ALTER_CONTEXT. */
export interface ContextElement {
  readonly contextId: number;
  readonly abstractSyntax: SyntaxId;
  readonly transferSyntaxes: readonly SyntaxId[];
}

/** p_result_t */
export interface ContextResult {
  readonly result: number;
  readonly reason: number;
  readonly transferSyntax: SyntaxId;
}

export interface BindPdu {
  readonly type: 'bind' | 'alter_context';
  readonly header: PduHeader;
  readonly maxXmitFrag: number;
  readonly maxRecvFrag: number;
  readonly assocGroupId: number;
  readonly contexts: readonly ContextElement[];
}

export interface BindAckPdu {
  readonly type: 'bind_ack' | 'alter_context_resp';
  readonly header: PduHeader;
  readonly maxXmitFrag: number;
  readonly maxRecvFrag: number;
  readonly assocGroupId: number;
  /** port_spec without its terminating NUL; empty when sec_addr.length is 0. */
  readonly secondaryAddress: string;
  readonly results: readonly ContextResult[];
}

export interface BindNakPdu {
  readonly type: 'bind_nak';
  readonly header: PduHeader;
  readonly reason: number;
  readonly versions: readonly { readonly major: number; readonly minor: number }[];
}

export interface RequestPdu {
  readonly type: 'request';
  readonly header: PduHeader;
  readonly allocHint: number;
  readonly contextId: number;
  readonly opnum: number;
  readonly object?: string;
  readonly stub: Uint8Array;
}

export interface ResponsePdu {
  readonly type: 'response';
  readonly header: PduHeader;
  readonly allocHint: number;
  readonly contextId: number;
  readonly cancelCount: number;
  readonly stub: Uint8Array;
}

export interface FaultPdu {
  readonly type: 'fault';
  readonly header: PduHeader;
  readonly allocHint: number;
  readonly contextId: number;
  readonly cancelCount: number;
  readonly status: number;
}

/** AUTH3, SHUTDOWN, CO_CANCEL, ORPHANED: only the header matters here. */
export interface OtherPdu {
  readonly type: 'other';
  readonly header: PduHeader;
  readonly body: Uint8Array;
}

export type RpcPdu = BindPdu | BindAckPdu | BindNakPdu | RequestPdu | ResponsePdu | FaultPdu | OtherPdu;

function readSyntax(r: ByteReader): SyntaxId {
  const uuid = uuidFromBytes(r.take(16, 'syntax uuid'));
  return { uuid, version: r.u32('syntax version') };
}

/**
 * Decodes one complete PDU (`bytes` may run on past frag_length; the rest is ignored).
 * Throws {@link RpcError} for anything malformed or truncated.
 */
export function decodePdu(bytes: Uint8Array): RpcPdu {
  const header = decodeHeader(bytes);
  if (bytes.length < header.fragLength) {
    throw new RpcError('truncated', `PDU of ${header.fragLength} octets, ${bytes.length} present`);
  }
  const pdu = bytes.subarray(0, header.fragLength);
  // Stub or body ends where the optional sec_trailer (8 octets) and auth value begin.
  const bodyEnd = header.fragLength - (header.authLength > 0 ? header.authLength + 8 : 0);
  if (bodyEnd < COMMON_HEADER_LENGTH)
    throw new RpcError('malformed', 'auth_length leaves no room for a body');
  const r = new ByteReader(pdu.subarray(0, bodyEnd), COMMON_HEADER_LENGTH);
  switch (header.ptype) {
    case PTYPE.bind:
    case PTYPE.alterContext: {
      const maxXmitFrag = r.u16('max_xmit_frag');
      const maxRecvFrag = r.u16('max_recv_frag');
      const assocGroupId = r.u32('assoc_group_id');
      const count = r.u8('n_context_elem');
      r.take(3, 'reserved');
      const contexts: ContextElement[] = [];
      for (let i = 0; i < count; i++) {
        const contextId = r.u16('p_cont_id');
        const transferCount = r.u8('n_transfer_syn');
        r.u8('reserved');
        const abstractSyntax = readSyntax(r);
        const transferSyntaxes: SyntaxId[] = [];
        for (let j = 0; j < transferCount; j++) transferSyntaxes.push(readSyntax(r));
        contexts.push({ contextId, abstractSyntax, transferSyntaxes });
      }
      const type = header.ptype === PTYPE.bind ? 'bind' : 'alter_context';
      return { type, header, maxXmitFrag, maxRecvFrag, assocGroupId, contexts };
    }
    case PTYPE.bindAck:
    case PTYPE.alterContextResp: {
      const maxXmitFrag = r.u16('max_xmit_frag');
      const maxRecvFrag = r.u16('max_recv_frag');
      const assocGroupId = r.u32('assoc_group_id');
      const addrLength = r.u16('sec_addr length');
      const addr = r.take(addrLength, 'sec_addr');
      const nul = addr.indexOf(0);
      const secondaryAddress = new TextDecoder('latin1').decode(nul >= 0 ? addr.subarray(0, nul) : addr);
      r.align(4);
      const count = r.u8('n_results');
      r.take(3, 'reserved');
      const results: ContextResult[] = [];
      for (let i = 0; i < count; i++) {
        const result = r.u16('result');
        const reason = r.u16('reason');
        results.push({ result, reason, transferSyntax: readSyntax(r) });
      }
      const type = header.ptype === PTYPE.bindAck ? 'bind_ack' : 'alter_context_resp';
      return { type, header, maxXmitFrag, maxRecvFrag, assocGroupId, secondaryAddress, results };
    }
    case PTYPE.bindNak: {
      const reason = r.u16('provider_reject_reason');
      const versions: { major: number; minor: number }[] = [];
      if (r.remaining > 0) {
        const count = r.u8('n_protocols');
        for (let i = 0; i < count; i++) versions.push({ major: r.u8('major'), minor: r.u8('minor') });
      }
      return { type: 'bind_nak', header, reason, versions };
    }
    case PTYPE.request: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const opnum = r.u16('opnum');
      const object = (header.flags & PFC.objectUuid) !== 0 ? uuidFromBytes(r.take(16, 'object')) : undefined;
      const stub = r.take(r.remaining);
      return object === undefined
        ? { type: 'request', header, allocHint, contextId, opnum, stub }
        : { type: 'request', header, allocHint, contextId, opnum, object, stub };
    }
    case PTYPE.response: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const cancelCount = r.u8('cancel_count');
      r.u8('reserved');
      return { type: 'response', header, allocHint, contextId, cancelCount, stub: r.take(r.remaining) };
    }
    case PTYPE.fault: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const cancelCount = r.u8('cancel_count');
      r.u8('flags');
      return { type: 'fault', header, allocHint, contextId, cancelCount, status: r.u32('status') };
    }
    case PTYPE.auth3:
    case PTYPE.shutdown:
    case PTYPE.coCancel:
    case PTYPE.orphaned:
      return { type: 'other', header, body: r.take(r.remaining) };
    default:
      throw new RpcError('unsupported', `PDU type ${header.ptype} is not connection-oriented`);
  }
}

const FIRST_LAST = PFC.firstFrag | PFC.lastFrag;

function writeSyntax(w: ReturnType<typeof startPdu>, syntax: SyntaxId): void {
  w.bytes(uuidToBytes(syntax.uuid)).u32(syntax.version);
}

export interface BindFields {
  readonly callId: number;
  readonly maxXmitFrag?: number;
  readonly maxRecvFrag?: number;
  readonly assocGroupId?: number;
  readonly contexts: readonly ContextElement[];
  /** Default 0x03 (first+last); clients may add PFC_SUPPORT_HEADER_SIGN / CONC_MPX. */
  readonly flags?: number;
}

/** BIND (or ALTER_CONTEXT with `alter`); the client side, for tests and tools. */
export function encodeBind(fields: BindFields, alter = false): Uint8Array {
  const w = startPdu(alter ? PTYPE.alterContext : PTYPE.bind, fields.flags ?? FIRST_LAST, fields.callId);
  w.u16(fields.maxXmitFrag ?? 4280)
    .u16(fields.maxRecvFrag ?? 4280)
    .u32(fields.assocGroupId ?? 0);
  w.u8(fields.contexts.length).u8(0).u16(0);
  for (const ctx of fields.contexts) {
    w.u16(ctx.contextId).u8(ctx.transferSyntaxes.length).u8(0);
    writeSyntax(w, ctx.abstractSyntax);
    for (const ts of ctx.transferSyntaxes) writeSyntax(w, ts);
  }
  return finishPdu(w);
}

export interface BindAckFields {
  readonly callId: number;
  readonly maxXmitFrag: number;
  readonly maxRecvFrag: number;
  readonly assocGroupId: number;
  readonly secondaryAddress: string;
  readonly results: readonly ContextResult[];
  readonly flags?: number;
}

/** BIND_ACK (or ALTER_CONTEXT_RESP with `alter`). */
export function encodeBindAck(fields: BindAckFields, alter = false): Uint8Array {
  const w = startPdu(
    alter ? PTYPE.alterContextResp : PTYPE.bindAck,
    fields.flags ?? FIRST_LAST,
    fields.callId,
  );
  w.u16(fields.maxXmitFrag).u16(fields.maxRecvFrag).u32(fields.assocGroupId);
  if (fields.secondaryAddress === '') {
    w.u16(0);
  } else {
    const addr = new TextEncoder().encode(`${fields.secondaryAddress}\0`);
    w.u16(addr.length).bytes(addr);
  }
  w.align(4);
  w.u8(fields.results.length).u8(0).u16(0);
  for (const res of fields.results) {
    w.u16(res.result).u16(res.reason);
    writeSyntax(w, res.transferSyntax);
  }
  return finishPdu(w);
}

/** BIND_NAK offering protocol version 5.0. */
export function encodeBindNak(callId: number, reason: number): Uint8Array {
  const w = startPdu(PTYPE.bindNak, FIRST_LAST, callId);
  w.u16(reason).u8(1).u8(5).u8(0).align(4);
  return finishPdu(w);
}

export interface RequestFields {
  readonly callId: number;
  readonly contextId: number;
  readonly opnum: number;
  readonly stub: Uint8Array;
  readonly flags?: number;
  readonly allocHint?: number;
  readonly object?: string;
}

/** One REQUEST fragment; the client side, for tests and tools. */
export function encodeRequest(fields: RequestFields): Uint8Array {
  let flags = fields.flags ?? FIRST_LAST;
  if (fields.object !== undefined) flags |= PFC.objectUuid;
  const w = startPdu(PTYPE.request, flags, fields.callId);
  w.u32(fields.allocHint ?? fields.stub.length)
    .u16(fields.contextId)
    .u16(fields.opnum);
  if (fields.object !== undefined) w.bytes(uuidToBytes(fields.object));
  w.bytes(fields.stub);
  return finishPdu(w);
}

export interface ResponseFields {
  readonly callId: number;
  readonly contextId: number;
  readonly flags: number;
  readonly allocHint: number;
  readonly stub: Uint8Array;
}

/** One RESPONSE fragment. */
export function encodeResponse(fields: ResponseFields): Uint8Array {
  const w = startPdu(PTYPE.response, fields.flags, fields.callId);
  w.u32(fields.allocHint).u16(fields.contextId).u8(0).u8(0).bytes(fields.stub);
  return finishPdu(w);
}

/** FAULT (32 octets); `didNotExecute` sets PFC_DID_NOT_EXECUTE. */
export function encodeFault(
  callId: number,
  contextId: number,
  status: number,
  didNotExecute = false,
): Uint8Array {
  const w = startPdu(PTYPE.fault, FIRST_LAST | (didNotExecute ? PFC.didNotExecute : 0), callId);
  w.u32(0).u16(contextId).u8(0).u8(0).u32(status).u32(0);
  return finishPdu(w);
}

/**
 * Splits a response stub into RESPONSE fragments of at most `maxFragment` octets. Every
 * fragment but the last carries a multiple of 8 stub octets; alloc_hint is what remains.
 */
export function fragmentResponse(
  callId: number,
  contextId: number,
  stub: Uint8Array,
  maxFragment: number,
): Uint8Array[] {
  const room = Math.max(8, Math.floor((maxFragment - 24) / 8) * 8);
  const out: Uint8Array[] = [];
  let offset = 0;
  do {
    const chunk = stub.subarray(offset, offset + room);
    let flags = 0;
    if (offset === 0) flags |= PFC.firstFrag;
    if (offset + chunk.length >= stub.length) flags |= PFC.lastFrag;
    out.push(encodeResponse({ callId, contextId, flags, allocHint: stub.length - offset, stub: chunk }));
    offset += chunk.length;
  } while (offset < stub.length);
  return out;
}
