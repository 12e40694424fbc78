/**
 * File information classes (MS-FSCC §2.4) carried by QUERY_INFO / SET_INFO with
 * InfoType SMB2_0_INFO_FILE: numbers, value types and byte-exact codecs.
 *
 * 64-bit times are signed FILETIME `bigint`s (see `filetime.ts`); 64-bit sizes, indexes and
 * offsets are unsigned `bigint`s. Decoders take the OutputBuffer / Buffer alone (offsets in
 * errors count from its first byte) and ignore bytes after a fixed-size structure.
 */
import { SmbDecodeError, SmbEncodeError } from '../wire/errors.js';
import { type Reader, utf16 } from '../wire/reader.js';
import { utf16le, type Writer } from '../wire/writer.js';
import {
  decodeBuffer,
  decodeChain,
  encodeBuffer,
  encodeChain,
  type FileOpenAttributes,
  type FileTimes,
  readFileTimes,
  readOpenAttributes,
  writeBool,
  writeFileTimes,
  writeOpenAttributes,
  writeU64,
} from './internal.js';

/** FileInformationClass values (MS-FSCC §2.4). */
export const FileInformationClass = {
  FileDirectoryInformation: 1,
  FileFullDirectoryInformation: 2,
  FileBothDirectoryInformation: 3,
  FileBasicInformation: 4,
  FileStandardInformation: 5,
  FileInternalInformation: 6,
  FileEaInformation: 7,
  FileAccessInformation: 8,
  FileNameInformation: 9,
  FileRenameInformation: 10,
  FileLinkInformation: 11,
  FileNamesInformation: 12,
  FileDispositionInformation: 13,
  FilePositionInformation: 14,
  FileFullEaInformation: 15,
  FileModeInformation: 16,
  FileAlignmentInformation: 17,
  FileAllInformation: 18,
  FileAllocationInformation: 19,
  FileEndOfFileInformation: 20,
  FileAlternateNameInformation: 21,
  FileStreamInformation: 22,
  FilePipeInformation: 23,
  FilePipeLocalInformation: 24,
  FilePipeRemoteInformation: 25,
  FileCompressionInformation: 28,
  FileObjectIdInformation: 29,
  FileQuotaInformation: 32,
  FileReparsePointInformation: 33,
  FileNetworkOpenInformation: 34,
  FileAttributeTagInformation: 35,
  FileIdBothDirectoryInformation: 37,
  FileIdFullDirectoryInformation: 38,
  FileValidDataLengthInformation: 39,
  FileShortNameInformation: 40,
  FileSfioReserveInformation: 44,
  FileHardLinkInformation: 46,
  FileNormalizedNameInformation: 48,
  FileIdGlobalTxDirectoryInformation: 50,
  FileStandardLinkInformation: 54,
  FileIdInformation: 59,
  FileIdExtdDirectoryInformation: 60,
  FileDispositionInformationEx: 64,
  FileRenameInformationEx: 65,
} as const;
export type FileInformationClass = (typeof FileInformationClass)[keyof typeof FileInformationClass];

/** A codec for one information class: the bytes of the OutputBuffer (QUERY_INFO) or Buffer (SET_INFO). */
export interface InfoCodec<T> {
  /** The FileInformationClass / FsInformationClass number. */
  readonly infoClass: number;
  readonly name: string;
  encode(value: T): Uint8Array;
  /** `SmbDecodeError` for malformed bytes. */
  decode(bytes: Uint8Array): T;
  /** Writes into a writer (for structures that embed it). */
  write(w: Writer, value: T): void;
  /** Reads from a reader (for structures that embed it). */
  read(r: Reader): T;
}

/** Builds an `InfoCodec` from its read and write halves. */
export function infoCodec<T>(
  infoClass: number,
  name: string,
  write: (w: Writer, value: T) => void,
  read: (r: Reader) => T,
): InfoCodec<T> {
  return {
    infoClass,
    name,
    write,
    read,
    encode: (value) => encodeBuffer(value, write),
    decode: (bytes) => decodeBuffer(bytes, name, read),
  };
}

/**
 * Codec for a list chained by NextEntryOffset (entries but the last padded to `align`); `read`
 * takes the rest of the reader as the list.
 */
