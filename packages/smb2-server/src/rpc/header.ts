/** Moved to @postntlm/smb2-protocol (src/rpc/header.ts), shared with the client; re-exported under this module's names. */
export {
  type RpcPduHeader as PduHeader,
  decodeRpcHeader as decodeHeader,
  startRpcPdu as startPdu,
  finishRpcPdu as finishPdu,
} from '@postntlm/smb2-protocol';
