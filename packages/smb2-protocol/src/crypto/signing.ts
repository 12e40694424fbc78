/**
 * SMB2 message signing (MS-SMB2 §3.1.4.1): the signature of one message (one element of a
 * compound, with its padding up to NextCommand) is computed over the message bytes with the
 * 16-byte Signature field (header bytes 48..63) taken as zeros:
 *
 * - HMAC-SHA256 (2.0.2, 2.1; signing algorithm 0): the first 16 bytes of HMAC-SHA256(key, msg);
 * - AES-128-CMAC (3.0, 3.0.2, and 3.1.1 by default; algorithm 1);
 * - AES-128-GMAC (3.1.1 with SMB2_SIGNING_CAPABILITIES; algorithm 2): the tag of AES-128-GCM
 *   with no plaintext and the message as AAD, nonce = MessageId (8 bytes LE) || a 4-byte LE
 *   word whose bit 0 is 1 for a response (SMB2_FLAGS_SERVER_TO_REDIR set) and bit 1 is 1
 *   for an SMB2 CANCEL request; the other bits are zero.
 *
 * A message may be given whole or as parts (`[header, body, payload]`); the first part must
 * hold the whole 64-byte header. Inputs are never copied on the node backend (see
 * native.ts) and never modified, except by `signMessage`, which writes the SIGNED flag and
 * the signature into the header. Verification compares in constant time.
 */
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import { constantTimeEqual, joinParts, type MessageParts, partsOf, totalLength } from './bytes.js';
import { aesCmacParts } from './cmac.js';
import { Dialect, SIGNATURE_LENGTH, SIGNATURE_OFFSET, SigningAlgorithmId } from './constants.js';
import { SmbCryptoError, wrapCrypto } from './errors.js';
import { nativeCrypto } from './native.js';

const HEADER_SIZE = 64;
const FLAGS_OFFSET = 16;
const COMMAND_OFFSET = 12;
const MESSAGE_ID_OFFSET = 24;
const SERVER_TO_REDIR = 0x1;
const SIGNED = 0x8;
const CANCEL = 0x000c;
const ZERO_SIGNATURE = new Uint8Array(SIGNATURE_LENGTH);

/**
 * Below these sizes the portable path (one joined copy, then the backend's one-shot call) is
 * faster on node than a fresh node:crypto object: the node backend runs short HMACs in JS
 * from cached pad states.
 */
const NATIVE_HMAC_MIN = 1024;
const NATIVE_CMAC_MIN = 4096;

/** The signing algorithm a dialect uses when SMB2_SIGNING_CAPABILITIES did not choose one (§3.1.4.1). */
export function defaultSigningAlgorithm(dialect: number): SigningAlgorithmId {
  return dialect === Dialect.SMB_2_0_2 || dialect === Dialect.SMB_2_1
    ? SigningAlgorithmId.HMAC_SHA256
    : SigningAlgorithmId.AES_CMAC;
}

/** The AES-GMAC signing nonce of a message (12 bytes, §3.1.4.1); `header` is the 64-byte SMB2 header. */
export function gmacNonce(header: Uint8Array): Uint8Array {
  if (header.length < HEADER_SIZE)
    throw new SmbCryptoError('invalid-argument', 'the SMB2 header is shorter than 64 bytes');
  const nonce = new Uint8Array(12);
  nonce.set(header.subarray(MESSAGE_ID_OFFSET, MESSAGE_ID_OFFSET + 8), 0);
  const flags = header[FLAGS_OFFSET]!; // SERVER_TO_REDIR is bit 0 of the first flags byte
  const command = header[COMMAND_OFFSET]! | (header[COMMAND_OFFSET + 1]! << 8);
  nonce[8] = (flags & SERVER_TO_REDIR ? 1 : 0) | (command === CANCEL ? 2 : 0);
  return nonce;
}

/** The message as parts with the Signature field replaced by zeros (views, no copy). */
function zeroedParts(parts: readonly Uint8Array[]): Uint8Array[] {
  const header = parts[0];
  if (header === undefined || !(header instanceof Uint8Array) || header.length < HEADER_SIZE) {
    throw new SmbCryptoError('invalid-argument', 'the first part must hold the whole 64-byte SMB2 header');
  }
  const out = [header.subarray(0, SIGNATURE_OFFSET), ZERO_SIGNATURE];
  if (header.length > HEADER_SIZE) out.push(header.subarray(HEADER_SIZE));
  for (let i = 1; i < parts.length; i++) if (parts[i]!.length > 0) out.push(parts[i]!);
  return out;
}

