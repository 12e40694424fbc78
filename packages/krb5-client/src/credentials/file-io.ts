/**
 * The file edge of the FILE/DIR ccaches and FILE keytabs: whole-file reads and
 * read-modify-replace updates that are safe next to MIT krb5 using the same file.
 *
 * MIT updates these files in place: a ccache store is one O_APPEND write under an
 * exclusive fcntl lock (cc_file.c `fcc_store`), a keytab add writes into a hole or at the
 * end (kt_file.c). Node has no fcntl locks, so we never write in place: every update
 * writes a complete new file beside the old one (created exclusively, mode 0600, flushed)
 * and renames it over the old one, so a crash or a concurrent reader never sees half a
 * file. To lose nothing another process wrote meanwhile:
 *
 * 1. just before the rename, the file is stat'ed again; if it is not the file we read
 *    (inode, size, mtime, ctime), the update starts over from a fresh read;
 * 2. after the rename, the old file (still open since we read it) is stat'ed again; if
 *    someone appended to it between our check and our rename (an MIT process that had
 *    opened it already), the caller's `merge` carries what was added into the new file.
 *
 * Updates of one path in this process are serialized. A symlink is followed (the target
 * is replaced, as MIT writes through it); a dangling one is replaced by the file. Files
 * owned by another user are refused unless allowed (root may), see StoreOwnershipError.
 */
import { constants as fsConstants } from 'node:fs';
import { type FileHandle, link, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type CredentialStoreKind,
  StoreConflictError,
  StoreNotFoundError,
  StoreOwnershipError,
} from './errors.js';
import { processIdentity } from './names.js';

/** Identity and version of a file: changes whenever anything writes it. */
export interface FileStamp {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

const sameStamp = (a: FileStamp, b: FileStamp): boolean =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

interface StatLike {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  uid: bigint;
  gid: bigint;
}

const stampOf = (s: StatLike): FileStamp => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs,
});

/** Who may use a store's files. */
export interface FileAccess {
  readonly store: CredentialStoreKind;
  /** The store's name, for errors. */
  readonly storeName: string;
  /** Accept files owned by another user. Default false (root is always allowed). */
  readonly allowForeignOwner?: boolean | undefined;
}

const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

function checkOwner(access: FileAccess, path: string, ownerUid: number): void {
  if (access.allowForeignOwner === true) return;
  const { euid, uid } = processIdentity();
  const me = euid ?? uid;
  if (me === undefined || me === 0 || me === ownerUid) return;
  throw new StoreOwnershipError(access.store, access.storeName, path, ownerUid, me);
}

interface OpenSnapshot {
  readonly bytes: Uint8Array;
  readonly stamp: FileStamp;
  readonly uid: number;
  readonly gid: number;
  readonly handle: FileHandle;
}

/** Opens and reads a whole file (owner checked); undefined when it does not exist. Caller closes `handle`. */
async function openSnapshot(path: string, access: FileAccess): Promise<OpenSnapshot | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, fsConstants.O_RDONLY);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const st = (await handle.stat({ bigint: true })) as unknown as StatLike & { isFile(): boolean };
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    checkOwner(access, path, Number(st.uid));
    const b = await handle.readFile();
    return {
      bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      stamp: stampOf(st),
      uid: Number(st.uid),
      gid: Number(st.gid),
      handle,
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Reads a whole file (owner checked); undefined when it does not exist. */
export async function readStoreFile(path: string, access: FileAccess): Promise<Uint8Array | undefined> {
  const snap = await openSnapshot(path, access);
  if (snap === undefined) return undefined;
  await snap.handle.close();
  return snap.bytes;
}

/** Whether `path` exists (any file type). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `f` after every earlier call for the same key has finished. */
async function serialized<T>(key: string, f: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(f, f);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  locks.set(key, settled);
  try {
    return await run;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}

/** The file a write to `path` must replace: the symlink's target if it has one. */
async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return path; // absent, or a dangling symlink (replaced, not followed)
    throw e;
  }
}

function randomSuffix(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

/** Writes `bytes` to a fresh hidden file beside `target` (0600, flushed); returns its path. */
async function writeTemp(
  target: string,
  bytes: Uint8Array,
  owner?: { uid: number; gid: number },
): Promise<string> {
  // Hidden and not starting with "tkt", so an MIT DIR collection never lists it.
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dirname(target), `.${basename(target)}.${randomSuffix()}.tmp`);
    let fh: FileHandle;
    try {
      fh = await open(tmp, 'wx', 0o600);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST' && attempt < 5) continue;
      throw e;
    }
    try {
      await fh.writeFile(bytes);
      await fh.chmod(0o600); // whatever the umask
      if (owner !== undefined) {
        await fh.chown(owner.uid, owner.gid).catch(() => undefined);
      }
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    return tmp;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // best effort: not every platform can fsync a directory
  }
}

