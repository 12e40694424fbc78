/**
 * Load with the real peer: 200 smbclient processes at once, each its own connection and
 * Kerberos session (3.1.1, signed; every 4th one encrypted), each running 100 mixed operations
 * (mkdir, cd, put, get, ls, allinfo, rename, del, rmdir) in its own directory of one share.
 * Every operation must succeed (no NT_STATUS in any output, exit code 0), every file fetched
 * must equal what was put, and afterwards the share holds exactly what the scripts left.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { startTestRealm, type TestRealm } from './realm.js';

const CLIENTS = 200;
const ROUNDS = 12; // 8 operations per round, plus mkdir, cd, ls and a final ls: 100 in all

let t: TestRealm;
let server: SmbServer;
let port: number;
let local: string;
let served: string;

beforeAll(async () => {
  t = await startTestRealm('smb2-server-load-');
  local = join(t.dir, 'local');
  served = join(t.dir, 'served');
  await mkdir(local);
  await mkdir(served);
  for (let i = 0; i < CLIENTS; i++) {
    await writeFile(join(local, `in-${i}.txt`), `client ${i}\n`.repeat(200 + i));
  }
  server = createSmbServer({ keytab: t.keytab, shares: [{ name: 'load', path: served }] });
  ({ port } = await server.listen({ port: 0 }));
  // The service ticket once, before 200 processes share the ccache (none of them writes it).
  const k = await run('kvno', ['cifs/files.test'], { env: t.env });
  expect(k.code, k.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

function script(i: number): string {
  const ops = [`mkdir c${i}`, `cd c${i}`, 'ls'];
  for (let r = 0; r < ROUNDS; r++) {
    ops.push(
      `put in-${i}.txt f${r}.txt`,
      `get f${r}.txt out-${i}-${r}.txt`,
      `allinfo f${r}.txt`,
      `rename f${r}.txt g${r}.txt`,
      `mkdir d${r}`,
      'ls',
      `rmdir d${r}`,
      // every other round's file stays: the share's final state is checked
      r % 2 === 0 ? `del g${r}.txt` : 'ls',
    );
  }
  ops.push('ls');
  expect(ops).toHaveLength(100);
  return ops.join('; ');
}

describe('load', () => {
  it(`${CLIENTS} concurrent smbclient sessions, 100 mixed operations each, finish with zero errors`, async () => {
    const started = performance.now();
    // The peak of established connections to the server, sampled with ss(8) while the clients run.
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ss = await run('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`]);
        peak = Math.max(peak, ss.stdout.split('\n').filter(Boolean).length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        run(
          'smbclient',
          [
            ...t.smbclientArgs(port),
            '//files.test/load',
            ...t.kerberos,
            '-m',
            'SMB3_11',
            // smbclient's per-operation timeout (20 s by default) would end a session that waits
            // its turn on a loaded 2-core machine running 200 clients; the server is not slow per se.
            '-t',
            '180',
            `--client-protection=${i % 4 === 3 ? 'encrypt' : 'sign'}`,
            '-c',
            script(i),
          ],
          { env: t.env, timeoutMs: 600_000, cwd: local },
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const failed = results
      .map((r, i) => ({ i, code: r.code, out: `${r.stdout}${r.stderr}` }))
      .filter((r) => r.code !== 0 || /NT_STATUS_/.test(r.out));
    expect(failed.map((f) => `client ${f.i} (exit ${f.code}): ${f.out.slice(0, 400)}`)).toEqual([]);
    console.log(
      `load: ${CLIENTS} sessions x 100 operations in ${seconds.toFixed(1)} s (${((CLIENTS * 100) / seconds).toFixed(0)} ops/s), peak ${peak} connections at once`,
    );
    // The sessions really overlapped (most of the 200 were connected at the same time).
    expect(peak).toBeGreaterThanOrEqual(CLIENTS / 2);

    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    for (let i = 0; i < CLIENTS; i++) {
      const want = sha(await readFile(join(local, `in-${i}.txt`)));
      for (let r = 0; r < ROUNDS; r++)
        expect(sha(await readFile(join(local, `out-${i}-${r}.txt`)))).toBe(want);
      const left = (await readdir(join(served, `c${i}`))).sort();
      expect(left).toEqual(
        Array.from({ length: ROUNDS }, (_, r) => r)
          .filter((r) => r % 2 === 1)
          .map((r) => `g${r}.txt`)
          .sort(),
      );
    }
  }, 900_000);
});
