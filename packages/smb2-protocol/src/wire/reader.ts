/**
 * A bounds-checked little-endian reader over one SMB2 message. Offsets inside SMB2 bodies
 * count from the start of the SMB2 header (`base`), so a reader knows it; every read and
 * every (offset, length) pair is checked against the message's end, and a failure is an
 * `SmbDecodeError` naming the field.
 */
import { SmbDecodeError } from './errors.js';

export class Reader {
  private view: DataView;
  /** Current absolute position in `bytes`. */
  pos: number;

  constructor(
    /** The whole buffer (e.g. a compound of messages). */
    readonly bytes: Uint8Array,
    /** Where the SMB2 header of this message starts: offsets in the body count from here. */
    readonly base: number = 0,
    /** End of this message (exclusive). */
    readonly end: number = bytes.length,
    /** Structure name for error paths. */
    readonly path: string = 'SMB2',
  ) {
    if (base < 0 || end > bytes.length || base > end)
      throw new SmbDecodeError(path, base, 'bad message bounds');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = base;
  }

  /** A reader for the same message with another structure name (for error paths). */
  named(path: string): Reader {
    const r = new Reader(this.bytes, this.base, this.end, path);
    r.pos = this.pos;
    return r;
  }

  fail(field: string, reason: string, at: number = this.pos): never {
    throw new SmbDecodeError(`${this.path}.${field}`, at - this.base, reason);
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.end)
      this.fail(field, `needs ${n} bytes, ${Math.max(0, this.end - this.pos)} left`);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Offset from the start of the SMB2 header. */
  get offset(): number {
    return this.pos - this.base;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A 64-bit unsigned value as bigint (MessageId, SessionId, file ids...). */
  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A 64-bit value that must fit a JS number (sizes, offsets). */
  u64n(field: string): number {
    const at = this.pos;
    const v = this.u64(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(field, 'value too large', at);
    return Number(v);
  }

  /** `n` bytes (a copy, so the result does not pin the whole buffer). */
  bytesN(n: number, field: string): Uint8Array {
    if (n < 0) this.fail(field, 'negative length');
    this.need(n, field);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /** A 16-byte GUID as bytes. */
  guid(field: string): Uint8Array {
    return this.bytesN(16, field);
  }

  /**
   * `length` bytes at `offset` from the SMB2 header (a buffer an (Offset, Length) pair
   * points at); empty when length is 0 whatever the offset (as Windows writes it).
   */
  at(offset: number, length: number, field: string): Uint8Array {
    return this.atView(offset, length, field).slice();
  }

  /** What `at` returns, as a view of the message's bytes (no copy: it pins the whole buffer). */
  atView(offset: number, length: number, field: string): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const start = this.base + offset;
    if (offset < 0 || start < this.base || start + length > this.end) {
      this.fail(field, `buffer [${offset}, +${length}) outside the message (${this.end - this.base} bytes)`);
    }
    return this.bytes.subarray(start, start + length);
  }

  /** Checks the fixed StructureSize field of a body. */
  structureSize(expected: number): void {
    const at = this.pos;
    const v = this.u16('StructureSize');
    if (v !== expected) this.fail('StructureSize', `is ${v}, expected ${expected}`, at);
  }

  /** Moves to an absolute offset from the SMB2 header (inside the message). */
  seek(offset: number, field: string): void {
    if (offset < 0 || this.base + offset > this.end) this.fail(field, `offset ${offset} outside the message`);
    this.pos = this.base + offset;
  }
}

/** UTF-16LE text (names and paths in SMB2). Odd lengths are malformed. */
export function utf16(bytes: Uint8Array, r: Reader, field: string): string {
  if (bytes.length % 2 !== 0) r.fail(field, 'UTF-16 text of odd length');
  let out = '';
  for (let i = 0; i < bytes.length; i += 2)
    out += String.fromCharCode((bytes[i] as number) | ((bytes[i + 1] as number) << 8));
  return out;
}
