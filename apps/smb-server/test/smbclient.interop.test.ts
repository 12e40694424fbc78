/**
 * Issue 10, lines 2 and 6: smbclient with tickets from MIT kinit against the reference
 * server's embedded Local KDC (krb5.conf from `postntlm-smbd krb5conf`) lists, puts and
 * gets; an NTLMSSP attempt from smbclient is refused and listed by `postntlm-smbd ntlm-audit`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, run, startPostntlmSmbd } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMBD_BIN } from './bin.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('postntlm-smbd with smbclient and MIT kinit', () => {
  let server: RunningServer;
  let env: Record<string, string>;
  let smbArgs: string[];

  beforeAll(async () => {
    server = await startPostntlmSmbd(SMBD_BIN);
    const add = await server.cli(['user', 'add', 'alice', '--password-stdin'], 'alice-Passw0rd\n');
    expect(add.code, add.stderr).toBe(0);
    const conf = await server.cli(['krb5conf']);
    expect(conf.code, conf.stderr).toBe(0);
    expect(conf.stdout).toContain(`kdc = 127.0.0.1:${server.kdcPort}`);
    await writeFile(join(server.dir, 'krb5.conf'), conf.stdout);
    await writeFile(join(server.dir, 'smb.conf'), '[global]\n client min protocol = SMB2_02\n');
    const cc = join(server.dir, 'alice.cc');
    env = { KRB5_CONFIG: join(server.dir, 'krb5.conf'), KRB5CCNAME: `FILE:${cc}` };
    smbArgs = [
      '-s',
      join(server.dir, 'smb.conf'),
      `//files.test/files`,
      '-I',
      '127.0.0.1',
      '-p',
      String(server.port),
    ];
    const k = await run('kinit', [`alice@${server.ready.realm}`], { env, input: 'alice-Passw0rd\n' });
    expect(k.code, k.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('the users list shows alice', async () => {
    const r = await server.cli(['user', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((u: { name: string }) => u.name)).toEqual([
      `alice@${server.ready.realm}`,
    ]);
  });

  it('smbclient puts, lists and gets with Kerberos from the Local KDC', async () => {
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(server.dir, 'up.bin'), payload);
    await writeFile(join(server.shareDir, 'served.txt'), 'served by postntlm-smbd\n');
    const r = await run(
      'smbclient',
      [
        ...smbArgs,
        '--use-kerberos=required',
        `--use-krb5-ccache=${join(server.dir, 'alice.cc')}`,
        '-c',
        'put up.bin; ls; get served.txt back.txt; get up.bin down.bin',
      ],
      { env, cwd: server.dir, timeoutMs: 60_000 },
    );
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/up\.bin\s+A\s+3145745/);
    expect(r.stdout).toMatch(/served\.txt/);
    expect(sha256(await readFile(join(server.shareDir, 'up.bin')))).toBe(sha256(payload));
    expect(sha256(await readFile(join(server.dir, 'down.bin')))).toBe(sha256(payload));
    expect(await readFile(join(server.dir, 'back.txt'), 'utf8')).toBe('served by postntlm-smbd\n');
    // the KDC's audit log saw the TGS exchange for cifs/files.test
    const events = (await readFile(join(server.state, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      events.some(
        (e) =>
          e.event_name === 'tgs_req' &&
          e.event_success &&
          e['req.server'].components.join('/') === 'cifs/files.test',
      ),
    ).toBe(true);
  });

  it('refuses NTLMSSP from smbclient and lists the attempt in ntlm-audit', async () => {
    const r = await run(
      'smbclient',
      [...smbArgs, '--use-kerberos=disabled', '-U', 'mallory%secret', '-c', 'ls'],
      {
        env,
        timeoutMs: 30_000,
      },
    );
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/NT_STATUS_/);
    let records: { peer: string; offered: string[] }[] = [];
    for (let i = 0; i < 50 && records.length === 0; i++) {
      const audit = await server.cli(['ntlm-audit', '--json']);
      expect(audit.code, audit.stderr).toBe(0);
      records = JSON.parse(audit.stdout);
      if (records.length === 0) await new Promise((res) => setTimeout(res, 100));
    }
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records[0]?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(records[0]?.offered.join(' ')).toContain('NTLMSSP');
    const text = await server.cli(['ntlm-audit']);
    expect(text.stdout).toMatch(/refused NTLM attempt/);
    expect((await stat(join(server.state, 'ntlm-audit.jsonl'))).mode & 0o777).toBe(0o600);
  });
  it('changes a password and deletes a user while serving', async () => {
    const pw = await server.cli(['user', 'passwd', 'alice', '--password-stdin'], 'alice-N3w-Passw0rd\n');
    expect(pw.code, pw.stderr).toBe(0);
    const cc = join(server.dir, 'alice2.cc');
    const k = await run('kinit', [`alice@${server.ready.realm}`], {
      env: { ...env, KRB5CCNAME: `FILE:${cc}` },
      input: 'alice-N3w-Passw0rd\n',
    });
    expect(k.code, k.stderr).toBe(0);
    expect((await server.cli(['user', 'add', 'alice', '--password-stdin'], 'x-Passw0rd-x\n')).code).toBe(5);
    expect((await server.cli(['user', 'del', 'alice'])).code).toBe(0);
    expect((await server.cli(['user', 'del', 'alice'])).code).toBe(4);
    expect(JSON.parse((await server.cli(['user', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('stops gracefully on SIGTERM: exit 0, runtime files removed', async () => {
    const runtime = join(server.state, 'postntlm-smbd.runtime.json');
    await access(runtime);
    server.daemon.child.kill('SIGTERM');
    expect(await server.daemon.exited).toBe(0);
    await expect(access(runtime)).rejects.toThrow();
    await expect(access(join(server.state, 'runtime.json'))).rejects.toThrow();
  });
});
