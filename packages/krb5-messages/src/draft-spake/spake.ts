/**
 * SPAKE pre-authentication (draft-ietf-kitten-krb-spake-preauth §5, pa-type 151): the
 * PA-SPAKE message and its parts. Module tagging is EXPLICIT.
 */
import { choice, explicit, type Infer, octetString, optional, sequenceOf } from '@postntlm/der-asn1';
import { EncryptedData, Int32, krbSequence } from '../rfc4120/basic.js';

/** SPAKE group numbers (draft §11.2 registry). */
export const SpakeGroup = {
  edwards25519: 1,
  P256: 2,
  P384: 3,
  P521: 4,
} as const;

/** SPAKESecondFactor ::= SEQUENCE { type [0] Int32, data [1] OCTET STRING OPTIONAL }, §5. */
export const SpakeSecondFactor = krbSequence('SPAKESecondFactor', {
  type: explicit(0, Int32),
  data: optional(explicit(1, octetString())),
});
export type SpakeSecondFactor = Infer<typeof SpakeSecondFactor>;

/** SPAKESupport ::= SEQUENCE { groups [0] SEQUENCE (SIZE(1..MAX)) OF Int32, ... }, §5.2. */
export const SpakeSupport = krbSequence('SPAKESupport', {
  groups: explicit(0, sequenceOf(Int32, { min: 1 })),
});

/** SPAKEChallenge ::= SEQUENCE { group [0] Int32, pubkey [1] OCTET STRING, factors [2] SEQUENCE (SIZE(1..MAX)) OF SPAKESecondFactor, ... }, §5.3. */
export const SpakeChallenge = krbSequence('SPAKEChallenge', {
  group: explicit(0, Int32),
  pubkey: explicit(1, octetString()),
  factors: explicit(2, sequenceOf(SpakeSecondFactor, { min: 1 })),
});

/** SPAKEResponse ::= SEQUENCE { pubkey [0] OCTET STRING, factor [1] EncryptedData (SPAKESecondFactor), ... }, §5.4. */
export const SpakeResponse = krbSequence('SPAKEResponse', {
  pubkey: explicit(0, octetString()),
  factor: explicit(1, EncryptedData),
});

/**
 * PA-SPAKE ::= CHOICE { support [0] SPAKESupport, challenge [1] SPAKEChallenge,
 *   response [2] SPAKEResponse, encdata [3] EncryptedData, ... }, §5.
 */
export const PaSpake = choice(
  {
    support: explicit(0, SpakeSupport),
    challenge: explicit(1, SpakeChallenge),
    response: explicit(2, SpakeResponse),
    encdata: explicit(3, EncryptedData),
  },
  'PA-SPAKE',
);
export type PaSpake = Infer<typeof PaSpake>;
