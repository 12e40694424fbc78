// SMB server benchmark (issue 8): smbclient reading and writing one big file from our server
// (bench/serve.mjs, a separate Node process over the built package) and from a throw-away
// Samba smbd (tooling/interop/samba.sh, `server signing = auto` so unsigned sessions are
// possible) in the same run. Both use one throw-away MIT KDC (tooling/interop/mit-kdc.sh;
// alice's TGT from MIT kinit, the cifs/samba.mit.test keys), serve a directory on the same
// file system and are reached as //samba.mit.test/share -I 127.0.0.1 on their own port.
// For each protection (--client-protection=off|sign|encrypt, SMB 3.1.1) the rounds alternate
// the servers (A B, then B A). Per transfer it records the wall time of the whole smbclient
// run (connect and Kerberos session setup included) and the server's CPU time from /proc
// (ours: the serve.mjs process; Samba: smbd and the per-connection children it reaped).
// MB/s uses MB = 10^6 bytes. The ratio is ours/Samba of the medians. Not a test.
//
//   pnpm turbo run build --filter=@postntlm/smb2-server... && pnpm -F @postntlm/smb2-server bench
//
// Options: --size-mb N (default 1024), --rounds N (default 3), --modes off,sign,encrypt,
// --ops read,write, --dialect SMB3_11 (smbclient -m), --cpu-prof DIR (a V8 CPU profile of
// serve.mjs), --dir PATH (where both servers' shares go; default /dev/shm when it has room for
// four copies of the file, else the OS temp directory: a disk's writeback swings single
// 1 GiB writes by 2x either way, which says nothing about the servers).
//
// Our server always requires signing (ARCHITECTURE.md, secure defaults), so smbclient signs
// against it even with --client-protection=off; against Samba (`server signing = auto`) it
// does not. The off rows therefore compare our signed sessions with Samba's unsigned ones.
import { fork, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, startMitKdcPeer, startSambaPeer, timedSmbclient } from '@postntlm/interop/bench';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const argv = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const SIZE_MB = Number(argValue('--size-mb', '1024'));
const ROUNDS = Number(argValue('--rounds', '3'));
const MODES = argValue('--modes', 'off,sign,encrypt').split(',');
const OPS = argValue('--ops', 'read,write')
  .split(',')
  .map((op) => ({ read: 'get', write: 'put' })[op]);
const DIALECT = argValue('--dialect', 'SMB3_11');
const CPU_PROF = argValue('--cpu-prof', undefined);
const DIR = argValue('--dir', undefined);
if (!(SIZE_MB > 0) || !(ROUNDS > 0)) throw new Error('--size-mb and --rounds must be positive');
for (const m of MODES) if (!['off', 'sign', 'encrypt'].includes(m)) throw new Error(`bad mode ${m}`);
if (OPS.includes(undefined)) throw new Error('--ops takes read, write or read,write');

