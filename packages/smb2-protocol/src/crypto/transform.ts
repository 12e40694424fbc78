/**
 * SMB2 TRANSFORM_HEADER (MS-SMB2 §2.2.41) and message encryption (§3.1.4.3):
 *
 *   0  ProtocolId           0xFD 'S' 'M' 'B'
 *   4  Signature (16)       the AEAD tag
 *   20 Nonce (16)           11 bytes (CCM) or 12 bytes (GCM), the rest zero
 *   36 OriginalMessageSize  length of the encrypted SMB2 message (or compound)
 *   40 Reserved (2)
 *   42 Flags (3.1.1) / EncryptionAlgorithm (3.0, 3.0.2): 0x0001 either way
 *   44 SessionId (8)
 *   52 the encrypted message
 *
 * The AEAD's additional data is the 32 header bytes from Nonce through SessionId.
 */
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import { SmbDecodeError, SmbEncodeError } from '../wire/errors.js';
import { joinParts, type MessageParts, partsOf, totalLength } from './bytes.js';
import { CipherId, cipherKeyLength, cipherNonceLength, isCipherId } from './constants.js';
import { SmbCryptoError, wrapCrypto } from './errors.js';
import { nativeCrypto } from './native.js';

export const TRANSFORM_HEADER_SIZE = 52;
/** 0xFD 'S' 'M' 'B'. */
export const TRANSFORM_PROTOCOL_ID = Uint8Array.of(0xfd, 0x53, 0x4d, 0x42);
/** Flags / EncryptionAlgorithm (§2.2.41): the only defined value. */
export const TRANSFORM_FLAG_ENCRYPTED = 0x0001;
/** Where the AEAD's additional data (Nonce..SessionId) starts and how long it is. */
const AAD_OFFSET = 20;
export const SIGNATURE_OFFSET = 4;
const NONCE_OFFSET = 20;
const MAX_U64 = 0xffff_ffff_ffff_ffffn;

export interface TransformHeader {
  /** 16-byte AEAD tag. */
  readonly signature: Uint8Array;
  /** The 16-byte Nonce field. */
  readonly nonce: Uint8Array;
  readonly originalMessageSize: number;
  /** Flags (3.1.1) / EncryptionAlgorithm (3.0.x); 0x0001. */
  readonly flags: number;
  readonly sessionId: bigint;
}

/** A decoded transform frame: the header and a view of the ciphertext that follows it. */
export interface TransformFrame {
  readonly header: TransformHeader;
  readonly ciphertext: Uint8Array;
}

/** Whether `bytes` starts with the transform ProtocolId (0xFD 'S' 'M' 'B'). */
export function isTransformFrame(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0xfd && bytes[1] === 0x53 && bytes[2] === 0x4d && bytes[3] === 0x42
  );
}

/** The 52-byte TRANSFORM_HEADER (Reserved written as zero). SmbEncodeError on an out-of-range field. */
export function encodeTransformHeader(h: TransformHeader): Uint8Array {
  const out = new Uint8Array(TRANSFORM_HEADER_SIZE);
  writeHeader(out, h);
  return out;
}

function writeHeader(out: Uint8Array, h: TransformHeader): void {
  const path = 'TRANSFORM_HEADER';
  if (!(h.signature instanceof Uint8Array) || h.signature.length !== 16)
    throw new SmbEncodeError(`${path}.Signature`, 'must be 16 bytes');
  if (!(h.nonce instanceof Uint8Array) || h.nonce.length !== 16)
    throw new SmbEncodeError(`${path}.Nonce`, 'must be 16 bytes');
  if (
    !Number.isInteger(h.originalMessageSize) ||
    h.originalMessageSize < 0 ||
    h.originalMessageSize > 0xffffffff
  )
    throw new SmbEncodeError(`${path}.OriginalMessageSize`, `${h.originalMessageSize} is not a 32-bit value`);
  if (!Number.isInteger(h.flags) || h.flags < 0 || h.flags > 0xffff)
    throw new SmbEncodeError(`${path}.Flags`, `${h.flags} is not a 16-bit value`);
  if (typeof h.sessionId !== 'bigint' || h.sessionId < 0n || h.sessionId > MAX_U64)
    throw new SmbEncodeError(`${path}.SessionId`, 'must be a 64-bit unsigned bigint');
  const v = new DataView(out.buffer, out.byteOffset, TRANSFORM_HEADER_SIZE);
  out.set(TRANSFORM_PROTOCOL_ID, 0);
  out.set(h.signature, SIGNATURE_OFFSET);
  out.set(h.nonce, NONCE_OFFSET);
  v.setUint32(36, h.originalMessageSize, true);
  v.setUint16(40, 0, true);
  v.setUint16(42, h.flags, true);
  v.setBigUint64(44, h.sessionId, true);
}

