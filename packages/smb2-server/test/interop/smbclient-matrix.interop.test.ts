/**
 * Issue 8's smbclient matrix: `ls`, `put`, `get`, `mkdir`, `rmdir`, `del`, `rename`,
 * `allinfo` and `-L` with `-m SMB2_02`, `SMB2_10`, `SMB3_00`, `SMB3_02` and `SMB3_11` and
 * `--client-protection=off|sign|encrypt` (encrypt at 3.x only: 2.x has no encryption), with
 * tickets from our Local KDC through MIT kinit; the same against a server whose IAKerb proxy
 * forwards to a real MIT KDC, with tickets from that KDC; and one file of 1 GiB that
 * round-trips with an equal sha256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engineTransport, networkTransport } from '@postntlm/iakerb';
import { kinit, run, useMitKdc } from '@postntlm/interop';
import { loadKrb5Config } from '@postntlm/krb5-client';
import { readKeytab } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { startTestRealm, type TestRealm } from './realm.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const DIALECTS = ['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'] as const;
const COMBOS = DIALECTS.flatMap((d) =>
  (d.startsWith('SMB3') ? ['off', 'sign', 'encrypt'] : ['off', 'sign']).map((p) => [d, p] as const),
);

interface Target {
  /** smbclient's arguments up to the service name: config, address, port, Kerberos. */
  args: string[];
  env: Record<string, string>;
  host: string;
  local: string;
  served: string;
}

async function smbclient(t: Target, argv: readonly string[]) {
  const r = await run('smbclient', [...t.args, ...argv], { env: t.env, timeoutMs: 300_000, cwd: t.local });
  return { ...r, out: `${r.stdout}\n${r.stderr}` };
}

/** One smbclient session doing every file command on `share`; checks what came back. */
async function everyCommand(t: Target, dialect: string, protection: string): Promise<void> {
  const tag = `${dialect}-${protection}`;
  const r = await smbclient(t, [
    `//${t.host}/files`,
    '-m',
    dialect,
    `--client-protection=${protection}`,
    '-c',
    [
      `mkdir d-${tag}`,
      `cd d-${tag}`,
      'put small.txt',
      'put medium.bin',
      'ls',
      'allinfo medium.bin',
      'rename small.txt renamed.txt',
      `get medium.bin medium-${tag}.bin`,
      `get renamed.txt renamed-${tag}.txt`,
      'ls',
      'del renamed.txt',
      'del medium.bin',
      'cd ..',
      `rmdir d-${tag}`,
      'ls',
    ].join('; '),
  ]);
  expect(r.out).not.toMatch(/NT_STATUS_/);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/small\.txt\s+A\s+21\b/);
  expect(r.out).toMatch(/medium\.bin\s+A\s+4194304\b/);
  expect(r.out).toMatch(/renamed\.txt\s+A\s+21\b/);
  expect(r.out).toMatch(/stream: \[::\$DATA\], 4194304 bytes/);
  expect(sha256(await readFile(join(t.local, `medium-${tag}.bin`)))).toBe(
    sha256(await readFile(join(t.local, 'medium.bin'))),
  );
  expect(await readFile(join(t.local, `renamed-${tag}.txt`), 'utf8')).toBe('hello from smbclient\n');
  // rmdir left nothing behind on the server
  expect(await readdir(t.served)).not.toContain(`d-${tag}`);

  const list = await smbclient(t, ['-L', `//${t.host}`, '-m', dialect, `--client-protection=${protection}`]);
  expect(list.code, list.out).toBe(0);
  expect(list.out).toMatch(/files\s+Disk/);
  expect(list.out).toMatch(/IPC\$\s+IPC/);
}

async function makeLocal(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'small.txt'), 'hello from smbclient\n');
  await writeFile(join(dir, 'medium.bin'), randomBytes(4 << 20));
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Uint8Array);
  return h.digest('hex');
}

