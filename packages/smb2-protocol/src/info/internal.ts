/**
 * Shared pieces of the info-class codecs: signed FILETIMEs, FileIds, decoding a standalone
 * buffer with a `Reader`, and lists chained by NextEntryOffset (directory entries, streams,
 * EAs, change notifications).
 */
import { SmbEncodeError } from '../wire/errors.js';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** A signed 64-bit value (FILETIME, LARGE_INTEGER). */
export function readI64(r: Reader, field: string): bigint {
  return BigInt.asIntN(64, r.u64(field));
}

export function writeI64(w: Writer, v: bigint, field: string): void {
  if (typeof v !== 'bigint' || v < I64_MIN || v > I64_MAX)
    throw new SmbEncodeError(field, `${v} is not a signed 64-bit value`);
  w.u64(BigInt.asUintN(64, v), field);
}

/** A 64-bit unsigned value given as a bigint (sizes, file ids). */
export function writeU64(w: Writer, v: bigint, field: string): void {
  if (typeof v !== 'bigint') throw new SmbEncodeError(field, `${String(v)} is not a bigint`);
  w.u64(v, field);
}

/** The four FILETIMEs of a file, in wire order (CreationTime, LastAccessTime, LastWriteTime, ChangeTime). */
export interface FileTimes {
  readonly creationTime: bigint;
  readonly lastAccessTime: bigint;
  readonly lastWriteTime: bigint;
  readonly changeTime: bigint;
}

/**
 * How a structure holds its times and sizes: the info classes (MS-FSCC) keep FILETIMEs signed
 * and sizes as checked bigints; the CREATE and CLOSE responses (MS-SMB2) keep them unsigned and
 * spell `EndofFile`.
 */
type Form = 'fscc' | 'smb2';

const u64w = (w: Writer, v: bigint, field: string): void => void w.u64(v, field);
const u64r = (r: Reader, field: string): bigint => r.u64(field);

/** Writes the four FILETIMEs (signed in the `fscc` form, unsigned in the `smb2` form). */
export function writeFileTimes(w: Writer, v: FileTimes, form: Form = 'fscc'): void {
  const write = form === 'fscc' ? writeI64 : u64w;
  write(w, v.creationTime, 'CreationTime');
  write(w, v.lastAccessTime, 'LastAccessTime');
  write(w, v.lastWriteTime, 'LastWriteTime');
  write(w, v.changeTime, 'ChangeTime');
}

/** Reads what `writeFileTimes` writes. */
export function readFileTimes(r: Reader, form: Form = 'fscc'): FileTimes {
  const read = form === 'fscc' ? readI64 : u64r;
  return {
    creationTime: read(r, 'CreationTime'),
    lastAccessTime: read(r, 'LastAccessTime'),
    lastWriteTime: read(r, 'LastWriteTime'),
    changeTime: read(r, 'ChangeTime'),
  };
}

/**
 * The times, AllocationSize, EndOfFile and FileAttributes, as FileNetworkOpenInformation
 * (MS-FSCC §2.4.29) and the CREATE and CLOSE responses (MS-SMB2 §2.2.14, §2.2.16) lay them out.
 */
export interface FileOpenAttributes extends FileTimes {
  readonly allocationSize: bigint;
  readonly endOfFile: bigint;
  readonly fileAttributes: number;
}

/** Writes the `FileOpenAttributes` fields in wire order (no Reserved after FileAttributes). */
export function writeOpenAttributes(w: Writer, v: FileOpenAttributes, form: Form = 'fscc'): void {
  writeFileTimes(w, v, form);
  const write = form === 'fscc' ? writeU64 : u64w;
  write(w, v.allocationSize, 'AllocationSize');
  write(w, v.endOfFile, form === 'fscc' ? 'EndOfFile' : 'EndofFile');
  w.u32(v.fileAttributes, 'FileAttributes');
}

