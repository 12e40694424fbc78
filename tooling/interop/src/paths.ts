import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tooling/interop/, where the peer scripts live. */
export const INTEROP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const MIT_KDC_SCRIPT = join(INTEROP_DIR, 'mit-kdc.sh');
export const SAMBA_SCRIPT = join(INTEROP_DIR, 'samba.sh');
export const MIT_S2K_SCRIPT = join(INTEROP_DIR, 'mit-s2k.py');

/**
 * Keep peer directories after stop (for debugging) when POSTNTLM_INTEROP_KEEP=1; the
 * directory is printed to stderr then.
 */
export function keepDirsByDefault(): boolean {
  return process.env.POSTNTLM_INTEROP_KEEP === '1';
}

/**
 * A fresh, private temp directory for one peer, under POSTNTLM_INTEROP_TMPDIR or the OS
 * temp dir (short paths: Samba puts unix sockets in it).
 */
export function makePeerDir(prefix: string, root?: string): Promise<string> {
  const base = root ?? process.env.POSTNTLM_INTEROP_TMPDIR ?? tmpdir();
  return mkdtemp(join(base, `postntlm-${prefix}-`));
}
