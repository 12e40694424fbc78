/** Where the server keeps its Local KDC, keytab, configuration and NTLM audit log. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `--state`, else `$POSTNTLM_SMBD_STATE`, else /var/lib/postntlm-smbd for root, else the XDG state directory. */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.POSTNTLM_SMBD_STATE;
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/postntlm-smbd';
  const base = env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'postntlm-smbd');
}

/** The files `postntlm-smbd` adds to a Local KDC state directory (see local-kdc's `statePaths`). */
export const serverPaths = (stateDir: string) => ({
  /** The server configuration written on first run; edit it, or pass --config. */
  config: join(stateDir, 'postntlm-smbd.toml'),
  /** One JSON object per refused NTLMSSP attempt (0600). */
  ntlmAudit: join(stateDir, 'ntlm-audit.jsonl'),
  /** What a running `serve` bound: SMB address and KDC listeners (read by `krb5conf`). */
  runtime: join(stateDir, 'postntlm-smbd.runtime.json'),
});
