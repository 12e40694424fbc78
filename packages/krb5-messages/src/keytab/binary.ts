/**
 * Fixed-width integers and counted strings for MIT's FILE keytab and ccache formats
 * (shared by `keytab/` and `ccache/`). Big-endian except in the oldest versions
 * (keytab 0x0501, ccache 0x0501/0x0502), which MIT wrote in the writing host's order.
 *
 * The reader never trusts a length: every field is checked against the bytes that are
 * left before anything is read or allocated, and failures go through the format's own
 * typed error (`fail`).
 */
import { EncodeError } from '@postntlm/der-asn1';

export type ByteOrder = 'big' | 'little';

/** The byte order of this machine (what MIT used for the old native-order formats). */
export const hostByteOrder: ByteOrder =
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export type Fail = (reason: string, offset: number) => Error;

/** A bounded cursor over `bytes[pos, end)`. */
export class ByteReader {
  private readonly view: DataView;
  littleEndian: boolean;
  pos: number;

  readonly bytes: Uint8Array;

  constructor(
    bytes: Uint8Array,
    readonly fail: Fail,
    order: ByteOrder = 'big',
    start = 0,
    public end = bytes.length,
  ) {
    // A plain Uint8Array view, so that copies are Uint8Arrays (a Buffer's slice would be a view).
    this.bytes =
      bytes.constructor === Uint8Array
        ? bytes
        : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = order === 'little';
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw this.fail(`${what}: needs ${n} bytes, ${this.end - this.pos} left`, this.pos);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }
  i16(what: string): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }
  /** A copy of the next `n` bytes (checked first, so a bogus length allocates nothing). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** The next `n` bytes as UTF-8 text; invalid UTF-8 is a format error. */
  text(n: number, what: string): string {
    this.need(n, what);
    const start = this.pos;
    let ascii = true;
    for (let i = start; i < start + n; i++) {
      if (this.bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    let out = '';
    if (ascii) {
      for (let i = start; i < start + n; i++) out += String.fromCharCode(this.bytes[i]!);
    } else {
      try {
        out = utf8Decoder.decode(this.bytes.subarray(start, start + n));
      } catch {
        throw this.fail(`${what} is not valid UTF-8`, start);
      }
    }
    this.pos += n;
    return out;
  }
}

/** A growing output buffer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;
  littleEndian: boolean;

  constructor(order: ByteOrder = 'big') {
    this.littleEndian = order === 'little';
  }

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number, what: string): void {
    checkInt(v, 0, 0xff, what);
    this.grow(1);
    this.buf[this.length++] = v;
  }
  u16(v: number, what: string): void {
    checkInt(v, 0, 0xffff, what);
    this.grow(2);
    this.view.setUint16(this.length, v, this.littleEndian);
    this.length += 2;
  }
  i16(v: number, what: string): void {
    checkInt(v, -0x8000, 0x7fff, what);
    this.grow(2);
    this.view.setInt16(this.length, v, this.littleEndian);
    this.length += 2;
  }
  u32(v: number, what: string): void {
    checkInt(v, 0, 0xffffffff, what);
    this.grow(4);
    this.view.setUint32(this.length, v, this.littleEndian);
    this.length += 4;
  }
  i32(v: number, what: string): void {
    checkInt(v, -0x80000000, 0x7fffffff, what);
    this.grow(4);
    this.view.setInt32(this.length, v, this.littleEndian);
    this.length += 4;
  }
  /** Overwrites a 32-bit signed integer written earlier (record lengths). */
  patchI32(at: number, v: number, what: string): void {
    checkInt(v, -0x80000000, 0x7fffffff, what);
    this.view.setInt32(at, v, this.littleEndian);
  }
  bytes(b: Uint8Array, what: string): void {
    if (!(b instanceof Uint8Array)) throw new EncodeError(`${what} must be a Uint8Array`);
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function checkInt(v: number, min: number, max: number, what: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new EncodeError(`${what} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
}

/** UTF-8 bytes of a name component or realm; lone surrogates cannot be written. */
export function utf8(value: string, what: string): Uint8Array {
  if (typeof value !== 'string') throw new EncodeError(`${what} must be a string, got ${typeof value}`);
  if (!value.isWellFormed()) throw new EncodeError(`${what} contains a lone surrogate`);
  return utf8Encoder.encode(value);
}

/** Seconds since the epoch of a Date, as the unsigned 32-bit count MIT stores. */
export function unixSeconds(date: Date, what: string): number {
  if (!(date instanceof Date)) throw new EncodeError(`${what} must be a Date`);
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new EncodeError(`${what} is an invalid Date`);
  const s = Math.floor(ms / 1000);
  checkInt(s, 0, 0xffffffff, `${what} (seconds since 1970)`);
  return s;
}

export const fromUnixSeconds = (s: number): Date => new Date(s * 1000);
