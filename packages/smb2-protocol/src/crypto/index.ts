/**
 * The SMB2 crypto layer: key derivation (MS-SMB2 §3.1.4.2), signing (§3.1.4.1), encryption
 * and the TRANSFORM_HEADER (§3.1.4.3, §2.2.41), and the 3.1.1 preauth integrity hash.
 */
export type { MessageParts } from './bytes.js';
export {
  CipherId,
  cipherKeyLength,
  cipherNonceLength,
  Dialect,
  HashAlgorithmId,
  isCipherId,
  isSigningAlgorithmId,
  SigningAlgorithmId,
} from './constants.js';
export { SmbCryptoError, type SmbCryptoErrorKind } from './errors.js';
export { GcmOffload, type GcmOffloadOptions } from './gcm-offload.js';
export {
  type DeriveSessionKeysOptions,
  deriveKey,
  deriveSessionKeys,
  KdfLabel,
  type SessionKeys,
} from './kdf.js';
export { PREAUTH_HASH_LENGTH, PreauthHash } from './preauth.js';
export {
  computeSignature,
  defaultSigningAlgorithm,
  gmacNonce,
  signMessage,
  verifySignature,
} from './signing.js';
export {
  type DecryptOptions,
  decodeTransform,
  decryptMessage,
  decryptMessagePaced,
  type EncryptOptions,
  encodeTransformHeader,
  encryptMessage,
  encryptMessageParts,
  encryptMessagePartsPaced,
  isTransformFrame,
  type PacingOptions,
  TRANSFORM_FLAG_ENCRYPTED,
  TRANSFORM_HEADER_SIZE,
  TRANSFORM_PROTOCOL_ID,
  type TransformFrame,
  type TransformHeader,
} from './transform.js';
