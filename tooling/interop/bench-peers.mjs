// Peer plumbing for the benchmark scripts (plain Node ESM, no build step): a command
// runner, a loopback port free for TCP and UDP, a throw-away MIT KDC through mit-kdc.sh,
// a throw-away Samba smbd through samba.sh, a timed smbclient run, and a build of
// krb5-client's libkrb5 load generator. Benchmarks are not tests, so a
// missing compiler makes `compileMitKdcLoad` report a skip instead of failing.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIT_KDC_SCRIPT = fileURLToPath(new URL('./mit-kdc.sh', import.meta.url));

export const INSTALL_HINT =
  'install the peers with `bash tooling/interop/install-peers.sh` (Debian 12; or: apt-get install gcc libc6-dev libkrb5-dev)';

/**
 * Runs a command to completion: `{ code, stdout, stderr }`. `track`, a Set, holds the child
 * while it runs so a SIGINT handler can end it.
 */
export function runCommand(cmd, args, { track, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    track?.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      track?.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port free for both TCP and UDP on 127.0.0.1. */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const p = server.address().port;
        server.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/**
 * Starts a throw-away MIT krb5kdc (mit-kdc.sh) on a free port: `{ dir, port, env, conf,
 * log, stop }`, where `env` holds the script's exports (KRB5_CONFIG, MIT_KDC_REALM...).
 * The script's watchdog stops the KDC if this process dies.
 */
export async function startMitKdcPeer({ realm, prefix = 'postntlm-bench-mit-', track } = {}) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const env = {
      ...process.env,
      KDC_PORT: String(port),
      ...(realm === undefined ? {} : { REALM: realm }),
      INTEROP_OWNER_PID: String(process.pid),
      INTEROP_REMOVE_DIR: '1',
    };
    const r = await runCommand('bash', [MIT_KDC_SCRIPT, 'start', dir], { env, track });
    if (r.code === 0) break;
    // 75: the port was taken between the probe and the bind; try another.
    if (r.code !== 75 || attempt >= 6) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`mit-kdc.sh start failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
  }
  const exported = await runCommand('bash', [MIT_KDC_SCRIPT, 'env', dir], { track });
  const env = {};
  for (const line of exported.stdout.split('\n')) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m !== null) env[m[1]] = m[2];
  }
  let stopped = false;
  return {
    dir,
    port,
    env,
    conf: join(dir, 'krb5.conf'),
    log: join(dir, 'kdc.log'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await runCommand('bash', [MIT_KDC_SCRIPT, 'stop', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Compiles the libkrb5 load generator `source` (krb5-client's bench/mit-kdc-load.c) into
 * `dir`. Returns `{ exe }`, or `{ skipped: why }` when there is no compiler or libkrb5-dev.
 */
export function compileMitKdcLoad(source, dir) {
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { skipped: `no C compiler (\`${cc}\`)` };
  }
  const config = spawnSync('krb5-config', ['--cflags', 'krb5'], { encoding: 'utf8' });
  const cflags = config.status === 0 ? config.stdout.trim().split(/\s+/).filter(Boolean) : [];
  const exe = join(dir, 'mit-kdc-load');
  const build = spawnSync(
    cc,
    ['-O2', ...cflags, '-o', exe, source, '-lkrb5', '-lk5crypto', '-lcom_err', '-lpthread'],
    { encoding: 'utf8' },
  );
  if (build.status !== 0) {
    const first =
      (build.stderr || '').split('\n').find((l) => /error|cannot find/.test(l)) ?? build.stderr.trim();
    return { skipped: `building ${source} failed (${first.trim()})` };
  }
  return { exe };
}

const SAMBA_SCRIPT = fileURLToPath(new URL('./samba.sh', import.meta.url));

/**
 * A throw-away Samba smbd through samba.sh, trusting the MIT KDC of `kdcDir` (its
 * cifs.keytab), signing `auto` (what Samba does by default), on a free port:
 * `{ port, dir, share, clientConf, pid(), stop }`. Its directory (share included) is made in
 * `base` (default: the OS temp directory). Retries when the port was taken.
 */
export async function startSambaPeer({
  kdcDir,
  prefix = 'postntlm-bench-samba-',
  track,
  base = tmpdir(),
} = {}) {
  const dir = await mkdtemp(join(base, prefix));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const env = {
      ...process.env,
      SMB_PORT: String(port),
      SMB_SIGNING: 'auto',
      INTEROP_OWNER_PID: String(process.pid),
      INTEROP_REMOVE_DIR: '1',
    };
    const r = await runCommand('bash', [SAMBA_SCRIPT, 'start', dir, kdcDir], { env, track });
    if (r.code === 0) {
      return {
        port,
        dir,
        share: join(dir, 'share'),
        clientConf: join(dir, 'client.conf'),
        pid: () => Number(readFileSync(join(dir, 'smbd.pid.run'), 'utf8').trim()),
        async stop() {
          await runCommand('bash', [SAMBA_SCRIPT, 'stop', dir, kdcDir]);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (r.code !== 75 || attempt >= 6) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`samba.sh start failed (${r.code}): ${r.stderr}`);
    }
  }
}

/**
 * One smbclient run against `//samba.mit.test/share` on 127.0.0.1:`port` with Kerberos from
 * `env.KRB5CCNAME`, timed from spawn to exit: `{ code, out, seconds }` (out: stdout+stderr).
 */
export function timedSmbclient({ port, clientConf, env, dialect = 'SMB3_11', mode, command, track }) {
  const args = [
    '//samba.mit.test/share',
    '-s',
    clientConf,
    '-I',
    '127.0.0.1',
    '-p',
    String(port),
    '--use-kerberos=required',
    `--use-krb5-ccache=${env.KRB5CCNAME}`,
    '-m',
    dialect,
    `--client-protection=${mode}`,
    '-c',
    command,
  ];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('smbclient', args, { env: { ...process.env, ...env } });
    track?.add(p);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      out += d;
    });
    p.on('error', reject);
    p.on('close', (code) => {
      track?.delete(p);
      resolve({ code, out, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
  });
}
