/**
 * What `stat` and `readdir` return: the FILE_NETWORK_OPEN / directory-entry fields (MS-FSCC
 * §2.4.29, §2.4.17) as numbers and Dates, like node:fs's Stats.
 */
import { FileAttributes, filetimeToDate } from '@postntlm/smb2-protocol';

export interface SmbStats {
  /** Bytes of data (EndOfFile). */
  readonly size: number;
  readonly allocationSize: number;
  /** FILE_ATTRIBUTE_* bits. */
  readonly attributes: number;
  readonly birthtime: Date;
  readonly atime: Date;
  readonly mtime: Date;
  readonly ctime: Date;
  isDirectory(): boolean;
  isFile(): boolean;
}

export interface SmbDirent extends SmbStats {
  readonly name: string;
}

/** The fields every source of these has (CREATE/CLOSE responses, FILE_NETWORK_OPEN, directory entries). */
export interface RawFileFields {
  readonly creationTime: bigint;
  readonly lastAccessTime: bigint;
  readonly lastWriteTime: bigint;
  readonly changeTime: bigint;
  readonly allocationSize: bigint;
  readonly endOfFile: bigint;
  readonly fileAttributes: number;
}

const EPOCH = new Date(0);
const dateOf = (ft: bigint): Date => filetimeToDate(ft) ?? EPOCH;

export function statsOf(f: RawFileFields): SmbStats {
  const directory = (f.fileAttributes & FileAttributes.DIRECTORY) !== 0;
  return {
    size: Number(f.endOfFile),
    allocationSize: Number(f.allocationSize),
    attributes: f.fileAttributes,
    birthtime: dateOf(f.creationTime),
    atime: dateOf(f.lastAccessTime),
    mtime: dateOf(f.lastWriteTime),
    ctime: dateOf(f.changeTime),
    isDirectory: () => directory,
    isFile: () => !directory,
  };
}
