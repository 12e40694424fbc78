#!/usr/bin/env node
/**
 * smbtorture (Samba's SMB2 conformance suites) against our server and against a real Samba,
 * the same way: Kerberos from an MIT-kinit ccache, //NAME/share, one suite per server
 * instance (a fresh share directory each), /work/shared/interop/smbtorture.sh per suite.
 *
 *   node packages/smb2-server/test/torture/run-torture.mjs [ours|samba|both] [OUTDIR]
 *
 * Needs the built dist (pnpm turbo run build --filter=@postntlm/smb2-server...), smbtorture
 * (samba-testsuite), MIT kinit, tooling/interop's mit-kdc.sh and samba.sh; root (NAME is added
 * to /etc/hosts by smbtorture.sh). Env: SUITES (space separated), SUITE_TIMEOUT (120),
 * PAR (suites run concurrently per side, default 3), SMBTORTURE_SH, SMB_SERVER_MODULE (the
 * server build to test, default the package's dist/index.js; a path relative to this file or absolute).
 * Writes OUTDIR/{ours,samba}/SUITE/{SUITE.log,summary.tsv} and OUTDIR/{ours,samba}.tsv;
 * prints both tables and our success count as a fraction of Samba's.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineTransport } from '@postntlm/iakerb';
import { cryptoRandom } from '@postntlm/krb5-client';
import { createKdc, currentKeys, generateRealm, listen, MemoryPrincipalStore } from '@postntlm/local-kdc';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const interop = join(repo, 'tooling/interop');
const torture = process.env.SMBTORTURE_SH ?? '/work/shared/interop/smbtorture.sh';
const SUITES = (
  process.env.SUITES ??
  'smb2.connect smb2.read smb2.rw smb2.getinfo smb2.setinfo smb2.dir smb2.mkdir smb2.tcon smb2.compound smb2.credits smb2.lock smb2.rename smb2.create smb2.session smb2.ioctl'
)
  .split(/\s+/)
  .filter(Boolean);
const PAR = Number(process.env.PAR ?? 3);
const SUITE_TIMEOUT = process.env.SUITE_TIMEOUT ?? '120';
const { createSmbServer } = await import(
  process.env.SMB_SERVER_MODULE === undefined
    ? '../../dist/index.js'
    : new URL(process.env.SMB_SERVER_MODULE, `file://${here}/`).href
);
const which = process.argv[2] ?? 'both';
const OUT = resolve(process.argv[3] ?? join(tmpdir(), `smb2-torture-${Date.now()}`));

function run(cmd, args, { env = {}, input, quiet = true, cwd } = {}) {
  return new Promise((res) => {
    const p = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cwd === undefined ? {} : { cwd }),
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
      if (!quiet) process.stdout.write(d);
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('close', (code) => res({ code, stdout, stderr }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function pool(items, n, fn) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

async function readRow(file) {
  try {
    const line = (await readFile(file, 'utf8')).trim().split('\n')[1];
    const [suite, success, failure, error, skip, seconds] = line.split('\t');
    return { suite, success: +success, failure: +failure, error: +error, skip: +skip, seconds: +seconds };
  } catch {
    return undefined;
  }
}

/** One suite through smbtorture.sh with its own copy of the ccache. */
async function tortureSuite(side, suite, unc, port, ccache, env) {
  const dir = join(OUT, side, suite);
  await mkdir(dir, { recursive: true });
  const cc = join(dir, 'ccache');
  await copyFile(ccache, cc);
  const t0 = Date.now();
  // smbtorture leaves an smbtortureXXXXXX directory in its working directory: the suite's own.
  const r = await run('bash', [torture, unc, String(port), dir, suite], {
    env: { ...env, KRB5CCNAME: `FILE:${cc}`, SUITE_TIMEOUT },
    cwd: dir,
  });
  const row = (await readRow(join(dir, 'summary.tsv'))) ?? {
    suite,
    success: 0,
    failure: 0,
    error: 1,
    skip: 0,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  if (r.code !== 0) console.error(`${side} ${suite}: smbtorture.sh exit ${r.code}: ${r.stderr}`);
  console.error(
    `[${side}] ${suite}: ${row.success} ok, ${row.failure} fail, ${row.error} err, ${row.skip} skip, ${row.seconds}s`,
  );
  return row;
}

async function runOurs() {
  const NAME = 'torture.test';
  const dir = await mkdtemp(join(tmpdir(), 'smb2-torture-ours-'));
  const realm = generateRealm(cryptoRandom);
  const store = new MemoryPrincipalStore(realm);
  await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
  await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
  const cifs = await store.addPrincipal(`cifs/${NAME}`, {
    randomKey: true,
    attributes: { noAuthDataRequired: true },
  });
  const kdc = createKdc({ realm, store });
  const kdcListener = await listen(kdc, { udp: {}, tcp: {} });
  const keytab = currentKeys(cifs).map((k) => ({
    principal: cifs.principal,
    timestamp: new Date(0),
    kvno: k.kvno,
    key: { enctype: k.key.enctype, bytes: k.key.bytes },
  }));
  const kdcPort = kdcListener.udpPort;
  await writeFile(
    join(dir, 'krb5.conf'),
    `[libdefaults]\n default_realm = ${realm}\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n[realms]\n ${realm} = {\n  kdc = 127.0.0.1:${kdcPort}\n }\n[domain_realm]\n ${NAME} = ${realm}\n .${NAME} = ${realm}\n`,
  );
  const env = { KRB5_CONFIG: join(dir, 'krb5.conf') };
  const ccache = join(dir, 'cc');
  const k = await run('kinit', ['alice'], {
    env: { ...env, KRB5CCNAME: `FILE:${ccache}` },
    input: 'alice-Passw0rd\n',
  });
  if (k.code !== 0) throw new Error(`kinit (ours): ${k.stderr}`);
  const rows = [];
  try {
    await pool(SUITES, PAR, async (suite) => {
      const share = join(dir, `share-${suite}`);
      await mkdir(share);
      const server = createSmbServer({
        keytab,
        iakerb: { realm, kdc: engineTransport(kdc) },
        shares: [{ name: 'share', path: share }],
      });
      const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
      try {
        rows.push(await tortureSuite('ours', suite, `//${NAME}/share`, port, ccache, env));
      } finally {
        await server.close().catch(() => {});
      }
    });
  } finally {
    await kdcListener.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

async function runSamba() {
  const dir = await mkdtemp(join(tmpdir(), 'smb2-torture-samba-'));
  const kdcDir = join(dir, 'kdc');
  const kdcPort = await freePort();
  const owner = { INTEROP_OWNER_PID: String(process.pid) };
  const r = await run('bash', [join(interop, 'mit-kdc.sh'), 'start', kdcDir], {
    env: { KDC_PORT: String(kdcPort), ...owner },
  });
  if (r.code !== 0) throw new Error(`mit-kdc.sh start: ${r.stdout}${r.stderr}`);
  const env = { KRB5_CONFIG: join(kdcDir, 'krb5.conf') };
  const ccache = join(kdcDir, 'torture-cc');
  const k = await run('kinit', ['alice@MIT.TEST'], {
    env: { ...env, KRB5CCNAME: `FILE:${ccache}` },
    input: 'alice-Passw0rd\n',
  });
  const rows = [];
  try {
    if (k.code !== 0) throw new Error(`kinit (samba): ${k.stderr}`);
    await pool(SUITES, PAR, async (suite) => {
      const sdir = join(dir, `smb-${suite}`);
      const port = await freePort();
      const s = await run('bash', [join(interop, 'samba.sh'), 'start', sdir, kdcDir], {
        env: { SMB_PORT: String(port), ...owner },
      });
      if (s.code !== 0) throw new Error(`samba.sh start: ${s.stdout}${s.stderr}`);
      try {
        rows.push(await tortureSuite('samba', suite, '//samba.mit.test/share', port, ccache, env));
      } finally {
        await run('bash', [join(interop, 'samba.sh'), 'stop', sdir, kdcDir]);
      }
    });
  } finally {
    await run('bash', [join(interop, 'mit-kdc.sh'), 'stop', kdcDir]);
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

function table(rows) {
  const byName = new Map(rows.map((r) => [r.suite, r]));
  const lines = [['suite', 'success', 'failure', 'error', 'skip', 'seconds']];
  for (const s of SUITES) {
    const r = byName.get(s);
    lines.push(
      r ? [s, r.success, r.failure, r.error, r.skip, r.seconds].map(String) : [s, '-', '-', '-', '-', '-'],
    );
  }
  return lines;
}
const fmt = (lines) => {
  const w = lines[0].map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  return lines.map((l) => l.map((c, i) => String(c).padEnd(w[i])).join('  ')).join('\n');
};

await mkdir(OUT, { recursive: true });
console.error(`OUTDIR ${OUT}`);
const [ours, samba] = await Promise.all([
  which === 'samba' ? [] : runOurs(),
  which === 'ours' ? [] : runSamba(),
]);
for (const [side, rows] of [
  ['ours', ours],
  ['samba', samba],
]) {
  if (rows.length === 0) continue;
  const t = table(rows);
  await writeFile(join(OUT, `${side}.tsv`), `${t.map((l) => l.join('\t')).join('\n')}\n`);
  console.log(`\n== ${side} ==\n${fmt(t)}`);
}
if (ours.length && samba.length) {
  const o = new Map(ours.map((r) => [r.suite, r]));
  const s = new Map(samba.map((r) => [r.suite, r]));
  const lines = [['suite', 'ours', 'samba', 'ratio', '>=80%']];
  let pass = 0;
  for (const suite of SUITES) {
    const a = o.get(suite)?.success ?? 0;
    const b = s.get(suite)?.success ?? 0;
    const ratio = b === 0 ? (a > 0 ? Number.POSITIVE_INFINITY : 1) : a / b;
    if (ratio >= 0.8) pass++;
    lines.push([
      suite,
      a,
      b,
      Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : 'inf',
      ratio >= 0.8 ? 'yes' : 'NO',
    ]);
  }
  console.log(`\n== ratio (ours/samba success) ==\n${fmt(lines)}\n${pass}/${SUITES.length} suites at >= 80%`);
  await writeFile(join(OUT, 'ratio.tsv'), `${lines.map((l) => l.join('\t')).join('\n')}\n`);
}
console.log(`\nlogs: ${OUT}/{ours,samba}/SUITE/SUITE.log`);
process.exit(0);
