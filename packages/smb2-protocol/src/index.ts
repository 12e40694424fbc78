/**
 * @postntlm/smb2-protocol: SMB 2.0.2–3.1.1 for TypeScript, sans-IO and shared by client and
 * server. The SMB2 header, Direct TCP framing and compounds; every command's request and
 * response codec with negotiate and create contexts, FSCTLs, the file, directory and
 * file-system information classes and a minimal security descriptor; NTSTATUS and the flag
 * sets; SP800-108 key derivation, signing (HMAC-SHA256, AES-CMAC, AES-GMAC), encryption
 * (AES-128/256-CCM/GCM transform header) and the 3.1.1 preauth integrity hash.
 */
export type { BodyCodec, DecodeOptions } from './codec.js';
export * from './commands/cancel.js';
export * from './commands/change-notify.js';
export * from './commands/close.js';
export * from './commands/create.js';
export * from './commands/create-contexts.js';
export {
  type EchoRequest,
  type EchoResponse,
  type EmptyBody,
  echoRequest,
  echoResponse,
} from './commands/echo.js';
export * from './commands/error-response.js';
export * from './commands/flush.js';
export * from './commands/fsctl.js';
export * from './commands/ioctl.js';
export * from './commands/lock.js';
export * from './commands/logoff.js';
export * from './commands/negotiate.js';
export * from './commands/negotiate-contexts.js';
export * from './commands/oplock-break.js';
export {
  QueryDirectoryFlags,
  type QueryDirectoryRequest,
  type QueryDirectoryResponse,
  queryDirectoryRequest,
  queryDirectoryResponse,
} from './commands/query-directory.js';
export * from './commands/query-info.js';
export * from './commands/read.js';
export * from './commands/session-setup.js';
export * from './commands/set-info.js';
export * from './commands/tree-connect.js';
export * from './commands/tree-disconnect.js';
export * from './commands/write.js';
export { joinCompound, type MessageSpan, splitCompound } from './compound.js';
export {
  CipherId,
  cipherKeyLength,
  cipherNonceLength,
  computeSignature,
  type DecryptOptions,
  type DeriveSessionKeysOptions,
  decodeTransform,
  decryptMessage,
  decryptMessagePaced,
  defaultSigningAlgorithm,
  deriveKey,
  deriveSessionKeys,
  type EncryptOptions,
  encodeTransformHeader,
  encryptMessage,
  encryptMessageParts,
  encryptMessagePartsPaced,
  GcmOffload,
  type GcmOffloadOptions,
  gmacNonce,
  HashAlgorithmId,
  isCipherId,
  isSigningAlgorithmId,
  isTransformFrame,
  KdfLabel,
  type MessageParts,
  type PacingOptions,
  PREAUTH_HASH_LENGTH,
  PreauthHash,
  type SessionKeys,
  SigningAlgorithmId,
  SmbCryptoError,
  type SmbCryptoErrorKind,
  signMessage,
  TRANSFORM_FLAG_ENCRYPTED,
  TRANSFORM_HEADER_SIZE,
  TRANSFORM_PROTOCOL_ID,
  type TransformFrame,
  type TransformHeader,
  verifySignature,
} from './crypto/index.js';
export * from './flags.js';
export { FramePool } from './frame-pool.js';
export { DirectTcpFrameReader } from './frame-reader.js';
export {
  DirectTcpFramer,
  type DirectTcpFramerOptions,
  directTcpHeader,
  frameDirectTcp,
  MAX_DIRECT_TCP_FRAME,
} from './framing.js';
export {
  Command,
  commandName,
  HEADER_SIZE,
  HeaderFlags,
  isAsync,
  isResponse,
  PROTOCOL_ID,
  readHeader,
  type Smb2Header,
  writeHeader,
} from './header.js';
export * from './info/dir-info.js';
export * from './info/file-info.js';
export * from './info/filetime.js';
export * from './info/fs-info.js';
export * from './info/security-descriptor.js';
export { bodyCodec, type DecodedMessage, decodeFrame, decodeMessage, encodeMessage } from './message.js';
export * from './rpc/index.js';
export * from './status.js';
export { SmbDecodeError, SmbEncodeError } from './wire/errors.js';
export { Reader, utf16 } from './wire/reader.js';
export { utf16le, Writer } from './wire/writer.js';
