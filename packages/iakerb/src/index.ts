/**
 * @postntlm/iakerb: IAKerb (draft-ietf-kitten-iakerb-03) for TypeScript. A client with no
 * line of sight to a KDC authenticates with Kerberos through the server it talks to: the
 * initiator wraps its AS and TGS exchanges in GSS tokens, the acceptor proxies them to a
 * KDC it can reach, and FINISHED binds the proxied exchange to the resulting context. Three
 * dialects: the draft (MIT ≥ 1.22, default), Windows 11 / Server 2025, and MIT ≤ 1.21.
 */
export { IakerbAcceptor, type IakerbAcceptorOptions } from './acceptor.js';
export {
  DEFAULT_MAX_TOKEN_BYTES,
  IAKERB_OID,
  IakerbErrorCode,
  MAX_PROXY_MESSAGES,
  TOKEN_ID_PROXY,
} from './constants.js';
export { DIALECTS, type DialectProfile, type IakerbDialect, WINDOWS_HEADER_FLAGS } from './dialect.js';
export { IakerbError, type IakerbFailureCode } from './errors.js';
export {
  type IakerbEvent,
  type IakerbEventListener,
  type IakerbMessageType,
  kerberosMessageType,
  krbErrorCodeOf,
} from './events.js';
export { checkFinished, finishedChecksum, finishedExtension, Transcript } from './finished.js';
export { IakerbInitiator, type IakerbInitiatorOptions } from './initiator.js';
export {
  engineTransport,
  type KdcEngine,
  type KdcSendOptions,
  type KdcTransport,
  type NetworkTransportOptions,
  networkTransport,
} from './kdc-transport.js';
export {
  chooseIakerbUse,
  createSpnegoAcceptor,
  createSpnegoInitiator,
  IAKERB_SPNEGO_MECHS,
  type IakerbProxyOptions,
  type IakerbSpnegoAcceptorOptions,
  type IakerbSpnegoInitiatorOptions,
  type IakerbUse,
  iakerbHintToken,
  iakerbMechanism,
} from './spnego.js';
export { decodeProxyToken, encodeProxyToken, type ProxyToken, peekToken, type TokenKind } from './token.js';
