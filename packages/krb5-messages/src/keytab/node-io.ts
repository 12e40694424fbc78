/**
 * Node file I/O shared by the keytab and ccache adapters (internal, not exported from the
 * package). node:fs is reached through `process.getBuiltinModule` only when called, so
 * importing the package never loads a Node module and it still runs in browsers, Deno
 * and Bun (where the file functions throw).
 */
import type * as FsPromises from 'node:fs/promises';

/** node:fs/promises, or an error saying that this needs Node. */
export function nodeFs(what: string): typeof FsPromises {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new Error(
      `${what} needs Node.js >= 20.16 (process.getBuiltinModule): use the byte functions elsewhere`,
    );
  }
  return proc.getBuiltinModule('node:fs/promises');
}

/** Reads a whole file as a plain Uint8Array (not a Buffer). */
export async function readFileBytes(path: string, what: string): Promise<Uint8Array> {
  const b = await nodeFs(what).readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Replaces `path` atomically with `bytes`, mode 0600: writes a temporary file beside it
 * (created exclusively, 0600), flushes it to disk, renames it over `path`, then flushes
 * the directory. Readers see the old file or the new one, never a partial one.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, what: string): Promise<void> {
  const fs = nodeFs(what);
  const tmp = `${path}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    try {
      await fh.writeFile(bytes);
      await fh.chmod(0o600); // in case the umask took owner bits away
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
  try {
    const dh = await fs.open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Best effort: not every platform can fsync a directory.
  }
}
