/**
 * Every file open of a share, by file (its inode), across all connections and sessions: what
 * an oplock decision looks at (MS-FSA §2.1.5.17: the other opens of the same stream and the
 * oplocks they hold). Opens are added by CREATE and removed when they close (./open.ts).
 */
import type { ShareBackend } from '../backend/index.js';
import type { Open } from './open.js';

export class FileOpens {
  readonly #byFile = new Map<bigint, Set<Open>>();
  readonly #fileOf = new Map<Open, bigint>();
  /** The opens granted an oplock (whatever its level now), until they close. */
  readonly #granted = new Set<Open>();

  add(open: Open, fileKey: bigint): void {
    let opens = this.#byFile.get(fileKey);
    if (opens === undefined) {
      opens = new Set();
      this.#byFile.set(fileKey, opens);
    }
    opens.add(open);
    this.#fileOf.set(open, fileKey);
  }

  remove(open: Open): void {
    const key = this.#fileOf.get(open);
    if (key === undefined) return;
    this.#fileOf.delete(open);
    this.#granted.delete(open);
    const opens = this.#byFile.get(key);
    opens?.delete(open);
    if (opens?.size === 0) this.#byFile.delete(key);
  }

  /** The opens of the file `open` is an open of (itself included). */
  sameFile(open: Open): Iterable<Open> {
    const key = this.#fileOf.get(open);
    return (key === undefined ? undefined : this.#byFile.get(key)) ?? [open];
  }

  /** The opens of the file with this inode number. */
  ofFile(fileKey: bigint): readonly Open[] {
    return [...(this.#byFile.get(fileKey) ?? [])];
  }

  /**
   * The opens of the file at `path` (an SMB path as the backend's handles report it), found
   * before that file is opened, when one of them was granted an oplock (only those can need a
   * break): empty otherwise. Looks only at opens granted an oplock, so a CREATE costs nothing
   * extra on a share where no one asks for oplocks.
   */
  atPath(path: string): readonly Open[] {
    for (const holder of this.#granted) {
      if (!holder.handle.closed && holder.handle.path === path) return [...this.sameFile(holder)];
    }
    return [];
  }

  /** `open` (added before) was granted an oplock. */
  granted(open: Open): void {
    if (this.#fileOf.has(open)) this.#granted.add(open);
  }
}

const registries = new WeakMap<ShareBackend, FileOpens>();

/** The open files of one share's backend (shared by every connection of the server). */
export function fileOpensOf(backend: ShareBackend): FileOpens {
  let r = registries.get(backend);
  if (r === undefined) {
    r = new FileOpens();
    registries.set(backend, r);
  }
  return r;
}

/**
 * A write, a byte-range lock or a size change through `open` (MS-FSA §2.1.4.12, "Check
 * Oplock Break" for writes, locks and size changes): every LEVEL_II oplock of the file, the
 * open's own included, is broken to NONE (a notification, no acknowledgment), as Windows and
 * Samba do. BATCH and EXCLUSIVE oplocks are the writer's own (any other open broke them) and stay.
 */
export function breakLevelIIOplocks(open: Open): void {
  for (const o of fileOpensOf(open.backend).sameFile(open)) o.oplock?.breakLevelIIToNone();
}
