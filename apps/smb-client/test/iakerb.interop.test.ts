/**
 * Issue 10, line 3 (our side): `postntlm-smb` against our own server (postntlm-smbd: the
 * smb2-server with its embedded Local KDC) from a client with no route to any KDC (an empty
 * krb5.conf): `--user alice --password-stdin` authenticates through IAKerb and puts, lists
 * and gets (sha256 equal). Also: `--iakerb never` has no way in, wrong passwords and missing
 * names give their exit codes, the shell takes the password as its first input line, and
 * `kinit --kdc HOST:PORT` writes a ccache whose TGT then gets the service ticket through IAKerb.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, startPostntlmSmbd } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMBD_BIN, smb } from './cli.js';

const PASSWORD = 'alice-Passw0rd';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('postntlm-smb through IAKerb to our server, no KDC route', () => {
  let server: RunningServer;
  let env: Record<string, string>;
  const target = (path = '') => `//files.test/files${path === '' ? '' : `/${path}`}`;
  const conn = () => ['--port', String(server.port), '--address', '127.0.0.1'];
  const asAlice = ['--user', 'alice', '--password-stdin'];

  beforeAll(async () => {
    server = await startPostntlmSmbd(SMBD_BIN);
    const add = await server.cli(['user', 'add', 'alice', '--password-stdin'], `${PASSWORD}\n`);
    expect(add.code, add.stderr).toBe(0);
    // An empty krb5.conf: no default realm, no KDC; the realm comes from the server too.
    await writeFile(join(server.dir, 'empty-krb5.conf'), '');
    env = {
      KRB5_CONFIG: join(server.dir, 'empty-krb5.conf'),
      KRB5CCNAME: `FILE:${join(server.dir, 'alice.cc')}`,
    };
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('puts, lists and gets with a password (sha256 equal), signed and encrypted', async () => {
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(server.dir, 'up.bin'), payload);
    const put = await smb(['put', join(server.dir, 'up.bin'), target(), ...conn(), ...asAlice], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(put.code, put.stderr).toBe(0);
    expect(sha256(await readFile(join(server.shareDir, 'up.bin')))).toBe(sha256(payload));
    const ls = await smb(['ls', target(), ...conn(), ...asAlice, '--json'], { env, input: `${PASSWORD}\n` });
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([
      expect.objectContaining({ name: 'up.bin', type: 'file', size: payload.length }),
    ]);
    const get = await smb(
      ['get', target('up.bin'), server.dir, ...conn(), ...asAlice, '--protection', 'encrypt', '--json'],
      { env, input: `${PASSWORD}\n`, cwd: server.dir },
    );
    expect(get.code, get.stderr).toBe(0);
    // A directory as LOCAL receives the file under its own name.
    expect(JSON.parse(get.stdout)).toEqual({
      get: 'up.bin',
      local: join(server.dir, 'up.bin'),
      bytes: payload.length,
    });
    expect(sha256(await readFile(join(server.dir, 'up.bin')))).toBe(sha256(payload));
  });

  it('--iakerb never has no way in: no realm (exit 3), no KDC for the realm (exit 6)', async () => {
    const noRealm = await smb(['ls', target(), ...conn(), ...asAlice, '--iakerb', 'never'], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(noRealm.code, noRealm.stderr).toBe(3);
    expect(noRealm.stderr).toMatch(/no realm for alice/);
    const user = ['--user', `alice@${server.ready.realm}`, '--password-stdin'];
    const noKdc = await smb(['ls', target(), ...conn(), ...user, '--iakerb', 'never'], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(noKdc.code, noKdc.stderr).toBe(6);
    expect(noKdc.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('a wrong password is exit 3, a missing share or file exit 4', async () => {
    const wrong = await smb(['ls', target(), ...conn(), ...asAlice], { env, input: 'not-it\n' });
    expect(wrong.code, wrong.stderr).toBe(3);
    const share = await smb(['ls', '//files.test/nope', ...conn(), ...asAlice], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(share.code, share.stderr).toBe(4);
    expect(share.stderr).toContain('STATUS_BAD_NETWORK_NAME');
    const file = await smb(['get', target('missing.txt'), ...conn(), ...asAlice], {
      env,
      input: `${PASSWORD}\n`,
      cwd: server.dir,
    });
    expect(file.code, file.stderr).toBe(4);
    expect(file.stderr).toContain('STATUS_OBJECT_NAME_NOT_FOUND');
  });

  it('mkdir, mv and rm report what they did with --json', async () => {
    const input = `${PASSWORD}\n`;
    const json = async (args: string[]) => {
      const r = await smb([...args, ...conn(), ...asAlice, '--json'], { env, input });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    expect(await json(['mkdir', target('made')])).toEqual({ mkdir: 'made' });
    expect(await json(['mv', target('made'), 'renamed'])).toEqual({ mv: 'made', to: 'renamed' });
    await writeFile(join(server.shareDir, 'renamed', 'inside.txt'), 'x');
    const notEmpty = await smb(['rm', target('renamed'), ...conn(), ...asAlice], { env, input });
    expect(notEmpty.code).toBe(7);
    expect(notEmpty.stderr).toContain('STATUS_DIRECTORY_NOT_EMPTY');
    await rm(join(server.shareDir, 'renamed', 'inside.txt'));
    expect(await json(['rm', target('renamed')])).toEqual({ rm: 'renamed' });
    const root = await smb(['mkdir', target(), ...conn(), ...asAlice], { env, input });
    expect(root.code, root.stderr).toBe(2);
  });

  it('the shell takes the password as its first line and the commands after it', async () => {
    const r = await smb(['shell', target(), ...conn(), ...asAlice], {
      env,
      input: `${PASSWORD}\nmkdir piped\ncd piped\npwd\nget nothing.txt\ncd ..\nls\nexit\n`,
      cwd: server.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Connected to \\\\files\.test\\files as alice@LOCALKDC\./);
    expect(r.stdout).toContain('smb: \\piped\\> \\piped\n');
    expect(r.stdout).toContain('STATUS_OBJECT_NAME_NOT_FOUND');
    expect(r.stdout).toMatch(/piped +D/);
    expect(r.stdout).not.toContain(PASSWORD);
  });

  it('kinit --kdc HOST:PORT, klist, then ls with the ccache (service ticket through IAKerb)', async () => {
    const realm = server.ready.realm;
    const k = await smb(
      ['kinit', `alice@${realm}`, '--password-stdin', '--kdc', `tcp/127.0.0.1:${server.kdcPort}`],
      {
        env,
        input: `${PASSWORD}\n`,
      },
    );
    expect(k.code, k.stderr).toBe(0);
    expect((await stat(join(server.dir, 'alice.cc'))).mode & 0o777).toBe(0o600);
    const list = await smb(['klist', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({
      principal: `alice@${realm}`,
      tickets: [{ server: `krbtgt/${realm}@${realm}` }],
    });
    const ls = await smb(['ls', target(), ...conn()], { env });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/up\.bin +A/);
    const bad = await smb(['kinit', `alice@${realm}`, '--password-stdin', '--kdc', 'udp/[::1'], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(bad.code, bad.stderr).toBe(2);
  });
});
