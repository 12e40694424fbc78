/**
 * Single-use Authentication Mechanism, version 2 (draft-ietf-krb-wg-kerberos-sam-03 §3-§4),
 * as MIT implements it (`src/lib/krb5/asn.1/asn1_k_encode.c`, pa-types 30 and 31). The
 * draft's UTF8String fields are OCTET STRINGs on MIT's wire, so they are bytes here.
 */
import {
  explicit,
  type Infer,
  octetString,
  optional,
  raw,
  sequenceOf,
  TagClass,
  tagId,
} from '@postntlm/der-asn1';
import { Checksum, EncryptedData, Int32, KerberosFlags, krbSequence } from '../rfc4120/basic.js';

/** SAMFlags bit positions (draft §3.1: use-sad-as-key(0), send-encrypted-sad(1), must-pk-encrypt-sad(2)). */
export const SamFlagBits = {
  useSadAsKey: 0,
  sendEncryptedSad: 1,
  mustPkEncryptSad: 2,
} as const;

/**
 * PA-SAM-CHALLENGE-2-BODY ::= SEQUENCE {
 *   sam-type [0] Int32, sam-flags [1] SAMFlags, sam-type-name [2] OPTIONAL, sam-track-id [3] OPTIONAL,
 *   sam-challenge-label [4] OPTIONAL, sam-challenge [5] OPTIONAL, sam-response-prompt [6] OPTIONAL,
 *   sam-pk-for-sad [7] OPTIONAL, sam-nonce [8] Int32, sam-etype [9] Int32, ... }
 */
export const SamChallenge2Body = krbSequence('PA-SAM-CHALLENGE-2-BODY', {
  samType: explicit(0, Int32),
  samFlags: explicit(1, KerberosFlags),
  samTypeName: optional(explicit(2, octetString())),
  samTrackId: optional(explicit(3, octetString())),
  samChallengeLabel: optional(explicit(4, octetString())),
  samChallenge: optional(explicit(5, octetString())),
  samResponsePrompt: optional(explicit(6, octetString())),
  samPkForSad: optional(explicit(7, octetString())),
  samNonce: explicit(8, Int32),
  samEtype: explicit(9, Int32),
});
export type SamChallenge2Body = Infer<typeof SamChallenge2Body>;

/**
 * PA-SAM-CHALLENGE-2 ::= SEQUENCE { sam-body [0] PA-SAM-CHALLENGE-2-BODY, sam-cksum [1] SEQUENCE (1..MAX) OF Checksum, ... }.
 * `samBody` is kept as its DER bytes (the checksums cover them exactly); decode it with
 * `SamChallenge2Body`.
 */
export const SamChallenge2 = krbSequence('PA-SAM-CHALLENGE-2', {
  samBody: explicit(0, raw([tagId(TagClass.universal, 16)], 'PA-SAM-CHALLENGE-2-BODY')),
  samCksum: explicit(1, sequenceOf(Checksum, { min: 1 })),
});
export type SamChallenge2 = Infer<typeof SamChallenge2>;

/**
 * PA-SAM-RESPONSE-2 ::= SEQUENCE { sam-type [0] Int32, sam-flags [1] SAMFlags, sam-track-id [2] OPTIONAL,
 *   sam-enc-nonce-or-sad [3] EncryptedData (PA-ENC-SAM-RESPONSE-ENC-2), sam-nonce [4] Int32, ... }
 */
export const SamResponse2 = krbSequence('PA-SAM-RESPONSE-2', {
  samType: explicit(0, Int32),
  samFlags: explicit(1, KerberosFlags),
  samTrackId: optional(explicit(2, octetString())),
  samEncNonceOrSad: explicit(3, EncryptedData),
  samNonce: explicit(4, Int32),
});
export type SamResponse2 = Infer<typeof SamResponse2>;

/** PA-ENC-SAM-RESPONSE-ENC-2 ::= SEQUENCE { sam-nonce [0] Int32, sam-sad [1] OPTIONAL, ... }. */
export const EncSamResponseEnc2 = krbSequence('PA-ENC-SAM-RESPONSE-ENC-2', {
  samNonce: explicit(0, Int32),
  samSad: optional(explicit(1, octetString())),
});
export type EncSamResponseEnc2 = Infer<typeof EncSamResponseEnc2>;
