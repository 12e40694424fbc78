/**
 * Issue 8's limits under real load: while smbclient sessions work, a client that connects and
 * sends nothing, one that sends garbage, and one that starts a frame and never finishes it are
 * each dropped on time (the garbage at once, the others at `authTimeoutMs`), and the smbclient
 * sessions all succeed. Then the memory an idle (negotiated, unauthenticated) connection costs
 * is measured over 500 of them and printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { run } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { TestSmbClient } from '../support/smb-client.js';
import { startTestRealm, type TestRealm } from './realm.js';

const AUTH_TIMEOUT_MS = 3000;

let t: TestRealm;
let server: SmbServer;
let port: number;
let local: string;

beforeAll(async () => {
  t = await startTestRealm('smb2-server-limits-');
  local = join(t.dir, 'local');
  const served = join(t.dir, 'served');
  await mkdir(local);
  await mkdir(served);
  await writeFile(join(local, 'f.bin'), randomBytes(1 << 20));
  server = createSmbServer({
    keytab: t.keytab,
    shares: [{ name: 'files', path: served }],
    limits: { authTimeoutMs: AUTH_TIMEOUT_MS, idleTimeoutMs: 60_000 },
  });
  ({ port } = await server.listen({ port: 0 }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

/** Connects, runs `act`, and resolves with the ms from connecting until the server closed it. */
function dropTime(act: (s: Socket) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const s = connect(port, '127.0.0.1', () => act(s));
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => resolve(performance.now() - started));
    setTimeout(() => reject(new Error('not dropped within 30 s')), 30_000).unref();
  });
}

describe('limits', () => {
  it('drops silent, garbage and half-frame clients on time while smbclient sessions go on', async () => {
    const silent = dropTime(() => {});
    const garbage = dropTime((s) => s.write(randomBytes(4096)));
    // A Direct TCP header announcing 60 000 bytes, then 10 of them, then nothing.
    const half = dropTime((s) => s.write(Uint8Array.of(0, 0, 0xea, 0x60, ...new Uint8Array(10))));
    const sessions = Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(
          'smbclient',
          [
            ...t.smbclientArgs(port),
            '//files.test/files',
            ...t.kerberos,
            '-m',
            'SMB3_11',
            '-t',
            '120',
            '-c',
            `put f.bin f${i}.bin; get f${i}.bin back${i}.bin; del f${i}.bin`,
          ],
          { env: t.env, timeoutMs: 120_000, cwd: local },
        ),
      ),
    );
    const [silentMs, garbageMs, halfMs, results] = await Promise.all([silent, garbage, half, sessions]);
    console.log(
      `limits: silent client dropped after ${silentMs.toFixed(0)} ms, garbage after ${garbageMs.toFixed(0)} ms, ` +
        `half a frame after ${halfMs.toFixed(0)} ms (authTimeoutMs ${AUTH_TIMEOUT_MS})`,
    );
    // Garbage is dropped as soon as it is read, not by the timeout (on a loaded 2-core machine
    // "at once" has taken over a second, so the bound is the timeout itself).
    expect(garbageMs).toBeLessThan(AUTH_TIMEOUT_MS - 500);
    for (const ms of [silentMs, halfMs]) {
      expect(ms).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(AUTH_TIMEOUT_MS + 5000);
    }
    for (const r of results) {
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/NT_STATUS_/);
      expect(r.code).toBe(0);
    }
  }, 180_000);

  it('reports the memory an idle negotiated connection costs (500 of them)', async () => {
    const settle = async () => {
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((r) => setTimeout(r, 200));
      return process.memoryUsage().rss;
    };
    const before = await settle();
    const clients: TestSmbClient[] = [];
    for (let i = 0; i < 500; i++) {
      const c = await TestSmbClient.connect(port);
      await c.negotiate();
      clients.push(c);
    }
    const after = await settle();
    const perConnection = (after - before) / clients.length;
    console.log(
      `limits: RSS per idle negotiated connection ${(perConnection / 1024).toFixed(1)} KiB ` +
        `(500 connections: ${((after - before) / 1048576).toFixed(1)} MiB, client sockets in the same process included)`,
    );
    for (const c of clients) c.close();
    // A sanity bound, not a benchmark: 500 idle connections must not cost hundreds of MiB.
    expect(perConnection).toBeLessThan(512 * 1024);
  }, 120_000);
});
