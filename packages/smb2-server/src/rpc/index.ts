export { ByteReader, ByteWriter } from './bytes.js';
export { RpcConnection, type RpcConnectionOptions } from './connection.js';
export {
  BIND_NAK_REASON,
  CONTEXT_RESULT,
  FAULT_STATUS,
  NDR20_SYNTAX,
  NDR64_SYNTAX,
  PFC,
  PROVIDER_REASON,
  PTYPE,
  SRVSVC_SYNTAX,
} from './constants.js';
export { RpcError, type RpcErrorCode } from './errors.js';
export { decodeHeader, type PduHeader } from './header.js';
export type { RpcInterface, RpcInvokeResult } from './interface.js';
export { NdrReader, NdrWriter } from './ndr.js';
export {
  type BindAckPdu,
  type BindNakPdu,
  type BindPdu,
  type ContextElement,
  type ContextResult,
  decodePdu,
  encodeBind,
  encodeBindAck,
  encodeBindNak,
  encodeFault,
  encodeRequest,
  encodeResponse,
  type FaultPdu,
  fragmentResponse,
  type OtherPdu,
  type RequestPdu,
  type ResponsePdu,
  type RpcPdu,
} from './pdu.js';
export { type PipeReadResult, RpcPipe } from './pipe.js';
export { type SrvsvcOptions, srvsvcInterface } from './srvsvc.js';
export {
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  decodeShareGetInfoRequest,
  decodeShareGetInfoResponse,
  encodeShareEnumResponse,
  encodeShareGetInfoResponse,
  type ShareEnumRequest,
  type ShareEnumResponse,
  type ShareGetInfoRequest,
  type ShareGetInfoResponse,
} from './srvsvc-ndr.js';
export { SrvsvcPipe, type SrvsvcPipeOptions } from './srvsvc-pipe.js';
export {
  MAX_PREFERRED_LENGTH,
  NET_STATUS,
  type ShareInfo,
  SRVSVC_OPNUM,
  STYPE,
  STYPE_DISKTREE,
  STYPE_IPC,
} from './srvsvc-types.js';
export { type SyntaxId, uuidFromBytes, uuidToBytes } from './uuid.js';
