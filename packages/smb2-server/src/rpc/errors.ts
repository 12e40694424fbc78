/** Moved to @postntlm/smb2-protocol (src/rpc/errors.ts), shared with the client; re-exported under this module's names. */
export {
  type RpcErrorCode,
  RpcError,
} from '@postntlm/smb2-protocol';
