/**
 * The `[[share]]` options of the TOML configuration reach the server, seen from smbclient
 * with tickets from MIT kinit: `read_only` refuses writes, `allow` (bare user names, so the
 * realm is added) refuses other users at TREE_CONNECT, and `encrypt` refuses a client that
 * negotiated no cipher (SMB 2.1) while SMB 3.1.1 connects. The configuration file exists
 * before the first `serve`, which still creates the Local KDC.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Daemon,
  findFreePort,
  type RunResult,
  requireCommand,
  run,
  spawnDaemon,
} from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMBD_BIN } from './bin.js';

const HOST = 'files.test';

describe('postntlm-smbd share options from the configuration, with smbclient', () => {
  let dir: string;
  let state: string;
  let port: number;
  let daemon: Daemon;
  let realm: string;
  let krb5Config: string;

  const smbd = (args: readonly string[], input?: string) =>
    run(process.execPath, [SMBD_BIN, ...args, '--state', state], {
      ...(input === undefined ? {} : { input }),
      timeoutMs: 30_000,
    });

  /** smbclient as `user` (its own ccache) on `share`, at most dialect `max`. */
  const smbclient = (user: string, share: string, commands: string, max = 'SMB3_11'): Promise<RunResult> => {
    const cc = join(dir, `${user}.cc`);
    // smbclient 4.17 takes the session's tickets from KRB5CCNAME: both name the same cache.
    return run(
      'smbclient',
      [
        '-s',
        join(dir, 'smb.conf'),
        `//${HOST}/${share}`,
        '-I',
        '127.0.0.1',
        '-p',
        String(port),
        '--use-kerberos=required',
        `--use-krb5-ccache=${cc}`,
        '-m',
        max,
        '-c',
        commands,
      ],
      { env: { KRB5_CONFIG: krb5Config, KRB5CCNAME: `FILE:${cc}` }, cwd: dir, timeoutMs: 60_000 },
    );
  };
  const output = (r: RunResult) => `${r.stdout}\n${r.stderr}`;

  beforeAll(async () => {
    requireCommand('kinit', 'MIT kinit (krb5-user)');
    requireCommand('smbclient', 'Samba smbclient');
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smbd-shares-'));
    state = join(dir, 'state');
    for (const d of ['open', 'ro', 'team']) await mkdir(join(dir, d));
    await writeFile(join(dir, 'ro', 'notice.txt'), 'read me\n');
    await writeFile(join(dir, 'team', 'plan.txt'), 'team only\n');
    await mkdir(state, { mode: 0o700 });
    port = await findFreePort();
    const kdcPort = await findFreePort();
    await writeFile(
      join(state, 'postntlm-smbd.toml'),
      [
        '[server]',
        `listen = "127.0.0.1:${port}"`,
        `host = "${HOST}"`,
        '[kdc]',
        `listen = ["tcp:127.0.0.1:${kdcPort}"]`,
        '[log]',
        'format = "json"',
        '[[share]]',
        'name = "open"',
        `path = "${join(dir, 'open')}"`,
        '[[share]]',
        'name = "ro"',
        `path = "${join(dir, 'ro')}"`,
        'read_only = true',
        '[[share]]',
        'name = "team"',
        `path = "${join(dir, 'team')}"`,
        'allow = ["alice"]',
        'encrypt = true',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    await writeFile(join(dir, 'smb.conf'), '[global]\n client min protocol = SMB2_02\n');
    daemon = spawnDaemon(process.execPath, [SMBD_BIN, 'serve', '--state', state, '--json'], {});
    const deadline = Date.now() + 30_000;
    let line: string | undefined;
    while (line === undefined) {
      line = daemon
        .stdout()
        .split('\n')
        .find((l) => l.includes('"event":"ready"'));
      if (line !== undefined) break;
      if (Date.now() > deadline || daemon.child.exitCode !== null)
        throw new Error(`postntlm-smbd serve did not start:\n${daemon.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ready = JSON.parse(line);
    realm = ready.realm;
    expect(ready.shares.map((s: { name: string }) => s.name)).toEqual(['open', 'ro', 'team']);
    const conf = await smbd(['krb5conf']);
    expect(conf.code, conf.stderr).toBe(0);
    krb5Config = join(dir, 'krb5.conf');
    await writeFile(krb5Config, conf.stdout);
    for (const user of ['alice', 'bob']) {
      const add = await smbd(['user', 'add', user, '--password-stdin'], `${user}-Passw0rd\n`);
      expect(add.code, add.stderr).toBe(0);
      const k = await run('kinit', [`${user}@${realm}`], {
        env: { KRB5_CONFIG: krb5Config, KRB5CCNAME: `FILE:${join(dir, `${user}.cc`)}` },
        input: `${user}-Passw0rd\n`,
      });
      expect(k.code, k.stderr).toBe(0);
    }
  }, 90_000);

  afterAll(async () => {
    await daemon?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('serves an ordinary share to any user, at SMB 2.1 too', async () => {
    await writeFile(join(dir, 'up.txt'), 'uploaded\n');
    const r = await smbclient('bob', 'open', 'put up.txt; ls', 'SMB2_10');
    expect(r.code, output(r)).toBe(0);
    expect(r.stdout).toMatch(/up\.txt\s+A\s+9/);
    expect(await readFile(join(dir, 'open', 'up.txt'), 'utf8')).toBe('uploaded\n');
  });

  it('read_only: reads work, writes are refused and leave no file', async () => {
    const get = await smbclient('alice', 'ro', 'get notice.txt notice.out');
    expect(get.code, output(get)).toBe(0);
    expect(await readFile(join(dir, 'notice.out'), 'utf8')).toBe('read me\n');
    await writeFile(join(dir, 'new.txt'), 'nope\n');
    const put = await smbclient('alice', 'ro', 'put new.txt');
    expect(output(put)).toMatch(/NT_STATUS_(ACCESS_DENIED|MEDIA_WRITE_PROTECTED)/);
    await expect(readFile(join(dir, 'ro', 'new.txt'))).rejects.toThrow();
  });

  it('allow: alice connects, bob is refused at TREE_CONNECT', async () => {
    const alice = await smbclient('alice', 'team', 'get plan.txt plan.out');
    expect(alice.code, output(alice)).toBe(0);
    expect(await readFile(join(dir, 'plan.out'), 'utf8')).toBe('team only\n');
    const bob = await smbclient('bob', 'team', 'ls');
    expect(bob.code).not.toBe(0);
    expect(output(bob)).toMatch(/tree connect failed: NT_STATUS_ACCESS_DENIED/);
  });

  it('encrypt: a client without a cipher (SMB 2.1) is refused', async () => {
    const r = await smbclient('alice', 'team', 'ls', 'SMB2_10');
    expect(r.code).not.toBe(0);
    expect(output(r)).toMatch(/tree connect failed: NT_STATUS_ACCESS_DENIED/);
  });
});
