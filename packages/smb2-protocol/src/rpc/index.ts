/**
 * DCE/RPC (C706, MS-RPCE) connection-oriented PDUs over a named pipe, NDR 2.0, and the SRVSVC
 * share enumeration types (MS-SRVS): what an SMB server serving IPC$ and an SMB client
 * listing shares both need. Generic names carry an `Rpc` prefix at the package level.
 */
export {
  ByteReader as RpcByteReader,
  ByteWriter as RpcByteWriter,
} from './bytes.js';
export {
  BIND_NAK_REASON as RPC_BIND_NAK_REASON,
  BIND_TIME_FEATURE_PREFIX as RPC_BIND_TIME_FEATURE_PREFIX,
  COMMON_HEADER_LENGTH as RPC_COMMON_HEADER_LENGTH,
  CONTEXT_RESULT as RPC_CONTEXT_RESULT,
  DEFAULT_MAX_FRAGMENT as RPC_DEFAULT_MAX_FRAGMENT,
  DREP_LE as RPC_DREP_LE,
  FAULT_PDU_LENGTH as RPC_FAULT_PDU_LENGTH,
  FAULT_STATUS as RPC_FAULT_STATUS,
  MIN_NEGOTIATED_FRAGMENT as RPC_MIN_NEGOTIATED_FRAGMENT,
  NDR20_SYNTAX,
  NDR64_SYNTAX,
  PFC as RPC_PFC,
  PROVIDER_REASON as RPC_PROVIDER_REASON,
  PTYPE as RPC_PTYPE,
  REQUEST_HEADER_LENGTH as RPC_REQUEST_HEADER_LENGTH,
  RESPONSE_HEADER_LENGTH as RPC_RESPONSE_HEADER_LENGTH,
  RPC_VERSION,
  RPC_VERSION_MINORS,
  SRVSVC_SYNTAX,
} from './constants.js';
export {
  RpcError,
  type RpcErrorCode,
} from './errors.js';
export {
  decodeHeader as decodeRpcHeader,
  finishPdu as finishRpcPdu,
  type PduHeader as RpcPduHeader,
  startPdu as startRpcPdu,
} from './header.js';
export {
  FIRST_REFERENT_ID as NDR_FIRST_REFERENT_ID,
  NdrReader,
  NdrWriter,
} from './ndr.js';
export {
  type BindAckFields as RpcBindAckFields,
  type BindAckPdu as RpcBindAckPdu,
  type BindFields as RpcBindFields,
  type BindNakPdu as RpcBindNakPdu,
  type BindPdu as RpcBindPdu,
  type ContextElement as RpcContextElement,
  type ContextResult as RpcContextResult,
  decodePdu as decodeRpcPdu,
  encodeBind as encodeRpcBind,
  encodeBindAck as encodeRpcBindAck,
  encodeBindNak as encodeRpcBindNak,
  encodeFault as encodeRpcFault,
  encodeRequest as encodeRpcRequest,
  encodeResponse as encodeRpcResponse,
  type FaultPdu as RpcFaultPdu,
  fragmentResponse as fragmentRpcResponse,
  type OtherPdu as RpcOtherPdu,
  type RequestFields as RpcRequestFields,
  type RequestPdu as RpcRequestPdu,
  type ResponseFields as RpcResponseFields,
  type ResponsePdu as RpcResponsePdu,
  type RpcPdu,
} from './pdu.js';
export {
  decodeServerGetInfoRequest,
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  decodeShareGetInfoRequest,
  decodeShareGetInfoResponse,
  encodeServerGetInfoResponse,
  encodeShareEnumRequest,
  encodeShareEnumResponse,
  encodeShareGetInfoResponse,
  type ServerGetInfoRequest,
  type ServerInfo as SrvsvcServerInfo,
  SHARE_GET_INFO_LEVELS,
  type ShareEnumRequest,
  type ShareEnumResponse,
  type ShareGetInfoRequest,
  type ShareGetInfoResponse,
} from './srvsvc-ndr.js';
export {
  MAX_PREFERRED_LENGTH as SRVSVC_MAX_PREFERRED_LENGTH,
  NET_STATUS,
  type ShareInfo,
  SRVSVC_OPNUM,
  STYPE,
  STYPE_DISKTREE,
  STYPE_IPC,
} from './srvsvc-types.js';
export {
  type SyntaxId as RpcSyntaxId,
  sameSyntax as sameRpcSyntax,
  uuidFromBytes,
  uuidToBytes,
} from './uuid.js';
