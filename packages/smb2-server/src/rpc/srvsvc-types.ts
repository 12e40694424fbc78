/** Moved to @postntlm/smb2-protocol (src/rpc/srvsvc-types.ts), shared with the client; re-exported under this module's names. */
export {
  STYPE,
  STYPE_DISKTREE,
  STYPE_IPC,
  NET_STATUS,
  SRVSVC_MAX_PREFERRED_LENGTH as MAX_PREFERRED_LENGTH,
  SRVSVC_OPNUM,
  type ShareInfo,
} from '@postntlm/smb2-protocol';
