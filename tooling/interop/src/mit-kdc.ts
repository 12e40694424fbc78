import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type LivePeer, registerLivePeer, unregisterLivePeer } from './cleanup.js';
import { keepDirsByDefault, MIT_KDC_SCRIPT, makePeerDir } from './paths.js';
import { findFreePort, LOOPBACK } from './ports.js';
import { describeFailure, type RunOptions, type RunResult, requireCommand, run } from './process.js';
import { parseExports } from './script-env.js';

export interface MitKdcOptions {
  /** Realm name. Default `MIT.TEST`. */
  readonly realm?: string;
  /** Port for UDP and TCP. Default: a free port (never a fixed one: test files run in parallel). */
  readonly port?: number;
  /** Keep the directory after stop (default: POSTNTLM_INTEROP_KEEP=1). */
  readonly keepDir?: boolean;
  /** Parent of the fresh temp directory (default: POSTNTLM_INTEROP_TMPDIR or the OS temp dir). */
  readonly tmpDir?: string;
}

/** Files in the KDC directory. */
export interface MitKdcFiles {
  /** client profile (KRB5_CONFIG) */
  readonly krb5Conf: string;
  /** KDC profile (KRB5_KDC_PROFILE) */
  readonly kdcConf: string;
  readonly log: string;
  /** host/ and cifs/ for localhost and samba.mit.test, sha2svc/localhost */
  readonly serviceKeytab: string;
  /** cifs/ and host/ for localhost and samba.mit.test (Samba's keytab) */
  readonly cifsKeytab: string;
  readonly aliceKeytab: string;
  readonly krbtgtKeytab: string;
}

/** A running throw-away MIT KDC (tooling/interop/mit-kdc.sh). */
export interface MitKdc {
  readonly dir: string;
  readonly realm: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /**
   * Environment for child processes that should use this KDC: KRB5_CONFIG,
   * KRB5_KDC_PROFILE, KRB5CCNAME, KRB5_KTNAME, KRB5RCACHEDIR, MIT_KDC_REALM/HOST/PORT/DIR,
   * MIT_KDC_ALICE_PASSWORD.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The default ticket cache of this KDC's environment, `FILE:<dir>/ccache`. */
  readonly ccache: string;
  /**
   * Fixed passwords by principal name without the realm: `alice`, `alice-nopreauth`, `bob`,
   * `krbtgt/MIT.TEST`, `host/localhost`, `host/samba.mit.test`, `cifs/localhost`,
   * `cifs/samba.mit.test`, `sha2svc/localhost`, `K/M`.
   */
  readonly passwords: Readonly<Record<string, string>>;
  readonly files: MitKdcFiles;
  /** Runs `kadmin.local -q QUERY`; rejects when kadmin reports an error; resolves with its output. */
  kadmin(query: string): Promise<string>;
  /** Runs a command with this KDC's environment (plus `options.env`); never rejects on a non-zero exit. */
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Stops the KDC and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const PORT_IN_USE = 75;
const START_ATTEMPTS = 6;

/** kadmin.local chatter on stderr that is not an error. */
const BENIGN_KADMIN_STDERR = [/^No policy specified for .*; defaulting to no policy$/, /^\s*$/];

function scriptEnv(realm: string, port: number, keep: boolean): Record<string, string> {
  return {
    REALM: realm,
    KDC_PORT: String(port),
    INTEROP_OWNER_PID: String(process.pid),
    INTEROP_REMOVE_DIR: keep ? '0' : '1',
  };
}

async function readPasswords(file: string, realm: string): Promise<Record<string, string>> {
  const passwords: Record<string, string> = {};
  const suffix = `@${realm}`;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const [principal, password] = line.trim().split(/\s+/);
    if (principal === undefined || password === undefined) continue;
    const name = principal.endsWith(suffix) ? principal.slice(0, -suffix.length) : principal;
    passwords[name] = password;
  }
  return passwords;
}

/**
 * Starts a throw-away MIT KDC (krb5kdc 1.20) on 127.0.0.1 in a fresh temp directory, with
 * the principals, passwords and keytabs described in tooling/interop/mit-kdc.sh.
 * Picks a free port (retrying if another process takes it first) unless `options.port`.
 */
