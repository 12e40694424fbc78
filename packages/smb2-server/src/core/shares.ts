/** The shares' backends: one `LocalDirectoryBackend` per share with a `path`, opened lazily, disposed at close. */
import { LocalDirectoryBackend, type ShareBackend } from '../backend/index.js';
import { SparseFileBackend } from '../backend/sparse.js';
import type { ShareOptions } from './options.js';

export class ShareBackends {
  readonly #backends = new Map<string, Promise<ShareBackend>>();

  /** The backend of `share` (undefined without `path`); a failed open is retried next time. */
  get(share: ShareOptions): Promise<ShareBackend | undefined> {
    if (share.path === undefined) return Promise.resolve(undefined);
    const key = share.name.toLowerCase();
    let b = this.#backends.get(key);
    if (b === undefined) {
      // Sparse-file state (FSCTL_SET_SPARSE, SET_ZERO_DATA, QUERY_ALLOCATED_RANGES) on top.
      b = LocalDirectoryBackend.open(share.path, share.backend ?? {}).then((l) => new SparseFileBackend(l));
      this.#backends.set(key, b);
      b.catch(() => this.#backends.delete(key));
    }
    return b;
  }

  /** Disposes every opened backend (closing their handles). */
  async dispose(): Promise<void> {
    const all = [...this.#backends.values()];
    this.#backends.clear();
    for (const b of all) await b.then((x) => x.dispose()).catch(() => {});
  }
}
