/**
 * `LocalDirectoryBackend`: a `ShareBackend` over one directory of the local file system.
 * Path safety is resolver.ts; name rules names.ts; share modes access.ts; locks locks.ts;
 * change notification notify.ts (fired by this class's own operations).
 *
 * File system identity: FileFsAttributeInformation reports the name "NTFS" by default (as
 * Samba's `fstype = NTFS` does): Windows clients and applications enable features and pick
 * code paths by that name (some refuse unknown names), while the capability bits stay
 * honest — FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK,
 * with no named streams, ACLs, sparse files or reparse points (shares wrap this backend in
 * `SparseFileBackend`, which adds sparse files and FILE_SUPPORTS_SPARSE_FILES). Pass `fileSystemName` to
 * report something else (for instance "POSIX" for clients that should not assume NTFS).
 */
import { type BigIntStats, constants as C } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import {
  AccessMask,
  CreateAction,
  CreateDisposition,
  CreateOptions,
  FileAttributes,
  FileSystemAttributes,
  NtStatus,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import { checkShareAccess, DATA_READ, DATA_WRITE, mapGenericAccess, requireAccess } from './access.js';
import { SmbStatusError, toSmbError } from './errors.js';
import { isRepresentableName, type NameOptions, parseSmbPath, type SmbPath } from './names.js';
import {
  ChangeHub,
  CompletionFilter,
  type DirectoryWatcher,
  FileAction,
  type WatchOptions,
} from './notify.js';
import { type FileNode, nodeKey, type OpenFile, OpenTable } from './open-table.js';
import { type Anchor, openNoFollow, PathResolver, type ResolverHooks } from './resolver.js';
import { toFileInfo } from './stat.js';
import { filetimeToSeconds, nsToFiletime } from './time.js';
import type {
  CreateRequest,
  CreateResult,
  DirectoryEntry,
  FileInfo,
  FsAttributeInfo,
  FsSizeInfo,
  LockOptions,
  OpenHandle,
  QueryDirectoryOptions,
  SetTimes,
  ShareBackend,
  VolumeInfo,
} from './types.js';
import { matchPattern } from './wildcard.js';

export interface LocalDirectoryBackendOptions extends NameOptions {
  /** FILE_ATTRIBUTE_HIDDEN on dot-files. Default true. */
  readonly hideDotFiles?: boolean;
  /** FileFsAttributeInformation.FileSystemName. Default "NTFS" (see the module comment). */
  readonly fileSystemName?: string;
  readonly volumeLabel?: string;
  /** Test hooks at the resolver's race windows. */
  readonly hooks?: ResolverHooks;
  /** Force (or forbid) the /proc/self/fd resolution; default: detected. */
  readonly useProcFd?: boolean;
}

const FILE_FLAGS = C.O_NOFOLLOW | C.O_NONBLOCK;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);
/** A READ of at least 2 × READ_PIECE_MIN bytes is read as up to READ_PIECES preads at once. */
const READ_PIECES = 2;
const READ_PIECE_MIN = 1 << 20;