function chainCodec<T>(
  infoClass: number,
  name: string,
  align: number,
  writeEntry: (w: Writer, e: T) => void,
  readEntry: (r: Reader) => T,
): InfoCodec<readonly T[]> {
  return {
    infoClass,
    name,
    encode: (list) => encodeChain(list, align, writeEntry),
    decode: (bytes) => decodeChain(bytes, name, readEntry),
    write: (w, list) => void w.bytes(encodeChain(list, align, writeEntry)),
    read: (r) => decodeChain(r.bytesN(r.remaining, name), r.path, readEntry),
  };
}

/** A counted UTF-16LE name: u32 byte length already read, then the text. */
function readName(r: Reader, length: number, field: string): string {
  return utf16(r.bytesN(length, field), r, field);
}

// ---------------------------------------------------------------------------------------------
// §2.4.7 FileBasicInformation

export interface FileBasicInformation extends FileTimes {
  /** FILE_ATTRIBUTE_* (MS-FSCC §2.6); 0 in SET_INFO = do not change. */
  readonly fileAttributes: number;
}

export const fileBasicInformation = infoCodec<FileBasicInformation>(
  FileInformationClass.FileBasicInformation,
  'FileBasicInformation',
  (w, v) => {
    writeFileTimes(w, v);
    w.u32(v.fileAttributes, 'FileAttributes').u32(0, 'Reserved');
  },
  (r) => {
    const v = { ...readFileTimes(r), fileAttributes: r.u32('FileAttributes') };
    // Reserved: some clients send the 36-byte form without it.
    if (r.remaining >= 4) r.skip(4, 'Reserved');
    return v;
  },
);

// §2.4.41 FileStandardInformation

export interface FileStandardInformation {
  readonly allocationSize: bigint;
  readonly endOfFile: bigint;
  readonly numberOfLinks: number;
  readonly deletePending: boolean;
  readonly directory: boolean;
}

export const fileStandardInformation = infoCodec<FileStandardInformation>(
  FileInformationClass.FileStandardInformation,
  'FileStandardInformation',
  (w, v) => {
    writeU64(w, v.allocationSize, 'AllocationSize');
    writeU64(w, v.endOfFile, 'EndOfFile');
    w.u32(v.numberOfLinks, 'NumberOfLinks');
    writeBool(w, v.deletePending);
    writeBool(w, v.directory);
    w.u16(0, 'Reserved');
  },
  (r) => {
    const v = {
      allocationSize: r.u64('AllocationSize'),
      endOfFile: r.u64('EndOfFile'),
      numberOfLinks: r.u32('NumberOfLinks'),
      deletePending: r.u8('DeletePending') !== 0,
      directory: r.u8('Directory') !== 0,
    };
    if (r.remaining >= 2) r.skip(2, 'Reserved');
    return v;
  },
);

/** Codec for a structure of one fixed field. */
function single<K extends string, V>(
  infoClass: number,
  name: string,
  key: K,
  field: string,
  write: (w: Writer, v: V, field: string) => void,
  read: (r: Reader, field: string) => V,
): InfoCodec<Readonly<Record<K, V>>> {
  return infoCodec<Readonly<Record<K, V>>>(
    infoClass,
    name,
    (w, v) => write(w, v[key], field),
    (r) => ({ [key]: read(r, field) }) as Readonly<Record<K, V>>,
  );
}
const u32w = (w: Writer, v: number, f: string): void => void w.u32(v, f);
const u32r = (r: Reader, f: string): number => r.u32(f);
const u64r = (r: Reader, f: string): bigint => r.u64(f);

// §2.4.20 FileInternalInformation
export interface FileInternalInformation {
  /** The file's 64-bit id on its volume. */
  readonly indexNumber: bigint;
}
export const fileInternalInformation: InfoCodec<FileInternalInformation> = single(
  FileInformationClass.FileInternalInformation,
  'FileInternalInformation',
  'indexNumber',
  'IndexNumber',
  writeU64,
  u64r,
);

// §2.4.13 FileEaInformation
export interface FileEaInformation {
  readonly eaSize: number;
}
export const fileEaInformation: InfoCodec<FileEaInformation> = single(
  FileInformationClass.FileEaInformation,
  'FileEaInformation',
  'eaSize',
  'EaSize',
  u32w,
  u32r,
);

// §2.4.1 FileAccessInformation
export interface FileAccessInformation {
  /** The access mask the handle was granted. */
  readonly accessFlags: number;
}
export const fileAccessInformation: InfoCodec<FileAccessInformation> = single(
  FileInformationClass.FileAccessInformation,
  'FileAccessInformation',
  'accessFlags',
  'AccessFlags',
  u32w,
  u32r,
);

