/**
 * The storage interface the SMB2 protocol core calls: `ShareBackend`. Paths are SMB
 * relative paths (`dir\file.txt`, `\` separators, no leading `\`, `''` = the share root),
 * validated by names.ts; names are case-sensitive. Every failure is a `SmbStatusError`
 * whose `status` is the NTSTATUS to answer. Offsets and sizes are `bigint` (64-bit on the
 * wire); times are FILETIME `bigint`s (100 ns since 1601).
 */
import type { ChangeEvent, DirectoryWatcher, WatchOptions } from './notify.js';

export type { ChangeEvent, DirectoryWatcher, WatchOptions };

/** An open returned by `create`: pass it back to the other methods. */
export interface OpenHandle {
  /** Unique per backend instance while open. */
  readonly id: number;
  /** Current SMB path (follows renames made through the backend). */
  readonly path: string;
  readonly isDirectory: boolean;
  /** Specific rights granted (generic rights mapped, MAXIMUM_ALLOWED expanded). */
  readonly grantedAccess: number;
  readonly shareAccess: number;
  readonly closed: boolean;
}

export interface CreateRequest {
  readonly path: string;
  /** `AccessMask` bits (generic rights allowed). */
  readonly desiredAccess: number;
  /** `ShareAccess` bits. */
  readonly shareAccess: number;
  /** `CreateDisposition` value. */
  readonly disposition: number;
  /** `CreateOptions` bits: DIRECTORY_FILE, NON_DIRECTORY_FILE, DELETE_ON_CLOSE are acted on. */
  readonly options?: number;
  /** `FileAttributes` for a new or overwritten file: READONLY is honoured (mode bits). */
  readonly attributes?: number;
}

export interface FileInfo {
  readonly creationTime: bigint;
  readonly lastAccessTime: bigint;
  readonly lastWriteTime: bigint;
  readonly changeTime: bigint;
  /** File size; 0 for directories. */
  readonly endOfFile: bigint;
  /** Bytes allocated (st_blocks × 512); 0 for directories. */
  readonly allocationSize: bigint;
  /** `FileAttributes` bits. */
  readonly attributes: number;
  readonly isDirectory: boolean;
  /** The inode number: stable, unique on the volume (FileInternalInformation). */
  readonly fileId: bigint;
  readonly numberOfLinks: number;
  readonly deletePending: boolean;
}

export interface CreateResult {
  readonly handle: OpenHandle;
  /** `CreateAction` value. */
  readonly action: number;
  readonly info: FileInfo;
}

export interface DirectoryEntry extends FileInfo {
  readonly name: string;
  /** Position in the enumeration: pass to `resumeAfterIndex` to continue after it. */
  readonly index: number;
}

export interface QueryDirectoryOptions {
  /** Search pattern (MS-FSA §2.1.4.4); used when an enumeration (re)starts. Default `*`. */
  readonly pattern?: string;
  /** Start again from the first entry (SMB2_RESTART_SCANS / REOPEN), with `pattern`. */
  readonly restart?: boolean;
  /** At most this many entries (SMB2_RETURN_SINGLE_ENTRY: 1). Default: all remaining. */
  readonly maxEntries?: number;
  /** Continue after the entry with this `index` (SMB2_INDEX_SPECIFIED). */
  readonly resumeAfterIndex?: number;
}

/** FILETIMEs to set; 0n (or absent) leaves a time unchanged, as do -1n and -2n. */
export interface SetTimes {
  readonly creationTime?: bigint;
  readonly lastAccessTime?: bigint;
  readonly lastWriteTime?: bigint;
  readonly changeTime?: bigint;
}

export interface LockOptions {
  readonly exclusive: boolean;
  /** Wait for a conflicting lock to go (no FAIL_IMMEDIATELY); abort with `signal` (CANCEL). */
  readonly wait?: boolean;
  readonly signal?: AbortSignal;
}

/** FileFsSizeInformation / FileFsFullSizeInformation material. */
export interface FsSizeInfo {
  readonly bytesPerSector: number;
  readonly sectorsPerAllocationUnit: number;
  readonly totalAllocationUnits: bigint;
  /** Free units for the caller (statfs f_bavail): FileFsSizeInformation.AvailableAllocationUnits. */
  readonly callerAvailableAllocationUnits: bigint;
  /** Free units on the volume (f_bfree). */
  readonly actualAvailableAllocationUnits: bigint;
}

/** FileFsAttributeInformation material. */
export interface FsAttributeInfo {
  readonly fileSystemName: string;
  /** `FileSystemAttributes` bits. */
  readonly attributes: number;
  readonly maxComponentLength: number;
}

