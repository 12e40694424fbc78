/** Moved to @postntlm/smb2-protocol (src/rpc/bytes.ts), shared with the client; re-exported under this module's names. */
export {
  RpcByteReader as ByteReader,
  RpcByteWriter as ByteWriter,
} from '@postntlm/smb2-protocol';
