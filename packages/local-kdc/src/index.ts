/**
 * @postntlm/local-kdc: a Local KDC for standalone hosts. A sans-IO KDC engine (AS with
 * PA-ENC-TIMESTAMP pre-authentication, TGS with service tickets and renewal), the
 * principal store interface with an in-memory implementation, a TCP/UDP/Unix-socket
 * listener, and an audit log (one JSON object per request, MIT's audit field names).
 */
export { type FileAuditSink, fileAuditSink, stderrAuditSink } from './audit/sinks.js';
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
export { type KdcListener, type ListenAddress, type ListenOptions, listen } from './listen/listen.js';
export {
  type AddPrincipalOptions,
  DEFAULT_KEY_ENCTYPES,
  MemoryPrincipalStore,
} from './store/memory-store.js';
export {
  currentKeys,
  type PrincipalAttributes,
  type PrincipalEntry,
  type PrincipalKey,
  type PrincipalStore,
  SERVICE_DEFAULTS,
  USER_DEFAULTS,
} from './store/principal-store.js';
