/** Moved to @postntlm/smb2-protocol (src/rpc/srvsvc-ndr.ts), shared with the client; re-exported under this module's names. */
export {
  type ShareEnumRequest,
  decodeShareEnumRequest,
  type ShareEnumResponse,
  encodeShareEnumResponse,
  decodeShareEnumResponse,
  type ShareGetInfoRequest,
  decodeShareGetInfoRequest,
  SHARE_GET_INFO_LEVELS,
  type ShareGetInfoResponse,
  encodeShareGetInfoResponse,
  decodeShareGetInfoResponse,
  type ServerGetInfoRequest,
  decodeServerGetInfoRequest,
  type SrvsvcServerInfo as ServerInfo,
  encodeServerGetInfoResponse,
} from '@postntlm/smb2-protocol';
