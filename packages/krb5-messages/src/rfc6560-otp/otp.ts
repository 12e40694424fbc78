/**
 * RFC 6560 (OTP pre-authentication) §4.1-§4.3, module `OTPKerberos` (IMPLICIT TAGS):
 * OTP-TOKENINFO, PA-OTP-CHALLENGE (pa-type 141), PA-OTP-REQUEST (142), PA-OTP-ENC-REQUEST.
 */
import {
  type Infer,
  implicit,
  integer,
  kerberosTime,
  objectIdentifier,
  octetString,
  optional,
  raw,
  sequence,
  sequenceOf,
  utf8String,
} from '@postntlm/der-asn1';
import { EncryptedData, Int32, KerberosFlags, KerberosString, krbSequence } from '../rfc4120/basic.js';

/**
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL },
 * RFC 5280 §4.1.1.2 (not extensible). `parameters` is kept as its DER bytes.
 */
export const AlgorithmIdentifier = sequence(
  { algorithm: objectIdentifier(), parameters: optional(raw(undefined, 'parameters')) },
  { name: 'AlgorithmIdentifier' },
);
export type AlgorithmIdentifier = Infer<typeof AlgorithmIdentifier>;

/** OTPFlags bit positions, RFC 6560 §4.1. */
export const OtpFlagBits = {
  reserved: 0,
  nextOtp: 1,
  combine: 2,
  collectPin: 3,
  doNotCollectPin: 4,
  mustEncryptNonce: 5,
  separatePinRequired: 6,
  checkDigit: 7,
} as const;

/** OTPFormat ::= INTEGER { decimal(0), hexadecimal(1), alphanumeric(2), binary(3), base64(4) }, RFC 6560 §4.1. */
export const OtpFormat = {
  decimal: 0,
  hexadecimal: 1,
  alphanumeric: 2,
  binary: 3,
  base64: 4,
} as const;

/** AnyURI ::= UTF8String (a URI), RFC 6560 §4.1. */
const AnyUri = utf8String();
/** OTPFormat on the wire: any INTEGER that fits an Int32 (unknown formats are kept). */
const OtpFormatValue = integer({ min: -0x80000000, max: 0x7fffffff });

/**
 * OTP-TOKENINFO ::= SEQUENCE { flags [0] OTPFlags, otp-vendor [1] UTF8String OPTIONAL,
 *   otp-challenge [2] OCTET STRING (SIZE(1..MAX)) OPTIONAL, otp-length [3] Int32 OPTIONAL,
 *   otp-format [4] OTPFormat OPTIONAL, otp-tokenID [5] OCTET STRING OPTIONAL, otp-algID [6] AnyURI OPTIONAL,
 *   supportedHashAlg [7] SEQUENCE OF AlgorithmIdentifier OPTIONAL, iterationCount [8] Int32 OPTIONAL, ... }
 */
export const OtpTokenInfo = krbSequence('OTP-TOKENINFO', {
  flags: implicit(0, KerberosFlags),
  otpVendor: optional(implicit(1, utf8String())),
  otpChallenge: optional(implicit(2, octetString({ min: 1 }))),
  otpLength: optional(implicit(3, Int32)),
  otpFormat: optional(implicit(4, OtpFormatValue)),
  otpTokenId: optional(implicit(5, octetString())),
  otpAlgId: optional(implicit(6, AnyUri)),
  supportedHashAlg: optional(implicit(7, sequenceOf(AlgorithmIdentifier))),
  iterationCount: optional(implicit(8, Int32)),
});
export type OtpTokenInfo = Infer<typeof OtpTokenInfo>;

/**
 * PA-OTP-CHALLENGE ::= SEQUENCE { nonce [0] OCTET STRING, otp-service [1] UTF8String OPTIONAL,
 *   otp-tokenInfo [2] SEQUENCE (SIZE(1..MAX)) OF OTP-TOKENINFO, salt [3] KerberosString OPTIONAL,
 *   s2kparams [4] OCTET STRING OPTIONAL, ... }, RFC 6560 §4.1.
 */
export const PaOtpChallenge = krbSequence('PA-OTP-CHALLENGE', {
  nonce: implicit(0, octetString()),
  otpService: optional(implicit(1, utf8String())),
  otpTokenInfo: implicit(2, sequenceOf(OtpTokenInfo, { min: 1 })),
  salt: optional(implicit(3, KerberosString)),
  s2kparams: optional(implicit(4, octetString())),
});
export type PaOtpChallenge = Infer<typeof PaOtpChallenge>;

/**
 * PA-OTP-REQUEST ::= SEQUENCE { flags [0] OTPFlags, nonce [1] OCTET STRING OPTIONAL, encData [2] EncryptedData,
 *   hashAlg [3] AlgorithmIdentifier OPTIONAL, iterationCount [4] Int32 OPTIONAL, otp-value [5] OCTET STRING OPTIONAL,
 *   otp-pin [6] UTF8String OPTIONAL, otp-challenge [7] OCTET STRING (SIZE(1..MAX)) OPTIONAL,
 *   otp-time [8] KerberosTime OPTIONAL, otp-counter [9] OCTET STRING OPTIONAL, otp-format [10] OTPFormat OPTIONAL,
 *   otp-tokenID [11] OCTET STRING OPTIONAL, otp-algID [12] AnyURI OPTIONAL, otp-vendor [13] UTF8String OPTIONAL, ... },
 * RFC 6560 §4.2. `encData` holds a PA-OTP-ENC-REQUEST (or PA-ENC-TS-ENC), key usage 45.
 */
export const PaOtpRequest = krbSequence('PA-OTP-REQUEST', {
  flags: implicit(0, KerberosFlags),
  nonce: optional(implicit(1, octetString())),
  encData: implicit(2, EncryptedData),
  hashAlg: optional(implicit(3, AlgorithmIdentifier)),
  iterationCount: optional(implicit(4, Int32)),
  otpValue: optional(implicit(5, octetString())),
  otpPin: optional(implicit(6, utf8String())),
  otpChallenge: optional(implicit(7, octetString({ min: 1 }))),
  otpTime: optional(implicit(8, kerberosTime())),
  otpCounter: optional(implicit(9, octetString())),
  otpFormat: optional(implicit(10, OtpFormatValue)),
  otpTokenId: optional(implicit(11, octetString())),
  otpAlgId: optional(implicit(12, AnyUri)),
  otpVendor: optional(implicit(13, utf8String())),
});
export type PaOtpRequest = Infer<typeof PaOtpRequest>;

/** PA-OTP-ENC-REQUEST ::= SEQUENCE { nonce [0] OCTET STRING, ... }, RFC 6560 §4.2. */
export const PaOtpEncRequest = krbSequence('PA-OTP-ENC-REQUEST', {
  nonce: implicit(0, octetString()),
});
export type PaOtpEncRequest = Infer<typeof PaOtpEncRequest>;