/** FileFsVolumeInformation material. */
export interface VolumeInfo {
  readonly label: string;
  readonly serialNumber: number;
  readonly creationTime: bigint;
}

export interface ShareBackend {
  /** CREATE: opens or creates per disposition and options, enforcing share modes. */
  create(req: CreateRequest): Promise<CreateResult>;
  /**
   * CLOSE: releases the handle, its locks and watchers; returns the attributes just before
   * closing. Deletes the file when it is delete-pending and this was its last open.
   */
  close(h: OpenHandle): Promise<FileInfo>;
  /** READ: up to `length` bytes at `offset`; STATUS_END_OF_FILE at or past the end. */
  read(h: OpenHandle, offset: bigint, length: number): Promise<Uint8Array>;
  /**
   * READ into the caller's buffer: up to `into.length` bytes at `offset`; returns the count
   * (STATUS_END_OF_FILE at or past the end). Optional: lets the READ handler place the data
   * where the response will be sent from, with no copy of its own.
   */
  readInto?(h: OpenHandle, offset: bigint, into: Uint8Array): Promise<number>;
  /** WRITE: all of `data` at `offset`; returns the count written. */
  write(h: OpenHandle, offset: bigint, data: Uint8Array): Promise<number>;
  /** FLUSH: fsync. */
  flush(h: OpenHandle): Promise<void>;
  /** QUERY_INFO basic/standard/network-open material. */
  stat(h: OpenHandle): Promise<FileInfo>;
  /** QUERY_DIRECTORY: STATUS_NO_SUCH_FILE when nothing matches, STATUS_NO_MORE_FILES at the end. */
  queryDirectory(h: OpenHandle, opts?: QueryDirectoryOptions): Promise<DirectoryEntry[]>;
  /** FileBasicInformation times. Creation and change time cannot be set on Linux: ignored. */
  setTimes(h: OpenHandle, times: SetTimes): Promise<void>;
  /** FileBasicInformation attributes (0 = unchanged): READONLY maps to the write bits. */
  setAttributes(h: OpenHandle, attributes: number): Promise<void>;
  /** FileEndOfFileInformation: truncate or extend with zeros. */
  setEndOfFile(h: OpenHandle, size: bigint): Promise<void>;
  /** FileAllocationInformation: below the end of file truncates; above is a no-op. */
  setAllocationSize(h: OpenHandle, size: bigint): Promise<void>;
  /** FileRenameInformation: `newPath` is a share-relative path; needs DELETE access. */
  rename(h: OpenHandle, newPath: string, opts?: { replace?: boolean }): Promise<void>;
  /** FileDispositionInformation: mark (or unmark) the file for deletion at last close. */
  setDeleteOnClose(h: OpenHandle, deletePending: boolean): Promise<void>;
  /** LOCK element: STATUS_LOCK_NOT_GRANTED on conflict (unless waiting). */
  lock(h: OpenHandle, offset: bigint, length: bigint, opts: LockOptions): Promise<void>;
  /** LOCK element with UNLOCK: STATUS_RANGE_NOT_LOCKED unless exactly this range is held. */
  unlock(h: OpenHandle, offset: bigint, length: bigint): Promise<void>;
  /** CHANGE_NOTIFY: a watcher on an open directory, closed with it. */
  watch(h: OpenHandle, opts?: WatchOptions): DirectoryWatcher;
  fsSize(): Promise<FsSizeInfo>;
  fsAttributes(): FsAttributeInfo;
  volumeInfo(): Promise<VolumeInfo>;
  /** Closes every handle (honouring delete-on-close) and the backend itself. */
  dispose(): Promise<void>;
  /**
   * FSCTL_SET_SPARSE (MS-FSCC §2.3): sets or clears FILE_ATTRIBUTE_SPARSE_FILE. Optional
   * (with the two below): a backend without it answers STATUS_INVALID_DEVICE_REQUEST.
   */
  setSparse?(h: OpenHandle, sparse: boolean): Promise<void>;
  /** FSCTL_SET_ZERO_DATA (MS-FSCC §2.3.85): zeros [from, to) clipped to the end of file. */
  zeroData?(h: OpenHandle, from: bigint, to: bigint): Promise<void>;
  /** FSCTL_QUERY_ALLOCATED_RANGES (MS-FSCC §2.3): the allocated parts of [offset, offset+length) below the end of file. */
  allocatedRanges?(h: OpenHandle, offset: bigint, length: bigint): Promise<AllocatedRange[]>;
}

/** One FILE_ALLOCATED_RANGE_BUFFER. */
export interface AllocatedRange {
  readonly offset: bigint;
  readonly length: bigint;
}
