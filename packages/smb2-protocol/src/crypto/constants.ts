/**
 * Numeric identifiers of the SMB2 crypto negotiation (MS-SMB2 §2.2.3, §2.2.3.1.1–§2.2.3.1.7):
 * dialect revisions, encryption ciphers, signing algorithms and preauth integrity hashes.
 */

/** Dialect revision numbers (NEGOTIATE Dialects[] / DialectRevision). */
export const Dialect = {
  SMB_2_0_2: 0x0202,
  SMB_2_1: 0x0210,
  SMB_3_0: 0x0300,
  SMB_3_0_2: 0x0302,
  SMB_3_1_1: 0x0311,
  /** The "SMB2 wildcard" revision of a multi-protocol negotiate response (§2.2.4). */
  SMB_2_WILDCARD: 0x02ff,
} as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];

/** Encryption cipher ids (SMB2_ENCRYPTION_CAPABILITIES, §2.2.3.1.2). */
export const CipherId = {
  AES_128_CCM: 0x0001,
  AES_128_GCM: 0x0002,
  AES_256_CCM: 0x0003,
  AES_256_GCM: 0x0004,
} as const;
export type CipherId = (typeof CipherId)[keyof typeof CipherId];

/** Signing algorithm ids (SMB2_SIGNING_CAPABILITIES, §2.2.3.1.7). */
export const SigningAlgorithmId = {
  HMAC_SHA256: 0x0000,
  AES_CMAC: 0x0001,
  AES_GMAC: 0x0002,
} as const;
export type SigningAlgorithmId = (typeof SigningAlgorithmId)[keyof typeof SigningAlgorithmId];

/** Preauth integrity hash ids (SMB2_PREAUTH_INTEGRITY_CAPABILITIES, §2.2.3.1.1). */
export const HashAlgorithmId = {
  SHA_512: 0x0001,
} as const;
export type HashAlgorithmId = (typeof HashAlgorithmId)[keyof typeof HashAlgorithmId];

/** Key length in bytes of each cipher. */
export const cipherKeyLength = (cipher: CipherId): 16 | 32 =>
  cipher === CipherId.AES_256_CCM || cipher === CipherId.AES_256_GCM ? 32 : 16;

/** Nonce length in bytes of each cipher (§2.2.41: 11 for CCM, 12 for GCM; the rest of the field is zero). */
export const cipherNonceLength = (cipher: CipherId): 11 | 12 =>
  cipher === CipherId.AES_128_CCM || cipher === CipherId.AES_256_CCM ? 11 : 12;

/** Whether `n` is one of the cipher ids above. */
export const isCipherId = (n: number): n is CipherId => n >= 1 && n <= 4 && Number.isInteger(n);

/** Whether `n` is one of the signing algorithm ids above. */
export const isSigningAlgorithmId = (n: number): n is SigningAlgorithmId =>
  n >= 0 && n <= 2 && Number.isInteger(n);

/** Signature field of the SMB2 header: bytes 48..63 (§2.2.1). */
export const SIGNATURE_OFFSET = 48;
export const SIGNATURE_LENGTH = 16;
