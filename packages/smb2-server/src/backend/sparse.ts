/**
 * `SparseFileBackend`: sparse-file semantics (MS-FSA §2.1.5.9, "FsCtl" requests
 * FSCTL_SET_SPARSE, FSCTL_SET_ZERO_DATA, FSCTL_QUERY_ALLOCATED_RANGES) over any
 * `ShareBackend`, which it wraps and otherwise passes through.
 *
 * Linux has no NTFS sparse flag, and Node can neither punch holes (fallocate) nor ask where
 * they are (SEEK_DATA), so the state lives here, keyed by the file's id (its inode, as
 * FileInternalInformation reports it): a sparse file has a `RangeSet` of allocated ranges —
 * all its data when it became sparse, plus what is written since, minus what is zeroed or
 * truncated away. A file that is not sparse is allocated up to its end of file. Zeroing
 * writes real zeros (the data is zero whatever the disk does), so reads agree with the map.
 *
 * Limits: the state lasts as long as the server (not across restarts: files come back not
 * sparse, i.e. fully allocated — the Windows meaning of "not sparse"); a file the server
 * creates or overwrites starts not sparse, which also drops the state of a deleted file
 * whose inode is reused by this server; an inode reused by a file created outside the server
 * could inherit the flag; two mounts under one share root with equal inode numbers would
 * share it (as their FileInternalInformation already collides).
 */
