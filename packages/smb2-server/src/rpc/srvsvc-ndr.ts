/** Moved to @postntlm/smb2-protocol (src/rpc/srvsvc-ndr.ts), shared with the client; re-exported under this module's names. */
export {
  decodeServerGetInfoRequest,
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  decodeShareGetInfoRequest,
  decodeShareGetInfoResponse,
  encodeServerGetInfoResponse,
  encodeShareEnumResponse,
  encodeShareGetInfoResponse,
  type ServerGetInfoRequest,
  SHARE_GET_INFO_LEVELS,
  type ShareEnumRequest,
  type ShareEnumResponse,
  type ShareGetInfoRequest,
  type ShareGetInfoResponse,
  type SrvsvcServerInfo as ServerInfo,
} from '@postntlm/smb2-protocol';
