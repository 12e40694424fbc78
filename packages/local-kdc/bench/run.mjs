// KDC benchmark (issue 4): our KDC (bench/serve.mjs, a separate Node process over the built
// package) next to a throw-away MIT krb5kdc 1.20 (tooling/interop/mit-kdc.sh) in the same
// run, both on free loopback ports with the same realm, principals and passwords (MIT.TEST:
// alice / alice-Passw0rd with a keytab, cifs/localhost, krbtgt). Each KDC is loaded by two
// generators: @postntlm/krb5-client's bench/kdc-load.mjs (a child Node process) and MIT
// libkrb5's own client, krb5-client's bench/mit-kdc-load.c (compiled here with `cc`), in AS
// (keytab, kinit -k style: 2 KDC requests per call) and TGS modes at concurrency 1 and 8
// (threads for the C generator). Every run is split into rounds that alternate the KDCs
// (A B, then B A) so drift in a shared machine's load hits both alike. KDC req/s counts the
// requests on the KDC side (MIT: its log; ours: serve.mjs's counters), related to the
// generator's calls. The ratio is ours/MIT KDC (KDC req/s). "CPU us/req" is each KDC
// process's CPU time (all threads, from /proc) over a run divided by the requests it logged:
// on a shared 2-core machine the Node generator competes with the KDC for the CPUs, so req/s
// under that generator follows the KDC's CPU per request. Not a test: a missing compiler
// or missing krb5 headers only skip the C generator.
//
//   pnpm turbo run build --filter=@postntlm/local-kdc... && pnpm -F @postntlm/local-kdc bench
//
// Before the measured runs each KDC gets an untimed soak: AS and then TGS load at
// concurrency 8 from kdc-load.mjs, --soak S seconds each (default 2). V8 optimises a
// function only after it has run many times, and the KDC's request path runs once per
// request, so a fresh Node process serves its first few thousand requests of a kind in
// slower code; a KDC that has been up for a while does not. MIT's krb5kdc gets the same soak.
//
// Options: --duration S (per KDC and run, split over the rounds; default 3), --warmup S
// (default 0.3, per generator run), --soak S (default 2; 0 for none), --transport udp|tcp (default udp), --no-mit-client, --cpu-prof DIR (a
// V8 CPU profile of serve.mjs, written when it stops).
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileMitKdcLoad,
  freePort,
  INSTALL_HINT,
  runCommand,
  startMitKdcPeer,
} from '@postntlm/interop/bench';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// the workspace link resolved: kdc-load.mjs runs only when argv[1] is its real path
const CLIENT_BENCH = realpathSync(
  fileURLToPath(new URL('../node_modules/@postntlm/krb5-client/bench/', import.meta.url)),
);
const KDC_LOAD = join(CLIENT_BENCH, 'kdc-load.mjs');
const MIT_LOAD_C = join(CLIENT_BENCH, 'mit-kdc-load.c');

const argv = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const DURATION = Number(argValue('--duration', '3'));
const WARMUP = Number(argValue('--warmup', '0.3'));
const SOAK = Number(argValue('--soak', '2'));
const TRANSPORT = argValue('--transport', 'udp');
const NO_MIT_CLIENT = argv.includes('--no-mit-client');
const CPU_PROF = argValue('--cpu-prof', undefined);
const ROUNDS = 2;
const REALM = 'MIT.TEST';
const RUNS = [
  { mode: 'as', concurrency: 1 },
  { mode: 'as', concurrency: 8 },
  { mode: 'tgs', concurrency: 1 },
  { mode: 'tgs', concurrency: 8 },
];
if (TRANSPORT !== 'udp' && TRANSPORT !== 'tcp') throw new Error('--transport must be udp or tcp');

/** Children running now (generators, mit-kdc.sh), ended by their pid on SIGINT/SIGTERM. */
const running = new Set();
let interrupted = false;

/**
 * CPU milliseconds (user + system, every thread) a process has used, from /proc; undefined
 * where there is no /proc. On a shared 2-core machine the generator and the KDC compete for
 * the CPUs, so a KDC's CPU per request says more than its req/s alone.
 */