// §2.4.35 FilePositionInformation
export interface FilePositionInformation {
  readonly currentByteOffset: bigint;
}
export const filePositionInformation: InfoCodec<FilePositionInformation> = single(
  FileInformationClass.FilePositionInformation,
  'FilePositionInformation',
  'currentByteOffset',
  'CurrentByteOffset',
  writeU64,
  u64r,
);

// §2.4.26 FileModeInformation
export interface FileModeInformation {
  /** FILE_WRITE_THROUGH 0x2, FILE_SEQUENTIAL_ONLY 0x4, FILE_NO_INTERMEDIATE_BUFFERING 0x8, FILE_SYNCHRONOUS_IO_ALERT 0x10, FILE_SYNCHRONOUS_IO_NONALERT 0x20, FILE_DELETE_ON_CLOSE 0x1000. */
  readonly mode: number;
}
export const fileModeInformation: InfoCodec<FileModeInformation> = single(
  FileInformationClass.FileModeInformation,
  'FileModeInformation',
  'mode',
  'Mode',
  u32w,
  u32r,
);

// §2.4.3 FileAlignmentInformation
export interface FileAlignmentInformation {
  /** FILE_BYTE_ALIGNMENT 0 ... FILE_512_BYTE_ALIGNMENT 0x1ff. */
  readonly alignmentRequirement: number;
}
export const fileAlignmentInformation: InfoCodec<FileAlignmentInformation> = single(
  FileInformationClass.FileAlignmentInformation,
  'FileAlignmentInformation',
  'alignmentRequirement',
  'AlignmentRequirement',
  u32w,
  u32r,
);

// §2.4.28 FileNameInformation (also FileAlternateNameInformation §2.4.5, FileNormalizedNameInformation §2.4.30)
export interface FileNameInformation {
  readonly fileName: string;
}
function writeNameInfo(w: Writer, v: FileNameInformation): void {
  const name = utf16le(v.fileName);
  w.u32(name.length, 'FileNameLength').bytes(name);
}
function readNameInfo(r: Reader): FileNameInformation {
  return { fileName: readName(r, r.u32('FileNameLength'), 'FileName') };
}
export const fileNameInformation = infoCodec<FileNameInformation>(
  FileInformationClass.FileNameInformation,
  'FileNameInformation',
  writeNameInfo,
  readNameInfo,
);
export const fileAlternateNameInformation = infoCodec<FileNameInformation>(
  FileInformationClass.FileAlternateNameInformation,
  'FileAlternateNameInformation',
  writeNameInfo,
  readNameInfo,
);
export const fileNormalizedNameInformation = infoCodec<FileNameInformation>(
  FileInformationClass.FileNormalizedNameInformation,
  'FileNormalizedNameInformation',
  writeNameInfo,
  readNameInfo,
);

// §2.4.2 FileAllInformation: the classes above back to back, then the name.
export interface FileAllInformation {
  readonly basic: FileBasicInformation;
  readonly standard: FileStandardInformation;
  readonly internal: FileInternalInformation;
  readonly ea: FileEaInformation;
  readonly access: FileAccessInformation;
  readonly position: FilePositionInformation;
  readonly mode: FileModeInformation;
  readonly alignment: FileAlignmentInformation;
  /** The path from the share root (Windows and Samba start it with a backslash). */
  readonly name: FileNameInformation;
}

export const fileAllInformation = infoCodec<FileAllInformation>(
  FileInformationClass.FileAllInformation,
  'FileAllInformation',
  (w, v) => {
    fileBasicInformation.write(w, v.basic);
    fileStandardInformation.write(w, v.standard);
    fileInternalInformation.write(w, v.internal);
    fileEaInformation.write(w, v.ea);
    fileAccessInformation.write(w, v.access);
    filePositionInformation.write(w, v.position);
    fileModeInformation.write(w, v.mode);
    fileAlignmentInformation.write(w, v.alignment);
    writeNameInfo(w, v.name);
  },
  (r) => {
    // Fixed-length parts: read each from a bounded slice so the optional Reserved fields stay in place.
    const part = <T>(len: number, c: InfoCodec<T>): T => {
      const start = r.pos;
      const bytes = r.bytesN(len, c.name);
      try {
        return c.decode(bytes);
      } catch (e) {
        if (e instanceof SmbDecodeError)
          throw new SmbDecodeError(`${r.path}.${e.path}`, start - r.base + e.offset, e.reason);
        throw e;
      }
    };
    return {
      basic: part(40, fileBasicInformation),
      standard: part(24, fileStandardInformation),
      internal: fileInternalInformation.read(r),
      ea: fileEaInformation.read(r),
      access: fileAccessInformation.read(r),
      position: filePositionInformation.read(r),
      mode: fileModeInformation.read(r),
      alignment: fileAlignmentInformation.read(r),
      name: readNameInfo(r),
    };
  },
);

