/**
 * Change notification hooks for CHANGE_NOTIFY: one `DirectoryWatcher` (an EventEmitter) per
 * watch on an open directory. Events are fired by the backend's own operations (create,
 * mkdir, write, truncate, set times/attributes, rename, delete), so every change made
 * through this backend — by any client of the server — is reported, deterministically and in
 * order. Changes made to the share by other processes directly on the disk are NOT reported:
 * `fs.watch` (inotify) is not recursive on Linux before Node 20's partial support, drops
 * events under load and reports names after the fact; a server that needs them can feed
 * `ChangeHub.fire` from its own watcher (the protocol core can then answer
 * STATUS_NOTIFY_ENUM_DIR when it cannot keep up).
 */
import { EventEmitter } from 'node:events';
import { CompletionFilter, FileAction } from '@postntlm/smb2-protocol';

export { CompletionFilter, FileAction };

/** One change, FILE_NOTIFY_INFORMATION-shaped. */
export interface ChangeEvent {
  /** `FileAction` value. */
  readonly action: number;
  /** Path relative to the watched directory, `\`-separated. */
  readonly name: string;
  /** The `CompletionFilter` bits this change matches. */
  readonly filter: number;
}

export interface WatchOptions {
  /** WATCH_TREE: also changes below subdirectories. */
  readonly recursive?: boolean;
  /** Only events with one of these `CompletionFilter` bits (default: all). */
  readonly filter?: number;
}

/**
 * Emits `'change'` (ChangeEvent) until closed; `'deletePending'` when the watched directory
 * itself is marked for deletion while still open (MS-FSA §2.1.5.10: pending notifications then
 * complete with STATUS_DELETE_PENDING); `'close'` once.
 */
export class DirectoryWatcher extends EventEmitter<{ change: [ChangeEvent]; deletePending: []; close: [] }> {
  #closed = false;
  constructor(
    readonly dir: () => readonly string[],
    readonly recursive: boolean,
    readonly filter: number,
    private readonly onClose: (w: DirectoryWatcher) => void,
  ) {
    super();
  }
  get closed(): boolean {
    return this.#closed;
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose(this);
    this.emit('close');
    this.removeAllListeners();
  }
}

/** The registry of watchers of one share. */
export class ChangeHub {
  readonly #watchers = new Set<DirectoryWatcher>();

  /** Watches the directory whose current path `dir()` returns (it follows renames). */
  watch(dir: () => readonly string[], opts: WatchOptions = {}): DirectoryWatcher {
    const w = new DirectoryWatcher(dir, opts.recursive ?? false, opts.filter ?? 0xffffffff, (x) =>
      this.#watchers.delete(x),
    );
    this.#watchers.add(w);
    return w;
  }

  get size(): number {
    return this.#watchers.size;
  }

  /** Reports that the directory at `dir` is delete-pending to the watchers of exactly it. */
  deletePending(dir: readonly string[]): void {
    for (const w of [...this.#watchers]) {
      const d = w.dir();
      if (d.length === dir.length && d.every((c, i) => c === dir[i])) w.emit('deletePending');
    }
  }

  /** Reports `action` on `name` inside the directory `parent`. */
  fire(parent: readonly string[], name: string, action: number, filter: number): void {
    const full = [...parent, name];
    for (const w of [...this.#watchers]) {
      if ((w.filter & filter) === 0) continue;
      const dir = w.dir();
      if (dir.length > parent.length || !dir.every((c, i) => c === full[i])) continue;
      if (dir.length < parent.length && !w.recursive) continue;
      w.emit('change', { action, name: full.slice(dir.length).join('\\'), filter });
    }
  }
}
