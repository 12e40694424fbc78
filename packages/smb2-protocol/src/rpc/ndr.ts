import { ByteReader, ByteWriter } from './bytes.js';
import { RpcError } from './errors.js';

/**
 * NDR 2.0 (C706 chapter 14) reader over one call's stub data, little-endian. Primitives are
 * aligned to their size from the start of the stub. Anything that does not decode is an
 * {@link RpcError} with code `ndr` (the dispatcher turns it into a bad-stub-data FAULT).
 */
export class NdrReader {
  private readonly r: ByteReader;

  constructor(stub: Uint8Array) {
    this.r = new ByteReader(stub);
  }

  private wrap<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof RpcError) throw new RpcError('ndr', error.message);
      throw error;
    }
  }

  u16(what = 'u16'): number {
    return this.wrap(() => {
      this.r.align(2);
      return this.r.u16(what);
    });
  }

  u32(what = 'u32'): number {
    return this.wrap(() => {
      this.r.align(4);
      return this.r.u32(what);
    });
  }

  /** A unique or full pointer's referent id (0 = NULL). */
  pointer(what = 'pointer'): number {
    return this.u32(what);
  }

  /** [string] wchar_t*: a conformant varying array of UTF-16 code units, NUL included. */
  wideString(what = 'string'): string {
    const maxCount = this.u32(`${what} max_count`);
    const offset = this.u32(`${what} offset`);
    const actual = this.u32(`${what} actual_count`);
    if (offset > maxCount || actual > maxCount - offset) {
      throw new RpcError('ndr', `${what}: offset ${offset} + actual ${actual} > max ${maxCount}`);
    }
    const raw = this.wrap(() => this.r.take(actual * 2, what));
    let units = actual;
    if (units > 0 && raw[units * 2 - 2] === 0 && raw[units * 2 - 1] === 0) units -= 1;
    return new TextDecoder('utf-16le').decode(raw.subarray(0, units * 2));
  }

  /** A [unique, string] wchar_t*: NULL or the string right after its referent id (top level). */
  uniqueWideString(what = 'string'): string | null {
    return this.pointer(what) === 0 ? null : this.wideString(what);
  }

  /** max_count of a conformant array, checked against what is left (each element ≥ `minSize`). */
  conformance(minSize: number, what = 'array'): number {
    const count = this.u32(`${what} max_count`);
    if (count * minSize > this.r.remaining) {
      throw new RpcError('ndr', `${what}: ${count} elements cannot fit in ${this.r.remaining} octets`);
    }
    return count;
  }
}

/** The first referent id MIDL and pidl hand out. */
export const FIRST_REFERENT_ID = 0x00020000;

/** NDR 2.0 writer; unique-pointer referent ids count up by 4 from `referentBase`. */
export class NdrWriter {
  private readonly w = new ByteWriter();
  private nextReferent: number;

  constructor(referentBase = FIRST_REFERENT_ID) {
    this.nextReferent = referentBase;
  }

  u32(value: number): this {
    this.w.align(4).u32(value);
    return this;
  }

  /** A non-NULL unique pointer (a fresh referent id). */
  referent(): this {
    const id = this.nextReferent;
    this.nextReferent = (this.nextReferent + 4) >>> 0;
    return this.u32(id);
  }

  nullPointer(): this {
    return this.u32(0);
  }

  /** A conformant varying UTF-16 string with its terminating NUL. */
  wideString(value: string): this {
    const units = value.length + 1;
    this.u32(units).u32(0).u32(units);
    for (let i = 0; i < value.length; i++) this.w.u16(value.charCodeAt(i));
    this.w.u16(0);
    return this;
  }

  finish(): Uint8Array {
    return this.w.finish();
  }
}
