// Benchmark of @postntlm/krb5-crypto: encrypt/decrypt at 64 B, 1 KiB and 64 KiB for
// enctypes 17, 18, 19, 20, and string-to-key per enctype, on the node:crypto and noble
// backends. Medians over several timed rounds after a warm-up. Not a test.
//
//   pnpm -F @postntlm/krb5-crypto build && pnpm -F @postntlm/krb5-crypto bench
//
// Options: --quick (fewer, shorter rounds).
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

/**
 * Median ops/s per backend. Rounds alternate between the backends, so a burst of load from
 * elsewhere on the machine hits both alike and the node/noble ratio stays meaningful.
 */
function measureSync(fnFor) {
  const fns = {};
  for (const b of backends) {
    setBackend(b);
    fns[b] = fnFor();
    for (let t0 = now(); now() - t0 < WARMUP_MS; ) fns[b]();
  }
  gc();
  const rates = Object.fromEntries(backends.map((b) => [b, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of backends) {
      setBackend(b);
      rates[b].push(round(fns[b]));
    }
  }
  return Object.fromEntries(backends.map((b) => [b, median(rates[b])]));
}

/** Median ops/s per backend of an async function (string-to-key: one op per round), alternating. */
async function measureAsync(fn, rounds) {
  const rates = Object.fromEntries(backends.map((b) => [b, []]));
  for (const b of backends) {
    setBackend(b);
    await fn();
  }
  gc();
  for (let r = 0; r < rounds; r++) {
    for (const b of backends) {
      setBackend(b);
      const t0 = now();
      await fn();
      rates[b].push(1000 / (now() - t0));
    }
  }
  return Object.fromEntries(backends.map((b) => [b, median(rates[b])]));
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

for (const enctype of ENCTYPES) {
  const name = getEnctype(enctype).name;
  const key = randomToKey(enctype, bytes(getEnctype(enctype).keyLength, enctype));
  for (const size of SIZES) {
    const pt = bytes(size, size);
    const ct = encrypt(key, USAGE, pt);
    rows.push({ op: 'encrypt', name, size, rates: measureSync(() => () => encrypt(key, USAGE, pt)) });
    rows.push({ op: 'decrypt', name, size, rates: measureSync(() => () => decrypt(key, USAGE, ct)) });
  }
}

for (const enctype of ENCTYPES) {
  const p = getEnctype(enctype);
  const rates = await measureAsync(() => stringToKey(enctype, 'Password123!', 'EXAMPLE.COMuser'), S2K_ROUNDS);
  rows.push({ op: `string-to-key (${p.defaultIterations} it.)`, name: p.name, size: 0, rates });
}
setBackend('auto');

// Table.
const head = ['operation', 'enctype', 'size'];
for (const b of backends) head.push(`${b} ops/s`, `${b} per op`, `${b} MB/s`);
if (backends.length > 1) head.push('node/noble');
const table = [head];
for (const r of rows) {
  const line = [r.op, r.name, r.size ? fmtSize(r.size) : ''];
  for (const b of backends) line.push(fmtRate(r.rates[b]), fmtUs(r.rates[b]), fmtMBs(r.rates[b], r.size));
  if (backends.length > 1) line.push(`${(r.rates.node / r.rates.noble).toFixed(2)}×`);
  table.push(line);
}
const widths = head.map((_, i) => Math.max(...table.map((l) => l[i].length)));
const render = (l) =>
  `| ${l.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`@postntlm/krb5-crypto bench — Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `medians of ${ROUNDS} rounds × ${ROUND_MS} ms (backends alternating) after ${WARMUP_MS} ms warm-up; string-to-key: median of ${S2K_ROUNDS}\n`,
);
console.log(render(head));
console.log(`|${widths.map((w, i) => (i < 3 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const l of table.slice(1)) console.log(render(l));
console.log(`\ntotal ${((now() - started) / 1000).toFixed(1)} s`);