async function currentStamp(path: string): Promise<FileStamp | undefined> {
  try {
    return stampOf((await stat(path, { bigint: true })) as unknown as StatLike);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** What an update wants done with the file. */
export interface FileUpdate<T> {
  /** New content, `'delete'` to remove the file, or undefined to leave it as it is. */
  readonly write?: Uint8Array | 'delete' | undefined;
  readonly result: T;
}

export interface UpdateFileOptions<T> extends FileAccess {
  /** Computes the update from the current content (undefined: no file). May throw. */
  readonly apply: (current: Uint8Array | undefined) => FileUpdate<T>;
  /**
   * Carries into `current` (our new file) what another process added to the old file
   * between our read (`before`) and our rename (`after`); returns the new content, or
   * undefined when there is nothing to carry over.
   */
  readonly merge: (current: Uint8Array, before: Uint8Array, after: Uint8Array) => Uint8Array | undefined;
  /** Attempts before StoreConflictError. Default 8. */
  readonly attempts?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Read-modify-replace of one file, safe against concurrent writers (see the module comment). */
export function updateStoreFile<T>(path: string, options: UpdateFileOptions<T>): Promise<T> {
  return serialized(path, async () => {
    const target = await writeTarget(path);
    const first = await replaceOnce(target, options.apply, options);
    let late = first.late;
    for (let round = 0; late !== undefined && round < 4; round++) {
      const { before, after } = late;
      const next = await replaceOnce<undefined>(
        target,
        (current) => ({
          write: current === undefined ? undefined : options.merge(current, before, after),
          result: undefined,
        }),
        options,
      );
      late = next.late;
    }
    return first.result;
  });
}

interface ReplaceOutcome<T> {
  readonly result: T;
  /** The replaced file changed after our check: what we had read, and what it held in the end. */
  readonly late?: { readonly before: Uint8Array; readonly after: Uint8Array } | undefined;
}

async function replaceOnce<T>(
  target: string,
  apply: (current: Uint8Array | undefined) => FileUpdate<T>,
  options: UpdateFileOptions<unknown>,
): Promise<ReplaceOutcome<T>> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const snap = await openSnapshot(target, options);
    try {
      const update = apply(snap?.bytes);
      if (update.write === undefined) return { result: update.result };
      if (update.write === 'delete') {
        if (snap !== undefined) await rm(target, { force: true });
        return { result: update.result };
      }
      const tmp = await writeTemp(target, update.write, snap);
      const now = await currentStamp(target);
      const unchanged =
        snap === undefined ? now === undefined : now !== undefined && sameStamp(now, snap.stamp);
      if (!unchanged) {
        await rm(tmp, { force: true });
        await sleep(Math.floor(Math.random() * 5 * attempt));
        continue;
      }
      try {
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      await syncDir(dirname(target));
      if (snap === undefined) return { result: update.result };
      return { result: update.result, late: await lateWrites(snap) };
    } finally {
      await snap?.handle.close();
    }
  }
  throw new StoreConflictError(options.store, options.storeName, attempts);
}

/** Step 2 of the module comment: whether the replaced file was written after our check. */
async function lateWrites(
  snap: OpenSnapshot,
): Promise<{ before: Uint8Array; after: Uint8Array } | undefined> {
  const late = stampOf((await snap.handle.stat({ bigint: true })) as unknown as StatLike);
  // the rename changed the old file's ctime (link count): compare size and mtime only
  if (late.size === snap.stamp.size && late.mtimeNs === snap.stamp.mtimeNs) return undefined;
  const after = await readAll(snap.handle);
  return { before: snap.bytes, after };
}

async function readAll(handle: FileHandle): Promise<Uint8Array> {
  const st = await handle.stat();
  const out = new Uint8Array(st.size);
  let off = 0;
  while (off < out.length) {
    const { bytesRead } = await handle.read(out, off, out.length - off, off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  return out.subarray(0, off);
}

/**
 * Creates `path` with `bytes` only if it does not exist (0600, complete before it is
 * visible: written beside it, then hard-linked into place). False when it existed.
 */
export async function createStoreFileExclusive(path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = await writeTemp(path, bytes);
  try {
    await link(tmp, path);
    await syncDir(dirname(path));
    return true;
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Removes a file; false when it did not exist. */
export async function removeStoreFile(path: string): Promise<boolean> {
  try {
    await rm(await writeTarget(path));
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Makes sure a ccache directory exists as MIT's `verify_dir` does: creates the last
 * component (mode 0700) when missing; a missing parent or a non-directory is an error.
 */
export async function ensureCcacheDirectory(dir: string, storeName: string): Promise<void> {
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) {
      throw new StoreNotFoundError('ccache', storeName, {
        cause: new Error(`credential cache directory ${dir} exists but is not a directory`),
      });
    }
    return;
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw e;
  }
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return;
    throw new StoreNotFoundError('ccache', storeName, {
      cause: new Error(`credential cache directory ${dir} does not exist`, { cause: e }),
    });
  }
}

/** The names in a directory (empty when it does not exist). */
export async function listDirectory(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Whether `path` is a regular file. */
export async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Replaces a small file atomically (0600): MIT's `write_primary_file` for DIR collections. */
export async function replaceSmallFile(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = await writeTemp(path, bytes);
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dirname(path));
}
