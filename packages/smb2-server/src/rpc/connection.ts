import {
  BIND_NAK_REASON,
  BIND_TIME_FEATURE_PREFIX,
  CONTEXT_RESULT,
  DEFAULT_MAX_FRAGMENT,
  FAULT_STATUS,
  MIN_NEGOTIATED_FRAGMENT,
  NDR20_SYNTAX,
  PFC,
  PTYPE,
} from './constants.js';
import { RpcError } from './errors.js';
import { decodeHeader } from './header.js';
import type { RpcInterface } from './interface.js';
import {
  type BindPdu,
  type ContextResult,
  decodePdu,
  encodeBindAck,
  encodeBindNak,
  encodeFault,
  fragmentResponse,
  type RequestPdu,
} from './pdu.js';
import { type SyntaxId, sameSyntax } from './uuid.js';

export interface RpcConnectionOptions {
  /** Interfaces a BIND may name. */
  readonly interfaces: readonly RpcInterface[];
  /** BIND_ACK port_spec, e.g. `\PIPE\srvsvc`. */
  readonly secondaryAddress: string;
  /** assoc_group_id handed out in the BIND_ACK. Default 0x12345. */
  readonly assocGroupId?: number;
  /** Upper bound for negotiated fragments. Default 4280 (Windows, Samba). */
  readonly maxFragment?: number;
  /** Largest reassembled request stub. Default 256 KiB. */
  readonly maxRequestStub?: number;
}

const NULL_SYNTAX: SyntaxId = { uuid: '00000000-0000-0000-0000-000000000000', version: 0 };

interface Reassembly {
  readonly callId: number;
  readonly contextId: number;
  readonly opnum: number;
  readonly chunks: Uint8Array[];
  size: number;
}

/**
 * The server side of one DCE/RPC connection-oriented association (sans-IO): feed it whole
 * PDUs with {@link handle}, send back what it returns (zero or more PDUs).
 *
 * - BIND: version 5.0/5.1, no authentication; each presentation context is accepted with
 *   NDR 2.0 if the abstract syntax is served, else provider-rejected (abstract syntax /
 *   transfer syntaxes not supported); NDR64 is turned down; a bind-time feature negotiation
 *   context gets a negotiate_ack with no features. A second BIND gets a BIND_NAK.
 * - ALTER_CONTEXT adds contexts (no secondary address in the response).
 * - REQUEST: fragments are reassembled by call_id; the response is fragmented to the
 *   negotiated size. Faults: nca_s_op_rng_error (unknown opnum), nca_s_unknown_if (context
 *   not bound), RPC_X_BAD_STUB_DATA (stub does not decode), nca_s_proto_error (before BIND,
 *   fragment out of sequence, authenticated request).
 */
export class RpcConnection {
  private readonly options: RpcConnectionOptions;
  private readonly contexts = new Map<number, RpcInterface>();
  private bound = false;
  private xmitFragment = DEFAULT_MAX_FRAGMENT;
  private reassembly: Reassembly | null = null;

  constructor(options: RpcConnectionOptions) {
    this.options = options;
  }

  /** Whether a BIND has been accepted. */
  get isBound(): boolean {
    return this.bound;
  }

  /** Largest PDU this side sends (negotiated at BIND). */
  get maxTransmitFragment(): number {
    return this.xmitFragment;
  }

  /** One complete PDU in, the PDUs to answer with out. Throws {@link RpcError} when no answer fits. */
  handle(bytes: Uint8Array): Uint8Array[] {
    const header = decodeHeader(bytes);
    let pdu: ReturnType<typeof decodePdu>;
    try {
      pdu = decodePdu(bytes);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      // A header we can read but a body we cannot: answer in-band where the PDU type has a reply.
      if (header.ptype === PTYPE.bind) return [encodeBindNak(header.callId, BIND_NAK_REASON.notSpecified)];
      if (header.ptype === PTYPE.alterContext || header.ptype === PTYPE.request) {
        this.reassembly = null;
        return [encodeFault(header.callId, 0, FAULT_STATUS.protocolError, true)];
      }
      throw error;
    }
    switch (pdu.type) {
      case 'bind':
        return [this.bind(pdu)];
      case 'alter_context':
        return [this.alterContext(pdu)];
      case 'request':
        return this.request(pdu);
      case 'other':
        // ORPHANED / CO_CANCEL drop a half-received call; AUTH3 and SHUTDOWN need no answer.
        if (header.ptype === PTYPE.orphaned || header.ptype === PTYPE.coCancel) {
          if (this.reassembly?.callId === header.callId) this.reassembly = null;
        }
        return [];
      default:
        // BIND_ACK, RESPONSE, FAULT, ... are for clients to receive.
        return [encodeFault(header.callId, 0, FAULT_STATUS.protocolError, true)];
    }
  }

