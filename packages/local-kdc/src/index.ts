/**
 * @postntlm/local-kdc: a Local KDC for standalone hosts. A sans-IO KDC engine (AS with
 * PA-ENC-TIMESTAMP pre-authentication, TGS with service tickets and renewal), the
 * principal store interface with a persistent LMDB database (keys sealed under a master
 * key) and an in-memory implementation, a TCP/UDP/Unix-socket
 * listener, and an audit log (one JSON object per request, MIT's audit field names).
 */

export { type Krb5ConfOptions, krb5Conf } from './admin/krb5-conf.js';
export {
  formatListenAddress,
  ListenAddressError,
  type ListenSpec,
  parseListenAddress,
} from './admin/listen-address.js';
export {
  type RuntimeInfo,
  readConfig,
  readRuntime,
  removeRuntime,
  type SetupOptions,
  type SetupResult,
  type StateConfig,
  setupState,
  statePaths,
  writeConfig,
  writeRuntime,
} from './admin/state.js';
export { type FileAuditSink, fileAuditSink, stderrAuditSink } from './audit/sinks.js';
export { type CliIo, defaultStateDir, processIo } from './cli/io.js';
// The `lkdc` command as a function, for programs that embed its administration (postntlm-smbd).
export { main as runLkdc } from './cli/main.js';
export type {
  AuditAddress,
  AuditEvent,
  AuditPrincipal,
  AuditSink,
  AuditTicket,
} from './kdc/audit.js';
export { createKdc, type Kdc, type KdcOptions, type KdcTransport, type RequestInfo } from './kdc/kdc.js';
export { DEFAULT_POLICY, ENCTYPE_STRENGTH, type KdcPolicy } from './kdc/policy.js';
export { generateRealm } from './kdc/realm.js';
export {
  SystemdActivationError,
  type SystemdActivationErrorCode,
} from './listen/errors.js';
export { DEFAULT_LISTEN_LIMITS, type ListenLimits, type RateLimit } from './listen/limits.js';
export { type ListenAddress, type ListenOptions, listen } from './listen/listen.js';
export type {
  KdcListener,
  ListenerCloseReason,
  ListenerEndpoint,
} from './listen/listener.js';
export type { ServeOptions } from './listen/serve.js';
export type { DropReason, ListenerStats } from './listen/stats.js';
export { listenFromSystemd, type SystemdListenOptions } from './listen/systemd.js';
export {
  SD_LISTEN_FDS_START,
  type SystemdEnvOptions,
  type SystemdFd,
  systemdListenFds,
} from './listen/systemd-env.js';
export * from './pac/index.js';
export { DEFAULT_KEY_ENCTYPES, type KeySource } from './store/derive-keys.js';
export { DatabaseError, type DatabaseErrorCode } from './store/errors.js';
export {
  type CreateDatabaseOptions,
  databasePaths,
  KdcDatabase,
  type ModifyPrincipalOptions,
  type NewPrincipalOptions,
  type OpenDatabaseOptions,
  type PrincipalInfo,
  type PrincipalSettings,
} from './store/kdc-database.js';
export { type AddPrincipalOptions, MemoryPrincipalStore } from './store/memory-store.js';
export {
  currentKeys,
  type PrincipalAttributes,
  type PrincipalEntry,
  type PrincipalKey,
  type PrincipalStore,
  SERVICE_DEFAULTS,
  USER_DEFAULTS,
} from './store/principal-store.js';
export { DEFAULT_LOCKOUT, type LockoutPolicy } from './store/records.js';
