/** Runs the built `postntlm-smb` (bin/postntlm-smb.mjs) as a child process, for the tests. */
import { fileURLToPath } from 'node:url';
import { type RunResult, run } from '@postntlm/interop';

export const BIN = fileURLToPath(new URL('../bin/postntlm-smb.mjs', import.meta.url));

/** The reference server's executable (a dev dependency of this app), for tests against it. */
export const SMBD_BIN = fileURLToPath(
  new URL('../node_modules/@postntlm/smb-server-app/bin/postntlm-smbd.mjs', import.meta.url),
);

export function smb(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], { timeoutMs: 60_000, ...options });
}