/**
 * Decodes a transform frame (one whole Direct TCP payload). Strict: ProtocolId must be
 * 0xFD 'S' 'M' 'B', Flags must be 0x0001, and OriginalMessageSize must equal the bytes
 * after the header. Any failure is an SmbDecodeError. The ciphertext is a view (no copy).
 */
export function decodeTransform(frame: Uint8Array): TransformFrame {
  const path = 'TRANSFORM_HEADER';
  if (!(frame instanceof Uint8Array)) throw new SmbDecodeError(path, 0, 'not a Uint8Array');
  if (frame.length < TRANSFORM_HEADER_SIZE)
    throw new SmbDecodeError(path, frame.length, `needs ${TRANSFORM_HEADER_SIZE} bytes, got ${frame.length}`);
  if (!isTransformFrame(frame)) throw new SmbDecodeError(`${path}.ProtocolId`, 0, 'is not 0xFD "SMB"');
  const v = new DataView(frame.buffer, frame.byteOffset, TRANSFORM_HEADER_SIZE);
  const originalMessageSize = v.getUint32(36, true);
  const flags = v.getUint16(42, true);
  if (flags !== TRANSFORM_FLAG_ENCRYPTED)
    throw new SmbDecodeError(`${path}.Flags`, 42, `is 0x${flags.toString(16)}, expected 0x1`);
  const rest = frame.length - TRANSFORM_HEADER_SIZE;
  if (originalMessageSize !== rest) {
    throw new SmbDecodeError(
      `${path}.OriginalMessageSize`,
      36,
      `is ${originalMessageSize}, but ${rest} bytes follow the header`,
    );
  }
  return {
    header: {
      signature: frame.slice(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16),
      nonce: frame.slice(NONCE_OFFSET, NONCE_OFFSET + 16),
      originalMessageSize,
      flags,
      sessionId: v.getBigUint64(44, true),
    },
    ciphertext: frame.subarray(TRANSFORM_HEADER_SIZE),
  };
}

export interface EncryptOptions {
  /** CipherId.AES_128_CCM | AES_128_GCM | AES_256_CCM | AES_256_GCM. */
  readonly cipher: CipherId;
  /** The sender's encryption key (16 bytes, 32 for the AES-256 ciphers). */
  readonly key: Uint8Array;
  readonly sessionId: bigint;
  /** The SMB2 message (or whole compound), whole or as parts; never modified unless `inPlace`. */
  readonly message: MessageParts;
  /**
   * Overwrite the message's parts with their ciphertext and return them after the header:
   * no new memory per message and few parts to write. Only for a caller that owns the parts
   * and will not use their plaintext again (a retry would send ciphertext as plaintext).
   */
  readonly inPlace?: boolean;
  /**
   * The nonce: 11 (CCM) or 12 (GCM) bytes, zero-padded into the 16-byte field, or the whole
   * 16-byte field. Default: fresh random bytes. A nonce must never repeat under one key; with
   * random 12-byte GCM nonces, rekey (a new session) well before 2^32 messages.
   */
  readonly nonce?: Uint8Array | undefined;
}

function checkCipherAndKey(cipher: number, key: Uint8Array): void {
  if (!isCipherId(cipher))
    throw new SmbCryptoError('invalid-argument', `unknown cipher id ${String(cipher)}`);
  if (!(key instanceof Uint8Array) || key.length !== cipherKeyLength(cipher)) {
    throw new SmbCryptoError(
      'invalid-argument',
      `cipher ${cipher} needs a ${cipherKeyLength(cipher)}-byte key, got ${(key as Uint8Array | undefined)?.length}`,
    );
  }
}

/**
 * Slice size for native GCM. node:crypto gives each update() a fresh output buffer; from
 * 64 KiB up, glibc hands those out as fresh pages nearly every time (page faults, zeroing),
 * and one big update is worse still. Measured with AES-NI decrypting 8 MiB frames in place:
 * 8 MiB in one update about 0.6 GB/s; 96 KiB slices 0.8-1.6 GB/s with a page fault per 4 KiB
 * of output; 32 KiB slices 1.5 GB/s with almost none.
 */
