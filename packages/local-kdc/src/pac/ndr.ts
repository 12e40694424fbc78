/**
 * The slice of NDR 2.0 ([C706] ch. 14, [MS-RPCE] §2.2.5, little-endian, 4-octet
 * alignment since no type in the PAC has 8-octet alignment) that KERB_VALIDATION_INFO
 * needs, and the type serialization version 1 headers of [MS-RPCE] §2.2.6.
 *
 * Unique pointers are written as a referent id (0x00020000, then +4 per pointee in the
 * order the pointees are written, Windows' numbering) or 0 for NULL; the pointee is deferred until the structure
 * that holds the pointer is complete, and the pointees of a pointee come right after it
 * (depth first), as [C706] §14.3.12.3 orders embedded pointers.
 */
import { LeReader, LeWriter } from './bytes.js';
import { check, PacError } from './errors.js';

const FIRST_REFERENT = 0x00020000;

/** NDR writer with the deferred-pointer queue. */
export class NdrWriter {
  readonly out = new LeWriter();
  private nextReferent = FIRST_REFERENT;
  private deferred: (() => void)[] = [];

  /**
   * A unique pointer: 0 for null, else a referent id with `body` deferred. Ids are handed
   * out in the order the pointees are written (patched in when the pointee starts), as
   * Windows numbers them; the numbering is not significant to a reader.
   */
  pointer<T>(value: T | null, body: (v: T) => void): void {
    this.out.align(4);
    if (value === null) {
      this.out.u32(0);
      return;
    }
    const at = this.out.length;
    this.out.u32(FIRST_REFERENT);
    this.deferred.push(() => {
      this.out.patchU32(at, this.nextReferent);
      this.nextReferent += 4;
      body(value);
    });
  }

  /** Runs `flat` (a structure's fixed part), then the pointees it queued, depth first. */
  struct(flat: () => void): void {
    const saved = this.deferred;
    this.deferred = [];
    flat();
    const mine = this.deferred;
    this.deferred = [];
    for (const body of mine) this.struct(body);
    this.deferred = saved;
  }

  /** A conformant-varying array of WCHAR: max count, offset 0, actual count, the code units. */
  wcharArray(units: Uint8Array, maxCount: number): void {
    this.out
      .align(4)
      .u32(maxCount)
      .u32(0)
      .u32(units.length / 2);
    this.out.bytes(units);
  }
}

/** NDR reader with the deferred-pointer queue; every failure is a PacError. */
export class NdrReader {
  readonly in: LeReader;
  private deferred: (() => void)[] = [];
  /** Pointees read so far, bounded by the input size (each costs at least 4 bytes). */
  private pointees = 0;

  constructor(bytes: Uint8Array, pos: number) {
    this.in = new LeReader(bytes, pos, 'KERB_VALIDATION_INFO');
  }

  /** Reads a unique pointer; when non-null, `body` runs later and its result goes to `set`. */
  pointer<T>(body: () => T, set: (v: T | null) => void): void {
    this.in.align(4);
    const referent = this.in.u32();
    if (referent === 0) {
      set(null);
      return;
    }
    this.pointees++;
    check(this.pointees * 4 <= this.in.bytes.length, 'too many pointers');
    this.deferred.push(() => set(body()));
  }

  /** Runs `flat`, then the pointees it queued, depth first (mirror of NdrWriter.struct). */
  struct(flat: () => void): void {
    const saved = this.deferred;
    this.deferred = [];
    flat();
    const mine = this.deferred;
    this.deferred = [];
    for (const body of mine) this.struct(body);
    this.deferred = saved;
  }

  /** A conformant count that must leave room for `count * elementSize` bytes. */
  count(elementSize: number): number {
    this.in.align(4);
    const n = this.in.u32();
    if (n * elementSize > this.in.remaining) {
      throw new PacError(
        `NDR array of ${n} elements does not fit in the remaining ${this.in.remaining} bytes`,
      );
    }
    return n;
  }

  /** A conformant-varying WCHAR array: returns the max count and the UTF-16LE bytes. */
  wcharArray(): { maxCount: number; units: Uint8Array } {
    this.in.align(4);
    const maxCount = this.in.u32();
    const offset = this.in.u32();
    const actual = this.in.u32();
    check(offset === 0, `NDR varying array offset ${offset} (expected 0)`);
    check(actual <= maxCount, `NDR actual count ${actual} exceeds max count ${maxCount}`);
    return { maxCount, units: this.in.take(actual * 2) };
  }
}

/** [MS-RPCE] §2.2.6.1 common header (version 1, little-endian, length 8, filler 0xCCCCCCCC). */
const COMMON_HEADER = Uint8Array.of(0x01, 0x10, 0x08, 0x00, 0xcc, 0xcc, 0xcc, 0xcc);

/** Wraps NDR stream data in the type serialization v1 headers, padding it to a multiple of 8. */
export function typeSerialize(encode: (w: NdrWriter) => void): Uint8Array {
  const w = new NdrWriter();
  w.out.bytes(COMMON_HEADER).u32(0).u32(0);
  encode(w);
  w.out.align(8);
  w.out.patchU32(8, w.out.length - 16);
  return w.out.finish();
}

/** Checks the type serialization headers and returns a reader on the NDR stream data. */
export function typeDeserialize<T>(bytes: Uint8Array, decode: (r: NdrReader) => T): T {
  const h = new LeReader(bytes, 0, 'type serialization header');
  const version = h.u8();
  const endianness = h.u8();
  const headerLength = h.u16();
  h.u32();
  check(version === 1, `type serialization version ${version} (expected 1)`);
  check(
    endianness === 0x10,
    `type serialization endianness 0x${endianness.toString(16)} (only little-endian 0x10)`,
  );
  check(headerLength === 8, `common header length ${headerLength} (expected 8)`);
  const objectLength = h.u32();
  h.u32();
  check(
    objectLength <= h.remaining,
    `object buffer length ${objectLength} exceeds the ${h.remaining} bytes left`,
  );
  const r = new NdrReader(bytes.subarray(0, 16 + objectLength), 16);
  return decode(r);
}
