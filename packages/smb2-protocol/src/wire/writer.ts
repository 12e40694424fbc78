/** A growable little-endian writer; `pos` counts from the start of what it writes. */
import { SmbEncodeError } from './errors.js';

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.pos++, v);
    return this;
  }

  u16(v: number, field = 'u16'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new SmbEncodeError(field, `${v} is not a 16-bit value`);
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }

  u32(v: number, field = 'u32'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new SmbEncodeError(field, `${v} is not a 32-bit value`);
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  u64(v: bigint | number, field = 'u64'): this {
    const b = typeof v === 'bigint' ? v : BigInt(v);
    if (b < 0n || b > 0xffffffffffffffffn) throw new SmbEncodeError(field, `${v} is not a 64-bit value`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, b, true);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Pads with zeros to a multiple of `n` (counted from the start of the writer). */
  align(n: number): this {
    const r = this.pos % n;
    return r === 0 ? this : this.zeros(n - r);
  }

  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }

  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  /** The bytes written (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** UTF-16LE bytes of `text` (no terminator). */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}
