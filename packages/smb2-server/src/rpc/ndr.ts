/** Moved to @postntlm/smb2-protocol (src/rpc/ndr.ts), shared with the client; re-exported under this module's names. */
export {
  NdrReader,
  NDR_FIRST_REFERENT_ID as FIRST_REFERENT_ID,
  NdrWriter,
} from '@postntlm/smb2-protocol';