import {
  AccessMask,
  CreateAction,
  FileAttributes,
  FileSystemAttributes,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { requireAccess } from './access.js';
import { minBigInt, RangeSet } from './allocation.js';
import { SmbStatusError } from './errors.js';
import type {
  AllocatedRange,
  CreateRequest,
  CreateResult,
  DirectoryEntry,
  DirectoryWatcher,
  FileInfo,
  FsAttributeInfo,
  FsSizeInfo,
  LockOptions,
  OpenHandle,
  QueryDirectoryOptions,
  SetTimes,
  ShareBackend,
  VolumeInfo,
  WatchOptions,
} from './types.js';

/** Zeros are written this many bytes at a time: memory stays bounded whatever the range. */
const ZERO_PIECE = 1 << 20;

export class SparseFileBackend implements ShareBackend {
  readonly #inner: ShareBackend;
  /** Sparse files by file id: their allocated ranges. Absent: not sparse. */
  readonly #sparse = new Map<bigint, RangeSet>();
  readonly #fileIds = new WeakMap<OpenHandle, bigint>();
  #zeros: Uint8Array | undefined;

  constructor(inner: ShareBackend) {
    this.#inner = inner;
  }

  /** Whether the file `h` has open is sparse (tests, audits). */
  isSparse(h: OpenHandle): boolean {
    const id = this.#fileIds.get(h);
    return id !== undefined && this.#sparse.has(id);
  }

  #mark<T extends FileInfo>(info: T): T {
    if (info.isDirectory || !this.#sparse.has(info.fileId)) return info;
    const attributes = (info.attributes & ~FileAttributes.NORMAL) | FileAttributes.SPARSE_FILE;
    return { ...info, attributes };
  }

  #ranges(h: OpenHandle): RangeSet | undefined {
    const id = this.#fileIds.get(h);
    return id === undefined ? undefined : this.#sparse.get(id);
  }

  async create(req: CreateRequest): Promise<CreateResult> {
    const r = await this.#inner.create(req);
    this.#fileIds.set(r.handle, r.info.fileId);
    // A new or overwritten file is not sparse (MS-FSA §2.1.5.1, CREATE: the new stream's
    // attributes come from the request, where FILE_ATTRIBUTE_SPARSE_FILE is ignored).
    if (r.action !== CreateAction.OPENED) this.#sparse.delete(r.info.fileId);
    return { ...r, info: this.#mark(r.info) };
  }

  async close(h: OpenHandle): Promise<FileInfo> {
    return this.#mark(await this.#inner.close(h));
  }

  read(h: OpenHandle, offset: bigint, length: number): Promise<Uint8Array> {
    return this.#inner.read(h, offset, length);
  }

  // READ's zero-copy path (handlers/read.ts) needs the inner backend's readInto.
  async readInto(h: OpenHandle, offset: bigint, into: Uint8Array): Promise<number> {
    if (this.#inner.readInto !== undefined) return this.#inner.readInto(h, offset, into);
    const data = await this.#inner.read(h, offset, into.length);
    into.set(data);
    return data.length;
  }

  async write(h: OpenHandle, offset: bigint, data: Uint8Array): Promise<number> {
    const n = await this.#inner.write(h, offset, data);
    this.#ranges(h)?.add(offset, offset + BigInt(n));
    return n;
  }

  flush(h: OpenHandle): Promise<void> {
    return this.#inner.flush(h);
  }

  async stat(h: OpenHandle): Promise<FileInfo> {
    return this.#mark(await this.#inner.stat(h));
  }

  async queryDirectory(h: OpenHandle, opts?: QueryDirectoryOptions): Promise<DirectoryEntry[]> {
    return (await this.#inner.queryDirectory(h, opts)).map((e) => this.#mark(e));
  }

  setTimes(h: OpenHandle, times: SetTimes): Promise<void> {
    return this.#inner.setTimes(h, times);
  }

  setAttributes(h: OpenHandle, attributes: number): Promise<void> {
    return this.#inner.setAttributes(h, attributes);
  }

  async setEndOfFile(h: OpenHandle, size: bigint): Promise<void> {
    await this.#inner.setEndOfFile(h, size);
    // Growing a sparse file adds a hole; shrinking drops what was past the new end.
    this.#ranges(h)?.remove(size, 1n << 64n);
  }

  async setAllocationSize(h: OpenHandle, size: bigint): Promise<void> {
    await this.#inner.setAllocationSize(h, size);
    const ranges = this.#ranges(h);
    if (ranges) ranges.remove((await this.#inner.stat(h)).endOfFile, 1n << 64n);
  }

  rename(h: OpenHandle, newPath: string, opts?: { replace?: boolean }): Promise<void> {
    return this.#inner.rename(h, newPath, opts);
  }

  setDeleteOnClose(h: OpenHandle, deletePending: boolean): Promise<void> {
    return this.#inner.setDeleteOnClose(h, deletePending);
  }

  lock(h: OpenHandle, offset: bigint, length: bigint, opts: LockOptions): Promise<void> {
    return this.#inner.lock(h, offset, length, opts);
  }

  unlock(h: OpenHandle, offset: bigint, length: bigint): Promise<void> {
    return this.#inner.unlock(h, offset, length);
  }

  watch(h: OpenHandle, opts?: WatchOptions): DirectoryWatcher {
    return this.#inner.watch(h, opts);
  }

  fsSize(): Promise<FsSizeInfo> {
    return this.#inner.fsSize();
  }

  fsAttributes(): FsAttributeInfo {
    const a = this.#inner.fsAttributes();
    return { ...a, attributes: a.attributes | FileSystemAttributes.FILE_SUPPORTS_SPARSE_FILES };
  }

  volumeInfo(): Promise<VolumeInfo> {
    return this.#inner.volumeInfo();
  }

  dispose(): Promise<void> {
    this.#sparse.clear();
    return this.#inner.dispose();
  }

  // ------------------------------------------------------------ sparse controls

  /**
   * MS-FSA FSCTL_SET_SPARSE: needs FILE_WRITE_DATA, FILE_APPEND_DATA or FILE_WRITE_ATTRIBUTES;
   * a directory is STATUS_INVALID_PARAMETER. Setting keeps the existing data allocated;
   * clearing makes the whole file allocated again.
   */
  async setSparse(h: OpenHandle, sparse: boolean): Promise<void> {
    if (h.isDirectory)
      throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FSCTL_SET_SPARSE on a directory');
    requireAccess(
      h.grantedAccess,
      AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA | AccessMask.FILE_WRITE_ATTRIBUTES,
      'FSCTL_SET_SPARSE',
    );
    const info = await this.#inner.stat(h);
    this.#fileIds.set(h, info.fileId);
    if (!sparse) this.#sparse.delete(info.fileId);
    else if (!this.#sparse.has(info.fileId))
      this.#sparse.set(info.fileId, new RangeSet([{ start: 0n, end: info.endOfFile }]));
  }

  /**
   * MS-FSA FSCTL_SET_ZERO_DATA: needs FILE_WRITE_DATA; the range is clipped to the end of file (the
   * size never changes); byte-range locks of other opens are honoured by the writes.
   * Zeros are written ZERO_PIECE bytes at a time: a lock inside a range longer than that
   * fails the request after the pieces before it were zeroed.
   */
  async zeroData(h: OpenHandle, from: bigint, to: bigint): Promise<void> {
    if (h.isDirectory)
      throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FSCTL_SET_ZERO_DATA on a directory');
    requireAccess(h.grantedAccess, AccessMask.FILE_WRITE_DATA, 'FSCTL_SET_ZERO_DATA');
    const eof = (await this.#inner.stat(h)).endOfFile;
    const end = minBigInt(to, eof);
    if (end <= from) return;
    this.#zeros ??= new Uint8Array(ZERO_PIECE);
    for (let at = from; at < end; ) {
      const n = end - at < BigInt(ZERO_PIECE) ? Number(end - at) : ZERO_PIECE;
      await this.#inner.write(h, at, this.#zeros.subarray(0, n));
      at += BigInt(n);
    }
    this.#ranges(h)?.remove(from, end);
  }

  /** MS-FSA FSCTL_QUERY_ALLOCATED_RANGES: needs FILE_READ_DATA; nothing at or past the end of file is allocated. */
  async allocatedRanges(h: OpenHandle, offset: bigint, length: bigint): Promise<AllocatedRange[]> {
    if (h.isDirectory)
      throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FSCTL_QUERY_ALLOCATED_RANGES on a directory');
    requireAccess(h.grantedAccess, AccessMask.FILE_READ_DATA, 'FSCTL_QUERY_ALLOCATED_RANGES');
    const info = await this.#inner.stat(h);
    this.#fileIds.set(h, info.fileId);
    const end = minBigInt(offset + length, info.endOfFile);
    if (end <= offset) return [];
    const ranges = this.#sparse.get(info.fileId);
    if (ranges === undefined) return [{ offset, length: end - offset }];
    return ranges.within(offset, end).map((r) => ({ offset: r.start, length: r.end - r.start }));
  }
}
