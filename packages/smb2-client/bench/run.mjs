import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { runCommand, startMitKdcPeer, startSambaPeer, timedSmbclient } from '@postntlm/interop/bench';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const SERVER = 'samba.mit.test';

const argv = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const SIZE_MB = Number(argValue('--size-mb', '1024'));
const ROUNDS = Number(argValue('--rounds', '3'));
const MODES = argValue('--modes', 'off,sign,encrypt').split(',');
const OPS = argValue('--ops', 'get,put').split(',');
// `chunks` (the default): reads by handle.readChunks (lent frames), writes by handle.writeFrom
// (reused buffers filled from the local file); `stream`: createReadStream and createWriteStream.
const API = argValue('--api', 'chunks');
const CHUNK = Number(argValue('--chunk-kib', API === 'chunks' ? '8192' : '1024')) * 1024;
const DEPTH = Number(argValue('--depth', API === 'chunks' ? '4' : '8'));
if (!['chunks', 'stream'].includes(API)) throw new Error(`bad --api ${API}`);
if (!(SIZE_MB > 0) || !(ROUNDS > 0)) throw new Error('--size-mb and --rounds must be positive');
for (const m of MODES) if (!['off', 'sign', 'encrypt'].includes(m)) throw new Error(`bad mode ${m}`);

const running = new Set();
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * CPU ms of a process, every thread, from /proc; with `children`, also of the children it
 * has reaped (smbd's per-connection child; this process's smbclient runs). NaN without /proc.
 */
function cpuMs(pid, children) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms used so far by this process (ours runs in it) and by the children it has reaped (smbclient). */
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const childrenCpuMs = () => cpuMs(process.pid, true) - cpuMs(process.pid, false);

async function startSamba(kdcDir) {
  const peer = await startSambaPeer({ kdcDir, prefix: 'postntlm-smb-client-bench-samba-', track: running });
  return {
    port: peer.port,
    share: peer.share,
    clientConf: peer.clientConf,
    smbdCpuMs: () => cpuMs(peer.pid(), true),
    stop: peer.stop,
  };
}

/** smbclient's wall time for one command; fails on any error it reports. */
async function smbclient(samba, env, mode, command) {
  const r = await timedSmbclient({
    port: samba.port,
    clientConf: samba.clientConf,
    env,
    mode,
    command,
    track: running,
  });
  if (r.code !== 0 || /NT_STATUS_/.test(r.out))
    throw new Error(`smbclient ${command} (${mode}) failed: ${r.out.trim()}`);
  return r.seconds;
}

async function ours(client, samba, kdc, env, mode, op, src) {
  const t0 = process.hrtime.bigint();
  const c = await client.SmbClient.connect({
    host: '127.0.0.1',
    port: samba.port,
    serverName: SERVER,
    auth: { ccache: env.KRB5CCNAME, krb5Config: kdc.conf },
    iakerb: 'never',
    protection: mode === 'off' ? 'none' : mode,
    dialects: [0x0311],
  });
  try {
    const tree = await c.tree('share');
    if (op === 'get' && API === 'chunks') {
      const handle = await tree.open('big.bin', 'r');
      try {
        let total = 0;
        for await (const chunk of handle.readChunks({ chunkSize: CHUNK, depth: DEPTH }))
          total += chunk.length;
        if (total !== SIZE_MB << 20) throw new Error(`read ${total} bytes`);
      } finally {
        await handle.close();
      }
    } else if (op === 'get') {
      await pipeline(
        tree.createReadStream('big.bin', { chunkSize: CHUNK, depth: DEPTH }),
        new Writable({ write: (_c, _e, cb) => cb() }),
      );
    } else if (API === 'chunks') {
      const local = await open(src, 'r');
      const handle = await tree.open('up.bin', 'w');
      try {
        const n = await handle.writeFrom((b, at) => local.read(b, 0, b.length, at).then((r) => r.bytesRead), {
          chunkSize: CHUNK,
          depth: DEPTH,
        });
        if (n !== SIZE_MB << 20) throw new Error(`wrote ${n} bytes`);
      } finally {
        await handle.close();
        await local.close();
      }
    } else {
      await pipeline(
        createReadStream(src, { highWaterMark: CHUNK }),
        tree.createWriteStream('up.bin', { depth: DEPTH }),
      );
    }
  } finally {
    await c.close();
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)];
};
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const padL = (s, n) => String(s).padStart(n);