const CHUNK = 32 * 1024;

/**
 * `[from, to)` slices of `bytes`, CHUNK long, the first cut short so that the others start
 * 8-byte aligned: V8 copies into a SharedArrayBuffer word by word only at aligned places
 * (byte by byte otherwise, about 6x slower), and a transform frame's ciphertext starts at 52.
 */
export function* slicesOf(bytes: Uint8Array): Generator<[number, number]> {
  const lead = (8 - (bytes.byteOffset % 8)) % 8;
  let from = 0;
  let to = Math.min(bytes.length, lead === 0 ? CHUNK : lead);
  while (from < bytes.length) {
    yield [from, to];
    from = to;
    to = Math.min(bytes.length, from + CHUNK);
  }
}

/** How `decryptMessage` produces the plaintext. */
export interface DecryptOptions {
  /**
   * Memory for the plaintext (`n` bytes, all overwritten), e.g. recycled buffers; used by the
   * native AES-GCM path. Default: a new buffer.
   */
  readonly allocate?: (n: number) => Uint8Array;
  /**
   * Write the plaintext over the frame's own ciphertext and return a view of it: no new
   * memory, and the bytes just read are still in cache. The frame is consumed (on a bad tag
   * its ciphertext is zeroed). Takes precedence over `allocate`.
   */
  readonly inPlace?: boolean;
}

export const isGcm = (cipher: CipherId): boolean =>
  cipher === CipherId.AES_128_GCM || cipher === CipherId.AES_256_GCM;

/**
 * How the async variants share the thread: `between()` is awaited after every `sliceBytes`
 * of native AES-GCM work, so that a server's socket keeps sending and reading while a large
 * message is sealed or opened (a turn of the event loop, e.g. `setImmediate`).
 */
export interface PacingOptions {
  readonly between: () => Promise<void>;
  /** Default 1 MiB. */
  readonly sliceBytes?: number;
}

const DEFAULT_PACING_SLICE = 1 << 20;

/**
 * Native AES-GCM runs as a generator of slices: it yields the bytes processed so far after
 * each CHUNK, and returns its result. The sync functions drain it; the paced ones await
 * `between()` on the way. Errors of node:crypto become SmbCryptoError either way.
 */
type Slices<T> = Generator<number, T, void>;

function drain<T>(what: string, steps: Slices<T>): T {
  return wrapCrypto(what, () => {
    for (;;) {
      const r = steps.next();
      if (r.done === true) return r.value;
    }
  });
}

async function drainPaced<T>(what: string, steps: Slices<T>, pacing: PacingOptions): Promise<T> {
  const slice = pacing.sliceBytes ?? DEFAULT_PACING_SLICE;
  if (!Number.isInteger(slice) || slice <= 0)
    throw new SmbCryptoError('invalid-argument', 'sliceBytes must be a positive integer');
  let next = slice;
  for (;;) {
    const r = wrapCrypto(what, () => steps.next());
    if (r.done === true) return r.value;
    if (r.value >= next) {
      await pacing.between();
      next = r.value + slice;
    }
  }
}

/** A checked message ready to seal: its header (tag still zero), AAD, nonce and parts. */
export interface Sealing {
  readonly cipher: CipherId;
  readonly key: Uint8Array;
  readonly parts: readonly Uint8Array[];
  readonly header: Uint8Array;
  readonly aad: Uint8Array;
  readonly nonce: Uint8Array;
  readonly inPlace: boolean;
}

export function prepareSealing(options: EncryptOptions): Sealing {
  const { cipher, key, sessionId, message } = options;
  checkCipherAndKey(cipher, key);
  const parts = partsOf(message);
  const size = totalLength(parts);
  if (size > 0xffffffff) throw new SmbCryptoError('invalid-argument', 'message longer than 4 GiB');
  if (typeof sessionId !== 'bigint' || sessionId < 0n || sessionId > MAX_U64)
    throw new SmbCryptoError('invalid-argument', 'sessionId must be a 64-bit unsigned bigint');

  const nonceLength = cipherNonceLength(cipher);
  const nonceField = new Uint8Array(16);
  const given = options.nonce;
  if (given === undefined) {
    nonceField.set(wrapCrypto('random nonce', () => getBackend().randomBytes(nonceLength)));
  } else if (given instanceof Uint8Array && (given.length === nonceLength || given.length === 16)) {
    nonceField.set(given);
  } else {
    throw new SmbCryptoError('invalid-argument', `nonce must be ${nonceLength} or 16 bytes`);
  }

  const header = new Uint8Array(TRANSFORM_HEADER_SIZE);
  writeHeader(header, {
    signature: new Uint8Array(16),
    nonce: nonceField,
    originalMessageSize: size,
    flags: TRANSFORM_FLAG_ENCRYPTED,
    sessionId,
  });
  return {
    cipher,
    key,
    parts,
    header,
    aad: header.subarray(AAD_OFFSET),
    nonce: nonceField.subarray(0, nonceLength),
    inPlace: options.inPlace === true,
  };
}

