#!/usr/bin/env node
// The PostNTLM demo (`pnpm demo`): the reference SMB server with its embedded Local KDC
// serves a temporary directory; a demo user is added; the client, which has no route to any
// KDC, authenticates through IAKerb on the SMB port (--trace shows every step), then puts a
// file, lists the share, gets the file back and compares checksums. Exits 0 when all of that
// worked; everything runs on 127.0.0.1 and is removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SMBD = fileURLToPath(new URL('../apps/smb-server/bin/postntlm-smbd.mjs', import.meta.url));
const SMB = fileURLToPath(new URL('../apps/smb-client/bin/postntlm-smb.mjs', import.meta.url));
const HOST = 'files.demo';
const USER = 'demo';
const PASSWORD = `demo-${randomBytes(6).toString('hex')}`;

const say = (text) => process.stdout.write(`\n== ${text}\n`);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a CLI to completion, echoing its output; throws on a non-zero exit. */
function cli(bin, args, { input, env } = {}) {
  const shown = args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ');
  process.stdout.write(`$ ${bin === SMB ? 'postntlm-smb' : 'postntlm-smbd'} ${shown}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== 0) throw new Error(`${shown} exited with ${r.status ?? r.signal}`);
  return r.stdout;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'postntlm-demo-'));
  const share = join(dir, 'files');
  const state = join(dir, 'state');
  await mkdir(share);
  let server;
  try {
    const port = await freePort();
    say(`1. The server: ${share} as \\\\${HOST}\\files on 127.0.0.1:${port}, with its own Local KDC`);
    server = spawn(
      process.execPath,
      [SMBD, 'serve', share, '--state', state, '--host', HOST, '--listen', `127.0.0.1:${port}`, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    server.stderr.on('data', (d) => {
      log += d;
    });
    const ready = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${log}`)), 60_000);
      server.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.includes('"event":"ready"'));
        if (line !== undefined) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      });
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}):\n${log}`));
      });
    });
    process.stdout.write(`realm ${ready.realm}, KDC on ${ready.kdcListeners.join(', ')}\n`);

    say(`2. A user in the Local KDC: ${USER}`);
    cli(SMBD, ['user', 'add', USER, '--state', state, '--password-stdin'], { input: `${PASSWORD}\n` });

    // The client knows no KDC and no realm: KRB5_CONFIG points nowhere, there is no ticket cache.
    const clientEnv = { KRB5_CONFIG: '/dev/null', KRB5CCNAME: `FILE:${join(dir, 'no-tickets')}` };
    const conn = ['--port', String(port), '--address', '127.0.0.1', '--user', USER, '--password-stdin'];
    const payload = randomBytes(4 * 1024 * 1024);
    const local = join(dir, 'report.bin');
    await writeFile(local, payload);

    say('3. put, authenticating through IAKerb (--trace: the steps on the wire)');
    cli(SMB, ['put', local, `//${HOST}/files`, ...conn, '--trace'], {
      input: `${PASSWORD}\n`,
      env: clientEnv,
    });

    say('4. ls');
    cli(SMB, ['ls', `//${HOST}/files`, ...conn], { input: `${PASSWORD}\n`, env: clientEnv });

    say('5. get, and compare');
    const back = join(dir, 'report-back.bin');
    cli(SMB, ['get', `//${HOST}/files/report.bin`, back, ...conn], {
      input: `${PASSWORD}\n`,
      env: clientEnv,
    });
    const sent = sha256(payload);
    const onServer = sha256(await readFile(join(share, 'report.bin')));
    const received = sha256(await readFile(back));
    process.stdout.write(
      `sha256 sent     ${sent}\nsha256 on disk  ${onServer}\nsha256 received ${received}\n`,
    );
    if (sent !== onServer || sent !== received) throw new Error('checksums differ');
    say('Done: Kerberos through IAKerb to a Local KDC, no NTLM, no KDC reachable by the client.');
  } finally {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