function cpuMs(pid) {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

const run = (cmd, args, options = {}) => runCommand(cmd, args, { ...options, track: running });

/** The throw-away MIT KDC: { name, dir, port, conf, requests(kind), stop }. */
async function startMitKdc() {
  const peer = await startMitKdcPeer({ realm: REALM, prefix: 'postntlm-lkdc-bench-mit-', track: running });
  return {
    name: 'MIT krb5kdc',
    short: 'MIT',
    dir: peer.dir,
    port: peer.port,
    conf: peer.conf,
    pid() {
      try {
        return Number(readFileSync(join(peer.dir, 'krb5kdc.pid'), 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    /** AS_REQ / TGS_REQ lines in the KDC log so far. */
    async requests() {
      const text = await readFile(peer.log, 'utf8');
      let as = 0;
      let tgs = 0;
      for (const line of text.split('\n')) {
        if (line.includes(' AS_REQ ')) as++;
        else if (line.includes(' TGS_REQ ')) tgs++;
      }
      return { as, tgs };
    },
    stop: peer.stop,
  };
}
/** Our KDC in a child Node process (bench/serve.mjs). */
async function startOurKdc() {
  const dir = await mkdtemp(join(tmpdir(), 'postntlm-lkdc-bench-ours-'));
  const execArgv = ['--expose-gc'];
  if (CPU_PROF !== undefined) {
    await mkdir(resolve(CPU_PROF), { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir', resolve(CPU_PROF));
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = fork(join(HERE, 'serve.mjs'), ['--dir', dir, '--realm', REALM, '--port', String(port)], {
      execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const ready = await new Promise((res) => {
      let out = '';
      const onData = (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.includes('"ready"'));
        if (line !== undefined) {
          child.stdout.off('data', onData);
          res(JSON.parse(line));
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => res({ exited: code }));
    });
    if (ready.ready === true) {
      let stopped = false;
      const exited = new Promise((res) => child.once('exit', res));
      return {
        name: 'our KDC',
        short: 'ours',
        dir,
        port: ready.port,
        conf: join(dir, 'krb5.conf'),
        pid: () => child.pid,
        requests() {
          return new Promise((res, rej) => {
            const onMessage = (m) => {
              if (m?.counts !== undefined) {
                child.off('message', onMessage);
                res(m.counts);
              }
            };
            child.on('message', onMessage);
            if (!child.send('count')) rej(new Error('serve.mjs is gone'));
          });
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          if (child.exitCode === null && child.signalCode === null) {
            try {
              child.send('stop');
            } catch {
              child.kill('SIGTERM'); // the IPC channel is already closed (e.g. Ctrl-C reached it)
            }
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(t);
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (attempt >= 6) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`serve.mjs failed (exit ${ready.exited}): ${stderr.trim()}`);
    }
  }
}

/** Compiles mit-kdc-load.c into `dir`; the executable's path, or undefined (after saying why). */
function buildMitClient(dir) {
  if (NO_MIT_CLIENT) {
    console.log('MIT libkrb5 generator skipped (--no-mit-client).');
    return undefined;
  }
  const built = compileMitKdcLoad(MIT_LOAD_C, dir);
  if (built.skipped !== undefined) {
    console.log(`MIT libkrb5 generator (mit-kdc-load.c) skipped: ${built.skipped}; ${INSTALL_HINT}.`);
    return undefined;
  }
  return built.exe;
}

async function runOursClient(kdc, spec, seconds) {
  const args = [
    KDC_LOAD,
    '--kdc',
    `127.0.0.1:${kdc.port}`,
    '--realm',
    REALM,
    '--principal',
    'alice',
    '--keytab',
    join(kdc.dir, 'alice.keytab'),
    '--service',
    'cifs/localhost',
    '--mode',
    spec.mode,
    '--concurrency',
    String(spec.concurrency),
    '--duration',
    String(seconds),
    '--warmup',
    String(WARMUP),
    '--transport',
    TRANSPORT,
    '--json',
  ];
  const r = await run(process.execPath, args);
  if (r.code !== 0)
    throw new Error(`kdc-load against ${kdc.name} failed (exit ${r.code}): ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { seconds: j.seconds, calls: j.calls, allCalls: j.allCalls, failures: j.failures, errors: j.errors };
}

async function runMitClient(kdc, exe, spec, seconds) {
  let conf = kdc.conf;
  if (TRANSPORT === 'tcp') {
    const text = (await readFile(conf, 'utf8')).replace(
      /udp_preference_limit = \d+/,
      'udp_preference_limit = 1',
    );
    conf = join(kdc.dir, 'krb5-tcp.conf');
    await writeFile(conf, text);
  }
  const args = [
    '--mode',
    spec.mode,
    '--principal',
    `alice@${REALM}`,
    '--keytab',
    `FILE:${join(kdc.dir, 'alice.keytab')}`,
    '--service',
    `cifs/localhost@${REALM}`,
    '--concurrency',
    String(spec.concurrency),
    '--duration',
    String(seconds),
    '--warmup',
    String(WARMUP),
  ];
  const env = { ...process.env, KRB5_CONFIG: conf, KRB5CCNAME: `MEMORY:bench`, KRB5RCACHEDIR: kdc.dir };
  const r = await run(exe, args, { env });
  if (r.code !== 0)
    throw new Error(`mit-kdc-load against ${kdc.name} failed (exit ${r.code}): ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout.trim());
  const errors = {};
  for (const e of j.errors ?? []) errors[e.message || String(e.code)] = e.count;
  return { seconds: j.seconds, calls: j.calls, allCalls: j.all_calls, failures: j.failures, errors };
}

/** One generator run against one KDC, with the KDC-side request count of its kind. */
async function measured(kdc, spec, runner) {
  const before = await kdc.requests();
  const cpuBefore = cpuMs(kdc.pid());
  const r = await runner();
  const cpuAfter = cpuMs(kdc.pid());
  const after = await kdc.requests();
  const logged = after[spec.mode] - before[spec.mode]; // tgs runs' setup AS exchanges are not counted
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { ...r, kdcRequests: logged, kdcCpuMs: cpu };
}

function combine(rounds) {
  const sum = (f) => rounds.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const calls = sum((r) => r.calls);
  const allCalls = sum((r) => r.allCalls);
  const perCall = allCalls > 0 ? sum((r) => r.kdcRequests) / allCalls : 0;
  const errors = {};
  for (const r of rounds)
    for (const [k, v] of Object.entries(r.errors ?? {})) errors[k] = (errors[k] ?? 0) + v;
  const cpuKnown = rounds.every((r) => r.kdcCpuMs !== undefined);
  const requests = sum((r) => r.kdcRequests);
  return {
    seconds,
    calls,
    // CPU over the whole run (warm-up and a TGS run's one AS exchange included) per request logged
    cpuUsPerRequest: cpuKnown && requests > 0 ? (sum((r) => r.kdcCpuMs) * 1000) / requests : Number.NaN,
    callsPerSecond: calls / seconds,
    perCall,
    kdcRequestsPerSecond: (calls / seconds) * perCall,
    failures: sum((r) => r.failures),
    errors,
  };
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);

async function main() {
  if (!existsSync(DIST)) {
    console.error('bench: build first: pnpm turbo run build --filter=@postntlm/local-kdc...');
    process.exit(1);
  }
  const started = Date.now();
  const kdcs = [];
  let exeDir;
  const stopAll = async () => {
    await Promise.allSettled(kdcs.map((k) => k.stop()));
    if (exeDir !== undefined) await rm(exeDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    interrupted = true;
    for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
    stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    kdcs.push(await startOurKdc());
    kdcs.push(await startMitKdc());
    const [ours, mit] = kdcs;
    exeDir = await mkdtemp(join(tmpdir(), 'postntlm-lkdc-bench-exe-'));
    const exe = buildMitClient(exeDir);
    const generators = [
      { name: 'kdc-load.mjs', run: (kdc, spec, s) => runOursClient(kdc, spec, s) },
      ...(exe === undefined
        ? []
        : [{ name: 'mit-kdc-load', run: (kdc, spec, s) => runMitClient(kdc, exe, spec, s) }]),
    ];
    if (SOAK > 0) {
      for (const kdc of kdcs)
        for (const mode of ['as', 'tgs']) await runOursClient(kdc, { mode, concurrency: 8 }, SOAK);
    }
    const release = spawnSync('krb5-config', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    console.log(
      `KDC bench: our KDC (serve.mjs, node ${process.version}) on 127.0.0.1:${ours.port} vs MIT krb5kdc ` +
        `(${release || 'MIT krb5'}) on 127.0.0.1:${mit.port}, realm ${REALM}, over ${TRANSPORT}; ` +
        `${DURATION} s per KDC and run in ${ROUNDS} alternating rounds after ${WARMUP} s warm-up each, ` +
        `${SOAK > 0 ? `after an untimed ${SOAK} s AS and ${SOAK} s TGS soak per KDC` : 'no soak'}; ` +
        `${availableParallelism()} CPUs (shared)`,
    );
    console.log(
      `${pad('generator', 14)}${pad('mode', 5)}${padL('conc', 4)}  ${padL('ours calls/s', 12)} ${padL('req/s', 7)}  ` +
        `${padL('MIT calls/s', 11)} ${padL('req/s', 7)}  ${padL('ours/MIT', 8)}  ${padL('CPU us/req: ours', 8)} ${padL('MIT', 7)}  errors`,
    );
    const ratios = [];
    let flip = false;
    for (const gen of generators) {
      for (const spec of RUNS) {
        const rounds = { ours: [], MIT: [] };
        for (let round = 0; round < ROUNDS; round++) {
          const order = flip ? [mit, ours] : [ours, mit];
          flip = !flip;
          for (const kdc of order)
            rounds[kdc.short].push(await measured(kdc, spec, () => gen.run(kdc, spec, DURATION / ROUNDS)));
        }
        const o = combine(rounds.ours);
        const m = combine(rounds.MIT);
        const ratio = o.kdcRequestsPerSecond / m.kdcRequestsPerSecond;
        ratios.push({
          gen: gen.name,
          spec,
          ratio,
          ours: o.kdcRequestsPerSecond,
          mit: m.kdcRequestsPerSecond,
        });
        const errs = [
          ...Object.entries(o.errors).map(([k, v]) => `ours:${k}=${v}`),
          ...Object.entries(m.errors).map(([k, v]) => `MIT:${k}=${v}`),
        ];
        console.log(
          `${pad(gen.name, 14)}${pad(spec.mode, 5)}${padL(spec.concurrency, 4)}  ${padL(fmt(o.callsPerSecond), 12)} ${padL(fmt(o.kdcRequestsPerSecond), 7)}  ` +
            `${padL(fmt(m.callsPerSecond), 11)} ${padL(fmt(m.kdcRequestsPerSecond), 7)}  ${padL(`${fmt(ratio, 2)}x`, 8)}  ` +
            `${padL(fmt(o.cpuUsPerRequest), 8)} ${padL(fmt(m.cpuUsPerRequest), 7)}  ${errs.length === 0 ? '-' : errs.join(' ')}`,
        );
      }
    }
    const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
    const geo = geomean(ratios.map((r) => r.ratio));
    // Summary: one row per mode and concurrency, KDC req/s and ratio under each generator.
    console.log('\nSummary (KDC req/s, ours vs MIT krb5kdc; ratio = ours/MIT):');
    const cols = generators.map((g) => g.name);
    console.log(
      `${pad('row', 8)}${cols.map((c) => `${padL(c, 14)}: ${padL('ours', 7)} ${padL('MIT', 7)} ${padL('ratio', 6)}`).join('  ')}` +
        `  ${padL('row geomean', 11)}`,
    );
    for (const spec of RUNS) {
      const rows = ratios.filter((r) => r.spec === spec);
      const cells = cols.map((c) => {
        const r = rows.find((x) => x.gen === c);
        return `${padL('', 14)}  ${padL(fmt(r?.ours), 7)} ${padL(fmt(r?.mit), 7)} ${padL(`${fmt(r?.ratio, 2)}x`, 6)}`;
      });
      const label = `${spec.mode.toUpperCase()} c${spec.concurrency}`;
      console.log(
        `${pad(label, 8)}${cells.join('  ')}  ${padL(`${fmt(geomean(rows.map((r) => r.ratio)), 2)}x`, 11)}`,
      );
    }
    console.log(
      `geomean  ${cols.map((c) => `${padL(c, 14)}: ${padL(`${fmt(geomean(ratios.filter((r) => r.gen === c).map((r) => r.ratio)), 2)}x`, 22)}`).join('  ')}` +
        `  ${padL(`${fmt(geo, 2)}x`, 11)}  (lowest row ${fmt(Math.min(...ratios.map((r) => r.ratio)), 2)}x)\n`,
    );
    console.log(
      `Ratio ours/MIT KDC (KDC req/s): ${ratios.map((r) => `${r.gen} ${r.spec.mode} c${r.spec.concurrency} ${r.ratio.toFixed(2)}x`).join(', ')}; ` +
        `geometric mean ${geo.toFixed(2)}x (target >= 1.0x, goal 2x)`,
    );
    console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await stopAll();
    if (CPU_PROF !== undefined) console.log(`bench: serve.mjs CPU profile in ${resolve(CPU_PROF)}`);
  }
}

await main().catch((e) => {
  // interrupted: the signal handler stops the KDCs and exits; a failing generator is expected
  if (interrupted) return new Promise(() => {});
  throw e;
});
