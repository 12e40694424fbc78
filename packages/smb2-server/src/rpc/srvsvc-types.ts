/** Moved to @postntlm/smb2-protocol (src/rpc/srvsvc-types.ts), shared with the client; re-exported under this module's names. */
export {
  NET_STATUS,
  type ShareInfo,
  SRVSVC_MAX_PREFERRED_LENGTH as MAX_PREFERRED_LENGTH,
  SRVSVC_OPNUM,
  STYPE,
  STYPE_DISKTREE,
  STYPE_IPC,
} from '@postntlm/smb2-protocol';
