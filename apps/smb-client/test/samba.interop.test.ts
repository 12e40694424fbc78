/**
 * Issue 10, line 3: `postntlm-smb` against Samba 4.17 (tooling/interop) with a ccache from
 * MIT `kinit`: lists, puts and gets (sha256 equal), lists the shares, and reports a missing
 * file and a wrong password with their exit codes. `postntlm-smb kinit` writes a ccache MIT
 * `klist` reads, and its `klist` reads MIT's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kinit, klist, useMitKdc, useSamba } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smb } from './cli.js';

const kdc = useMitKdc();
const samba = useSamba(kdc);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('postntlm-smb against Samba with MIT tickets', () => {
  let dir: string;
  let env: Record<string, string>;
  const target = (path = '') => `//${samba().serverName}/share${path === '' ? '' : `/${path}`}`;
  const conn = () => ['--address', samba().host, '--port', String(samba().port), '--iakerb', 'never'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smb-samba-'));
    const cc = `FILE:${join(dir, 'mit.cc')}`;
    const k = await kinit(kdc(), `alice@${kdc().realm}`, kdc().passwords.alice as string, { ccache: cc });
    expect(k.code, k.stderr).toBe(0);
    env = { KRB5_CONFIG: kdc().files.krb5Conf, KRB5CCNAME: cc };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, puts and gets with the MIT ccache', async () => {
    const payload = randomBytes(2 * 1024 * 1024 + 5);
    await writeFile(join(dir, 'up.bin'), payload);
    const put = await smb(['put', join(dir, 'up.bin'), target(), ...conn()], { env });
    expect(put.code, put.stderr).toBe(0);
    expect(sha256(await readFile(join(samba().shareDir, 'up.bin')))).toBe(sha256(payload));
    const ls = await smb(['ls', target(), ...conn(), '--json'], { env });
    expect(ls.code, ls.stderr).toBe(0);
    const names = JSON.parse(ls.stdout).map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['hello.txt', 'up.bin']));
    const get = await smb(['get', target('up.bin'), join(dir, 'down.bin'), ...conn()], { env });
    expect(get.code, get.stderr).toBe(0);
    expect(sha256(await readFile(join(dir, 'down.bin')))).toBe(sha256(payload));
    const text = await smb(['ls', target(), ...conn()], { env });
    expect(text.stdout).toMatch(/hello\.txt\s+A/);
  });

  it('mkdir, mv and rm on Samba, encrypted', async () => {
    const enc = ['--protection', 'encrypt'];
    expect((await smb(['mkdir', target('cli-dir'), ...conn(), ...enc], { env })).code).toBe(0);
    await writeFile(join(dir, 'a.txt'), 'a');
    expect((await smb(['put', join(dir, 'a.txt'), target('cli-dir'), ...conn(), ...enc], { env })).code).toBe(
      0,
    );
    expect(
      (await smb(['mv', target('cli-dir/a.txt'), 'cli-dir/b.txt', ...conn(), ...enc], { env })).code,
    ).toBe(0);
    expect(await readFile(join(samba().shareDir, 'cli-dir', 'b.txt'), 'utf8')).toBe('a');
    const rmr = await smb(['rm', target('cli-dir'), '--recursive', ...conn(), ...enc], { env });
    expect(rmr.code, rmr.stderr).toBe(0);
    const gone = await smb(['ls', target('cli-dir'), ...conn()], { env });
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain('STATUS_OBJECT_NAME_NOT_FOUND');
  });

  it('lists the shares', async () => {
    const r = await smb(['shares', `//${samba().serverName}`, ...conn(), '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const names = JSON.parse(r.stdout).map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['share', 'enc', 'IPC$']));
  });

  it('a wrong password is an authentication failure (exit 3)', async () => {
    const r = await smb(['ls', target(), ...conn(), '--user', `alice@${kdc().realm}`, '--password-stdin'], {
      env,
      input: 'not-the-password\n',
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/PREAUTH_FAILED|password/i);
  });

  it('kinit writes a ccache MIT klist reads; klist reads MIT kinit', async () => {
    const cc = `FILE:${join(dir, 'ours.cc')}`;
    const ours = await smb(['kinit', `alice@${kdc().realm}`, '--password-stdin'], {
      env: { ...env, KRB5CCNAME: cc },
      input: `${kdc().passwords.alice}\n`,
    });
    expect(ours.code, ours.stderr).toBe(0);
    const mit = await klist(kdc(), { ccache: cc });
    expect(mit.code, mit.stderr).toBe(0);
    expect(mit.stdout).toContain(`Default principal: alice@${kdc().realm}`);
    expect(mit.stdout).toContain(`krbtgt/${kdc().realm}@${kdc().realm}`);
    const back = await smb(['klist', '--json'], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout).principal).toBe(`alice@${kdc().realm}`);
    const destroyed = await smb(['kdestroy'], { env: { ...env, KRB5CCNAME: cc } });
    expect(destroyed.code).toBe(0);
    expect((await smb(['klist'], { env: { ...env, KRB5CCNAME: cc } })).code).toBe(4);
  });

  it('kinit --kdc HOST:PORT needs no krb5.conf; MIT klist reads the ccache', async () => {
    const cc = `FILE:${join(dir, 'direct.cc')}`;
    const r = await smb(
      ['kinit', `alice@${kdc().realm}`, '--password-stdin', '--kdc', `127.0.0.1:${kdc().port}`],
      {
        env: { KRB5_CONFIG: join(dir, 'no-krb5.conf'), KRB5CCNAME: cc },
        input: `${kdc().passwords.alice}\n`,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const mit = await klist(kdc(), { ccache: cc });
    expect(mit.code, mit.stderr).toBe(0);
    expect(mit.stdout).toContain(`krbtgt/${kdc().realm}@${kdc().realm}`);
  });
});