const running = new Set();
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU ms of a process (with `children`, also of the children it has reaped), from /proc. */
function cpuMs(pid, children) {
  if (pid === undefined) return Number.NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** /dev/shm when it can hold four copies of the file (source, two shares, an upload), else tmpdir. */
async function shareBase() {
  if (DIR !== undefined) return resolve(DIR);
  try {
    const fs = await statfs('/dev/shm');
    if (fs.bavail * fs.bsize >= 4 * SIZE_MB * 2 ** 20 + 2 ** 28) return '/dev/shm';
  } catch {}
  return tmpdir();
}

async function startSamba(kdcDir, base) {
  const peer = await startSambaPeer({ kdcDir, prefix: 'postntlm-smb-bench-samba-', track: running, base });
  return {
    name: 'Samba smbd',
    short: 'Samba',
    port: peer.port,
    share: peer.share,
    clientConf: peer.clientConf,
    cpu: () => cpuMs(peer.pid(), true),
    stop: peer.stop,
  };
}

async function startOurs(keytab, base) {
  const dir = await mkdtemp(join(base, 'postntlm-smb-bench-ours-'));
  const share = join(dir, 'share');
  await mkdir(share);
  const execArgv = [];
  if (CPU_PROF !== undefined) {
    await mkdir(resolve(CPU_PROF), { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir', resolve(CPU_PROF));
  }
  const child = fork(join(HERE, 'serve.mjs'), ['--keytab', keytab, '--dir', share], {
    execArgv,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ready = await new Promise((res) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (line !== undefined) res(JSON.parse(line));
    });
    child.once('exit', (code) => res({ exited: code }));
  });
  if (ready.ready !== true) throw new Error(`serve.mjs exited (${ready.exited})`);
  const exited = new Promise((res) => child.once('exit', res));
  return {
    name: 'our smb2-server',
    short: 'ours',
    port: ready.port,
    share,
    clientConf: undefined,
    cpu: () => cpuMs(child.pid, false),
    async stop() {
      if (child.exitCode === null) {
        child.send('stop');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function sha256(path) {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return h.digest('hex');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)];
};
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const padL = (s, n) => String(s).padStart(n);

async function main() {
  if (!existsSync(DIST) && process.env.SMB_SERVER_MODULE === undefined) {
    console.error('bench: build first: pnpm turbo run build --filter=@postntlm/smb2-server...');
    process.exit(1);
  }
  const started = Date.now();
  const stops = [];
  const work = await mkdtemp(join(tmpdir(), 'postntlm-smb-bench-'));
  const onSignal = () => {
    for (const p of running) p.kill('SIGTERM');
    Promise.allSettled(stops.map((s) => s())).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const kdc = await startMitKdcPeer({
      realm: 'MIT.TEST',
      prefix: 'postntlm-smb-bench-kdc-',
      track: running,
    });
    stops.push(kdc.stop);
    const env = { KRB5_CONFIG: kdc.conf, KRB5CCNAME: `FILE:${join(work, 'cc')}` };
    const k = await runCommand('kinit', ['-k', '-t', join(kdc.dir, 'alice.keytab'), 'alice'], {
      env: { ...process.env, ...env },
    });
    if (k.code !== 0) throw new Error(`kinit failed: ${k.stderr}`);
    const base = await shareBase();
    const samba = await startSamba(kdc.dir, base);
    stops.push(samba.stop);
    const ours = await startOurs(join(kdc.dir, 'cifs.keytab'), base);
    stops.push(ours.stop);
    const servers = [ours, samba];

    // The source in tmpfs when there is one (the client's disk is not what is measured).
    const srcDir = existsSync('/dev/shm') ? await mkdtemp('/dev/shm/postntlm-smb-bench-') : work;
    stops.push(() => rm(srcDir, { recursive: true, force: true }));
    const src = join(srcDir, 'big.bin');
    {
      const fh = await open(src, 'w');
      const chunk = new Uint8Array(1 << 20);
      for (let i = 0; i < SIZE_MB; i++) {
        crypto.getRandomValues(chunk.subarray(0, 65536));
        for (let j = 65536; j < chunk.length; j += 65536) chunk.copyWithin(j, 0, 65536);
        chunk[0] = i & 0xff; // no two MiB alike
        await fh.write(chunk);
      }
      await fh.close();
    }
    const want = await sha256(src);
    for (const s of servers) await copyFile(src, join(s.share, 'big.bin'));

    console.log(
      `SMB bench: smbclient ${DIALECT} against our smb2-server (node ${process.version}) on 127.0.0.1:${ours.port} ` +
        `and Samba smbd on 127.0.0.1:${samba.port}, one ${SIZE_MB} MiB file, ${ROUNDS} alternating rounds per protection; ` +
        `shares in ${base}; one untimed get and put per server first; wall time of the whole smbclient run (connect and Kerberos included); MB = 10^6 bytes; ` +
        'smbclient signs against ours in every mode (it requires signing), against Samba not when off',
    );
    console.log(
      `${'protection'.padEnd(11)}${'op'.padEnd(6)}${padL('ours MB/s', 10)}${padL('Samba MB/s', 11)}${padL('ours/Samba', 11)}` +
        `${padL('CPU s/GiB: ours', 16)}${padL('Samba', 7)}`,
    );
    // One untimed get and put per server first: the first transfer of a fresh process (JIT,
    // buffer pools, smbd's first connection) runs at about two thirds of the later ones.
    for (const s of servers)
      for (const command of ['get big.bin /dev/null', `put ${src} up.bin`]) {
        const r = await timedSmbclient({
          port: s.port,
          clientConf: s.clientConf ?? samba.clientConf,
          env,
          dialect: DIALECT,
          mode: MODES[0],
          command,
          track: running,
        });
        if (r.code !== 0 || /NT_STATUS_/.test(r.out))
          throw new Error(`warm-up smbclient against ${s.name} failed: ${r.out.trim()}`);
        await rm(join(s.share, 'up.bin'), { force: true });
      }
    const ratios = [];
    let flip = false;
    for (const mode of MODES) {
      const results = { ours: { get: [], put: [] }, Samba: { get: [], put: [] } };
      for (let round = 0; round < ROUNDS; round++) {
        const order = flip ? [samba, ours] : [ours, samba];
        flip = !flip;
        for (const s of order) {
          const conf = s.clientConf ?? samba.clientConf;
          for (const op of OPS) {
            const command = op === 'get' ? 'get big.bin /dev/null' : `put ${src} up.bin`;
            const c0 = s.cpu();
            const r = await timedSmbclient({
              port: s.port,
              clientConf: conf,
              env,
              dialect: DIALECT,
              mode,
              command,
              track: running,
            });
            // smbd's per-connection child is counted once the parent has reaped it
            await new Promise((res) => setTimeout(res, 300));
            const cpu = s.cpu() - c0;
            if (r.code !== 0 || /NT_STATUS_/.test(r.out))
              throw new Error(`smbclient ${op} (${mode}) against ${s.name} failed: ${r.out.trim()}`);
            if (op === 'put') {
              const size = (await stat(join(s.share, 'up.bin'))).size;
              if (size !== SIZE_MB << 20) throw new Error(`${s.name}: put wrote ${size} bytes`);
              if (round === 0 && (await sha256(join(s.share, 'up.bin'))) !== want)
                throw new Error(`${s.name}: the uploaded file differs from the source`);
              await rm(join(s.share, 'up.bin'));
            }
            results[s.short][op].push({
              mbs: (SIZE_MB * 1.048576) / r.seconds,
              cpuPerGiB: cpu / 1000 / (SIZE_MB / 1024),
            });
          }
        }
      }
      for (const op of OPS) {
        const o = results.ours[op];
        const m = results.Samba[op];
        const ratio = median(o.map((x) => x.mbs)) / median(m.map((x) => x.mbs));
        ratios.push({ mode, op, ratio });
        console.log(
          `${mode.padEnd(11)}${(op === 'get' ? 'read' : 'write').padEnd(6)}${padL(fmt(median(o.map((x) => x.mbs))), 10)}` +
            `${padL(fmt(median(m.map((x) => x.mbs))), 11)}${padL(`${fmt(ratio, 2)}x`, 11)}` +
            `${padL(fmt(median(o.map((x) => x.cpuPerGiB)), 2), 16)}${padL(fmt(median(m.map((x) => x.cpuPerGiB)), 2), 7)}` +
            `   runs MB/s ours ${o.map((x) => fmt(x.mbs)).join(' ')} | Samba ${m.map((x) => fmt(x.mbs)).join(' ')}`,
        );
      }
    }
    const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r.ratio), 0) / ratios.length);
    console.log(
      `\nRatio ours/Samba (median MB/s): ${ratios.map((r) => `${r.mode} ${r.op === 'get' ? 'read' : 'write'} ${r.ratio.toFixed(2)}x`).join(', ')}; ` +
        `geometric mean ${geo.toFixed(2)}x (target >= 1.0x, goal 1.2x)`,
    );
    console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const s of stops.reverse()) await s().catch(() => {});
    await rm(work, { recursive: true, force: true });
    if (CPU_PROF !== undefined) console.log(`bench: serve.mjs CPU profile in ${resolve(CPU_PROF)}`);
  }
}

await main();
