/**
 * A share must name an existing directory. Checked before a configuration is written or
 * served, so a typo fails at start with the key to fix, not at a client's tree connect.
 */
import { stat } from 'node:fs/promises';
import { usageError } from '../exit-codes.js';

/** Throws a usage error (exit 2) naming `what` unless `path` is a directory. */
export async function checkDirectory(path: string, what: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usageError(`${what}: ${path}: ${code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
  if (!isDirectory) throw usageError(`${what}: ${path} is not a directory`);
}

/** Every share's path, with the configuration key in the message (`FILE: share[1].path`). */
export async function checkShareDirectories(
  shares: readonly { path: string }[],
  configPath: string,
): Promise<void> {
  for (const [i, share] of shares.entries())
    await checkDirectory(share.path, `${configPath}: share[${i}].path`);
}
