// Benchmark of @postntlm/krb5-crypto: encrypt/decrypt at 64 B, 1 KiB and 64 KiB for
// enctypes 17, 18, 19, 20, and string-to-key per enctype, on the node:crypto and noble
// backends, next to the real peer: MIT krb5's own libkrb5 crypto, timed in the same run by
// bench/mit-crypto-bench.c (compiled here on the fly with `cc`). Medians over several timed
// rounds after a warm-up; rounds alternate between node, noble and MIT, so a burst of load
// from elsewhere on the machine hits all of them alike. Not a test: a missing compiler or
// missing krb5 headers only skip the MIT columns.
//
//   pnpm -F @postntlm/krb5-crypto build && pnpm -F @postntlm/krb5-crypto bench
//
// Options: --quick (fewer, shorter rounds), --no-mit (skip the MIT comparison).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  availableBackends,
  decrypt,
  encrypt,
  getEnctype,
  randomToKey,
  setBackend,
  stringToKey,
} from '../dist/index.js';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 3 : 7;
const ROUND_MS = QUICK ? 20 : 40;
const WARMUP_MS = QUICK ? 20 : 80;
const S2K_ROUNDS = QUICK ? 1 : 3;
const ENCTYPES = [17, 18, 19, 20];
const SIZES = [64, 1024, 64 * 1024];
const USAGE = 3;
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
const backends = availableBackends();
const INSTALL_HINT =
  'install the peers with `sudo tooling/interop/install-peers.sh` (Debian 12; or: apt-get install gcc libc6-dev libkrb5-dev)';

/**
 * Compiles bench/mit-crypto-bench.c into a temporary directory and starts it in --serve
 * mode: one command per line in, one JSON line out. Returns undefined (after printing why)
 * when there is no C compiler, no krb5 headers or libraries, or the program fails to start.
 */
async function startMit() {
  if (process.argv.includes('--no-mit')) {
    console.log('MIT krb5 comparison skipped (--no-mit).');
    return undefined;
  }
  const skip = (why) => {
    console.log(`MIT krb5 comparison skipped: ${why}; ${INSTALL_HINT}.`);
    return undefined;
  };
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0)
    return skip(`no C compiler (\`${cc}\`)`);
  const config = spawnSync('krb5-config', ['--cflags', 'krb5'], { encoding: 'utf8' });
  const cflags = config.status === 0 ? config.stdout.trim().split(/\s+/).filter(Boolean) : [];
  const version = spawnSync('krb5-config', ['--version'], { encoding: 'utf8' });
  const release = version.status === 0 ? version.stdout.trim().replace(/^Kerberos 5 release /, '') : '';
  const dir = mkdtempSync(join(tmpdir(), 'krb5-mit-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', cleanup);
  const exe = join(dir, 'mit-crypto-bench');
  const source = fileURLToPath(new URL('./mit-crypto-bench.c', import.meta.url));
  const build = spawnSync(cc, ['-O2', ...cflags, '-o', exe, source, '-lkrb5', '-lk5crypto', '-lcom_err'], {
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    const out = `${build.stderr ?? ''}${build.error?.message ?? ''}`;
    const first = out.split('\n').find((l) => /error/i.test(l)) ?? out.split('\n')[0] ?? '';
    return skip(
      /krb5\.h/.test(out)
        ? 'the MIT krb5 headers (krb5.h) are missing'
        : `compiling bench/mit-crypto-bench.c failed (${first.trim()})`,
    );
  }
  const child = spawn(exe, ['--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, KRB5_CONFIG: devNull },
  });
  const waiting = [];
  let dead;
  const fail = (why) => {
    dead ??= why;
    for (const w of waiting.splice(0)) w.reject(new Error(dead));
  };
  child.on('error', (err) => fail(err.message));
  child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  child.stdin.on('error', (err) => fail(err.message));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (w === undefined) return;
    try {
      const msg = JSON.parse(line);
      if (msg.error) w.reject(new Error(msg.error));
      else w.resolve(msg);
    } catch {
      w.reject(new Error(`unexpected output: ${line}`));
    }
  });
  const request = (cmd) =>
    new Promise((resolve, reject) => {
      if (dead !== undefined) return reject(new Error(dead));
      waiting.push({ resolve, reject });
      child.stdin.write(`${cmd}\n`);
    });
  let info;
  try {
    info = await request('info');
  } catch (err) {
    return skip(`bench/mit-crypto-bench could not run (${err.message})`);
  }
  return {
    label: `MIT krb5 ${release || '(version unknown)'}`,
    info,
    /** ops/s of one round, or undefined once the program has failed (reported once). */
    async rate(cmd) {
      if (dead !== undefined) return undefined;
      try {
        return (await request(cmd)).opsPerSec;
      } catch (err) {
        console.log(`MIT krb5 measurement failed (${cmd}): ${err.message}; its columns stay empty.`);
        dead ??= err.message;
        return undefined;
      }
    },
    async close() {
      if (dead === undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.end('quit\n');
        await exited;
      }
      cleanup();
    },
  };
}