async function main() {
  if (!existsSync(DIST)) {
    console.error('bench: build first: pnpm turbo run build --filter=@postntlm/smb2-client...');
    process.exit(1);
  }
  const client = await import(DIST);
  const started = Date.now();
  const stops = [];
  const work = await mkdtemp(join(tmpdir(), 'postntlm-smb-client-bench-'));
  try {
    const kdc = await startMitKdcPeer({
      realm: 'MIT.TEST',
      prefix: 'postntlm-smb-client-bench-kdc-',
      track: running,
    });
    stops.push(kdc.stop);
    const env = { KRB5_CONFIG: kdc.conf, KRB5CCNAME: `FILE:${join(work, 'cc')}` };
    const k = await runCommand('kinit', ['-k', '-t', join(kdc.dir, 'alice.keytab'), 'alice'], {
      env: { ...process.env, ...env },
    });
    if (k.code !== 0) throw new Error(`kinit failed: ${k.stderr}`);
    const samba = await startSamba(kdc.dir);
    stops.push(samba.stop);
    const srcDir = existsSync('/dev/shm') ? await mkdtemp('/dev/shm/postntlm-smb-client-bench-') : work;
    stops.push(() => rm(srcDir, { recursive: true, force: true }));
    const src = join(srcDir, 'big.bin');
    const fh = await open(src, 'w');
    const chunk = new Uint8Array(1 << 20);
    for (let i = 0; i < SIZE_MB; i++) {
      crypto.getRandomValues(chunk.subarray(0, 65536));
      for (let j = 65536; j < chunk.length; j += 65536) chunk.copyWithin(j, 0, 65536);
      await fh.write(chunk);
    }
    await fh.close();
    await runCommand('cp', [src, join(samba.share, 'big.bin')]);

    console.log(
      `SMB client bench: our client (node ${process.version}) and smbclient against Samba smbd on 127.0.0.1:${samba.port}, SMB 3.1.1, ` +
        `one ${SIZE_MB} MiB file, ${ROUNDS} alternating rounds per protection; connect to close; MB = 10^6 bytes; ` +
        `ours via ${API === 'chunks' ? 'handle.readChunks and handle.writeFrom' : 'createReadStream and createWriteStream'} (${CHUNK >> 10} KiB x ${DEPTH} in flight)`,
    );
    console.log(
      `${'protection'.padEnd(11)}${'op'.padEnd(6)}${padL('ours MB/s', 10)}${padL('smbclient', 11)}${padL('ratio', 8)}` +
        `  CPU s/GiB: ${padL('ours', 5)} ${padL('smbclient', 9)}  smbd for ours / smbclient`,
    );
    const ratios = [];
    let flip = false;
    for (const mode of MODES) {
      const r = { ours: { get: [], put: [] }, smbclient: { get: [], put: [] } };
      for (let round = 0; round < ROUNDS; round++) {
        const order = flip ? ['smbclient', 'ours'] : ['ours', 'smbclient'];
        flip = !flip;
        for (const who of order) {
          for (const op of OPS) {
            const client0 = who === 'ours' ? ownCpuMs() : childrenCpuMs();
            const smbd0 = samba.smbdCpuMs();
            const seconds =
              who === 'ours'
                ? await ours(client, samba, kdc, env, mode, op, src)
                : await smbclient(
                    samba,
                    env,
                    mode,
                    op === 'get' ? 'get big.bin /dev/null' : `put ${src} up.bin`,
                  );
            const clientCpu = (who === 'ours' ? ownCpuMs() : childrenCpuMs()) - client0;
            // smbd's per-connection child is counted once the parent has reaped it
            await new Promise((res) => setTimeout(res, 300));
            const smbdCpu = samba.smbdCpuMs() - smbd0;
            if (op === 'put') {
              const size = (await stat(join(samba.share, 'up.bin'))).size;
              if (size !== SIZE_MB << 20) throw new Error(`${who}: put wrote ${size} bytes`);
              await rm(join(samba.share, 'up.bin'));
            }
            const gib = SIZE_MB / 1024;
            r[who][op].push({
              mbs: (SIZE_MB * 1.048576) / seconds,
              clientCpu: clientCpu / 1000 / gib,
              smbdCpu: smbdCpu / 1000 / gib,
            });
          }
        }
      }
      for (const op of OPS) {
        const pick = (who, field) => median(r[who][op].map((x) => x[field]));
        const o = pick('ours', 'mbs');
        const s = pick('smbclient', 'mbs');
        ratios.push({ mode, op, ratio: o / s });
        console.log(
          `${mode.padEnd(11)}${(op === 'get' ? 'read' : 'write').padEnd(6)}${padL(fmt(o), 10)}${padL(fmt(s), 11)}${padL(`${fmt(o / s, 2)}x`, 8)}` +
            `  ${padL(fmt(pick('ours', 'clientCpu'), 2), 16)} ${padL(fmt(pick('smbclient', 'clientCpu'), 2), 9)}` +
            `  ${padL(fmt(pick('ours', 'smbdCpu'), 2), 13)} / ${fmt(pick('smbclient', 'smbdCpu'), 2)}` +
            `   runs ours ${r.ours[op].map((x) => fmt(x.mbs)).join(' ')} | smbclient ${r.smbclient[op].map((x) => fmt(x.mbs)).join(' ')}`,
        );
      }
    }
    const geo = Math.exp(ratios.reduce((a, x) => a + Math.log(x.ratio), 0) / ratios.length);
    console.log(`\nRatio ours/smbclient: geometric mean ${geo.toFixed(2)}x (target >= 1.0x, goal 1.2x)`);
    console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const p of running) p.kill('SIGTERM');
    for (const s of stops.reverse()) await s().catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}

await main();
