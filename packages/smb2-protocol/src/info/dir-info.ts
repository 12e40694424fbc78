/**
 * Directory enumeration classes (MS-FSCC §2.4.8, §2.4.10, §2.4.14, §2.4.17, §2.4.18,
 * §2.4.33): the OutputBuffer of a QUERY_DIRECTORY response, a list of entries chained by
 * NextEntryOffset, each entry but the last padded to 8 bytes.
 *
 * The entry types nest (names ⊂ directory ⊂ full ⊂ both ⊂ id-both), so a server can keep one
 * `DirectoryEntry` per file and encode it in whatever class the client asked for.
 */
import { SmbEncodeError } from '../wire/errors.js';
import { type Reader, utf16 } from '../wire/reader.js';
import { utf16le, type Writer } from '../wire/writer.js';
import { FileInformationClass } from './file-info.js';
import {
  decodeChain,
  encodeChain,
  type FileTimes,
  fitChain,
  readFileTimes,
  writeFileTimes,
  writeU64,
} from './internal.js';

/** §2.4.33 FileNamesInformation. */
export interface FileNamesEntry {
  /** Byte offset of the entry in the directory; 0 when the file system does not keep one (NTFS, Samba). */
  readonly fileIndex: number;
  readonly fileName: string;
}

/** §2.4.10 FileDirectoryInformation. */
export interface FileDirectoryEntry extends FileNamesEntry, FileTimes {
  readonly endOfFile: bigint;
  readonly allocationSize: bigint;
  readonly fileAttributes: number;
}

/** §2.4.14 FileFullDirectoryInformation. */
export interface FileFullDirectoryEntry extends FileDirectoryEntry {
  /** Size of the extended attributes, or the reparse tag when FILE_ATTRIBUTE_REPARSE_POINT is set. */
  readonly eaSize: number;
}

/** §2.4.8 FileBothDirectoryInformation. */
export interface FileBothDirectoryEntry extends FileFullDirectoryEntry {
  /** The 8.3 name, at most 12 characters; '' when there is none. */
  readonly shortName: string;
}

/** §2.4.18 FileIdFullDirectoryInformation. */
export interface FileIdFullDirectoryEntry extends FileFullDirectoryEntry {
  readonly fileId: bigint;
}

/** §2.4.17 FileIdBothDirectoryInformation. */
export interface FileIdBothDirectoryEntry extends FileBothDirectoryEntry {
  readonly fileId: bigint;
}

/** Every field of every class: what a server keeps per file. */
export type DirectoryEntry = FileIdBothDirectoryEntry;

/** Fixed size of an entry before FileName, per class. */
export const DIRECTORY_ENTRY_FIXED_SIZE = {
  [FileInformationClass.FileDirectoryInformation]: 64,
  [FileInformationClass.FileFullDirectoryInformation]: 68,
  [FileInformationClass.FileBothDirectoryInformation]: 94,
  [FileInformationClass.FileNamesInformation]: 12,
  [FileInformationClass.FileIdBothDirectoryInformation]: 104,
  [FileInformationClass.FileIdFullDirectoryInformation]: 80,
} as const;

const SHORT_NAME_BYTES = 24;

function writeCommon(w: Writer, e: FileDirectoryEntry): void {
  w.u32(e.fileIndex, 'FileIndex');
  writeFileTimes(w, e);
  writeU64(w, e.endOfFile, 'EndOfFile');
  writeU64(w, e.allocationSize, 'AllocationSize');
  w.u32(e.fileAttributes, 'FileAttributes');
}

function readCommon(r: Reader): Omit<FileDirectoryEntry, 'fileName'> {
  return {
    fileIndex: r.u32('FileIndex'),
    ...readFileTimes(r),
    endOfFile: r.u64('EndOfFile'),
    allocationSize: r.u64('AllocationSize'),
    fileAttributes: r.u32('FileAttributes'),
  };
}

function writeShortName(w: Writer, shortName: string): void {
  const s = utf16le(shortName);
  if (s.length > SHORT_NAME_BYTES) throw new SmbEncodeError('ShortName', 'longer than 12 characters');
  w.u8(s.length)
    .u8(0)
    .bytes(s)
    .zeros(SHORT_NAME_BYTES - s.length);
}