/** Reads what `writeOpenAttributes` writes. */
export function readOpenAttributes(r: Reader, form: Form = 'fscc'): FileOpenAttributes {
  return {
    ...readFileTimes(r, form),
    allocationSize: r.u64('AllocationSize'),
    endOfFile: r.u64(form === 'fscc' ? 'EndOfFile' : 'EndofFile'),
    fileAttributes: r.u32('FileAttributes'),
  };
}

/** An 8-bit boolean (BOOLEAN): any non-zero byte is true. */
export function writeBool(w: Writer, v: boolean): void {
  w.u8(v ? 1 : 0);
}

/** Decodes a standalone info buffer: offsets and error positions count from its first byte. */
export function decodeBuffer<T>(bytes: Uint8Array, path: string, read: (r: Reader) => T): T {
  return read(new Reader(bytes, 0, bytes.length, path));
}

export function encodeBuffer<T>(value: T, write: (w: Writer, value: T) => void, initial = 64): Uint8Array {
  const w = new Writer(initial);
  write(w, value);
  return w.finish();
}

/**
 * Encodes a list chained by NextEntryOffset: each entry but the last is padded to `align`
 * bytes and its NextEntryOffset (its first 4 bytes) points at the next; the last has 0 and no
 * padding (as Windows and Samba write it).
 */
export function encodeChain<T>(
  entries: readonly T[],
  align: number,
  write: (w: Writer, e: T) => void,
): Uint8Array {
  const w = new Writer(256);
  entries.forEach((e, i) => {
    const start = w.pos;
    write(w, e);
    if (i < entries.length - 1) {
      w.align(align);
      w.patchU32(start, w.pos - start);
    }
  });
  return w.finish();
}

/**
 * Encodes as many entries as fit in `maxLength` bytes (the server side of an
 * OutputBufferLength); `count` is how many went in (0 when even the first does not fit).
 */
export function fitChain<T>(
  entries: readonly T[],
  align: number,
  maxLength: number,
  write: (w: Writer, e: T) => void,
  maxEntries = Number.POSITIVE_INFINITY,
): { bytes: Uint8Array; count: number } {
  const w = new Writer(256);
  let count = 0;
  let lastStart = -1;
  let end = 0;
  for (const e of entries) {
    if (count >= maxEntries) break;
    const start = count === 0 ? 0 : Math.ceil(end / align) * align;
    w.pos = end;
    if (start > end) w.zeros(start - end);
    write(w, e);
    if (w.pos > maxLength) break;
    if (lastStart >= 0) w.patchU32(lastStart, start - lastStart);
    // The entry we just wrote is the last so far: its NextEntryOffset stays 0.
    w.patchU32(start, 0);
    lastStart = start;
    end = w.pos;
    count++;
  }
  w.pos = end;
  return { bytes: w.finish(), count };
}

/**
 * Decodes a list chained by NextEntryOffset, bounds-checked: every entry must lie inside the
 * buffer and inside its own slot (up to the next entry); a NextEntryOffset that points past the
 * buffer is an `SmbDecodeError`. Offsets only grow, so the chain cannot loop. An empty buffer is
 * an empty list. `read` gets a reader positioned after NextEntryOffset and bounded to the slot.
 */
export function decodeChain<T>(bytes: Uint8Array, path: string, read: (r: Reader) => T): T[] {
  const out: T[] = [];
  if (bytes.length === 0) return out;
  let start = 0;
  for (;;) {
    const head = new Reader(bytes, 0, bytes.length, `${path}[${out.length}]`);
    head.pos = start;
    const next = head.u32('NextEntryOffset');
    if (next !== 0 && start + next + 4 > bytes.length) {
      head.fail(
        'NextEntryOffset',
        `next entry at ${start + next} is outside the buffer (${bytes.length} bytes)`,
        start,
      );
    }
    const r = new Reader(bytes, 0, next === 0 ? bytes.length : start + next, `${path}[${out.length}]`);
    r.pos = start + 4;
    out.push(read(r));
    if (next === 0) return out;
    start += next;
  }
}
