/** Moved to @postntlm/smb2-protocol (src/rpc/uuid.ts), shared with the client; re-exported under this module's names. */
export {
  type RpcSyntaxId as SyntaxId,
  sameRpcSyntax as sameSyntax,
  uuidFromBytes,
  uuidToBytes,
} from '@postntlm/smb2-protocol';
