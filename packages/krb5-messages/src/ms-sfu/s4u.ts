/** MS-SFU §2.2.1-§2.2.2: the S4U2Self pre-authentication data PA-FOR-USER and PA-S4U-X509-USER. */
import { explicit, type Infer, octetString, optional } from '@postntlm/der-asn1';
import {
  Checksum,
  KerberosFlags,
  KerberosString,
  krbSequence,
  PrincipalName,
  Realm,
  UInt32,
} from '../rfc4120/basic.js';

/**
 * PA-FOR-USER ::= SEQUENCE { userName [0] PrincipalName, userRealm [1] Realm, cksum [2] Checksum,
 *   auth-package [3] KerberosString }, MS-SFU §2.2.1 (padata-type 129; auth-package is "Kerberos").
 */
export const PaForUser = krbSequence('PA-FOR-USER', {
  userName: explicit(0, PrincipalName),
  userRealm: explicit(1, Realm),
  cksum: explicit(2, Checksum),
  authPackage: explicit(3, KerberosString),
});
export type PaForUser = Infer<typeof PaForUser>;

/** S4UUserID options bits, MS-SFU §2.2.2 (CHECK_LOGON_HOURS 0x40000000, USE_REPLY_KEY_USAGE 0x20000000). */
export const S4uOptionBits = {
  reserved: 0,
  checkLogonHour: 1,
  useReplyKeyUsage: 2,
} as const;

/**
 * S4UUserID ::= SEQUENCE { nonce [0] UInt32, cname [1] PrincipalName OPTIONAL, crealm [2] Realm,
 *   subject-certificate [3] OCTET STRING OPTIONAL, options [4] BIT STRING OPTIONAL, ... }, MS-SFU §2.2.2.
 */
export const S4uUserId = krbSequence('S4UUserID', {
  nonce: explicit(0, UInt32),
  cname: optional(explicit(1, PrincipalName)),
  crealm: explicit(2, Realm),
  subjectCertificate: optional(explicit(3, octetString())),
  options: optional(explicit(4, KerberosFlags)),
});
export type S4uUserId = Infer<typeof S4uUserId>;

/** PA-S4U-X509-USER ::= SEQUENCE { user-id [0] S4UUserID, checksum [1] Checksum }, MS-SFU §2.2.2 (padata-type 130). */
export const PaS4uX509User = krbSequence('PA-S4U-X509-USER', {
  userId: explicit(0, S4uUserId),
  checksum: explicit(1, Checksum),
});
export type PaS4uX509User = Infer<typeof PaS4uX509User>;
