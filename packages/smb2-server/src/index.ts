/**
 * @postntlm/smb2-server: an SMB 2.0.2–3.1.1 file server for Node, Kerberos and IAKerb only
 * (NTLM is refused and recorded). NEGOTIATE, SESSION_SETUP (Kerberos, IAKerb through SPNEGO),
 * signing, encryption, TREE_CONNECT, the file commands over a local directory per share
 * (`LocalDirectoryBackend`, which paths cannot escape), ECHO and LOGOFF; on IPC$ the `srvsvc`
 * named pipe (share listing: `smbclient -L`).
 */
export {
  type ChangeEvent,
  type CreateRequest,
  type CreateResult,
  type DirectoryEntry,
  type FileInfo,
  type FsAttributeInfo,
  type FsSizeInfo,
  LocalDirectoryBackend,
  type LocalDirectoryBackendOptions,
  type LockOptions,
  type OpenHandle,
  type QueryDirectoryOptions,
  type SetTimes,
  type ShareBackend,
  SmbStatusError,
  type VolumeInfo,
} from './backend/index.js';
export type { NtlmAttempt, ShareOptions, SmbServerLimits, SmbServerOptions } from './core/options.js';
export { createSmbServer, type SmbServer } from './server.js';
