/** Moved to @postntlm/smb2-protocol (src/rpc/ndr.ts), shared with the client; re-exported under this module's names. */
export {
  NDR_FIRST_REFERENT_ID as FIRST_REFERENT_ID,
  NdrReader,
  NdrWriter,
} from '@postntlm/smb2-protocol';
