/**
 * @postntlm/smb2-client: an SMB 2.0.2–3.1.1 client for Node with Kerberos and IAKerb (never
 * NTLM). Signing (HMAC-SHA256, AES-CMAC, AES-GMAC) and encryption (AES-128/256-GCM/CCM),
 * multi-credit pipelined reads and writes, compounds, async responses and CANCEL, a promise
 * file API with AbortSignal, and share listing over srvsvc.
 */
export { SmbClient, type SmbClientOptions, type SmbProtection } from './client.js';
export {
  type ConnectionOptions,
  type RequestSpec,
  type SessionSecurity,
  SmbConnection,
  type SmbResponse,
} from './connection/connection.js';
export { type CreditGrant, CreditWindow, DEFAULT_CREDIT_TARGET } from './connection/credits.js';
export {
  ALL_DIALECTS,
  acceptNegotiateResponse,
  buildNegotiateRequest,
  dialectName,
  type Negotiated,
  type NegotiateOptions,
  negotiate,
  OFFERED_CIPHERS,
  OFFERED_SIGNING,
} from './connection/negotiate.js';
export {
  connectTcp,
  socketTransport,
  type TcpOptions,
  type Transport,
  type TransportEvents,
} from './connection/transport.js';
export {
  SmbAuthError,
  SmbConnectionError,
  SmbError,
  SmbIntegrityError,
  SmbProtocolError,
} from './errors.js';
export { RpcPipeClient } from './rpc/pipe.js';
export type { ShareEntry } from './rpc/srvsvc.js';
export type { IakerbPolicy, SmbAuthOptions } from './session/credentials.js';
export { type EstablishedSession, logoff, setupSession } from './session/session-setup.js';
export {
  describeAuthToken,
  type SmbAuthTokenInfo,
  type SmbAuthTraceEvent,
  type SmbAuthTraceListener,
} from './session/trace.js';
export { SmbFileHandle } from './tree/file-handle.js';
export {
  type ChunkReadOptions,
  type ChunkSource,
  type IoOptions,
  runPipelined,
  type WriteFromOptions,
} from './tree/io.js';
export { toSmbPath } from './tree/paths.js';
export type { SmbDirent, SmbStats } from './tree/stats.js';
export type { ReadStreamOptions, WriteStreamOptions } from './tree/streams.js';
export type { TimesToSet } from './tree/times.js';
export { type OpenFlags, SmbTree } from './tree/tree.js';
export type { FileChange, WatchOptions } from './tree/watch.js';