function checkSigningKey(key: Uint8Array, algorithm: number): void {
  if (!(key instanceof Uint8Array))
    throw new SmbCryptoError('invalid-argument', 'signing key must be a Uint8Array');
  if (algorithm === SigningAlgorithmId.HMAC_SHA256) {
    if (key.length === 0) throw new SmbCryptoError('invalid-argument', 'signing key is empty');
  } else if (key.length !== 16) {
    throw new SmbCryptoError('invalid-argument', `AES signing keys are 16 bytes, got ${key.length}`);
  }
}

/**
 * The 16-byte signature of one SMB2 message under `key` with signing algorithm `algorithm`
 * (SigningAlgorithmId). The Signature field's current content is ignored.
 */
export function computeSignature(
  message: MessageParts,
  key: Uint8Array,
  algorithm: SigningAlgorithmId,
): Uint8Array {
  checkSigningKey(key, algorithm);
  const parts = zeroedParts(partsOf(message));
  const n = totalLength(parts);
  const native = nativeCrypto();
  const backend = getBackend();
  switch (algorithm) {
    case SigningAlgorithmId.HMAC_SHA256:
      return wrapCrypto('HMAC-SHA256 signing', () => {
        if (native !== undefined && n >= NATIVE_HMAC_MIN) {
          const h = native.createHmac('sha256', key);
          for (const p of parts) h.update(p);
          const d = h.digest();
          return new Uint8Array(d.buffer, d.byteOffset, 16).slice();
        }
        return backend.hmac('sha256', key, joinParts(parts)).slice(0, 16);
      });
    case SigningAlgorithmId.AES_CMAC:
      return wrapCrypto('AES-CMAC signing', () =>
        native !== undefined && n < NATIVE_CMAC_MIN
          ? backend.aesCmac(key, joinParts(parts))
          : aesCmacParts(key, parts, native),
      );
    case SigningAlgorithmId.AES_GMAC: {
      const nonce = gmacNonce(partsOf(message)[0]!);
      return wrapCrypto('AES-GMAC signing', () => {
        if (native !== undefined) {
          const cipher = native.createCipheriv('aes-128-gcm', key, nonce, { authTagLength: 16 });
          for (const p of parts) cipher.setAAD(p);
          cipher.final();
          const tag = cipher.getAuthTag();
          return new Uint8Array(tag.buffer, tag.byteOffset, tag.byteLength);
        }
        return backend.aesGcmSeal(key, nonce, new Uint8Array(0), joinParts(parts)).tag;
      });
    }
    default:
      throw new SmbCryptoError('unsupported', `unknown signing algorithm ${String(algorithm)}`);
  }
}

/**
 * Signs an outgoing message in place: sets SMB2_FLAGS_SIGNED in the header (first part),
 * computes the signature and writes it into header bytes 48..63. Returns the signature.
 */
export function signMessage(
  message: MessageParts,
  key: Uint8Array,
  algorithm: SigningAlgorithmId,
): Uint8Array {
  const header = partsOf(message)[0];
  if (!(header instanceof Uint8Array) || header.length < HEADER_SIZE) {
    throw new SmbCryptoError('invalid-argument', 'the first part must hold the whole 64-byte SMB2 header');
  }
  header[FLAGS_OFFSET]! |= SIGNED;
  const signature = computeSignature(message, key, algorithm);
  header.set(signature, SIGNATURE_OFFSET);
  return signature;
}

/**
 * Whether the Signature field of a received message is right (constant-time comparison).
 * Bad keys or arguments throw SmbCryptoError; a wrong signature returns false.
 */
export function verifySignature(
  message: MessageParts,
  key: Uint8Array,
  algorithm: SigningAlgorithmId,
): boolean {
  const expected = computeSignature(message, key, algorithm);
  const header = partsOf(message)[0]!;
  return constantTimeEqual(expected, header.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_LENGTH));
}
