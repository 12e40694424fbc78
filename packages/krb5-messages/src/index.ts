/**
 * @postntlm/krb5-messages: Kerberos V5 messages (RFC 4120), FAST (RFC 6113) and IAKerb
 * structures, declared once with @postntlm/der-asn1 (decode, encode and TypeScript type
 * from one schema), the protocol's registries, and MIT's keytab and ccache file formats.
 */

export { DecodeError, type DecodeOptions, decode, EncodeError, encode } from '@postntlm/der-asn1';
export * from './ccache/ccache.js';
export * from './ccache/fs.js';
export * from './draft-kerberos-sam/sam2.js';
export * from './draft-spake/spake.js';
export * from './iakerb/header.js';
export * from './keytab/fs.js';
export * from './keytab/keytab.js';
export { decodeMessage, encodeMessage, type KerberosMessage, peekMessageType } from './message.js';
export * from './mit/secure-cookie.js';
export * from './ms-kkdcp/kdc-proxy-message.js';
export * from './ms-sfu/s4u.js';
export * from './principal/principal.js';
export * from './registry/address-type.js';
export * from './registry/auth-data-type.js';
export * from './registry/error-code.js';
export * from './registry/flags.js';
export * from './registry/message-type.js';
export * from './registry/name-type.js';
export * from './registry/padata-type.js';
export * from './rfc4120/ap.js';
export * from './rfc4120/basic.js';
export * from './rfc4120/kdc.js';
export * from './rfc4120/krb-error.js';
export * from './rfc4120/padata.js';
export * from './rfc4120/safe-priv-cred.js';
export * from './rfc4120/ticket.js';
export * from './rfc6113/fast.js';
export * from './rfc6560-otp/otp.js';
export * from './rfc7751-cammac/cammac.js';
