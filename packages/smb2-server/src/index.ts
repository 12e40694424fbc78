/**
 * @postntlm/smb2-server: an SMB 2.0.2–3.1.1 file server for Node, Kerberos and IAKerb only
 * (NTLM is refused and recorded). Work in progress: NEGOTIATE, SESSION_SETUP (Kerberos,
 * IAKerb through SPNEGO), signing, encryption, TREE_CONNECT, ECHO and LOGOFF so far.
 */
export type { NtlmAttempt, ShareOptions, SmbServerOptions } from './core/options.js';
export { createSmbServer, type SmbServer } from './server.js';
