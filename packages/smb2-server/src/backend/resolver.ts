/**
 * Path resolution that cannot leave the share root.
 *
 * Design (Linux): the root directory is opened once and kept open. A path is resolved one
 * component at a time, openat-style: each component is opened with
 * `O_RDONLY | O_DIRECTORY | O_NOFOLLOW` *relative to the file descriptor of its parent*, by
 * naming it `/proc/self/fd/<parentFd>/<name>` — the kernel resolves the magic link
 * `/proc/self/fd/<parentFd>` to the very directory that descriptor holds, whatever has been
 * renamed or swapped since, so only the single last name is looked up by string. Then:
 * - `..` and `.` never reach here (names.ts refuses them), and no name contains `/`;
 * - symbolic links are never traversed or opened: O_NOFOLLOW makes the kernel refuse a
 *   symlink in any position (ELOOP → STATUS_ACCESS_DENIED), wherever it points — inside the
 *   root or not. This is the "simplest safe" policy: no symlink target is ever interpreted.
 * - a directory swapped for a symlink after we opened it is harmless (we keep using the
 *   descriptor of the real directory); swapped before we open it, O_NOFOLLOW refuses it;
 * - every final object is opened with O_NOFOLLOW | O_NONBLOCK (a FIFO swapped in cannot block
 *   the server), then `fstat`ed (only regular files and directories are accepted), and its
 *   real path — `readlink /proc/self/fd/<fd>`, which the kernel computes from the open object,
 *   not from our string — must be the root or below it, otherwise the descriptor is closed
 *   and the open fails STATUS_ACCESS_DENIED. This catches a directory moved out of the root
 *   by a local user while we held it.
 * - creations, deletions and renames are done on `/proc/self/fd/<parentFd>/<name>` too, so
 *   they act in the directory that was resolved, and do not follow a last-component symlink
 *   (mkdir, unlink, rmdir, rename never do; creating opens use O_CREAT | O_EXCL).
 *
 * Without /proc (non-Linux), the fallback resolves by absolute path under the real root,
 * opening each component with O_NOFOLLOW and checking after each open that the object's
 * dev/ino is what `lstat` of the same path shows; that closes most but not all of the race
 * (a symlink swapped into an intermediate component between the check and a later path
 * operation). Linux is the supported platform.
 *
 * What this does not cover: hard links to outside files that already exist inside the root
 * (a link is the file; refuse them at the host if it matters), bind mounts and other mount
 * points inside the root (they are traversed like directories), and objects moved out of
 * the root by a local user *after* they were opened (I/O continues on the open descriptor;
 * paths derived later are re-resolved from the root).
 */

import * as fs from 'node:fs';
import { type BigIntStats, constants as C } from 'node:fs';
import { type FileHandle, open, readlink } from 'node:fs/promises';
import { NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError, toSmbError } from './errors.js';

/** Test hooks: run at the race windows so tests can swap objects under the resolver. */
export interface ResolverHooks {
  /** Before intermediate component `index` of `components` is opened. */
  beforeComponent?(components: readonly string[], index: number): void | Promise<void>;
  /** After the parent chain is open, before the last component is looked up. */
  afterParentOpen?(components: readonly string[]): void | Promise<void>;
  /** After the last component was looked up (`lstat`), before it is opened or created. */
  afterLookup?(components: readonly string[]): void | Promise<void>;
}

/** An open directory under the root, with the path string that names it for *at-style calls. */
export class Anchor {
  constructor(
    readonly fh: FileHandle,
    /** `/proc/self/fd/N` (Linux) or the absolute path (fallback). */
    readonly path: string,
    readonly owned: boolean,
  ) {}
  /** The path naming `name` inside this directory. */
  at(name: string): string {
    return `${this.path}/${name}`;
  }
  async release(): Promise<void> {
    if (this.owned) await this.fh.close().catch(() => {});
  }
}

const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
const PROC_FD = '/proc/self/fd';

