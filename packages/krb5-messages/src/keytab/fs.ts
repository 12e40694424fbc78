/**
 * Node file adapter for keytabs (the I/O edge): `loadKeytab` / `saveKeytab`. They reach
 * node:fs only when called (see `./node-io.ts`), so the package still loads without Node.
 */
import { type KeytabEntry, type ReadKeytabOptions, readKeytab, writeKeytab } from './keytab.js';
import { readFileBytes, writeFileAtomic } from './node-io.js';

/** Reads a keytab file (Node only). Malformed content: `KeytabFormatError`. */
export async function loadKeytab(path: string, options: ReadKeytabOptions = {}): Promise<KeytabEntry[]> {
  return readKeytab(await readFileBytes(path, 'loadKeytab'), options);
}

/** Writes a keytab file atomically with mode 0600 (Node only). */
export async function saveKeytab(path: string, entries: readonly KeytabEntry[]): Promise<void> {
  await writeFileAtomic(path, writeKeytab(entries), 'saveKeytab');
}