// §2.4.29 FileNetworkOpenInformation
export interface FileNetworkOpenInformation extends FileOpenAttributes {}

export const fileNetworkOpenInformation = infoCodec<FileNetworkOpenInformation>(
  FileInformationClass.FileNetworkOpenInformation,
  'FileNetworkOpenInformation',
  (w, v) => {
    writeOpenAttributes(w, v);
    w.u32(0, 'Reserved');
  },
  (r) => {
    const v = readOpenAttributes(r);
    r.skip(4, 'Reserved');
    return v;
  },
);

// §2.4.6 FileAttributeTagInformation
export interface FileAttributeTagInformation {
  readonly fileAttributes: number;
  /** IO_REPARSE_TAG_* when FILE_ATTRIBUTE_REPARSE_POINT is set, else 0. */
  readonly reparseTag: number;
}
export const fileAttributeTagInformation = infoCodec<FileAttributeTagInformation>(
  FileInformationClass.FileAttributeTagInformation,
  'FileAttributeTagInformation',
  (w, v) => void w.u32(v.fileAttributes, 'FileAttributes').u32(v.reparseTag, 'ReparseTag'),
  (r) => ({ fileAttributes: r.u32('FileAttributes'), reparseTag: r.u32('ReparseTag') }),
);

// §2.4.44 FileStreamInformation: a list chained by NextEntryOffset, entries 8-byte aligned.
export interface FileStreamEntry {
  /** e.g. `::$DATA` for the unnamed stream, `:name:$DATA` for a named one. */
  readonly streamName: string;
  readonly streamSize: bigint;
  readonly streamAllocationSize: bigint;
}

function writeStreamEntry(w: Writer, v: FileStreamEntry): void {
  const name = utf16le(v.streamName);
  w.u32(0, 'NextEntryOffset').u32(name.length, 'StreamNameLength');
  writeU64(w, v.streamSize, 'StreamSize');
  writeU64(w, v.streamAllocationSize, 'StreamAllocationSize');
  w.bytes(name);
}

function readStreamEntry(r: Reader): FileStreamEntry {
  const length = r.u32('StreamNameLength');
  const streamSize = r.u64('StreamSize');
  const streamAllocationSize = r.u64('StreamAllocationSize');
  return { streamName: readName(r, length, 'StreamName'), streamSize, streamAllocationSize };
}

export const fileStreamInformation = chainCodec<FileStreamEntry>(
  FileInformationClass.FileStreamInformation,
  'FileStreamInformation',
  8,
  writeStreamEntry,
  readStreamEntry,
);

// §2.4.37.2 FileRenameInformation, SMB2 form (also FileLinkInformation §2.4.21.2).
export interface FileRenameInformation {
  readonly replaceIfExists: boolean;
  /** 0 for SMB2 (the name is from the share root). */
  readonly rootDirectory: bigint;
  readonly fileName: string;
}

function writeRename(w: Writer, v: FileRenameInformation): void {
  const name = utf16le(v.fileName);
  writeBool(w, v.replaceIfExists);
  w.zeros(7);
  writeU64(w, v.rootDirectory, 'RootDirectory');
  w.u32(name.length, 'FileNameLength').bytes(name);
}

function readRename(r: Reader): FileRenameInformation {
  const replaceIfExists = r.u8('ReplaceIfExists') !== 0;
  r.skip(7, 'Reserved');
  const rootDirectory = r.u64('RootDirectory');
  const fileName = readName(r, r.u32('FileNameLength'), 'FileName');
  return { replaceIfExists, rootDirectory, fileName };
}

export const fileRenameInformation = infoCodec<FileRenameInformation>(
  FileInformationClass.FileRenameInformation,
  'FileRenameInformation',
  writeRename,
  readRename,
);
export const fileLinkInformation = infoCodec<FileRenameInformation>(
  FileInformationClass.FileLinkInformation,
  'FileLinkInformation',
  writeRename,
  readRename,
);