export function procFdUsable(): boolean {
  try {
    const fd = fs.openSync('.', C.O_RDONLY | C.O_DIRECTORY);
    try {
      return fs.readlinkSync(`${PROC_FD}/${fd}`) === fs.realpathSync('.');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * `open` with O_NOFOLLOW in `flags`, reporting a symbolic link as STATUS_ACCESS_DENIED
 * whatever errno the kernel chose (ELOOP, or ENOTDIR with O_DIRECTORY).
 */
export async function openNoFollow(
  path: string,
  flags: number,
  where: 'name' | 'path' = 'name',
  mode?: number,
): Promise<FileHandle> {
  try {
    return await open(path, flags | C.O_NOFOLLOW, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ELOOP') {
      const lst = await fs.promises.lstat(path).catch(() => undefined);
      if (lst?.isSymbolicLink())
        throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'symbolic links are not followed');
    }
    throw toSmbError(e, where);
  }
}

export class PathResolver {
  readonly realRoot: string;
  readonly useProcFd: boolean;
  #root: Anchor | undefined;
  #rootStat: BigIntStats | undefined;

  constructor(
    root: string,
    readonly hooks: ResolverHooks = {},
    useProcFd?: boolean,
  ) {
    this.realRoot = fs.realpathSync(root);
    this.useProcFd = useProcFd ?? procFdUsable();
  }

  /** Opens the root directory; call once before use. */
  async init(): Promise<void> {
    if (this.#root) return;
    const fh = await open(this.realRoot, DIR_FLAGS);
    this.#rootStat = await fh.stat({ bigint: true });
    this.#root = new Anchor(fh, this.useProcFd ? `${PROC_FD}/${fh.fd}` : this.realRoot, false);
  }

  get root(): Anchor {
    if (!this.#root) throw new SmbStatusError(NtStatus.INVALID_DEVICE_STATE, 'backend not initialised');
    return this.#root;
  }

  get rootStat(): BigIntStats {
    if (!this.#rootStat) throw new SmbStatusError(NtStatus.INVALID_DEVICE_STATE, 'backend not initialised');
    return this.#rootStat;
  }

  async close(): Promise<void> {
    const r = this.#root;
    this.#root = undefined;
    await r?.fh.close().catch(() => {});
  }

  #childAnchorPath(parent: Anchor, name: string, fh: FileHandle): string {
    return this.useProcFd ? `${PROC_FD}/${fh.fd}` : parent.at(name);
  }

  /**
   * Opens the directory `components` (all of them) and returns it as an anchor the caller
   * must release. `[]` is the root (not owned). Failures: STATUS_OBJECT_PATH_NOT_FOUND for
   * a missing or non-directory component, STATUS_ACCESS_DENIED for a symlink.
   */
  async openDirectory(components: readonly string[], last: 'path' | 'name' = 'path'): Promise<Anchor> {
    let cur = this.root;
    try {
      for (let i = 0; i < components.length; i++) {
        await this.hooks.beforeComponent?.(components, i);
        const name = components[i]!;
        const where = i === components.length - 1 ? last : 'path';
        const fh = await openNoFollow(cur.at(name), DIR_FLAGS, where);
        const next = new Anchor(fh, this.#childAnchorPath(cur, name, fh), true);
        if (!this.useProcFd) await this.#verifyByPath(next);
        await cur.release();
        cur = next;
      }
      return cur;
    } catch (e) {
      await cur.release();
      throw e;
    }
  }

  /** Opens the parent of `components` (non-empty). */
  async openParent(components: readonly string[]): Promise<Anchor> {
    const parent = await this.openDirectory(components.slice(0, -1));
    try {
      await this.hooks.afterParentOpen?.(components);
    } catch (e) {
      await parent.release();
      throw e;
    }
    return parent;
  }

  /** Fallback mode: the object behind `a.fh` is the one `lstat(a.path)` names, not a symlink. */
  async #verifyByPath(a: Anchor): Promise<void> {
    const [st, lst] = await Promise.all([
      a.fh.stat({ bigint: true }),
      fs.promises.lstat(a.path, { bigint: true }),
    ]);
    if (lst.isSymbolicLink() || st.dev !== lst.dev || st.ino !== lst.ino) {
      await a.fh.close().catch(() => {});
      throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'object changed during lookup');
    }
  }

  /**
   * Verifies a freshly opened final object: a regular file or directory, and (Linux) really
   * under the root according to the kernel. Closes `fh` and throws STATUS_ACCESS_DENIED if not.
   */
  async verifyOpened(fh: FileHandle, fallbackPath?: string): Promise<BigIntStats> {
    try {
      const st = await fh.stat({ bigint: true });
      if (!st.isFile() && !st.isDirectory()) {
        throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'not a regular file or directory');
      }
      if (this.useProcFd) {
        const real = await readlink(`${PROC_FD}/${fh.fd}`);
        if (!this.isInsideRoot(real))
          throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'object is outside the share');
      } else if (fallbackPath !== undefined) {
        const lst = await fs.promises.lstat(fallbackPath, { bigint: true });
        if (lst.isSymbolicLink() || lst.dev !== st.dev || lst.ino !== st.ino) {
          throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'object changed during open');
        }
      }
      return st;
    } catch (e) {
      await fh.close().catch(() => {});
      throw toSmbError(e);
    }
  }

  /** True when the absolute real path `p` is the root or below it. */
  isInsideRoot(p: string): boolean {
    return (
      p === this.realRoot || p.startsWith(this.realRoot.endsWith('/') ? this.realRoot : `${this.realRoot}/`)
    );
  }

  /** The kernel's real path of an open descriptor (Linux), for checks and tests. */
  async realPathOf(fh: FileHandle): Promise<string> {
    return this.useProcFd ? readlink(`${PROC_FD}/${fh.fd}`) : '';
  }
}