  private negotiate(pdu: BindPdu): readonly ContextResult[] {
    return pdu.contexts.map((ctx): ContextResult => {
      const isFeatureNegotiation = ctx.transferSyntaxes.some((ts) =>
        ts.uuid.startsWith(BIND_TIME_FEATURE_PREFIX),
      );
      if (isFeatureNegotiation) {
        // MS-RPCE §3.3.1.5.3: the reason field carries the features we support: none.
        return { result: CONTEXT_RESULT.negotiateAck, reason: 0, transferSyntax: NULL_SYNTAX };
      }
      const wanted = ctx.abstractSyntax;
      const iface = this.options.interfaces.find(
        (i) => i.syntax.uuid === wanted.uuid && (i.syntax.version & 0xffff) === (wanted.version & 0xffff),
      );
      const existing = this.contexts.get(ctx.contextId);
      if (iface === undefined || (existing !== undefined && existing !== iface)) {
        return { result: CONTEXT_RESULT.providerRejection, reason: 1, transferSyntax: NULL_SYNTAX };
      }
      // Minor version: the server's must be at least the client's.
      if (wanted.version >>> 16 > iface.syntax.version >>> 16) {
        return { result: CONTEXT_RESULT.providerRejection, reason: 1, transferSyntax: NULL_SYNTAX };
      }
      if (!ctx.transferSyntaxes.some((ts) => sameSyntax(ts, NDR20_SYNTAX))) {
        return { result: CONTEXT_RESULT.providerRejection, reason: 2, transferSyntax: NULL_SYNTAX };
      }
      this.contexts.set(ctx.contextId, iface);
      return { result: CONTEXT_RESULT.acceptance, reason: 0, transferSyntax: NDR20_SYNTAX };
    });
  }

  private bind(pdu: BindPdu): Uint8Array {
    const callId = pdu.header.callId;
    if (this.bound) return encodeBindNak(callId, BIND_NAK_REASON.notSpecified);
    if (pdu.header.authLength > 0)
      return encodeBindNak(callId, BIND_NAK_REASON.authenticationTypeNotRecognized);
    if (pdu.contexts.length === 0) return encodeBindNak(callId, BIND_NAK_REASON.notSpecified);
    const results = this.negotiate(pdu);
    // Like Samba: the smaller of the client's two sizes, at least 2048, at most our limit.
    const limit = this.options.maxFragment ?? DEFAULT_MAX_FRAGMENT;
    const size = Math.min(
      limit,
      Math.max(MIN_NEGOTIATED_FRAGMENT, Math.min(pdu.maxXmitFrag, pdu.maxRecvFrag)),
    );
    this.xmitFragment = size;
    this.bound = true;
    const assocGroupId = pdu.assocGroupId !== 0 ? pdu.assocGroupId : (this.options.assocGroupId ?? 0x12345);
    return encodeBindAck({
      callId,
      maxXmitFrag: size,
      maxRecvFrag: size,
      assocGroupId,
      secondaryAddress: this.options.secondaryAddress,
      results,
    });
  }

  private alterContext(pdu: BindPdu): Uint8Array {
    const callId = pdu.header.callId;
    if (!this.bound || pdu.header.authLength > 0) {
      return encodeFault(callId, 0, FAULT_STATUS.protocolError, true);
    }
    const results = this.negotiate(pdu);
    return encodeBindAck(
      {
        callId,
        maxXmitFrag: this.xmitFragment,
        maxRecvFrag: this.xmitFragment,
        assocGroupId: pdu.assocGroupId !== 0 ? pdu.assocGroupId : (this.options.assocGroupId ?? 0x12345),
        secondaryAddress: '',
        results,
      },
      true,
    );
  }

  private fault(pdu: RequestPdu, status: number, didNotExecute = true): Uint8Array[] {
    return [encodeFault(pdu.header.callId, pdu.contextId, status, didNotExecute)];
  }

  private request(pdu: RequestPdu): Uint8Array[] {
    const { flags, callId, authLength } = pdu.header;
    if (!this.bound || authLength > 0) {
      this.reassembly = null;
      return this.fault(pdu, authLength > 0 ? FAULT_STATUS.accessDenied : FAULT_STATUS.protocolError);
    }
    const first = (flags & PFC.firstFrag) !== 0;
    const last = (flags & PFC.lastFrag) !== 0;
    let call: Reassembly;
    if (first) {
      if (this.reassembly !== null) {
        // A new call while another is half received: both are broken.
        this.reassembly = null;
        return this.fault(pdu, FAULT_STATUS.protocolError);
      }
      call = { callId, contextId: pdu.contextId, opnum: pdu.opnum, chunks: [], size: 0 };
    } else {
      const pending = this.reassembly;
      if (pending === null || pending.callId !== callId || pending.contextId !== pdu.contextId) {
        this.reassembly = null;
        return this.fault(pdu, FAULT_STATUS.protocolError);
      }
      call = pending;
    }
    call.chunks.push(pdu.stub);
    call.size += pdu.stub.length;
    if (call.size > (this.options.maxRequestStub ?? 256 * 1024)) {
      this.reassembly = null;
      return this.fault(pdu, FAULT_STATUS.protocolError);
    }
    if (!last) {
      this.reassembly = call;
      return [];
    }
    this.reassembly = null;
    const stub = call.chunks.length === 1 ? call.chunks[0]! : concat(call.chunks, call.size);
    return this.dispatch(callId, call.contextId, call.opnum, stub);
  }

  private dispatch(callId: number, contextId: number, opnum: number, stub: Uint8Array): Uint8Array[] {
    const iface = this.contexts.get(contextId);
    if (iface === undefined) return [encodeFault(callId, contextId, FAULT_STATUS.unknownInterface, true)];
    let result: ReturnType<RpcInterface['invoke']>;
    try {
      result = iface.invoke(opnum, stub);
    } catch (error) {
      if (error instanceof RpcError) return [encodeFault(callId, contextId, FAULT_STATUS.badStubData, true)];
      throw error;
    }
    if ('opnumOutOfRange' in result) return [encodeFault(callId, contextId, FAULT_STATUS.opRangeError, true)];
    if ('fault' in result) return [encodeFault(callId, contextId, result.fault)];
    return fragmentResponse(callId, contextId, result.stub, this.xmitFragment);
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