const mit = await startMit();

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Ops/s of one timed round of a synchronous function. */
function round(fn) {
  let ops = 0;
  const t0 = now();
  let t = t0;
  do {
    for (let i = 0; i < 4; i++) fn();
    ops += 4;
    t = now();
  } while (t - t0 < ROUND_MS);
  return (ops * 1000) / (t - t0);
}

/** Medians of the collected rates; `mit` only when every MIT round gave a figure. */
function medians(rates) {
  const out = Object.fromEntries(backends.map((b) => [b, median(rates[b])]));
  if (rates.mit.length > 0 && rates.mit.every((x) => x !== undefined)) out.mit = median(rates.mit);
  return out;
}

/**
 * Median ops/s per backend, and for MIT when `mitCell` ("encrypt 18 64") is given. Rounds
 * alternate between the backends and MIT, so a burst of load from elsewhere on the machine
 * hits all alike and the ratios stay meaningful. MIT times its own rounds (same duration).
 */
async function measureSync(fnFor, mitCell) {
  const fns = {};
  for (const b of backends) {
    setBackend(b);
    fns[b] = fnFor();
    for (let t0 = now(); now() - t0 < WARMUP_MS; ) fns[b]();
  }
  if (mit) await mit.rate(`warmup ${mitCell} ${WARMUP_MS}`);
  gc();
  const rates = Object.fromEntries([...backends, 'mit'].map((b) => [b, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of backends) {
      setBackend(b);
      rates[b].push(round(fns[b]));
    }
    if (mit) rates.mit.push(await mit.rate(`round ${mitCell} ${ROUND_MS}`));
  }
  return medians(rates);
}

/** Median ops/s per backend of an async function (string-to-key: one op per round), alternating. */
async function measureAsync(fn, rounds, enctype) {
  const rates = Object.fromEntries([...backends, 'mit'].map((b) => [b, []]));
  for (const b of backends) {
    setBackend(b);
    await fn();
  }
  if (mit) await mit.rate(`s2k ${enctype}`);
  gc();
  for (let r = 0; r < rounds; r++) {
    for (const b of backends) {
      setBackend(b);
      const t0 = now();
      await fn();
      rates[b].push(1000 / (now() - t0));
    }
    if (mit) rates.mit.push(await mit.rate(`s2k ${enctype}`));
  }
  return medians(rates);
}

function bytes(n, seed) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const fmtRate = (r) =>
  r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : r >= 1e3 ? `${(r / 1e3).toFixed(1)}k` : r.toFixed(1);
const fmtUs = (r) => {
  const us = 1e6 / r;
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(us < 10 ? 2 : 1)} µs`;
};
const fmtMBs = (r, size) => (size ? `${((r * size) / 1e6).toFixed(1)}` : '');
const fmtSize = (n) => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

const started = now();
const rows = [];

// One warm-up over every enctype and the small sizes first, per backend, so that the first
// row does not also pay for the JIT compiling the shared code paths (the per-row warm-up
// then only has to settle that row).
for (const b of backends) {
  setBackend(b);
  const keys = ENCTYPES.map((e) => randomToKey(e, bytes(getEnctype(e).keyLength, e)));
  const msgs = [64, 1024].map((n) => bytes(n, n));
  for (let t0 = now(); now() - t0 < 3 * WARMUP_MS; ) {
    for (const key of keys) for (const m of msgs) decrypt(key, USAGE, encrypt(key, USAGE, m));
  }
}

for (const enctype of ENCTYPES) {
  const name = getEnctype(enctype).name;
  const key = randomToKey(enctype, bytes(getEnctype(enctype).keyLength, enctype));
  for (const size of SIZES) {
    const pt = bytes(size, size);
    const ct = encrypt(key, USAGE, pt);
    for (const [op, fn] of [
      ['encrypt', () => encrypt(key, USAGE, pt)],
      ['decrypt', () => decrypt(key, USAGE, ct)],
    ]) {
      rows.push({ op, name, size, rates: await measureSync(() => fn, `${op} ${enctype} ${size}`) });
    }
  }
}

for (const enctype of ENCTYPES) {
  const p = getEnctype(enctype);
  const rates = await measureAsync(
    () => stringToKey(enctype, 'Password123!', 'EXAMPLE.COMuser'),
    S2K_ROUNDS,
    enctype,
  );
  rows.push({ op: `string-to-key (${p.defaultIterations} it.)`, name: p.name, size: 0, rates });
}
setBackend('auto');
await mit?.close();

// Table.
const hasNode = backends.includes('node');
const head = ['operation', 'enctype', 'size'];
for (const b of backends) head.push(`${b} ops/s`, `${b} per op`, `${b} MB/s`);
if (mit) head.push('MIT ops/s', 'MIT per op', 'MIT MB/s');
if (backends.length > 1) head.push('node/noble');
if (mit && hasNode) head.push('node/MIT');
const table = [head];
const ratio = (a, b) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : '—');
for (const r of rows) {
  const line = [r.op, r.name, r.size ? fmtSize(r.size) : ''];
  for (const b of backends) line.push(fmtRate(r.rates[b]), fmtUs(r.rates[b]), fmtMBs(r.rates[b], r.size));
  if (mit) {
    const m = r.rates.mit;
    line.push(...(m === undefined ? ['—', '—', '—'] : [fmtRate(m), fmtUs(m), fmtMBs(m, r.size)]));
  }
  if (backends.length > 1) line.push(ratio(r.rates.node, r.rates.noble));
  if (mit && hasNode) line.push(ratio(r.rates.node, r.rates.mit));
  table.push(line);
}
const widths = head.map((_, i) => Math.max(...table.map((l) => l[i].length)));
const render = (l) =>
  `| ${l.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`@postntlm/krb5-crypto bench — Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `medians of ${ROUNDS} rounds × ${ROUND_MS} ms (backends${mit ? ' and MIT' : ''} alternating) after ${WARMUP_MS} ms warm-up; string-to-key: median of ${S2K_ROUNDS}`,
);
if (mit) {
  console.log(
    `MIT: ${mit.label} (libkrb5/libk5crypto), ${mit.info.encrypt} / ${mit.info.decrypt} on a krb5_key (derived keys cached, as ours are), usage ${mit.info.usage}, random confounder; string-to-key: ${mit.info.stringToKey}`,
  );
  if (hasNode) console.log('node/MIT: speed of ours on the node backend over MIT (>1: ours is faster)');
}
console.log('');
console.log(render(head));
console.log(`|${widths.map((w, i) => (i < 3 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const l of table.slice(1)) console.log(render(l));
console.log(`\ntotal ${((now() - started) / 1000).toFixed(1)} s`);
