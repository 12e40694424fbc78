// KDC load benchmark of @postntlm/krb5-client next to the real peer: a throw-away MIT
// krb5kdc 1.20 (tooling/interop/mit-kdc.sh, on a free loopback port, removed at the end)
// is loaded by bench/kdc-load.mjs (our exchanges and transports) and by MIT's own client
// library, bench/mit-kdc-load.c (compiled here on the fly with `cc`), one after the
// other, for AS (keytab, with pre-authentication: 2 KDC requests per call) and TGS at
// concurrency 1 and 8, in alternating rounds (A B B A). The KDC's own log counts the
// requests of both, so "KDC req/s" is measured the same way for each; latency p50/p99 are
// of successful calls, averaged over the rounds. Not a test: a missing compiler or missing krb5 headers
// only skip the MIT rows.
//
//   pnpm -F @postntlm/krb5-client build && pnpm -F @postntlm/krb5-client bench
//
// Options: --duration S (per run, default 5), --warmup S (default 0.5), --quick (2 s runs),
// --transport udp|tcp (default udp), --no-mit.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMitKdcLoad, INSTALL_HINT, runCommand, startMitKdcPeer } from '@postntlm/interop/bench';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const argv = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const QUICK = argv.includes('--quick');
const DURATION = Number(argValue('--duration', QUICK ? '2' : '5'));
const WARMUP = Number(argValue('--warmup', '0.5'));
const TRANSPORT = argValue('--transport', 'udp');
const NO_MIT = argv.includes('--no-mit');
/** Each client's time is split into ROUNDS runs, in A B B A order, so drift in the load
 * of a shared machine hits both alike. */
const ROUNDS = 2;
const RUNS = [
  { mode: 'as', concurrency: 1 },
  { mode: 'as', concurrency: 8 },
  { mode: 'tgs', concurrency: 1 },
  { mode: 'tgs', concurrency: 8 },
];
if (TRANSPORT !== 'udp' && TRANSPORT !== 'tcp') throw new Error('--transport must be udp or tcp');

const run = runCommand;

/** Starts the throw-away MIT KDC; returns { dir, port, env, stop }. */
const startKdc = () => startMitKdcPeer({ prefix: 'postntlm-kdc-bench-' });

/** Compiles bench/mit-kdc-load.c into `dir`; the executable's path, or undefined (after saying why). */
function buildMit(dir) {
  if (NO_MIT) {
    console.log('MIT client comparison skipped (--no-mit).');
    return undefined;
  }
  const built = compileMitKdcLoad(join(HERE, 'mit-kdc-load.c'), dir);
  if (built.skipped !== undefined) {
    console.log(`MIT client comparison skipped: ${built.skipped}; ${INSTALL_HINT}.`);
    return undefined;
  }
  return built.exe;
}

/** Requests of one kind in the KDC log since byte `from`. */
async function kdcLogRequests(logFile, from, kind) {
  const text = (await readFile(logFile)).subarray(from).toString('utf8');
  const tag = kind === 'as' ? ' AS_REQ ' : ' TGS_REQ ';
  let n = 0;
  for (const line of text.split('\n')) if (line.includes(tag)) n++;
  return n;
}

const logSize = async (file) => (await stat(file)).size;

/** MIT com_err codes of KDC errors are ERROR_TABLE_BASE_krb5 + the RFC 4120 code. */
const KRB5_BASE = -1765328384;
let errorCodeName = () => undefined;
try {
  ({ errorCodeName } = await import('@postntlm/krb5-messages'));
} catch {
  // names are a nicety
}
function mitErrors(list) {
  const out = {};
  for (const e of list) {
    const rfc = e.code - KRB5_BASE;
    const name = rfc >= 0 && rfc < 128 ? (errorCodeName(rfc) ?? `KRB_ERR_${rfc}`) : e.message;
    out[name] = (out[name] ?? 0) + e.count;
  }
  return out;
}

async function runOurs(kdc, spec, extra = []) {
  const args = [
    join(HERE, 'kdc-load.mjs'),
    '--kdc',
    `127.0.0.1:${kdc.port}`,
    '--realm',
    kdc.env.MIT_KDC_REALM,
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
    String(DURATION / ROUNDS),
    '--warmup',
    String(WARMUP),
    '--transport',
    TRANSPORT,
    '--json',
    ...extra,
  ];
  const r = await run(process.execPath, args);
  if (r.code !== 0) throw new Error(`kdc-load failed (exit ${r.code}): ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...j, client: 'postntlm' };
}

async function runMit(kdc, exe, mitConf, spec) {
  const args = [
    '--mode',
    spec.mode,
    '--principal',
    `alice@${kdc.env.MIT_KDC_REALM}`,
    '--keytab',
    `FILE:${join(kdc.dir, 'alice.keytab')}`,
    '--service',
    `cifs/localhost@${kdc.env.MIT_KDC_REALM}`,
    '--concurrency',
    String(spec.concurrency),
    '--duration',
    String(DURATION / ROUNDS),
    '--warmup',
    String(WARMUP),
  ];
  const r = await run(exe, args, { env: { ...process.env, ...kdc.env, KRB5_CONFIG: mitConf } });
  if (r.code !== 0) throw new Error(`mit-kdc-load failed (exit ${r.code}): ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout.trim());
  return {
    client: 'mit',
    mode: j.mode,
    concurrency: j.concurrency,
    seconds: j.seconds,
    calls: j.calls,
    allCalls: j.all_calls,
    failures: j.failures,
    callsPerSecond: j.calls / j.seconds,
    p50Ms: j.p50_ms,
    p99Ms: j.p99_ms,
    errors: mitErrors(j.errors),
  };
}