const gcmName = (key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' =>
  key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';

/** Native GCM sealing in slices: `[header, ...ciphertext chunks]`, the tag put into the header. */
function* nativeSeal(native: NonNullable<ReturnType<typeof nativeCrypto>>, s: Sealing): Slices<Uint8Array[]> {
  const c = native.createCipheriv(gcmName(s.key), s.key, s.nonce, { authTagLength: 16 });
  c.setAAD(s.aad);
  const out: Uint8Array[] = [s.header];
  let done = 0;
  // In slices: small short-lived outputs rather than one fresh megabyte buffer per message.
  // GCM output is as long as its input, so in place each slice lands on the bytes just read.
  for (const p of s.parts) {
    for (const [from, to] of slicesOf(p)) {
      const chunk = c.update(p.subarray(from, to));
      if (s.inPlace) p.set(chunk, from);
      else out.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      done += chunk.byteLength;
      yield done;
    }
    if (s.inPlace && p.length > 0) out.push(p);
  }
  c.final();
  s.header.set(c.getAuthTag(), SIGNATURE_OFFSET);
  return out;
}

/** The backend's one-shot AEAD (CCM, or GCM where node:crypto is absent). */
function backendSeal(s: Sealing): Uint8Array[] {
  const backend = getBackend();
  const plaintext = joinParts(s.parts);
  const sealed = wrapCrypto(isGcm(s.cipher) ? 'AES-GCM encryption' : 'AES-CCM encryption', () =>
    isGcm(s.cipher)
      ? backend.aesGcmSeal(s.key, s.nonce, plaintext, s.aad)
      : backend.aesCcmSeal(s.key, s.nonce, plaintext, s.aad),
  );
  s.header.set(sealed.tag, SIGNATURE_OFFSET);
  if (!s.inPlace) return [s.header, sealed.ciphertext];
  const out: Uint8Array[] = [s.header];
  let at = 0;
  for (const p of s.parts) {
    p.set(sealed.ciphertext.subarray(at, at + p.length));
    at += p.length;
    if (p.length > 0) out.push(p);
  }
  return out;
}

/**
 * Encrypts a message into transform-frame parts: `[header (52 bytes), ...ciphertext]`, for
 * vectored writes. On the node backend, GCM ciphertext comes as one chunk per message
 * part, straight from node:crypto (no copy of the plaintext or ciphertext).
 */
export function encryptMessageParts(options: EncryptOptions): Uint8Array[] {
  const s = prepareSealing(options);
  const native = isGcm(s.cipher) ? nativeCrypto() : undefined;
  return native !== undefined ? drain('AES-GCM encryption', nativeSeal(native, s)) : backendSeal(s);
}

/**
 * `encryptMessageParts`, same bytes, with `pacing.between()` awaited after every
 * `pacing.sliceBytes` of native AES-GCM (messages shorter than that never wait).
 */
export async function encryptMessagePartsPaced(
  options: EncryptOptions,
  pacing: PacingOptions,
): Promise<Uint8Array[]> {
  const s = prepareSealing(options);
  const native = isGcm(s.cipher) ? nativeCrypto() : undefined;
  return native !== undefined
    ? drainPaced('AES-GCM encryption', nativeSeal(native, s), pacing)
    : backendSeal(s);
}

/** Encrypts a message into one transform frame (header || ciphertext). See encryptMessageParts. */
export function encryptMessage(options: EncryptOptions): Uint8Array {
  const parts = encryptMessageParts(options);
  return joinParts(parts);
}

/** A checked transform frame ready to open. */
export interface Opening {
  readonly cipher: CipherId;
  readonly key: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  readonly nonce: Uint8Array;
  readonly aad: Uint8Array;
}

export function prepareOpening(frame: Uint8Array, key: Uint8Array, cipher: CipherId): Opening {
  checkCipherAndKey(cipher, key);
  const { ciphertext } = decodeTransform(frame);
  return {
    cipher,
    key,
    ciphertext,
    tag: frame.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16),
    nonce: frame.subarray(NONCE_OFFSET, NONCE_OFFSET + cipherNonceLength(cipher)),
    aad: frame.subarray(AAD_OFFSET, TRANSFORM_HEADER_SIZE),
  };
}

