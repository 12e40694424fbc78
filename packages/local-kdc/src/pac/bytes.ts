/** Little-endian byte helpers, FILETIME and UTF-16LE conversions shared by the PAC buffers. */
import { check, PacError } from './errors.js';

/** FILETIME: 100-ns intervals since 1601-01-01 UTC, as an unsigned 64-bit bigint. */
export type Filetime = bigint;

/** 1601-01-01 to 1970-01-01 in 100-ns intervals. */
const EPOCH_DELTA = 116444736000000000n;
/** The "never" FILETIME of MS-PAC §2.5 (0x7FFFFFFFFFFFFFFF). */
export const FILETIME_NEVER: Filetime = 0x7fffffffffffffffn;
/** The "not set" FILETIME (0). */
export const FILETIME_NONE: Filetime = 0n;

/** A Date (whole milliseconds) as a FILETIME. */
export function dateToFiletime(date: Date): Filetime {
  const ms = date.getTime();
  check(Number.isFinite(ms), 'invalid Date');
  const ft = BigInt(Math.floor(ms)) * 10000n + EPOCH_DELTA;
  check(ft >= 0n && ft <= 0xffffffffffffffffn, 'Date out of FILETIME range');
  return ft;
}

/** A FILETIME as a Date (truncated to milliseconds). */
export function filetimeToDate(ft: Filetime): Date {
  return new Date(Number((ft - EPOCH_DELTA) / 10000n));
}

/** UTF-16LE bytes of a string (no terminator). */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** A string from UTF-16LE bytes (even length required). */
export function fromUtf16le(bytes: Uint8Array): string {
  check(bytes.length % 2 === 0, 'odd UTF-16 byte length');
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) {
    s += String.fromCharCode((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8));
  }
  return s;
}

/** A bounds-checked little-endian reader over one buffer; every failure is a PacError. */
export class LeReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    readonly what = 'buffer',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.bytes.length) {
      throw new PacError(
        `${this.what}: truncated (need ${n} bytes at offset ${this.pos}, have ${this.remaining})`,
      );
    }
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Skips to the next multiple of `n` (relative to the start of `bytes`). */
  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    this.need(pad);
    this.pos += pad;
  }
}

/** A growable little-endian writer. */
export class LeWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    checkUint(v, 0xff);
    this.ensure(1);
    this.view.setUint8(this.length++, v);
    return this;
  }

  u16(v: number): this {
    checkUint(v, 0xffff);
    this.ensure(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    checkUint(v, 0xffffffff);
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }

  i32(v: number): this {
    check(Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff, `not a 32-bit signed integer: ${v}`);
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }

  u64(v: bigint): this {
    check(typeof v === 'bigint' && v >= 0n && v <= 0xffffffffffffffffn, 'not a 64-bit unsigned integer');
    this.ensure(8);
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Zero bytes up to the next multiple of `n`. */
  align(n: number): this {
    const pad = (n - (this.length % n)) % n;
    this.ensure(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
    return this;
  }

  /** Overwrites a u32 at an earlier position. */
  patchU32(at: number, v: number): void {
    checkUint(v, 0xffffffff);
    this.view.setUint32(at, v, true);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function checkUint(v: number, max: number): void {
  check(Number.isInteger(v) && v >= 0 && v <= max, `integer out of range 0..${max}: ${v}`);
}