// §2.4.11 FileDispositionInformation
export interface FileDispositionInformation {
  readonly deletePending: boolean;
}
export const fileDispositionInformation = infoCodec<FileDispositionInformation>(
  FileInformationClass.FileDispositionInformation,
  'FileDispositionInformation',
  (w, v) => writeBool(w, v.deletePending),
  (r) => ({ deletePending: r.u8('DeletePending') !== 0 }),
);

/** FileDispositionInformationEx flags (MS-FSCC §2.4.12). */
export const FileDispositionFlags = {
  DO_NOT_DELETE: 0x00000000,
  DELETE: 0x00000001,
  POSIX_SEMANTICS: 0x00000002,
  FORCE_IMAGE_SECTION_CHECK: 0x00000004,
  ON_CLOSE: 0x00000008,
  IGNORE_READONLY_ATTRIBUTE: 0x00000010,
} as const;

// §2.4.12 FileDispositionInformationEx
export interface FileDispositionInformationEx {
  /** `FileDispositionFlags`. */
  readonly flags: number;
}
export const fileDispositionInformationEx: InfoCodec<FileDispositionInformationEx> = single(
  FileInformationClass.FileDispositionInformationEx,
  'FileDispositionInformationEx',
  'flags',
  'Flags',
  u32w,
  u32r,
);

// §2.4.14 FileEndOfFileInformation
export interface FileEndOfFileInformation {
  readonly endOfFile: bigint;
}
export const fileEndOfFileInformation: InfoCodec<FileEndOfFileInformation> = single(
  FileInformationClass.FileEndOfFileInformation,
  'FileEndOfFileInformation',
  'endOfFile',
  'EndOfFile',
  writeU64,
  u64r,
);

// §2.4.4 FileAllocationInformation
export interface FileAllocationInformation {
  readonly allocationSize: bigint;
}
export const fileAllocationInformation: InfoCodec<FileAllocationInformation> = single(
  FileInformationClass.FileAllocationInformation,
  'FileAllocationInformation',
  'allocationSize',
  'AllocationSize',
  writeU64,
  u64r,
);

// §2.4.15 FileFullEaInformation: a list chained by NextEntryOffset, entries 4-byte aligned.
export interface FileFullEaEntry {
  /** FILE_NEED_EA 0x80. */
  readonly flags: number;
  /** 8-bit ASCII, 1..255 bytes, no NUL. */
  readonly name: string;
  readonly value: Uint8Array;
}

function writeEaEntry(w: Writer, v: FileFullEaEntry): void {
  const name = v.name;
  if (name.length > 255) throw new SmbEncodeError('EaName', 'longer than 255 bytes');
  w.u32(0, 'NextEntryOffset').u8(v.flags);
  w.u8(name.length).u16(v.value.length, 'EaValueLength');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0xff || c === 0) throw new SmbEncodeError('EaName', 'not 8-bit text without NUL');
    w.u8(c);
  }
  w.u8(0).bytes(v.value);
}

function readEaEntry(r: Reader): FileFullEaEntry {
  const flags = r.u8('Flags');
  const nameLength = r.u8('EaNameLength');
  const valueLength = r.u16('EaValueLength');
  const nameBytes = r.bytesN(nameLength, 'EaName');
  const at = r.pos;
  if (r.u8('EaName') !== 0) r.fail('EaName', 'missing NUL terminator', at);
  const value = r.bytesN(valueLength, 'EaValue');
  return { flags, name: String.fromCharCode(...nameBytes), value };
}

export const fileFullEaInformation = chainCodec<FileFullEaEntry>(
  FileInformationClass.FileFullEaInformation,
  'FileFullEaInformation',
  4,
  writeEaEntry,
  readEaEntry,
);

/** The file-information codecs by FileInformationClass (for a server's QUERY_INFO / SET_INFO dispatch). */
export const FILE_INFO_CODECS: ReadonlyMap<number, InfoCodec<unknown>> = new Map(
  [
    fileBasicInformation,
    fileStandardInformation,
    fileInternalInformation,
    fileEaInformation,
    fileAccessInformation,
    fileNameInformation,
    fileAlternateNameInformation,
    fileNormalizedNameInformation,
    filePositionInformation,
    fileModeInformation,
    fileAlignmentInformation,
    fileAllInformation,
    fileNetworkOpenInformation,
    fileAttributeTagInformation,
    fileStreamInformation,
    fileRenameInformation,
    fileLinkInformation,
    fileDispositionInformation,
    fileDispositionInformationEx,
    fileEndOfFileInformation,
    fileAllocationInformation,
    fileFullEaInformation,
  ].map((c) => [c.infoClass, c as InfoCodec<unknown>]),
);
