import { RpcError } from './errors.js';

/** Little-endian cursor over a byte array that throws {@link RpcError} instead of reading past the end. */
export class ByteReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(count: number, what: string): void {
    if (count < 0 || this.offset + count > this.bytes.length) {
      throw new RpcError('truncated', `${what}: needs ${count} octets, ${this.remaining} left`);
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  take(count: number, what = 'bytes'): Uint8Array {
    this.need(count, what);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** Skips to the next multiple of `n` counted from `base` (padding may be cut short by the end). */
  align(n: number, base = 0): void {
    const pad = (n - ((this.offset - base) % n)) % n;
    this.offset = Math.min(this.offset + pad, this.bytes.length);
  }
}

/** Growable little-endian writer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Zero padding up to a multiple of `n` counted from `base`. */
  align(n: number, base = 0): this {
    while ((this.length - base) % n !== 0) this.u8(0);
    return this;
  }

  setU16(at: number, value: number): void {
    this.view.setUint16(at, value, true);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
