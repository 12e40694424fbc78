/** Moved to @postntlm/smb2-protocol (src/rpc/errors.ts), shared with the client; re-exported under this module's names. */
export {
  RpcError,
  type RpcErrorCode,
} from '@postntlm/smb2-protocol';
