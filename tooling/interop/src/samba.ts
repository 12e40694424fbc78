import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type LivePeer, registerLivePeer, unregisterLivePeer } from './cleanup.js';
import type { MitKdc } from './mit-kdc.js';
import { keepDirsByDefault, makePeerDir, SAMBA_SCRIPT } from './paths.js';
import { findFreePort, LOOPBACK } from './ports.js';
import { describeFailure, type RunResult, requireCommand, run } from './process.js';
import { parseExports } from './script-env.js';

export type SambaSigning = 'mandatory' | 'auto' | 'disabled';

export interface SambaOptions {
  /** TCP port. Default: a free port. */
  readonly port?: number;
  /** No NTLMSSP at all: `gensec:ntlmssp = no` + `ntlm auth = disabled`. Default false. */
  readonly krb5Only?: boolean;
  /** `server signing`. Default `mandatory`. */
  readonly signing?: SambaSigning;
  /** Keep the directory after stop (default: POSTNTLM_INTEROP_KEEP=1). */
  readonly keepDir?: boolean;
  /** Parent of the fresh temp directory. */
  readonly tmpDir?: string;
}

/**
 * Where smbd gets its service keys and Kerberos profile: `dir` holds `cifs.keytab` (keys of
 * cifs/samba.mit.test@`realm`, copied as smbd's dedicated keytab) and `krb5.conf` (smbd's
 * KRB5_CONFIG). A {@link MitKdc} is one; a test of another KDC passes a directory it wrote.
 */
export type SambaKdc = Pick<MitKdc, 'dir' | 'realm'>;

/** A running throw-away Samba smbd (tooling/interop/samba.sh). */
export interface SambaServer {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Name clients must use (with `-I 127.0.0.1`): smbclient refuses Kerberos to an IP. */
  readonly serverName: 'samba.mit.test';
  /** `cifs/samba.mit.test@REALM` */
  readonly spn: string;
  /** Share names: `share` (signing per server setting) and `enc` (smb encrypt = required). */
  readonly shares: { readonly plain: 'share'; readonly encrypted: 'enc' };
  /** The directory both shares export (holds `hello.txt`). */
  readonly shareDir: string;
  readonly keytab: string;
  /** smbclient configuration matching this server (`smbclient -s`). */
  readonly clientConf: string;
  readonly logDir: string;
  /** SMB_HOST, SMB_PORT, SMB_SERVER_NAME, SMB_SPN, SMB_SHARE, SMB_ENC_SHARE, SMB_SHARE_DIR, ... */
  readonly env: Readonly<Record<string, string>>;
  /** Stops smbd (its whole process group) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const PORT_IN_USE = 75;
const START_ATTEMPTS = 6;

/**
 * Starts a throw-away standalone smbd on 127.0.0.1 that accepts Kerberos tickets of `kdc`
 * for cifs/samba.mit.test (and cifs/localhost), in a fresh temp directory.
 */
export async function startSamba(kdc: SambaKdc, options: SambaOptions = {}): Promise<SambaServer> {
  const bash = requireCommand('bash');
  requireCommand('smbd', 'Samba smbd');
  requireCommand('ss', 'ss (iproute2)');
  requireCommand('setsid', 'setsid (util-linux)');
  const keep = options.keepDir ?? keepDirsByDefault();
  const dir = await makePeerDir('samba', options.tmpDir);
  let port = 0;
  const scriptEnv = (): Record<string, string> => ({
    REALM: kdc.realm,
    SMB_PORT: String(port),
    SMB_KRB5_ONLY: options.krb5Only === true ? '1' : '0',
    SMB_SIGNING: options.signing ?? 'mandatory',
    INTEROP_OWNER_PID: String(process.pid),
    INTEROP_REMOVE_DIR: keep ? '0' : '1',
  });

  try {
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      port = options.port ?? (await findFreePort());
      const args = [SAMBA_SCRIPT, 'start', dir, kdc.dir];
      const result = await run(bash, args, { env: scriptEnv(), timeoutMs: 60_000 });
      if (result.code === 0) break;
      if (result.code !== PORT_IN_USE || options.port !== undefined || attempt === START_ATTEMPTS) {
        throw new Error(`starting Samba failed: ${describeFailure('samba.sh', args.slice(1), result)}`);
      }
    }
  } catch (e) {
    if (!keep) await rm(dir, { recursive: true, force: true });
    throw e;
  }

  const pid = Number((await readFile(join(dir, 'smbd.pid.run'), 'utf8')).trim());
  const live: LivePeer = {
    description: `Samba smbd on ${LOOPBACK}:${port}`,
    pid,
    dir: keep ? undefined : dir,
  };
  registerLivePeer(live);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const result: RunResult = await run(bash, [SAMBA_SCRIPT, 'stop', dir], { env: scriptEnv() });
      unregisterLivePeer(live);
      if (result.code !== 0) {
        for (const target of [-pid, pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
      if (keep) process.stderr.write(`interop: kept Samba directory ${dir}\n`);
      else await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const envResult = await run(bash, [SAMBA_SCRIPT, 'env', dir]);
    if (envResult.code !== 0) throw new Error(describeFailure('samba.sh', ['env', dir], envResult));
    const env = parseExports(envResult.stdout);
    return {
      dir,
      host: LOOPBACK,
      port,
      pid,
      serverName: 'samba.mit.test',
      spn: env.SMB_SPN ?? `cifs/samba.mit.test@${kdc.realm}`,
      shares: { plain: 'share', encrypted: 'enc' },
      shareDir: join(dir, 'share'),
      keytab: join(dir, 'cifs.keytab'),
      clientConf: join(dir, 'client.conf'),
      logDir: join(dir, 'log'),
      env,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
