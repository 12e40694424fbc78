/** RFC 7751 §3-§4: the Kerberos Authorization Data Container Authenticated by Multiple MACs (ad-type 96). */
import { choice, explicit, type Infer, optional, sequenceOf } from '@postntlm/der-asn1';
import { AuthorizationData, Checksum, Int32, krbSequence, PrincipalName, UInt32 } from '../rfc4120/basic.js';

/**
 * Verifier-MAC ::= SEQUENCE { identifier [0] PrincipalName OPTIONAL, kvno [1] UInt32 OPTIONAL,
 *   enctype [2] Int32 OPTIONAL, mac [3] Checksum }, RFC 7751 §4.
 */
export const VerifierMac = krbSequence('Verifier-MAC', {
  identifier: optional(explicit(0, PrincipalName)),
  kvno: optional(explicit(1, UInt32)),
  enctype: optional(explicit(2, Int32)),
  mac: explicit(3, Checksum),
});
export type VerifierMac = Infer<typeof VerifierMac>;

/** Verifier ::= CHOICE { mac Verifier-MAC, ... }, RFC 7751 §4. */
export const Verifier = choice({ mac: VerifierMac }, 'Verifier');
export type Verifier = Infer<typeof Verifier>;

/**
 * AD-CAMMAC ::= SEQUENCE { elements [0] AuthorizationData, kdc-verifier [1] Verifier-MAC OPTIONAL,
 *   svc-verifier [2] Verifier-MAC OPTIONAL, other-verifiers [3] SEQUENCE (SIZE (1..MAX)) OF Verifier OPTIONAL },
 * RFC 7751 §4.
 */
export const AdCammac = krbSequence('AD-CAMMAC', {
  elements: explicit(0, AuthorizationData),
  kdcVerifier: optional(explicit(1, VerifierMac)),
  svcVerifier: optional(explicit(2, VerifierMac)),
  otherVerifiers: optional(explicit(3, sequenceOf(Verifier, { min: 1 }))),
});
export type AdCammac = Infer<typeof AdCammac>;