describe('smbclient against our server, tickets from our Local KDC', () => {
  let realm: TestRealm;
  let server: SmbServer;
  let target: Target;

  beforeAll(async () => {
    realm = await startTestRealm('smb2-server-matrix-');
    const local = join(realm.dir, 'local');
    const served = join(realm.dir, 'served');
    await makeLocal(local);
    await mkdir(served);
    server = createSmbServer({
      keytab: realm.keytab,
      iakerb: { realm: realm.realm, kdc: engineTransport(realm.kdc) },
      shares: [{ name: 'files', path: served }],
    });
    const { port } = await server.listen({ port: 0 });
    target = {
      args: [...realm.smbclientArgs(port), ...realm.kerberos],
      env: realm.env,
      host: 'files.test',
      local,
      served,
    };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await realm?.close();
  });

  it.each(COMBOS)(
    'every command and -L at %s, --client-protection=%s',
    async (dialect, protection) => {
      await everyCommand(target, dialect, protection);
    },
    120_000,
  );

  it('a 1 GiB file round-trips byte-exactly (put, then get; SMB3_11, signed)', async () => {
    const big = join(target.local, 'gib.bin');
    const fh = await open(big, 'w');
    const chunk = new Uint8Array(1 << 20);
    for (let i = 0; i < 1024; i++) {
      // 64 KiB of fresh randomness per MiB, the rest repeats it shifted: cheap, and no two MiB alike.
      chunk.set(randomBytes(65536));
      for (let j = 65536; j < chunk.length; j += 65536) chunk.copyWithin(j, 0, 65536);
      chunk[j0(i)] = i & 0xff;
      await fh.write(chunk);
    }
    await fh.close();
    try {
      const want = await fileSha256(big);
      const r = await smbclient(target, [
        `//${target.host}/files`,
        '-m',
        'SMB3_11',
        '--client-protection=sign',
        '-c',
        'put gib.bin; get gib.bin gib-back.bin; allinfo gib.bin',
      ]);
      expect(r.out).not.toMatch(/NT_STATUS_/);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/stream: \[::\$DATA\], 1073741824 bytes/);
      expect(await fileSha256(join(target.served, 'gib.bin'))).toBe(want);
      expect(await fileSha256(join(target.local, 'gib-back.bin'))).toBe(want);
    } finally {
      for (const f of [big, join(target.local, 'gib-back.bin'), join(target.served, 'gib.bin')])
        await rm(f, { force: true });
    }
  }, 600_000);
});

/** Where the per-MiB marker byte goes (inside the first 64 KiB, so every MiB differs). */
const j0 = (i: number) => (i * 7919) % 65536;

describe('smbclient against our server proxying IAKerb to a real MIT KDC, tickets from that KDC', () => {
  const mit = useMitKdc();
  let server: SmbServer;
  let target: Target;
  let dir: string;

  beforeAll(async () => {
    const k = mit();
    dir = join(k.dir, 'smb');
    const local = join(dir, 'local');
    const served = join(dir, 'served');
    await makeLocal(local);
    await mkdir(served);
    const keytab = readKeytab(new Uint8Array(await readFile(k.files.cifsKeytab)));
    server = createSmbServer({
      keytab,
      iakerb: { realm: k.realm, kdc: networkTransport({ config: await loadKrb5Config(k.files.krb5Conf) }) },
      shares: [{ name: 'files', path: served }],
    });
    const { port } = await server.listen({ port: 0 });
    await writeFile(join(dir, 'smb.conf'), '[global]\n client min protocol = SMB2_02\n');
    const ccache = join(dir, 'cc');
    const env = { ...k.env, KRB5CCNAME: `FILE:${ccache}` };
    const got = await kinit(k, 'alice', k.passwords.alice ?? '', { ccache: `FILE:${ccache}` });
    expect(got.code, got.stderr).toBe(0);
    target = {
      args: [
        '-s',
        join(dir, 'smb.conf'),
        '-I',
        '127.0.0.1',
        '-p',
        String(port),
        '--use-kerberos=required',
        `--use-krb5-ccache=${ccache}`,
      ],
      env,
      host: 'samba.mit.test',
      local,
      served,
    };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['SMB3_11', 'sign'],
    ['SMB3_02', 'encrypt'],
    ['SMB2_10', 'off'],
  ])(
    'every command and -L at %s, --client-protection=%s',
    async (dialect, protection) => {
      await everyCommand(target, dialect, protection);
    },
    120_000,
  );
});