/** Reads `length` bytes at `pos` into `into[at..]`, fewer only at the end of the file. */
async function readFully(fh: FileHandle, into: Uint8Array, at: number, length: number, pos: number) {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(into, at + got, length - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
const { DIRECTORY_FILE, NON_DIRECTORY_FILE, DELETE_ON_CLOSE } = CreateOptions;
const D = CreateDisposition;

const isOverwrite = (disp: number) => disp === D.SUPERSEDE || disp === D.OVERWRITE || disp === D.OVERWRITE_IF;
const err = (status: number, message: string) => new SmbStatusError(status, message);
/** FILETIME "leave unchanged" values of FileBasicInformation: 0, -1, -2. */
const keepTime = (t: bigint | undefined) =>
  t === undefined || t === 0n || t === -1n || t === -2n || t >= 1n << 63n;

const INT64_MAX = (1n << 63n) - 1n;
/** MS-FSA §2.1.5.3 MAXFILESIZE: no write may end beyond it. */
const MAX_FILE_SIZE = 0xfffffff0000n;

/**
 * A READ or WRITE range: the offset is a signed 64-bit value on the wire, so one at or above
 * 2^63 (all 0xFF included: SMB2 has no write-to-end offset), or a range ending past
 * INT64_MAX, is STATUS_INVALID_PARAMETER; a write may not end past MAXFILESIZE either
 * (zero-length writes excepted). This is what Windows and Samba answer (smbtorture smb2.rw.invalid).
 */
function checkIoRange(offset: bigint, length: bigint, write: boolean): void {
  if (offset < 0n || length < 0n || offset > INT64_MAX || offset + length > INT64_MAX)
    throw err(NtStatus.INVALID_PARAMETER, 'I/O range beyond 2^63 - 1');
  if (write && length > 0n && offset + length > MAX_FILE_SIZE)
    throw err(NtStatus.INVALID_PARAMETER, 'write beyond MAXFILESIZE');
}

function checkOffset(offset: bigint, length: bigint): number {
  if (offset < 0n || offset + length > MAX_OFFSET)
    throw err(NtStatus.INVALID_PARAMETER, 'offset out of range');
  return Number(offset);
}

async function lstatOrUndefined(path: string): Promise<BigIntStats | undefined> {
  try {
    return await fsp.lstat(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toSmbError(e);
  }
}

export class LocalDirectoryBackend implements ShareBackend {
  readonly resolver: PathResolver;
  readonly notifications = new ChangeHub();
  readonly #table = new OpenTable();
  readonly #names: NameOptions;
  readonly #attr: { hideDotFiles: boolean };
  readonly #fsName: string;
  readonly #label: string;

  /** Use `LocalDirectoryBackend.open`. */
  private constructor(root: string, opts: LocalDirectoryBackendOptions) {
    this.resolver = new PathResolver(root, opts.hooks ?? {}, opts.useProcFd);
    this.#names = { allowDosDeviceNames: opts.allowDosDeviceNames ?? false };
    this.#attr = { hideDotFiles: opts.hideDotFiles ?? true };
    this.#fsName = opts.fileSystemName ?? 'NTFS';
    this.#label = opts.volumeLabel ?? '';
  }

  /** A backend over the directory `root` (resolved with realpath once, kept open). */
  static async open(root: string, opts: LocalDirectoryBackendOptions = {}): Promise<LocalDirectoryBackend> {
    const b = new LocalDirectoryBackend(root, opts);
    await b.resolver.init();
    return b;
  }

  get openHandleCount(): number {
    return this.#table.handleCount;
  }

  /** The kernel's real path of what `h` has open (Linux; tests and audits). */
  realPathOf(h: OpenHandle): Promise<string> {
    return this.resolver.realPathOf(this.#table.get(h).fh);
  }

  // ---------------------------------------------------------------- CREATE

  async create(req: CreateRequest): Promise<CreateResult> {
    const access = mapGenericAccess(req.desiredAccess);
    const options = (req.options ?? 0) >>> 0;
    const disp = req.disposition;
    if (!Number.isInteger(disp) || disp < D.SUPERSEDE || disp > D.OVERWRITE_IF) {
      throw err(NtStatus.INVALID_PARAMETER, 'bad CreateDisposition');
    }
    if (options & DIRECTORY_FILE && options & NON_DIRECTORY_FILE) {
      throw err(NtStatus.INVALID_PARAMETER, 'DIRECTORY_FILE with NON_DIRECTORY_FILE');
    }
    if (options & DIRECTORY_FILE && (req.attributes ?? 0) & FileAttributes.TEMPORARY) {
      // MS-FSA §2.1.5.1: a directory cannot be temporary.
      throw err(NtStatus.INVALID_PARAMETER, 'DIRECTORY_FILE with FILE_ATTRIBUTE_TEMPORARY');
    }
    if (options & DIRECTORY_FILE && disp !== D.CREATE && disp !== D.OPEN && disp !== D.OPEN_IF) {
      throw err(NtStatus.INVALID_PARAMETER, 'DIRECTORY_FILE with an overwriting disposition');
    }
    if (options & DELETE_ON_CLOSE && !(access & AccessMask.DELETE)) {
      // FILE_DELETE_ON_CLOSE without DELETE access: STATUS_ACCESS_DENIED, as Samba's
      // can_set_delete_on_close answers (read-only files: STATUS_CANNOT_DELETE, below).
      throw err(NtStatus.ACCESS_DENIED, 'DELETE_ON_CLOSE needs DELETE access');
    }
    const path = parseSmbPath(req.path, this.#names);
    const ctx = { req, access, options, disp, path };
    if (path.components.length === 0) return this.#openRoot(ctx);

    const parent = await this.resolver.openParent(path.components);
    try {
      const name = path.components[path.components.length - 1]!;
      for (let attempt = 0; ; attempt++) {
        const lst = await lstatOrUndefined(parent.at(name));
        await this.resolver.hooks.afterLookup?.(path.components);
        if (lst) return await this.#openExisting(ctx, parent, name, lst);
        if (disp === D.OPEN || disp === D.OVERWRITE) throw err(NtStatus.OBJECT_NAME_NOT_FOUND, req.path);
        if (path.mustBeDirectory && !(options & DIRECTORY_FILE)) {
          throw err(NtStatus.OBJECT_NAME_INVALID, 'trailing separator on a file name');
        }
        try {
          return await this.#createNew(ctx, parent, name);
        } catch (e) {
          // Lost a race with another creator: open what is there now (once).
          if (
            attempt > 0 ||
            disp === D.CREATE ||
            (e as SmbStatusError).status !== NtStatus.OBJECT_NAME_COLLISION
          ) {
            throw e;
          }
        }
      }
    } finally {
      await parent.release();
    }
  }

  async #openRoot(ctx: CreateCtx): Promise<CreateResult> {
    const { disp, options, access } = ctx;
    if (disp === D.CREATE) throw err(NtStatus.OBJECT_NAME_COLLISION, 'the share root exists');
    if (options & NON_DIRECTORY_FILE) throw err(NtStatus.FILE_IS_A_DIRECTORY, 'the share root');
    if (isOverwrite(disp)) throw err(NtStatus.INVALID_PARAMETER, 'cannot overwrite a directory');
    if (options & DELETE_ON_CLOSE) throw err(NtStatus.CANNOT_DELETE, 'the share root');
    // `<root>/.`: the root descriptor's magic link is followed, O_NOFOLLOW applies to `.`.
    const fh = await openNoFollow(this.resolver.root.at('.'), DIR_FLAGS);
    const st = await this.resolver.verifyOpened(fh);
    const h = this.#register(st, [], fh, access, ctx.req.shareAccess);
    return { handle: h, action: CreateAction.OPENED, info: toFileInfo(st, '', this.#attr) };
  }

  async #openExisting(ctx: CreateCtx, parent: Anchor, name: string, lst: BigIntStats): Promise<CreateResult> {
    const { disp, options, access, path } = ctx;
    if (lst.isSymbolicLink()) throw err(NtStatus.ACCESS_DENIED, 'symbolic links are not followed');
    if (!lst.isFile() && !lst.isDirectory())
      throw err(NtStatus.ACCESS_DENIED, 'not a regular file or directory');
    if (disp === D.CREATE) throw err(NtStatus.OBJECT_NAME_COLLISION, ctx.req.path);
    const isDir = lst.isDirectory();
    if (isDir) {
      if (options & NON_DIRECTORY_FILE) throw err(NtStatus.FILE_IS_A_DIRECTORY, ctx.req.path);
      if (isOverwrite(disp)) throw err(NtStatus.INVALID_PARAMETER, 'cannot overwrite a directory');
    } else {
      if (options & DIRECTORY_FILE) throw err(NtStatus.NOT_A_DIRECTORY, ctx.req.path);
      if (path.mustBeDirectory) throw err(NtStatus.OBJECT_NAME_INVALID, 'trailing separator on a file name');
      if ((Number(lst.mode) & 0o222) === 0) {
        if (access & DATA_WRITE || isOverwrite(disp))
          throw err(NtStatus.ACCESS_DENIED, 'the file is read-only');
        if (options & DELETE_ON_CLOSE) throw err(NtStatus.CANNOT_DELETE, 'the file is read-only');
      }
    }
    if (this.#table.node(nodeKey(lst))?.deletePending) throw err(NtStatus.DELETE_PENDING, ctx.req.path);

    const target = parent.at(name);
    let flags = DIR_FLAGS;
    if (!isDir) {
      const w = (access & DATA_WRITE) !== 0 || isOverwrite(disp);
      const r = (access & DATA_READ) !== 0 || !w;
      flags = FILE_FLAGS | (w ? (r ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY);
    }
    const fh = await openNoFollow(target, flags);
    const st = await this.resolver.verifyOpened(fh, target);
    if (nodeKey(st) !== nodeKey(lst)) {
      await fh.close().catch(() => {});
      throw err(NtStatus.ACCESS_DENIED, 'the object changed during open');
    }
    const h = this.#register(st, path.components, fh, access, ctx.req.shareAccess);
    try {
      if (isDir && options & DELETE_ON_CLOSE && (await fsp.readdir(this.#dirPath(h))).length > 0) {
        throw err(NtStatus.DIRECTORY_NOT_EMPTY, ctx.req.path);
      }
      if (isOverwrite(disp)) {
        await fh.truncate(0);
        if (ctx.req.attributes !== undefined && ctx.req.attributes & FileAttributes.READONLY) {
          await fh.chmod(Number(st.mode) & 0o7555);
        }
        this.notifications.fire(
          path.components.slice(0, -1),
          name,
          FileAction.MODIFIED,
          CompletionFilter.SIZE | CompletionFilter.LAST_WRITE,
        );
      }
    } catch (e) {
      await this.#discard(h);
      throw toSmbError(e);
    }
    h.deleteOnClose = (options & DELETE_ON_CLOSE) !== 0;
    const action =
      disp === D.SUPERSEDE
        ? CreateAction.SUPERSEDED
        : isOverwrite(disp)
          ? CreateAction.OVERWRITTEN
          : CreateAction.OPENED;
    return { handle: h, action, info: await this.#info(h) };
  }

  async #createNew(ctx: CreateCtx, parent: Anchor, name: string): Promise<CreateResult> {
    const { options, access, path } = ctx;
    const target = parent.at(name);
    const isDir = (options & DIRECTORY_FILE) !== 0;
    let fh: FileHandle;
    try {
      if (isDir) {
        await fsp.mkdir(target, 0o777);
        fh = await openNoFollow(target, DIR_FLAGS);
      } else {
        const ro = ctx.req.attributes !== undefined && (ctx.req.attributes & FileAttributes.READONLY) !== 0;
        fh = await openNoFollow(
          target,
          C.O_CREAT | C.O_EXCL | C.O_RDWR | FILE_FLAGS,
          'name',
          ro ? 0o444 : 0o666,
        );
      }
    } catch (e) {
      throw toSmbError(e);
    }
    const st = await this.resolver.verifyOpened(fh, target);
    const h = this.#register(st, path.components, fh, access, ctx.req.shareAccess);
    h.deleteOnClose = (options & DELETE_ON_CLOSE) !== 0;
    this.notifications.fire(
      path.components.slice(0, -1),
      name,
      FileAction.ADDED,
      isDir ? CompletionFilter.DIR_NAME : CompletionFilter.FILE_NAME,
    );
    return { handle: h, action: CreateAction.CREATED, info: toFileInfo(st, name, this.#attr) };
  }

  #register(
    st: BigIntStats,
    components: readonly string[],
    fh: FileHandle,
    access: number,
    share: number,
  ): OpenFile {
    try {
      return this.#table.register(st, components, fh, access, share);
    } catch (e) {
      void fh.close().catch(() => {});
      throw e;
    }
  }

  /** Drops a handle that failed during CREATE, without delete-on-close. */
  async #discard(h: OpenFile): Promise<void> {
    this.#table.unregister(h);
    h.node.locks.release(h);
    await h.fh.close().catch(() => {});
  }

  // ---------------------------------------------------------------- CLOSE

  async close(handle: OpenHandle): Promise<FileInfo> {
    const h = this.#table.get(handle);
    const node = h.node;
    if (h.deleteOnClose) node.deletePending = true;
    let info: FileInfo | undefined;
    try {
      info = await this.#info(h);
    } catch {
      // Reported below from the last known state.
    }
    const last = this.#table.unregister(h);
    node.locks.release(h);
    for (const w of h.watchers) w.close();
    if (node.deletePending && last === undefined) this.notifications.deletePending(node.components);
    h.enumeration = undefined;
    await h.fh.close().catch(() => {});
    if (last?.deletePending) await this.#deleteNode(last);
    return info ?? { ...EMPTY_INFO, isDirectory: node.isDirectory };
  }

  /**
   * Deletes a delete-pending file after its last close: re-resolves its parent from the root
   * and removes the name only if it still is the same object (dev/ino). Failures (the name
   * was replaced or removed by someone else, a directory that became non-empty) leave it.
   */
  async #deleteNode(node: FileNode): Promise<void> {
    if (node.components.length === 0) return;
    let parent: Anchor;
    try {
      parent = await this.resolver.openDirectory(node.components.slice(0, -1));
    } catch {
      return;
    }
    try {
      const target = parent.at(node.name);
      const lst = await lstatOrUndefined(target);
      if (!lst || nodeKey(lst) !== node.key) return;
      await (node.isDirectory ? fsp.rmdir(target) : fsp.unlink(target));
      this.notifications.fire(
        node.components.slice(0, -1),
        node.name,
        FileAction.REMOVED,
        node.isDirectory ? CompletionFilter.DIR_NAME : CompletionFilter.FILE_NAME,
      );
    } catch {
      // Not deleted; nothing to report at close.
    } finally {
      await parent.release();
    }
  }

  // ---------------------------------------------------------------- I/O

  async read(handle: OpenHandle, offset: bigint, length: number): Promise<Uint8Array> {
    if (!Number.isInteger(length) || length < 0) throw err(NtStatus.INVALID_PARAMETER, 'bad length');
    // Not zero-filled (only the bytes read are returned) and not from the shared pool (the
    // subarray handed out owns its ArrayBuffer, no other data behind it).
    const buf = Buffer.allocUnsafeSlow(length);
    return buf.subarray(0, await this.readInto(handle, offset, buf));
  }

  async readInto(handle: OpenHandle, offset: bigint, into: Uint8Array): Promise<number> {
    const h = this.#table.get(handle);
    if (h.isDirectory) throw err(NtStatus.INVALID_DEVICE_REQUEST, 'read on a directory');
    requireAccess(h.grantedAccess, DATA_READ, 'READ');
    checkIoRange(offset, BigInt(into.length), false);
    if (into.length === 0) return 0;
    // Past the largest offset Node can pass to pread no file has data (and Node would
    // misread such a position): that is the end of file.
    if (offset >= MAX_OFFSET) throw err(NtStatus.END_OF_FILE, 'read at or past the end of file');
    const pos = Number(offset);
    const length = Math.min(into.length, Number.MAX_SAFE_INTEGER - pos);
    h.node.locks.checkIo(h, offset, BigInt(length), false);
    let got = 0;
    try {
      // A big read in pieces read at once: the thread pool preads them side by side (about
      // half the wait for 8 MiB from the page cache). The data is the whole pieces in order,
      // up to the first one that came back short (the end of the file).
      const pieces = Math.min(READ_PIECES, Math.floor(length / READ_PIECE_MIN)) || 1;
      const size = Math.ceil(length / pieces);
      const counts = await Promise.all(
        Array.from({ length: pieces }, (_, i) =>
          readFully(h.fh, into, i * size, Math.min(size, length - i * size), pos + i * size),
        ),
      );
      for (let i = 0; i < pieces; i++) {
        const n = counts[i] as number;
        got += n;
        if (n < Math.min(size, length - i * size)) break;
      }
    } catch (e) {
      throw toSmbError(e);
    }
    if (got === 0) throw err(NtStatus.END_OF_FILE, 'read at or past the end of file');
    return got;
  }

  async write(handle: OpenHandle, offset: bigint, data: Uint8Array): Promise<number> {
    const h = this.#table.get(handle);
    if (h.isDirectory) throw err(NtStatus.INVALID_DEVICE_REQUEST, 'write on a directory');
    requireAccess(h.grantedAccess, DATA_WRITE, 'WRITE');
    checkIoRange(offset, BigInt(data.length), true);
    if (data.length === 0) return 0;
    const pos = Number(offset); // below MAXFILESIZE, so exact
    h.node.locks.checkIo(h, offset, BigInt(data.length), true);
    const done = await h.node
      .serializeWrite(async () => {
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await h.fh.write(data, written, data.length - written, pos + written);
          written += bytesWritten;
        }
        return written;
      })
      .catch((e: unknown) => {
        throw toSmbError(e);
      });
    this.#fireModified(h, CompletionFilter.SIZE | CompletionFilter.LAST_WRITE);
    return done;
  }

  async flush(handle: OpenHandle): Promise<void> {
    const h = this.#table.get(handle);
    if (!h.isDirectory) requireAccess(h.grantedAccess, DATA_WRITE, 'FLUSH');
    await h.fh.sync().catch((e) => {
      throw toSmbError(e);
    });
  }

  // ---------------------------------------------------------------- information

  async stat(handle: OpenHandle): Promise<FileInfo> {
    return this.#info(this.#table.get(handle));
  }

  async #info(h: OpenFile): Promise<FileInfo> {
    const st = await h.fh.stat({ bigint: true }).catch((e) => {
      throw toSmbError(e);
    });
    return toFileInfo(st, h.node.name, this.#attr, h.node.deletePending);
  }

  #dirPath(h: OpenFile): string {
    return this.resolver.useProcFd
      ? `/proc/self/fd/${h.fh.fd}`
      : [this.resolver.realRoot, ...h.node.components].join('/');
  }

  async queryDirectory(handle: OpenHandle, opts: QueryDirectoryOptions = {}): Promise<DirectoryEntry[]> {
    const h = this.#table.get(handle);
    if (!h.isDirectory) throw err(NtStatus.INVALID_PARAMETER, 'not a directory');
    requireAccess(h.grantedAccess, AccessMask.FILE_LIST_DIRECTORY, 'QUERY_DIRECTORY');
    let en = h.enumeration;
    let fresh = false;
    if (!en || opts.restart) {
      en = { names: await this.#matchingNames(h, opts.pattern ?? '*'), pos: 0 };
      h.enumeration = en;
      fresh = true;
    }
    if (opts.resumeAfterIndex !== undefined) en.pos = Math.max(0, opts.resumeAfterIndex + 1);
    const max = Math.max(1, opts.maxEntries ?? Number.POSITIVE_INFINITY);
    const out: DirectoryEntry[] = [];
    while (en.pos < en.names.length && out.length < max) {
      const index = en.pos++;
      const entry = await this.#entry(h, en.names[index]!, index);
      if (entry !== undefined) out.push(entry);
    }
    if (out.length === 0) {
      if (fresh) throw err(NtStatus.NO_SUCH_FILE, 'no file matches the pattern');
      throw err(NtStatus.NO_MORE_FILES, 'end of the directory');
    }
    return out;
  }

  /**
   * The names a scan returns: `.` and `..`, then the directory's names in code-unit order,
   * those matching `pattern`. Names no SMB client could send back (names.ts) are left out.
   */
  async #matchingNames(h: OpenFile, pattern: string): Promise<string[]> {
    let names: string[];
    try {
      names = (await fsp.readdir(this.#dirPath(h))).filter((n) => isRepresentableName(n, this.#names));
    } catch (e) {
      throw toSmbError(e);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return ['.', '..', ...names].filter((n) => matchPattern(pattern, n));
  }

  /**
   * The entry for `name` now, or undefined when it is gone or is not a regular file or
   * directory (symlinks, special files). The root's `..` is the root, as Samba does.
   */
  async #entry(h: OpenFile, name: string, index: number): Promise<DirectoryEntry | undefined> {
    let st: BigIntStats | undefined;
    if (name === '.') {
      st = await h.fh.stat({ bigint: true }).catch(() => undefined);
    } else if (name === '..') {
      const up = await this.resolver.openDirectory(h.node.components.slice(0, -1)).catch(() => undefined);
      if (up === undefined) return undefined;
      try {
        st = await up.fh.stat({ bigint: true }).catch(() => undefined);
      } finally {
        await up.release();
      }
    } else {
      st = await lstatOrUndefined(`${this.#dirPath(h)}/${name}`).catch(() => undefined);
    }
    if (st === undefined || (!st.isFile() && !st.isDirectory())) return undefined;
    return { ...toFileInfo(st, name, this.#attr), name, index };
  }

  // ---------------------------------------------------------------- set information

  async setTimes(handle: OpenHandle, times: SetTimes): Promise<void> {
    const h = this.#table.get(handle);
    requireAccess(h.grantedAccess, AccessMask.FILE_WRITE_ATTRIBUTES, 'set times');
    if (keepTime(times.lastAccessTime) && keepTime(times.lastWriteTime)) return;
    try {
      const st = await h.fh.stat({ bigint: true });
      const at = keepTime(times.lastAccessTime) ? nsToFiletime(st.atimeNs) : times.lastAccessTime!;
      const mt = keepTime(times.lastWriteTime) ? nsToFiletime(st.mtimeNs) : times.lastWriteTime!;
      await h.fh.utimes(filetimeToSeconds(at), filetimeToSeconds(mt));
    } catch (e) {
      throw toSmbError(e);
    }
    this.#fireModified(h, CompletionFilter.LAST_WRITE | CompletionFilter.LAST_ACCESS);
  }

  async setAttributes(handle: OpenHandle, attributes: number): Promise<void> {
    const h = this.#table.get(handle);
    requireAccess(h.grantedAccess, AccessMask.FILE_WRITE_ATTRIBUTES, 'set attributes');
    if (attributes === 0) return;
    if (attributes & FileAttributes.DIRECTORY && !h.isDirectory) {
      throw err(NtStatus.INVALID_PARAMETER, 'DIRECTORY attribute on a file');
    }
    // MS-FSA §2.1.5.14.2: FILE_ATTRIBUTE_TEMPORARY on a directory is STATUS_INVALID_PARAMETER.
    if (attributes & FileAttributes.TEMPORARY && h.isDirectory) {
      throw err(NtStatus.INVALID_PARAMETER, 'TEMPORARY attribute on a directory');
    }
    if (h.isDirectory) return; // READONLY on a directory means nothing to Windows either.
    try {
      const mode = Number((await h.fh.stat({ bigint: true })).mode) & 0o7777;
      const next =
        attributes & FileAttributes.READONLY ? mode & ~0o222 : (mode & 0o222) === 0 ? mode | 0o200 : mode;
      if (next !== mode) await h.fh.chmod(next);
    } catch (e) {
      throw toSmbError(e);
    }
    this.#fireModified(h, CompletionFilter.ATTRIBUTES);
  }

  async setEndOfFile(handle: OpenHandle, size: bigint): Promise<void> {
    const h = this.#table.get(handle);
    if (h.isDirectory) throw err(NtStatus.INVALID_PARAMETER, 'end of file of a directory');
    requireAccess(h.grantedAccess, AccessMask.FILE_WRITE_DATA, 'set end of file');
    const n = checkOffset(size, 0n);
    await h.fh.truncate(n).catch((e) => {
      throw toSmbError(e);
    });
    this.#fireModified(h, CompletionFilter.SIZE | CompletionFilter.LAST_WRITE);
  }

  async setAllocationSize(handle: OpenHandle, size: bigint): Promise<void> {
    const h = this.#table.get(handle);
    if (h.isDirectory) throw err(NtStatus.INVALID_PARAMETER, 'allocation size of a directory');
    requireAccess(h.grantedAccess, AccessMask.FILE_WRITE_DATA, 'set allocation size');
    checkOffset(size, 0n);
    const st = await h.fh.stat({ bigint: true });
    // MS-FSA §2.1.5.15.1: an allocation below the end of file truncates it. Node has no
    // fallocate, so growing the reservation is not done (the file is sparse-allocated).
    if (size < st.size) await this.setEndOfFile(h, size);
  }

  async setDeleteOnClose(handle: OpenHandle, deletePending: boolean): Promise<void> {
    const h = this.#table.get(handle);
    requireAccess(h.grantedAccess, AccessMask.DELETE, 'delete');
    if (!deletePending) {
      h.node.deletePending = false;
      h.deleteOnClose = false;
      return;
    }
    if (h.node.components.length === 0) throw err(NtStatus.CANNOT_DELETE, 'the share root');
    const st = await h.fh.stat({ bigint: true });
    if (!h.isDirectory && (Number(st.mode) & 0o222) === 0)
      throw err(NtStatus.CANNOT_DELETE, 'the file is read-only');
    if (h.isDirectory && (await fsp.readdir(this.#dirPath(h))).length > 0) {
      throw err(NtStatus.DIRECTORY_NOT_EMPTY, h.path);
    }
    h.node.deletePending = true;
  }

  async rename(handle: OpenHandle, newPath: string, opts: { replace?: boolean } = {}): Promise<void> {
    const h = this.#table.get(handle);
    requireAccess(h.grantedAccess, AccessMask.DELETE, 'rename');
    const from = h.node.components;
    if (from.length === 0) throw err(NtStatus.ACCESS_DENIED, 'cannot rename the share root');
    const to: SmbPath = parseSmbPath(newPath, this.#names);
    if (to.components.length === 0) throw err(NtStatus.OBJECT_NAME_INVALID, 'empty target');
    const target = to.components;
    if (target.length === from.length && target.every((c, i) => c === from[i])) return;
    if (h.isDirectory) {
      if (target.length > from.length && from.every((c, i) => c === target[i])) {
        throw err(NtStatus.INVALID_PARAMETER, 'cannot move a directory into itself');
      }
      if (this.#table.hasOpensBelow(from))
        throw err(NtStatus.ACCESS_DENIED, 'files below the directory are open');
    }
    const srcParent = await this.resolver.openDirectory(from.slice(0, -1));
    try {
      const dstParent = await this.resolver.openParent(target);
      try {
        const srcName = from[from.length - 1]!;
        const dstName = target[target.length - 1]!;
        const src = await lstatOrUndefined(srcParent.at(srcName));
        if (!src || nodeKey(src) !== h.node.key)
          throw err(NtStatus.OBJECT_NAME_NOT_FOUND, 'the file has moved');
        const dst = await lstatOrUndefined(dstParent.at(dstName));
        if (dst && nodeKey(dst) !== h.node.key) {
          if (!opts.replace) throw err(NtStatus.OBJECT_NAME_COLLISION, newPath);
          if (dst.isDirectory() || dst.isSymbolicLink())
            throw err(NtStatus.ACCESS_DENIED, 'cannot replace that');
          if (this.#table.node(nodeKey(dst))) throw err(NtStatus.ACCESS_DENIED, 'the target is open');
        }
        await this.#checkRenameTargetParent(dstParent, h.isDirectory);
        await fsp.rename(srcParent.at(srcName), dstParent.at(dstName)).catch((e) => {
          throw toSmbError(e);
        });
        this.#table.renamed(from, target);
        const filter = h.isDirectory ? CompletionFilter.DIR_NAME : CompletionFilter.FILE_NAME;
        const fromDir = from.slice(0, -1);
        const toDir = target.slice(0, -1);
        if (fromDir.length === toDir.length && fromDir.every((c, i) => c === toDir[i])) {
          this.notifications.fire(fromDir, srcName, FileAction.RENAMED_OLD_NAME, filter);
          this.notifications.fire(toDir, dstName, FileAction.RENAMED_NEW_NAME, filter);
        } else {
          this.notifications.fire(fromDir, srcName, FileAction.REMOVED, filter);
          this.notifications.fire(toDir, dstName, FileAction.ADDED, filter);
        }
      } finally {
        await dstParent.release();
      }
    } finally {
      await srcParent.release();
    }
  }

  /**
   * Renaming into a directory adds an entry to it, which Windows does through an open of
   * that directory for FILE_ADD_FILE (FILE_ADD_SUBDIRECTORY for a directory) sharing read
   * and write: the rename fails with STATUS_SHARING_VIOLATION when an open of the target
   * directory conflicts with that (it holds DELETE, or does not share write), and with
   * STATUS_DELETE_PENDING when the directory is being deleted (smbtorture smb2.rename's
   * share_delete / no_share_delete cases, as Windows answers them).
   */
  async #checkRenameTargetParent(dstParent: Anchor, isDirectory: boolean): Promise<void> {
    const st = await dstParent.fh.stat({ bigint: true }).catch((e) => {
      throw toSmbError(e);
    });
    const node = this.#table.node(nodeKey(st));
    if (node === undefined) return;
    if (node.deletePending) throw err(NtStatus.DELETE_PENDING, 'the target directory is being deleted');
    const access = isDirectory ? AccessMask.FILE_APPEND_DATA : AccessMask.FILE_WRITE_DATA;
    checkShareAccess(node.opens, access, ShareAccess.READ | ShareAccess.WRITE);
  }

  // ---------------------------------------------------------------- locks

  async lock(handle: OpenHandle, offset: bigint, length: bigint, opts: LockOptions): Promise<void> {
    const h = this.#table.get(handle);
    if (h.isDirectory) throw err(NtStatus.INVALID_PARAMETER, 'lock on a directory');
    requireAccess(h.grantedAccess, DATA_READ | DATA_WRITE, 'LOCK');
    const o: { wait?: boolean; signal?: AbortSignal } = {};
    if (opts.wait !== undefined) o.wait = opts.wait;
    if (opts.signal !== undefined) o.signal = opts.signal;
    await h.node.locks.lock(h, offset, length, opts.exclusive, o);
  }

  async unlock(handle: OpenHandle, offset: bigint, length: bigint): Promise<void> {
    const h = this.#table.get(handle);
    h.node.locks.unlock(h, offset, length);
  }

  // ---------------------------------------------------------------- notification

  watch(handle: OpenHandle, opts: WatchOptions = {}): DirectoryWatcher {
    const h = this.#table.get(handle);
    if (!h.isDirectory) throw err(NtStatus.INVALID_PARAMETER, 'CHANGE_NOTIFY on a file');
    requireAccess(h.grantedAccess, AccessMask.FILE_LIST_DIRECTORY, 'CHANGE_NOTIFY');
    const node = h.node;
    const w = this.notifications.watch(() => node.components, opts);
    h.watchers.add(w);
    w.once('close', () => h.watchers.delete(w));
    return w;
  }

  #fireModified(h: OpenFile, filter: number): void {
    const c = h.node.components;
    if (c.length > 0) this.notifications.fire(c.slice(0, -1), h.node.name, FileAction.MODIFIED, filter);
  }

  // ---------------------------------------------------------------- volume

  async fsSize(): Promise<FsSizeInfo> {
    const s = await fsp.statfs(this.resolver.realRoot, { bigint: true }).catch((e) => {
      throw toSmbError(e);
    });
    const bsize = Number(s.bsize) || 4096;
    return {
      bytesPerSector: 512,
      sectorsPerAllocationUnit: Math.max(1, Math.floor(bsize / 512)),
      totalAllocationUnits: s.blocks,
      callerAvailableAllocationUnits: s.bavail,
      actualAvailableAllocationUnits: s.bfree,
    };
  }

  fsAttributes(): FsAttributeInfo {
    return {
      fileSystemName: this.#fsName,
      attributes:
        FileSystemAttributes.FILE_CASE_SENSITIVE_SEARCH |
        FileSystemAttributes.FILE_CASE_PRESERVED_NAMES |
        FileSystemAttributes.FILE_UNICODE_ON_DISK,
      maxComponentLength: 255,
    };
  }

  async volumeInfo(): Promise<VolumeInfo> {
    const st = this.resolver.rootStat;
    return {
      label: this.#label,
      serialNumber: Number((st.dev ^ st.ino) & 0xffffffffn),
      creationTime: nsToFiletime(st.birthtimeNs > 0n ? st.birthtimeNs : st.ctimeNs),
    };
  }

  async dispose(): Promise<void> {
    for (const h of this.#table.handles()) await this.close(h).catch(() => {});
    await this.resolver.close();
  }
}

interface CreateCtx {
  readonly req: CreateRequest;
  readonly access: number;
  readonly options: number;
  readonly disp: number;
  readonly path: SmbPath;
}

const EMPTY_INFO: FileInfo = {
  creationTime: 0n,
  lastAccessTime: 0n,
  lastWriteTime: 0n,
  changeTime: 0n,
  endOfFile: 0n,
  allocationSize: 0n,
  attributes: FileAttributes.NORMAL,
  isDirectory: false,
  fileId: 0n,
  numberOfLinks: 0,
  deletePending: false,
};