/** Runs one client and relates the KDC log's request count to its calls. */
async function measured(kdc, spec, runner) {
  const from = await logSize(join(kdc.dir, 'kdc.log'));
  const r = await runner();
  const logged = await kdcLogRequests(join(kdc.dir, 'kdc.log'), from, spec.mode);
  // tgs runs also log their setup AS exchanges (not counted: only TGS_REQ lines)
  const perCall = r.allCalls > 0 ? logged / r.allCalls : 0;
  return { ...r, kdcRequestsPerCall: perCall, kdcRequestsPerSecond: r.callsPerSecond * perCall };
}

/** Rounds of one client combined: calls over seconds; latency percentiles averaged over rounds. */
function combine(rounds) {
  const sum = (f) => rounds.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const calls = sum((r) => r.calls);
  const perCall =
    sum((r) => r.kdcRequestsPerCall * r.allCalls) /
    Math.max(
      1,
      sum((r) => r.allCalls),
    );
  const errors = {};
  for (const r of rounds)
    for (const [k, v] of Object.entries(r.errors ?? {})) errors[k] = (errors[k] ?? 0) + v;
  return {
    ...rounds[0],
    seconds,
    calls,
    callsPerSecond: calls / seconds,
    kdcRequestsPerCall: perCall,
    kdcRequestsPerSecond: (calls / seconds) * perCall,
    p50Ms: sum((r) => r.p50Ms) / rounds.length,
    p99Ms: sum((r) => r.p99Ms) / rounds.length,
    errors,
  };
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
function row(r) {
  const errs = Object.entries(r.errors ?? {});
  return (
    `${pad(r.label ?? r.mode, 13)}${padL(r.concurrency, 4)}  ${pad(r.client === 'mit' ? 'MIT libkrb5' : 'postntlm', 12)}` +
    `${padL(fmt(r.callsPerSecond), 8)}  ${padL(fmt(r.kdcRequestsPerSecond), 9)}  ${padL(fmt(r.kdcRequestsPerCall, 2), 7)}` +
    `  ${padL(fmt(r.p50Ms, 2), 7)}  ${padL(fmt(r.p99Ms, 2), 7)}  ${errs.length === 0 ? '-' : errs.map(([k, v]) => `${k}=${v}`).join(' ')}`
  );
}

async function main() {
  if (!existsSync(DIST)) {
    console.error('bench: build the package first: pnpm -F @postntlm/krb5-client build');
    process.exit(1);
  }
  const started = Date.now();
  const kdc = await startKdc();
  const cleanup = () => {
    kdc.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  try {
    const exe = buildMit(kdc.dir);
    let mitConf = join(kdc.dir, 'krb5.conf');
    if (TRANSPORT === 'tcp') {
      // MIT: udp_preference_limit = 1 sends every request over TCP
      const conf = (await readFile(mitConf, 'utf8')).replace(
        /udp_preference_limit = \d+/,
        'udp_preference_limit = 1',
      );
      mitConf = join(kdc.dir, 'krb5-tcp.conf');
      await writeFile(mitConf, conf);
    }
    const release = spawnSync('krb5-config', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    console.log(
      `KDC load: MIT krb5kdc (${release || 'MIT krb5'}) on 127.0.0.1:${kdc.port} over ${TRANSPORT}, ` +
        `alice (keytab) -> krbtgt / cifs/localhost, ${DURATION} s per run after ${WARMUP} s warm-up, node ${process.version}, ` +
        `${(await import('node:os')).availableParallelism()} CPUs`,
    );
    console.log(
      `${pad('mode', 13)}${padL('conc', 4)}  ${pad('client', 12)}${padL('calls/s', 8)}  ${padL('KDC req/s', 9)}  ${padL('req/call', 7)}  ${padL('p50 ms', 7)}  ${padL('p99 ms', 7)}  errors`,
    );
    const ratios = [];
    for (const spec of RUNS) {
      const oursRounds = [];
      const mitRounds = [];
      for (let round = 0; round < ROUNDS; round++) {
        const runO = async () => oursRounds.push(await measured(kdc, spec, () => runOurs(kdc, spec)));
        const runM = async () => {
          if (exe !== undefined)
            mitRounds.push(await measured(kdc, spec, () => runMit(kdc, exe, mitConf, spec)));
        };
        if (round % 2 === 0) {
          await runO();
          await runM();
        } else {
          await runM();
          await runO();
        }
      }
      const ours = combine(oursRounds);
      console.log(row(ours));
      if (mitRounds.length > 0) {
        const mit = combine(mitRounds);
        console.log(row(mit));
        const ratio = ours.callsPerSecond / mit.callsPerSecond;
        ratios.push({ spec, ratio });
        console.log(`${pad('', 17)}  ratio ours/MIT client: ${ratio.toFixed(2)}x calls/s`);
      }
    }
    const upfront = { mode: 'as', concurrency: 8 };
    const extra = await measured(kdc, upfront, () => runOurs(kdc, upfront, ['--preauth-upfront']));
    console.log(row({ ...extra, label: 'as (upfront)' }));
    console.log(
      '  (as (upfront): our default for keytabs, PA-ENC-TIMESTAMP in the first AS-REQ, 1 KDC request per call; informational)',
    );
    if (ratios.length > 0) {
      console.log(
        `Summary ours/MIT client (calls/s): ${ratios.map((r) => `${r.spec.mode} c${r.spec.concurrency} ${r.ratio.toFixed(2)}x`).join(', ')}`,
      );
    }
    console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await kdc.stop();
  }
}

await main();
