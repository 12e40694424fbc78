/**
 * AES-GCM of big transform messages (MS-SMB2 §3.1.4.3) in slices, with the event loop run
 * between them.
 *
 * Encrypting an 8 MiB READ response takes 6-12 ms of the one JavaScript thread. Done in one
 * go, the socket cannot send the previous response meanwhile (Node pushes queued bytes to the
 * kernel only from the event loop) and cannot read the next request, so file read, encryption,
 * sending and the client's decryption run one after another. In 1 MiB slices with a turn of the
 * event loop between them, the bytes already encrypted keep flowing while the next are made.
 *
 * The bytes are those of smb2-protocol's encryptMessageParts / decryptMessage (same header,
 * same AAD, a fresh random 12-byte nonce); CCM and small messages go through those directly.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import {
  CipherId,
  decodeTransform,
  decryptMessage,
  encodeTransformHeader,
  encryptMessageParts,
  SmbCryptoError,
  TRANSFORM_FLAG_ENCRYPTED,
  TRANSFORM_HEADER_SIZE,
} from '@postntlm/smb2-protocol';

/** One slice: ~0.7-1.5 ms of AES-GCM, short enough not to hold the socket up. */
export const GCM_SLICE = 1 << 20;
const SIGNATURE_OFFSET = 4;
const NONCE_OFFSET = 20;
const GCM_NONCE_LENGTH = 12;

const isGcm = (cipher: CipherId): boolean =>
  cipher === CipherId.AES_128_GCM || cipher === CipherId.AES_256_GCM;

/** A turn of the event loop (pending socket reads and writes run). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function gcmName(key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' {
  if (key.length === 16) return 'aes-128-gcm';
  if (key.length === 32) return 'aes-256-gcm';
  throw new SmbCryptoError('invalid-argument', `AES-GCM needs a 16- or 32-byte key, got ${key.length}`);
}

export interface SlicedEncryptOptions {
  readonly cipher: CipherId;
  readonly key: Uint8Array;
  readonly sessionId: bigint;
  /** The SMB2 message (or compound); never modified. */
  readonly message: Uint8Array;
}

/** `[TRANSFORM_HEADER, ...ciphertext]` of `message`, for a vectored write. */
export async function encryptMessagePartsSliced(options: SlicedEncryptOptions): Promise<Uint8Array[]> {
  const { cipher, key, sessionId, message } = options;
  if (!isGcm(cipher) || message.length <= GCM_SLICE) return encryptMessageParts(options);
  const nonceField = new Uint8Array(16);
  randomFillSync(nonceField, 0, GCM_NONCE_LENGTH);
  const header = encodeTransformHeader({
    signature: new Uint8Array(16),
    nonce: nonceField,
    originalMessageSize: message.length,
    flags: TRANSFORM_FLAG_ENCRYPTED,
    sessionId,
  });
  const c = createCipheriv(gcmName(key), key, nonceField.subarray(0, GCM_NONCE_LENGTH), {
    authTagLength: 16,
  });
  c.setAAD(header.subarray(NONCE_OFFSET));
  const out: Uint8Array[] = [header];
  for (let at = 0; at < message.length; at += GCM_SLICE) {
    if (at > 0) await turn();
    const piece = c.update(message.subarray(at, Math.min(message.length, at + GCM_SLICE)));
    out.push(new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength));
  }
  c.final();
  header.set(c.getAuthTag(), SIGNATURE_OFFSET);
  return out;
}

/**
 * The plaintext of a transform frame, into `allocate(n)` memory. A malformed frame throws
 * SmbDecodeError; a tag that does not verify, SmbCryptoError `integrity` (the plaintext is
 * zeroed, never returned).
 */
export async function decryptMessageSliced(
  frame: Uint8Array,
  key: Uint8Array,
  cipher: CipherId,
  allocate: (n: number) => Uint8Array,
): Promise<Uint8Array> {
  if (!isGcm(cipher) || frame.length <= TRANSFORM_HEADER_SIZE + GCM_SLICE)
    return decryptMessage(frame, key, cipher, { allocate });
  const { ciphertext } = decodeTransform(frame);
  const d = createDecipheriv(
    gcmName(key),
    key,
    frame.subarray(NONCE_OFFSET, NONCE_OFFSET + GCM_NONCE_LENGTH),
    { authTagLength: 16 },
  );
  d.setAuthTag(frame.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16));
  d.setAAD(frame.subarray(NONCE_OFFSET, TRANSFORM_HEADER_SIZE));
  const out = allocate(ciphertext.length);
  if (out.length !== ciphertext.length)
    throw new SmbCryptoError(
      'invalid-argument',
      `allocate(${ciphertext.length}) returned ${out.length} bytes`,
    );
  for (let at = 0; at < ciphertext.length; at += GCM_SLICE) {
    if (at > 0) await turn();
    out.set(d.update(ciphertext.subarray(at, Math.min(ciphertext.length, at + GCM_SLICE))), at);
  }
  try {
    d.final(); // verifies the tag
  } catch {
    out.fill(0);
    throw new SmbCryptoError('integrity', 'AES-GCM tag mismatch');
  }
  return out;
}
