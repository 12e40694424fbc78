/**
 * The file service against the real peer: Samba 4.17's smbclient (Kerberos, tickets from an
 * in-process Local KDC through MIT kinit) on a share serving a temporary directory — `ls`,
 * `put` (a small file and 20 MiB), `get` (sha256 equal), `mkdir`, `cd`, `rename`, `del`,
 * `rmdir`, `allinfo` — at 3.1.1 (signed), 2.0.2 and 3.0, and on an encrypted share with
 * `--client-protection=encrypt` (3.1.1 and 3.0); a read-only share refuses
 * writes; a share without `path` serves nothing. The files on disk are checked after each step.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engineTransport } from '@postntlm/iakerb';
import { run } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { startTestRealm, type TestRealm } from './realm.js';

let t: TestRealm;
let local: string;
let served: string;
let encServed: string;
let roServed: string;
let server: SmbServer;
let port: number;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  t = await startTestRealm('smb2-server-files-');
  local = join(t.dir, 'local');
  served = join(t.dir, 'served');
  encServed = join(t.dir, 'enc');
  roServed = join(t.dir, 'ro');
  for (const d of [local, served, encServed, roServed]) await mkdir(d);
  await writeFile(join(roServed, 'readme.txt'), 'read only\n');
  server = createSmbServer({
    keytab: t.keytab,
    iakerb: { realm: t.realm, kdc: engineTransport(t.kdc) },
    shares: [
      { name: 'files', path: served },
      { name: 'encfiles', path: encServed, encrypt: true },
      { name: 'ro', path: roServed, readOnly: true },
      { name: 'nopath' },
    ],
  });
  ({ port } = await server.listen({ port: 0 }));
  await writeFile(join(local, 'small.txt'), 'hello from smbclient\n');
  await writeFile(join(local, 'big.bin'), randomBytes(20 << 20));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function smb(share: string, dialect: string, commands: string, protection = 'sign') {
  const r = await run(
    'smbclient',
    [
      ...t.smbclientArgs(port),
      `//files.test/${share}`,
      ...t.kerberos,
      '-m',
      dialect,
      `--client-protection=${protection}`,
      '-D',
      '/',
      '-c',
      commands,
    ],
    { env: t.env, timeoutMs: 60_000, cwd: local },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  if (process.env.SMB_DEBUG) console.log(`${share} ${dialect} ${commands}\n${out}`);
  return { ...r, out };
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function scenario(share: string, root: string, dialect: string, protection: string) {
  const sub = `d_${dialect}`;
  // put a small and a 20 MiB file, list them.
  let r = await smb(share, dialect, `mkdir ${sub}; cd ${sub}; put small.txt; put big.bin; ls`, protection);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/small\.txt\s+A\s+21\b/);
  expect(r.out).toMatch(/big\.bin\s+A\s+20971520\b/);
  expect(await readFile(join(root, sub, 'small.txt'), 'utf8')).toBe('hello from smbclient\n');
  const big = await readFile(join(local, 'big.bin'));
  expect(sha256(await readFile(join(root, sub, 'big.bin')))).toBe(sha256(big));

  // get them back.
  r = await smb(
    share,
    dialect,
    `cd ${sub}; get big.bin big-${dialect}.bin; get small.txt small-${dialect}.txt; allinfo big.bin`,
    protection,
  );
  expect(r.code, r.out).toBe(0);
  expect(sha256(await readFile(join(local, `big-${dialect}.bin`)))).toBe(sha256(big));
  expect(await readFile(join(local, `small-${dialect}.txt`), 'utf8')).toBe('hello from smbclient\n');
  expect(r.out).toMatch(/create_time:/);
  expect(r.out).toMatch(/attributes: A/);
  expect(r.out).toMatch(/stream: \[::\$DATA\], 20971520 bytes/);

  // rename, delete, rmdir.
  r = await smb(share, dialect, `cd ${sub}; rename small.txt renamed.txt; ls`, protection);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/renamed\.txt/);
  expect(await exists(join(root, sub, 'renamed.txt'))).toBe(true);
  expect(await exists(join(root, sub, 'small.txt'))).toBe(false);
  r = await smb(
    share,
    dialect,
    `cd ${sub}; del renamed.txt; del big.bin; cd ..; rmdir ${sub}; ls`,
    protection,
  );
  expect(r.code, r.out).toBe(0);
  expect(await exists(join(root, sub))).toBe(false);
}

describe('smbclient file commands against our server', () => {
  it.each([
    ['SMB3_11', 'sign'],
    ['SMB2_02', 'sign'],
    ['SMB3_00', 'sign'],
  ])(
    'ls, put, get, mkdir, cd, rename, del, rmdir, allinfo at %s (%s)',
    async (dialect, protection) => {
      await scenario('files', served, dialect, protection);
    },
    120_000,
  );

  it.each(['SMB3_11', 'SMB3_00'])(
    'the same on an encrypted share with --client-protection=encrypt (%s)',
    async (dialect) => {
      await scenario('encfiles', encServed, dialect, 'encrypt');
    },
    120_000,
  );

  it('a read-only share lists and reads but refuses writes', async () => {
    let r = await smb('ro', 'SMB3_11', 'ls; get readme.txt ro-readme.txt');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/readme\.txt/);
    expect(await readFile(join(local, 'ro-readme.txt'), 'utf8')).toBe('read only\n');
    r = await smb('ro', 'SMB3_11', 'put small.txt');
    expect(r.out).toMatch(/NT_STATUS_ACCESS_DENIED/);
    expect(await exists(join(roServed, 'small.txt'))).toBe(false);
  }, 60_000);

  it('a share without a path serves no files', async () => {
    const r = await smb('nopath', 'SMB3_11', 'ls');
    expect(r.out).toMatch(/NT_STATUS_BAD_NETWORK_NAME/);
  }, 60_000);
});
