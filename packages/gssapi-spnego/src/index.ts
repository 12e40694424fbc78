/**
 * @postntlm/gssapi-spnego: GSS-API token framing (RFC 2743 §3.1) and the Kerberos 5 GSS
 * mechanism (RFC 4121) as sans-IO initiator and acceptor contexts, with MIC and Wrap tokens.
 */
export * from './errors.js';
export * from './gss-sample/framing.js';
export * from './rfc2743/framing.js';
export { DEFAULT_MAX_SKEW_MS, Krb5Acceptor, type Krb5AcceptorOptions } from './rfc4121/acceptor.js';
export * from './rfc4121/checksum.js';
export type { ContextStep } from './rfc4121/common.js';
export * from './rfc4121/context-token.js';
export * from './rfc4121/delegation.js';
export { DEFAULT_INITIATOR_FLAGS, Krb5Initiator, type Krb5InitiatorOptions } from './rfc4121/initiator.js';
export * from './rfc4121/per-message.js';
export * from './rfc4121/replay-cache.js';
export * from './rfc4121/security-context.js';
export * from './rfc4121/sequence.js';
export { krb5Mechanism, type MechanismContext, type SpnegoMechanism } from './rfc4178/mechanism.js';
export * from './rfc4178/mechanism-names.js';
export * from './rfc4178/negotiation-token.js';
export * from './rfc4178/spnego.js';
