/** Moved to @postntlm/smb2-protocol (src/rpc/header.ts), shared with the client; re-exported under this module's names. */
export {
  decodeRpcHeader as decodeHeader,
  finishRpcPdu as finishPdu,
  type RpcPduHeader as PduHeader,
  startRpcPdu as startPdu,
} from '@postntlm/smb2-protocol';
