/** Byte helpers of the crypto layer (internal). */
import { SmbCryptoError } from './errors.js';

/** A message given whole or as consecutive parts (header, body, payload...). */
export type MessageParts = Uint8Array | readonly Uint8Array[];

/** The parts of a message as an array (no copy). */
export function partsOf(message: MessageParts): readonly Uint8Array[] {
  return message instanceof Uint8Array ? [message] : message;
}

export function totalLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) {
    if (!(p instanceof Uint8Array))
      throw new SmbCryptoError('invalid-argument', 'message parts must be Uint8Arrays');
    n += p.length;
  }
  return n;
}

type BufferCtor = { allocUnsafeSlow(size: number): Uint8Array };
const NodeBuffer = (globalThis as { Buffer?: BufferCtor }).Buffer;

/**
 * A new array whose every byte the caller overwrites. Large ones come uninitialised from
 * Node's Buffer.allocUnsafeSlow when it exists (its own ArrayBuffer, never the shared pool),
 * which saves zero-filling a megabyte frame; returned as a plain Uint8Array view.
 */
export function allocUninitialized(size: number): Uint8Array {
  if (size < 4096 || NodeBuffer === undefined) return new Uint8Array(size);
  const b = NodeBuffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

/** One array holding all the parts; the single part itself when there is only one (no copy). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = allocUninitialized(totalLength(parts));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Equality of two byte arrays without an early exit on the first difference (lengths are public). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Bytes of a label or context: a Uint8Array as is, a string as its Latin-1 code units (SMB labels are ASCII). */
export function labelBytes(what: string, value: Uint8Array | string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string')
    throw new SmbCryptoError('invalid-argument', `${what} must be bytes or a string`);
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) throw new SmbCryptoError('invalid-argument', `${what} has a character above U+00FF`);
    out[i] = c;
  }
  return out;
}

export function checkKey(what: string, key: Uint8Array, ...lengths: number[]): void {
  if (!(key instanceof Uint8Array))
    throw new SmbCryptoError('invalid-argument', `${what} must be a Uint8Array`);
  if (lengths.length > 0 && !lengths.includes(key.length)) {
    throw new SmbCryptoError(
      'invalid-argument',
      `${what} must be ${lengths.join(' or ')} bytes, got ${key.length}`,
    );
  }
}