/** Native GCM opening in slices into `allocate(n)` memory; zeroed and refused on a bad tag. */
function* nativeOpen(
  native: NonNullable<ReturnType<typeof nativeCrypto>>,
  o: Opening,
  allocate: (n: number) => Uint8Array,
): Slices<Uint8Array> {
  const out = allocate(o.ciphertext.length);
  if (out.length !== o.ciphertext.length)
    throw new SmbCryptoError(
      'invalid-argument',
      `allocate(${o.ciphertext.length}) returned ${out.length} bytes`,
    );
  const d = native.createDecipheriv(gcmName(o.key), o.key, o.nonce, { authTagLength: 16 });
  d.setAuthTag(o.tag);
  d.setAAD(o.aad);
  // In slices: each output is small and short-lived (no fresh megabyte buffer per frame).
  for (const [from, to] of slicesOf(o.ciphertext)) {
    const piece = d.update(o.ciphertext.subarray(from, to));
    out.set(piece, from);
    yield to;
  }
  try {
    d.final(); // verifies the tag
  } catch {
    out.fill(0);
    throw new SmbCryptoError('integrity', 'AES-GCM tag mismatch');
  }
  return out;
}

/** Where the native path writes the plaintext: over the ciphertext, the caller's memory, or new memory. */
function plaintextMemory(o: Opening, options: DecryptOptions): (n: number) => Uint8Array {
  if (options.inPlace === true) return () => o.ciphertext;
  return options.allocate ?? ((n: number) => new Uint8Array(n));
}

/** The backend's result, copied over the ciphertext when the caller asked for in-place. */
function backendOpenInto(o: Opening, options: DecryptOptions): Uint8Array {
  const plain = backendOpen(o);
  if (options.inPlace !== true) return plain;
  o.ciphertext.set(plain);
  plain.fill(0);
  return o.ciphertext;
}

function backendOpen(o: Opening): Uint8Array {
  const backend = getBackend();
  return wrapCrypto(isGcm(o.cipher) ? 'AES-GCM decryption' : 'AES-CCM decryption', () =>
    isGcm(o.cipher)
      ? backend.aesGcmOpen(o.key, o.nonce, o.ciphertext, o.tag, o.aad)
      : backend.aesCcmOpen(o.key, o.nonce, o.ciphertext, o.tag, o.aad),
  );
}

/**
 * Decrypts a transform frame with the receiver's decryption key. A malformed frame throws
 * SmbDecodeError; a tag that does not verify (altered frame, wrong key or cipher) throws
 * SmbCryptoError of kind "integrity", and no plaintext is returned.
 */
export function decryptMessage(
  frame: Uint8Array,
  key: Uint8Array,
  cipher: CipherId,
  options: DecryptOptions = {},
): Uint8Array {
  const o = prepareOpening(frame, key, cipher);
  const native = isGcm(cipher) ? nativeCrypto() : undefined;
  return native !== undefined
    ? drain('AES-GCM decryption', nativeOpen(native, o, plaintextMemory(o, options)))
    : backendOpenInto(o, options);
}

/**
 * `decryptMessage`, same result and errors, with `pacing.between()` awaited after every
 * `pacing.sliceBytes` of native AES-GCM. The plaintext goes to `allocate(n)` (default: a new
 * buffer).
 */
export async function decryptMessagePaced(
  frame: Uint8Array,
  key: Uint8Array,
  cipher: CipherId,
  options: DecryptOptions & PacingOptions,
): Promise<Uint8Array> {
  const o = prepareOpening(frame, key, cipher);
  const native = isGcm(cipher) ? nativeCrypto() : undefined;
  return native !== undefined
    ? drainPaced('AES-GCM decryption', nativeOpen(native, o, plaintextMemory(o, options)), options)
    : backendOpenInto(o, options);
}
