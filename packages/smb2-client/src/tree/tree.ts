/**
 * A connected share (MS-SMB2 §3.2.1.4 TreeConnect) and the file API on it. Each operation is
 * a short sequence of CREATE / QUERY_DIRECTORY / READ / WRITE / SET_INFO / CLOSE; `stat` and
 * `exists` send CREATE and CLOSE as one related compound (§3.2.4.1.4), one round trip.
 */
import {
  AccessMask,
  ANY_FILE_ID,
  type CloseResponse,
  CreateDisposition,
  CreateOptions,
  type CreateResponse,
  type DirectoryEntry,
  decodeDirectoryEntries,
  FileAttributes,
  type FileId,
  FileInformationClass,
  fileDispositionInformation,
  fileRenameInformation,
  InfoType,
  NtStatus,
  QueryDirectoryFlags,
  type QueryDirectoryResponse,
  queryDirectoryRequest,
  queryDirectoryResponse,
  setInfoRequest,
  setInfoResponse,
  treeDisconnectRequest,
  treeDisconnectResponse,
} from '@postntlm/smb2-protocol';
import type { RequestSpec } from '../connection/connection.js';
import { SmbError } from '../errors.js';
import { callOnTree, onTree, type TreeContext } from './context.js';
import { SmbFileHandle } from './file-handle.js';
import { type IoOptions, readRange, writeRange } from './io.js';
import {
  closeFile,
  closeSpec,
  createSpec,
  type OpenSpec,
  openPath,
  READ_FILE,
  STAT_ONLY,
  WRITE_FILE,
} from './open.js';
import { toSmbPath } from './paths.js';
import { type SmbDirent, type SmbStats, statsOf } from './stats.js';
import {
  createReadStream,
  createWriteStream,
  type ReadStreamOptions,
  type WriteStreamOptions,
} from './streams.js';
import type { TimesToSet } from './times.js';
import { type FileChange, type WatchOptions, watchDirectory } from './watch.js';

/** How `open` opens: `r` read, `r+` read/write, `w` create or truncate, `wx` create new, `a` append-style open-or-create. */
export type OpenFlags = 'r' | 'r+' | 'w' | 'wx' | 'a';

const RW =
  AccessMask.FILE_READ_DATA |
  AccessMask.FILE_WRITE_DATA |
  AccessMask.FILE_APPEND_DATA |
  AccessMask.FILE_READ_ATTRIBUTES |
  AccessMask.FILE_WRITE_ATTRIBUTES |
  AccessMask.SYNCHRONIZE;

const OPEN_FLAGS: Readonly<Record<OpenFlags, OpenSpec>> = {
  r: READ_FILE,
  'r+': {
    desiredAccess: RW,
    disposition: CreateDisposition.OPEN,
    createOptions: CreateOptions.NON_DIRECTORY_FILE,
  },
  w: WRITE_FILE,
  wx: { ...WRITE_FILE, desiredAccess: RW, disposition: CreateDisposition.CREATE },
  a: {
    desiredAccess: RW,
    disposition: CreateDisposition.OPEN_IF,
    createOptions: CreateOptions.NON_DIRECTORY_FILE,
  },
};

/** Output buffer of one QUERY_DIRECTORY (64 KiB: one credit). */
const DIRECTORY_BUFFER = 65_536;

export class SmbTree {
  #connected = true;

  constructor(
    private readonly ctx: TreeContext,
    /** The share name. */
    readonly share: string,
    /** Runs an idempotent operation, again after a reconnection if the connection dropped. */
    private readonly retry: <T>(operation: () => Promise<T>) => Promise<T> = (operation) => operation(),
  ) {}

  /** Whether the tree is encrypted (by the share or the session). */
  get encrypted(): boolean {
    return this.ctx.encrypt || this.ctx.connection.session(this.ctx.sessionId)?.encryptAll === true;
  }

  /** The names and stats of a directory's entries (without `.` and `..`). */
  readdir(path = '', options: { signal?: AbortSignal } = {}): Promise<SmbDirent[]> {
    return this.retry(() => this.#readdir(path, options.signal));
  }

  async #readdir(path: string, signal: AbortSignal | undefined): Promise<SmbDirent[]> {
    const dir = await openPath(
      this.ctx,
      path,
      {
        desiredAccess:
          AccessMask.FILE_LIST_DIRECTORY | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.OPEN,
        createOptions: CreateOptions.DIRECTORY_FILE,
      },
      signal,
    );
    const out: SmbDirent[] = [];
    try {
      for (let first = true; ; first = false) {
        const response = await callOnTree<unknown, QueryDirectoryResponse>(
          this.ctx,
          {
            codec: queryDirectoryRequest as RequestSpec<unknown>['codec'],
            body: {
              fileInformationClass: FileInformationClass.FileIdBothDirectoryInformation,
              flags: first ? QueryDirectoryFlags.RESTART_SCANS : 0,
              fileIndex: 0,
              fileId: dir.fileId,
              fileName: '*',
              outputBufferLength: DIRECTORY_BUFFER,
            },
            responseCodec: queryDirectoryResponse,
            signal,
          },
          `readdir ${path}`,
          [NtStatus.SUCCESS, NtStatus.NO_MORE_FILES],
        );
        if (response.status === NtStatus.NO_MORE_FILES) break;
        const entries: DirectoryEntry[] = decodeDirectoryEntries(
          FileInformationClass.FileIdBothDirectoryInformation,
          response.body.outputBuffer,
        );
        for (const e of entries) {
          if (e.fileName === '.' || e.fileName === '..') continue;
          out.push({ ...statsOf(e), name: e.fileName });
        }
      }
    } finally {
      await closeFile(this.ctx, dir.fileId).catch(() => undefined);
    }
    return out;
  }