function readShortName(r: Reader): string {
  const at = r.pos;
  const length = r.u8('ShortNameLength');
  r.skip(1, 'Reserved');
  const bytes = r.bytesN(SHORT_NAME_BYTES, 'ShortName');
  if (length > SHORT_NAME_BYTES) r.fail('ShortNameLength', `${length} is more than ${SHORT_NAME_BYTES}`, at);
  return utf16(bytes.subarray(0, length), r, 'ShortName');
}

const readFileName = (r: Reader, length: number): string =>
  utf16(r.bytesN(length, 'FileName'), r, 'FileName');

/** How one class writes and reads an entry (after NextEntryOffset). */
interface EntryCodec<T> {
  write(w: Writer, e: T): void;
  read(r: Reader): T;
}

const names: EntryCodec<FileNamesEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0).u32(e.fileIndex, 'FileIndex').u32(name.length, 'FileNameLength').bytes(name);
  },
  read(r) {
    const fileIndex = r.u32('FileIndex');
    return { fileIndex, fileName: readFileName(r, r.u32('FileNameLength')) };
  },
};

const directory: EntryCodec<FileDirectoryEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0);
    writeCommon(w, e);
    w.u32(name.length, 'FileNameLength').bytes(name);
  },
  read(r) {
    const c = readCommon(r);
    return { ...c, fileName: readFileName(r, r.u32('FileNameLength')) };
  },
};

const full: EntryCodec<FileFullDirectoryEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0);
    writeCommon(w, e);
    w.u32(name.length, 'FileNameLength').u32(e.eaSize, 'EaSize').bytes(name);
  },
  read(r) {
    const c = readCommon(r);
    const length = r.u32('FileNameLength');
    const eaSize = r.u32('EaSize');
    return { ...c, eaSize, fileName: readFileName(r, length) };
  },
};

const both: EntryCodec<FileBothDirectoryEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0);
    writeCommon(w, e);
    w.u32(name.length, 'FileNameLength').u32(e.eaSize, 'EaSize');
    writeShortName(w, e.shortName);
    w.bytes(name);
  },
  read(r) {
    const c = readCommon(r);
    const length = r.u32('FileNameLength');
    const eaSize = r.u32('EaSize');
    const shortName = readShortName(r);
    return { ...c, eaSize, shortName, fileName: readFileName(r, length) };
  },
};

const idBoth: EntryCodec<FileIdBothDirectoryEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0);
    writeCommon(w, e);
    w.u32(name.length, 'FileNameLength').u32(e.eaSize, 'EaSize');
    writeShortName(w, e.shortName);
    w.u16(0, 'Reserved2');
    writeU64(w, e.fileId, 'FileId');
    w.bytes(name);
  },
  read(r) {
    const c = readCommon(r);
    const length = r.u32('FileNameLength');
    const eaSize = r.u32('EaSize');
    const shortName = readShortName(r);
    r.skip(2, 'Reserved2');
    const fileId = r.u64('FileId');
    return { ...c, eaSize, shortName, fileId, fileName: readFileName(r, length) };
  },
};

const idFull: EntryCodec<FileIdFullDirectoryEntry> = {
  write(w, e) {
    const name = utf16le(e.fileName);
    w.u32(0);
    writeCommon(w, e);
    w.u32(name.length, 'FileNameLength').u32(e.eaSize, 'EaSize').u32(0, 'Reserved');
    writeU64(w, e.fileId, 'FileId');
    w.bytes(name);
  },
  read(r) {
    const c = readCommon(r);
    const length = r.u32('FileNameLength');
    const eaSize = r.u32('EaSize');
    r.skip(4, 'Reserved');
    const fileId = r.u64('FileId');
    return { ...c, eaSize, fileId, fileName: readFileName(r, length) };
  },
};

/** A codec for the OutputBuffer of one directory class. */
export interface DirectoryInfoCodec<T> {
  readonly infoClass: number;
  readonly name: string;
  /** The entries chained by NextEntryOffset, all but the last padded to 8 bytes. */
  encode(entries: readonly T[]): Uint8Array;
  /**
   * As many entries as fit in `outputBufferLength` bytes, in order (a server answering
   * QUERY_DIRECTORY); `count` 0 means even the first does not fit (STATUS_BUFFER_OVERFLOW, or
   * STATUS_INFO_LENGTH_MISMATCH when the buffer is smaller than the fixed part). `maxEntries`
   * is 1 for SMB2_RETURN_SINGLE_ENTRY.
   */
  fit(
    entries: readonly T[],
    outputBufferLength: number,
    maxEntries?: number,
  ): { bytes: Uint8Array; count: number };
  /** `SmbDecodeError` for an entry or a NextEntryOffset outside the buffer. An empty buffer is an empty list. */
  decode(bytes: Uint8Array): T[];
}