export async function startMitKdc(options: MitKdcOptions = {}): Promise<MitKdc> {
  const bash = requireCommand('bash');
  requireCommand('krb5kdc', 'MIT krb5kdc');
  requireCommand('kdb5_util', 'MIT kdb5_util');
  requireCommand('kadmin.local', 'MIT kadmin.local');
  requireCommand('ss', 'ss (iproute2)');
  requireCommand('setsid', 'setsid (util-linux)');
  const realm = options.realm ?? 'MIT.TEST';
  const keep = options.keepDir ?? keepDirsByDefault();
  const dir = await makePeerDir('mit-kdc', options.tmpDir);

  let port = 0;
  let started = false;
  try {
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      port = options.port ?? (await findFreePort());
      const args = [MIT_KDC_SCRIPT, 'start', dir];
      const result = await run(bash, args, { env: scriptEnv(realm, port, keep), timeoutMs: 60_000 });
      if (result.code === 0) {
        started = true;
        break;
      }
      if (result.code !== PORT_IN_USE || options.port !== undefined || attempt === START_ATTEMPTS) {
        throw new Error(
          `starting the MIT KDC failed: ${describeFailure('mit-kdc.sh', args.slice(1), result)}`,
        );
      }
    }
  } catch (e) {
    if (!keep) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  if (!started) throw new Error('unreachable: MIT KDC start loop ended without a result');

  const pid = Number((await readFile(join(dir, 'krb5kdc.pid'), 'utf8')).trim());
  const live: LivePeer = {
    description: `MIT KDC ${realm} on ${LOOPBACK}:${port}`,
    pid,
    dir: keep ? undefined : dir,
  };
  registerLivePeer(live);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const result = await run(bash, [MIT_KDC_SCRIPT, 'stop', dir], {
        env: scriptEnv(realm, port, keep),
      });
      unregisterLivePeer(live);
      if (result.code !== 0) {
        // the script could not stop it: do it by pid
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      if (keep) process.stderr.write(`interop: kept MIT KDC directory ${dir}\n`);
      else await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  let env: Record<string, string>;
  let passwords: Record<string, string>;
  try {
    const envResult = await run(bash, [MIT_KDC_SCRIPT, 'env', dir]);
    if (envResult.code !== 0) throw new Error(describeFailure('mit-kdc.sh', ['env', dir], envResult));
    env = parseExports(envResult.stdout);
    passwords = await readPasswords(join(dir, 'passwords.txt'), realm);
  } catch (e) {
    await stop();
    throw e;
  }
  const files: MitKdcFiles = {
    krb5Conf: join(dir, 'krb5.conf'),
    kdcConf: join(dir, 'kdc.conf'),
    log: join(dir, 'kdc.log'),
    serviceKeytab: join(dir, 'service.keytab'),
    cifsKeytab: join(dir, 'cifs.keytab'),
    aliceKeytab: join(dir, 'alice.keytab'),
    krbtgtKeytab: join(dir, 'krbtgt.keytab'),
  };
  const runWithEnv = (
    cmd: string,
    args: readonly string[],
    runOptions: RunOptions = {},
  ): Promise<RunResult> => run(cmd, args, { ...runOptions, env: { ...env, ...runOptions.env } });

  return {
    dir,
    realm,
    host: LOOPBACK,
    port,
    pid,
    env,
    ccache: env.KRB5CCNAME ?? `FILE:${join(dir, 'ccache')}`,
    passwords,
    files,
    run: runWithEnv,
    async kadmin(query: string): Promise<string> {
      const args = ['-r', realm, '-q', query];
      const result = await runWithEnv('kadmin.local', args);
      const problems = result.stderr
        .split('\n')
        .filter((line) => !BENIGN_KADMIN_STDERR.some((re) => re.test(line)));
      if (result.code !== 0 || problems.length > 0) {
        throw new Error(`kadmin.local: ${describeFailure('kadmin.local', args, result)}`);
      }
      return result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('Authenticating as principal'))
        .join('\n');
    },
    stop,
  };
}
