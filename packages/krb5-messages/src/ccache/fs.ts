/**
 * Node file adapter for FILE credential caches (the I/O edge): `loadCcache` /
 * `saveCcache`. They reach node:fs only when called (see `../keytab/node-io.ts`), so the
 * package still loads without Node. Paths are plain file paths (strip a `FILE:` prefix
 * from KRB5CCNAME first).
 */
import { readFileBytes, writeFileAtomic } from '../keytab/node-io.js';
import {
  type Ccache,
  type CcacheByteOrderOptions,
  type CcacheInput,
  readCcache,
  type WriteCcacheOptions,
  writeCcache,
} from './ccache.js';

/** Reads a credential cache file (Node only). Malformed content: `CcacheFormatError`. */
export async function loadCcache(path: string, options: CcacheByteOrderOptions = {}): Promise<Ccache> {
  return readCcache(await readFileBytes(path, 'loadCcache'), options);
}

/** Writes a credential cache file atomically with mode 0600 (Node only). */
export async function saveCcache(
  path: string,
  cache: CcacheInput,
  options: WriteCcacheOptions = {},
): Promise<void> {
  await writeFileAtomic(path, writeCcache(cache, options), 'saveCcache');
}