function dirCodec<T>(infoClass: number, name: string, c: EntryCodec<T>): DirectoryInfoCodec<T> {
  const write = (w: Writer, e: T): void => c.write(w, e);
  return {
    infoClass,
    name,
    encode: (entries) => encodeChain(entries, 8, write),
    fit: (entries, outputBufferLength, maxEntries) =>
      fitChain(entries, 8, outputBufferLength, write, maxEntries),
    decode: (bytes) => decodeChain(bytes, name, (r) => c.read(r)),
  };
}

export const fileDirectoryInformation = dirCodec(
  FileInformationClass.FileDirectoryInformation,
  'FileDirectoryInformation',
  directory,
);
export const fileFullDirectoryInformation = dirCodec(
  FileInformationClass.FileFullDirectoryInformation,
  'FileFullDirectoryInformation',
  full,
);
export const fileBothDirectoryInformation = dirCodec(
  FileInformationClass.FileBothDirectoryInformation,
  'FileBothDirectoryInformation',
  both,
);
export const fileIdBothDirectoryInformation = dirCodec(
  FileInformationClass.FileIdBothDirectoryInformation,
  'FileIdBothDirectoryInformation',
  idBoth,
);
export const fileIdFullDirectoryInformation = dirCodec(
  FileInformationClass.FileIdFullDirectoryInformation,
  'FileIdFullDirectoryInformation',
  idFull,
);
export const fileNamesInformation = dirCodec(
  FileInformationClass.FileNamesInformation,
  'FileNamesInformation',
  names,
);

/** The entry type each directory class decodes to. */
export type DirectoryEntryOf<C extends number> = C extends typeof FileInformationClass.FileNamesInformation
  ? FileNamesEntry
  : C extends typeof FileInformationClass.FileDirectoryInformation
    ? FileDirectoryEntry
    : C extends typeof FileInformationClass.FileFullDirectoryInformation
      ? FileFullDirectoryEntry
      : C extends typeof FileInformationClass.FileBothDirectoryInformation
        ? FileBothDirectoryEntry
        : C extends typeof FileInformationClass.FileIdFullDirectoryInformation
          ? FileIdFullDirectoryEntry
          : FileIdBothDirectoryEntry;

const DIRECTORY_CODECS = new Map<number, DirectoryInfoCodec<DirectoryEntry>>(
  [
    fileDirectoryInformation,
    fileFullDirectoryInformation,
    fileBothDirectoryInformation,
    fileIdBothDirectoryInformation,
    fileIdFullDirectoryInformation,
    fileNamesInformation,
  ].map((c) => [c.infoClass, c as DirectoryInfoCodec<DirectoryEntry>]),
);

/** The codec of a directory class, or `undefined` for a class QUERY_DIRECTORY does not support here. */
export function directoryInfoCodec(infoClass: number): DirectoryInfoCodec<DirectoryEntry> | undefined {
  return DIRECTORY_CODECS.get(infoClass);
}

/** Server side: as many of `entries` as fit, in the class the client asked for. RangeError for an unknown class. */
export function fitDirectoryEntries(
  infoClass: number,
  entries: readonly DirectoryEntry[],
  outputBufferLength: number,
  maxEntries?: number,
): { bytes: Uint8Array; count: number } {
  const c = DIRECTORY_CODECS.get(infoClass);
  if (!c) throw new RangeError(`FileInformationClass ${infoClass} is not a directory class`);
  return c.fit(entries, outputBufferLength, maxEntries);
}

/** Client side: the entries of a QUERY_DIRECTORY OutputBuffer. RangeError for an unknown class. */
export function decodeDirectoryEntries<C extends number>(
  infoClass: C,
  bytes: Uint8Array,
): DirectoryEntryOf<C>[] {
  const c = DIRECTORY_CODECS.get(infoClass);
  if (!c) throw new RangeError(`FileInformationClass ${infoClass} is not a directory class`);
  return c.decode(bytes) as DirectoryEntryOf<C>[];
}
