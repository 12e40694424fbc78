/** POSIX `stat` → SMB `FileInfo`: FILETIMEs, sizes and attributes. */
import type { BigIntStats } from 'node:fs';
import { FileAttributes } from '@postntlm/smb2-protocol';
import { nsToFiletime } from './time.js';
import type { FileInfo } from './types.js';

export interface AttributeOptions {
  /** FILE_ATTRIBUTE_HIDDEN for names beginning with `.` (not `.`/`..`). */
  readonly hideDotFiles: boolean;
}

/**
 * Attributes: DIRECTORY for directories; ARCHIVE for every file (POSIX has no archive bit,
 * and Windows sets it on every write anyway); READONLY for files with no write bit in their
 * mode; HIDDEN for dot-files when configured; NORMAL when nothing else applies.
 */
export function attributesOf(st: BigIntStats, name: string, opts: AttributeOptions): number {
  let a = 0;
  if (st.isDirectory()) a |= FileAttributes.DIRECTORY;
  else {
    a |= FileAttributes.ARCHIVE;
    if ((Number(st.mode) & 0o222) === 0) a |= FileAttributes.READONLY;
  }
  if (opts.hideDotFiles && name.startsWith('.') && name !== '.' && name !== '..') a |= FileAttributes.HIDDEN;
  return a === 0 ? FileAttributes.NORMAL : a;
}

/** Creation time: the birth time where the file system records it (statx), else min(mtime, ctime). */
export function creationNs(st: BigIntStats): bigint {
  if (st.birthtimeNs > 0n) return st.birthtimeNs;
  if (st.mtimeNs < st.ctimeNs) return st.mtimeNs;
  return st.ctimeNs;
}

export function toFileInfo(
  st: BigIntStats,
  name: string,
  opts: AttributeOptions,
  deletePending = false,
): FileInfo {
  const dir = st.isDirectory();
  return {
    creationTime: nsToFiletime(creationNs(st)),
    lastAccessTime: nsToFiletime(st.atimeNs),
    lastWriteTime: nsToFiletime(st.mtimeNs),
    changeTime: nsToFiletime(st.ctimeNs),
    endOfFile: dir ? 0n : st.size,
    allocationSize: dir ? 0n : st.blocks * 512n,
    attributes: attributesOf(st, name, opts),
    isDirectory: dir,
    fileId: st.ino,
    numberOfLinks: Number(st.nlink),
    deletePending,
  };
}