  /** The stats of a file or directory (CREATE + CLOSE in one compound). */
  stat(path: string, options: { signal?: AbortSignal } = {}): Promise<SmbStats> {
    return this.retry(() => this.#stat(path, options.signal));
  }

  async #stat(path: string, signal: AbortSignal | undefined): Promise<SmbStats> {
    const [created, closed] = await this.#openAndClose(path, STAT_ONLY, signal);
    if (created.status !== NtStatus.SUCCESS)
      throw new SmbError(created.status, created.command, `stat ${path}`);
    const c = closed.status === NtStatus.SUCCESS ? (closed.body as CloseResponse) : undefined;
    // POSTQUERY_ATTRIB gives the latest values; the CREATE response's are as good when it failed.
    return statsOf(c !== undefined && c.flags !== 0 ? c : (created.body as CreateResponse));
  }

  /** Whether `path` exists (false for OBJECT_NAME_NOT_FOUND and OBJECT_PATH_NOT_FOUND). */
  async exists(path: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.stat(path, options);
      return true;
    } catch (e) {
      if (
        e instanceof SmbError &&
        (e.status === NtStatus.OBJECT_NAME_NOT_FOUND || e.status === NtStatus.OBJECT_PATH_NOT_FOUND)
      )
        return false;
      throw e;
    }
  }

  /** The whole content of a file (pipelined multi-credit READs). */
  readFile(path: string, options: IoOptions = {}): Promise<Uint8Array> {
    return this.retry(() => this.#readFile(path, options));
  }

  async #readFile(path: string, options: IoOptions): Promise<Uint8Array> {
    const file = await openPath(this.ctx, path, READ_FILE, options.signal);
    try {
      const size = Number(file.endOfFile);
      const data = await readRange(this.ctx, file.fileId, 0, size, options);
      // A file that grew while read: go on until a short read.
      if (data.length < size) return data;
      const chunks = [data];
      let at = size;
      for (;;) {
        const more = await readRange(this.ctx, file.fileId, at, 1024 * 1024, options);
        if (more.length === 0) break;
        chunks.push(more);
        at += more.length;
      }
      return chunks.length === 1 ? data : concat(chunks);
    } finally {
      await closeFile(this.ctx, file.fileId).catch(() => undefined);
    }
  }

  /** Creates or replaces a file with `data` (pipelined multi-credit WRITEs). */
  writeFile(path: string, data: Uint8Array | string, options: IoOptions = {}): Promise<void> {
    return this.retry(() => this.#writeFile(path, data, options));
  }

  async #writeFile(path: string, data: Uint8Array | string, options: IoOptions): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const file = await openPath(this.ctx, path, WRITE_FILE, options.signal);
    try {
      await writeRange(this.ctx, file.fileId, 0, bytes, options);
    } finally {
      await closeFile(this.ctx, file.fileId).catch(() => undefined);
    }
  }

  /** Opens a file for reading and/or writing at offsets. */
  async open(
    path: string,
    flags: OpenFlags = 'r',
    options: { signal?: AbortSignal } = {},
  ): Promise<SmbFileHandle> {
    const file = await openPath(this.ctx, path, OPEN_FLAGS[flags], options.signal);
    return new SmbFileHandle(this.ctx, file.fileId, path);
  }

  /** Creates a directory (SmbError OBJECT_NAME_COLLISION when it exists). */
  async mkdir(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const dir = await openPath(
      this.ctx,
      path,
      {
        desiredAccess: AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.CREATE,
        createOptions: CreateOptions.DIRECTORY_FILE,
        fileAttributes: FileAttributes.DIRECTORY,
      },
      options.signal,
    );
    await closeFile(this.ctx, dir.fileId, options.signal);
  }

  /** Removes an empty directory (SmbError DIRECTORY_NOT_EMPTY otherwise). */
  rmdir(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#delete(path, CreateOptions.DIRECTORY_FILE, options.signal);
  }

  /** Removes a file; with `recursive`, a directory and everything in it. */
  async rm(path: string, options: { recursive?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    if (
      options.recursive === true &&
      (await this.stat(path, { ...(signal === undefined ? {} : { signal }) })).isDirectory()
    ) {
      for (const e of await this.readdir(path, { ...(signal === undefined ? {} : { signal }) })) {
        await this.rm(`${toSmbPath(path)}\\${e.name}`, options);
      }
      await this.rmdir(path, { ...(signal === undefined ? {} : { signal }) });
      return;
    }
    await this.#delete(path, CreateOptions.NON_DIRECTORY_FILE, signal);
  }

  /** Renames (moves) `from` to `to` inside the share; `replace` overwrites an existing `to`. */
  async rename(
    from: string,
    to: string,
    options: { replace?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    const file = await openPath(
      this.ctx,
      from,
      {
        desiredAccess: AccessMask.DELETE | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.OPEN,
      },
      options.signal,
    );
    try {
      await this.#setInfo(
        file.fileId,
        fileRenameInformation.infoClass,
        fileRenameInformation.encode({
          replaceIfExists: options.replace === true,
          rootDirectory: 0n,
          fileName: toSmbPath(to),
        }),
        `rename ${from}`,
        options.signal,
      );
    } finally {
      await closeFile(this.ctx, file.fileId).catch(() => undefined);
    }
  }

  /** Sets a file's or directory's times. */
  async setTimes(path: string, times: TimesToSet, options: { signal?: AbortSignal } = {}): Promise<void> {
    const file = await openPath(
      this.ctx,
      path,
      {
        desiredAccess: AccessMask.FILE_WRITE_ATTRIBUTES | AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.OPEN,
      },
      options.signal,
    );
    const handle = new SmbFileHandle(this.ctx, file.fileId, path);
    try {
      await handle.setTimes(times, options.signal);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Changes in a directory as they happen (CHANGE_NOTIFY); stops when `signal` aborts or the loop breaks. */
  watch(path = '', options: WatchOptions = {}): AsyncGenerator<FileChange> {
    return watchDirectory(this.ctx, path, options);
  }

  /** A node:stream Readable of a file's content. */
  createReadStream(path: string, options: ReadStreamOptions = {}): ReturnType<typeof createReadStream> {
    return createReadStream(this, path, options);
  }

  /** A node:stream Writable that creates or replaces a file. */
  createWriteStream(path: string, options: WriteStreamOptions = {}): ReturnType<typeof createWriteStream> {
    return createWriteStream(this, path, options);
  }

  /** TREE_DISCONNECT (§3.2.4.23). */
  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    await callOnTree(
      this.ctx,
      { codec: treeDisconnectRequest, body: {}, responseCodec: treeDisconnectResponse },
      'tree disconnect',
    );
  }

  async #delete(path: string, kind: number, signal?: AbortSignal): Promise<void> {
    const file = await openPath(
      this.ctx,
      path,
      {
        desiredAccess: AccessMask.DELETE | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.OPEN,
        createOptions: kind,
      },
      signal,
    );
    try {
      await this.#setInfo(
        file.fileId,
        fileDispositionInformation.infoClass,
        fileDispositionInformation.encode({ deletePending: true }),
        `delete ${path}`,
        signal,
      );
    } finally {
      await closeFile(this.ctx, file.fileId).catch(() => undefined);
    }
  }

  async #setInfo(
    fileId: FileId,
    fileInfoClass: number,
    buffer: Uint8Array,
    operation: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await callOnTree(
      this.ctx,
      {
        codec: setInfoRequest,
        body: { infoType: InfoType.FILE, fileInfoClass, buffer, additionalInformation: 0, fileId },
        responseCodec: setInfoResponse,
        signal,
      },
      operation,
    );
  }

  /** CREATE and a related CLOSE in one compound: the CLOSE works on the FileId the CREATE made. */
  async #openAndClose(
    path: string,
    open: OpenSpec,
    signal?: AbortSignal,
  ): Promise<[{ status: number; command: number; body: unknown }, { status: number; body: unknown }]> {
    const specs = [
      onTree(this.ctx, createSpec(path, open, signal)),
      onTree(this.ctx, closeSpec(ANY_FILE_ID, signal)),
    ];
    const promises = await this.ctx.connection.compound(specs as RequestSpec<unknown, unknown>[]);
    const [c, d] = await Promise.allSettled(promises);
    if (c === undefined || c.status === 'rejected') throw c?.reason;
    const closed = d?.status === 'fulfilled' ? d.value : { status: NtStatus.UNSUCCESSFUL, body: undefined };
    return [
      { status: c.value.status, command: c.value.header.command, body: c.value.body },
      { status: closed.status, body: closed.body },
    ];
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
