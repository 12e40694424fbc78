/** MS-KKDCP §2.2.2: the Kerberos KDC Proxy Protocol message carried over HTTPS. */
import { explicit, type Infer, octetString, optional } from '@postntlm/der-asn1';
import { Int32, KerberosString, krbSequence } from '../rfc4120/basic.js';

/**
 * KDC-PROXY-MESSAGE ::= SEQUENCE { kerb-message [0] OCTET STRING, target-domain [1] KERB-REALM OPTIONAL,
 *   dclocator-hint [2] INTEGER OPTIONAL }, MS-KKDCP §2.2.2. On the wire `kerbMessage` is a Kerberos
 * message with its 4-byte TCP length prefix (RFC 4120 §7.2.2); MIT's test vector omits it.
 */
export const KdcProxyMessage = krbSequence('KDC-PROXY-MESSAGE', {
  kerbMessage: explicit(0, octetString()),
  targetDomain: optional(explicit(1, KerberosString)),
  dclocatorHint: optional(explicit(2, Int32)),
});
export type KdcProxyMessage = Infer<typeof KdcProxyMessage>;
