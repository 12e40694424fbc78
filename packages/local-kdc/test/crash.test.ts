/**
 * Crash safety (issue 4, line 7): an admin process killed with SIGKILL in the middle of its
 * writes leaves the database consistent (every record reads and every key unseals), the
 * KDC that has the database open keeps serving, and the next admin can write at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAsExchange, runExchange, TcpTransport } from '@postntlm/krb5-client';
import { parsePrincipal } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKdc, KdcDatabase, type KdcListener, listen } from '../src/index.js';

const WRITER = fileURLToPath(new URL('./fixtures/admin-writer.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const REALM = 'LOCALKDC.CRASH.TEST';

let dir: string;
let db: KdcDatabase;
let listener: KdcListener;

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error('crash.test.ts runs the built package: run `pnpm build` first');
  dir = await mkdtemp(join(tmpdir(), 'local-kdc-crash-'));
  const setup = await KdcDatabase.create(dir, { realm: REALM });
  await setup.addPrincipal('alice', { password: 'alice-Passw0rd' });
  await setup.addPrincipal('host/churn.test', { randomKey: true });
  await setup.close();
  db = await KdcDatabase.open(dir);
  listener = await listen(createKdc({ realm: REALM, store: db }), { tcp: {} });
});

afterAll(async () => {
  await listener?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts the writer; resolves once it has committed `changes` rounds of changes. */
function writer(tag: string, changes: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WRITER, dir, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    let lines = 0;
    child.stdout?.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (lines >= changes + 1) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function tgt(): Promise<void> {
  const port = listener.tcpPort as number;
  const cred = await runExchange(
    createAsExchange({ client: `alice@${REALM}`, credentials: { password: 'alice-Passw0rd' } }),
    (_realm, bytes) => new TcpTransport({ host: '127.0.0.1', port }).send(bytes, { timeoutMs: 5000 }),
  );
  expect(cred.client.name.nameString).toEqual(['alice']);
}

describe('kill -9 of an admin process mid-write', () => {
  // Ten rounds with different kill points: a crash that only some kill points trigger (as
  // lmdb-js's overlappingSync did, leaving the KDC with MDB_PANIC) shows up here.
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])(
    'round %i: the database stays consistent and the KDC keeps serving',
    async (round) => {
      const child = await writer(String(round), 2 + (round % 6) * 7);
      // Let it run on into the middle of further writes, then kill it.
      await new Promise((r) => setTimeout(r, 1 + ((round * 13) % 80)));
      await killed(child);

      await tgt();
      // Every record reads and every key unseals (get() decrypts them).
      const names = db.listPrincipals();
      expect(names.length).toBeGreaterThan(2);
      for (const name of names) {
        const info = db.principalInfo(name);
        const entry = await db.get(parsePrincipal(info.name));
        expect(entry?.keys.length).toBe(info.keys.length);
      }
      // The write lock is free again: this process and a new admin process can both write.
      await db.setKeys('host/churn.test', { randomKey: true });
      await killed(await writer(`${round}b`, 1));
      await tgt();
    },
    30_000,
  );
});
