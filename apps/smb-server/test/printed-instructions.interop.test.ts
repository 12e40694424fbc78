/**
 * Issue 10, line 2, taken literally: `postntlm-smbd serve` with a TCP-only KDC listener
 * (`--kdc-listen tcp:127.0.0.1:PORT`) prints how to connect with smbclient, and running
 * exactly those printed commands (`postntlm-smbd krb5conf`, MIT `kinit`, smbclient, only
 * the `-c` script changed) puts, lists and gets a file over Kerberos from its Local KDC.
 * smbclient 4.17 carries its own Heimdal, which would use UDP unless krb5.conf says not to.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, type Daemon, findFreePort, requireCommand, run, spawnDaemon } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMBD_BIN } from './bin.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PASSWORD = 'alice-Passw0rd';

/** The command lines of the printed "Connect with smbclient" block, without their indent. */
function smbclientBlock(printed: string): string[] {
  const lines = printed.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Connect with smbclient'));
  if (start < 0) throw new Error(`no smbclient instructions in:\n${printed}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end).map((l) => l.trim());
}

describe('postntlm-smbd: the printed smbclient instructions, with a TCP-only KDC listener', () => {
  let dir: string;
  let state: string;
  let shareDir: string;
  let kdcPort: number;
  let daemon: Daemon;

  beforeAll(async () => {
    // The printed commands run in a shell: missing peers must fail here, with the install hint.
    requireCommand('kinit', 'MIT kinit (krb5-user)');
    requireCommand('smbclient', 'Samba smbclient');
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smbd-printed-'));
    state = join(dir, 'state');
    shareDir = join(dir, 'files');
    await mkdir(shareDir);
    const port = await findFreePort();
    kdcPort = await findFreePort();
    daemon = spawnDaemon(
      process.execPath,
      [
        SMBD_BIN,
        'serve',
        shareDir,
        '--state',
        state,
        '--host',
        'files.test',
        '--listen',
        `127.0.0.1:${port}`,
        '--kdc-listen',
        `tcp:127.0.0.1:${kdcPort}`,
      ],
      {},
    );
    const deadline = Date.now() + 30_000;
    while (!/\n {2}smbclient .*\n\n/.test(daemon.stdout())) {
      if (Date.now() > deadline || daemon.child.exitCode !== null)
        throw new Error(`postntlm-smbd serve did not start:\n${daemon.stdout()}\n${daemon.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const add = await run(
      process.execPath,
      [SMBD_BIN, 'user', 'add', 'alice', '--password-stdin', '--state', state],
      { input: `${PASSWORD}\n`, timeoutMs: 30_000 },
    );
    expect(add.code, add.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('prints commands that put, list and get with smbclient and MIT kinit', async () => {
    const block = smbclientBlock(daemon.stdout());
    expect(block).toHaveLength(4);
    expect(block[0]).toMatch(/^postntlm-smbd krb5conf --state .* > krb5\.conf$/);
    expect(block[2]).toMatch(/^kinit alice@LOCALKDC\./);
    expect(block[3]).toMatch(/^smbclient \/\/files\.test\/files .*--use-kerberos=required .* -c ls$/);
    const script = [
      ...block.slice(0, 3),
      block[3]?.replace(/ -c ls$/, ` -c 'put up.bin; ls; get up.bin down.bin'`),
    ].join('\n');

    // `postntlm-smbd` on PATH as the printed text assumes; an empty smb.conf so the host's
    // /etc/samba/smb.conf cannot change what smbclient does.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(
      join(bin, 'postntlm-smbd'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SMBD_BIN)} "$@"\n`,
    );
    await chmod(join(bin, 'postntlm-smbd'), 0o755);
    await writeFile(join(dir, 'smb.conf'), '[global]\n');
    const payload = randomBytes(2 * 1024 * 1024 + 5);
    await writeFile(join(dir, 'up.bin'), payload);

    const r = await run('sh', ['-e', '-c', script], {
      cwd: dir,
      env: { PATH: `${bin}:${baseEnv().PATH}`, SMB_CONF_PATH: join(dir, 'smb.conf') },
      input: `${PASSWORD}\n`,
      timeoutMs: 60_000,
    });
    expect(r.code, `${script}\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/up\.bin\s+A\s+2097157/);
    expect(sha256(await readFile(join(shareDir, 'up.bin')))).toBe(sha256(payload));
    expect(sha256(await readFile(join(dir, 'down.bin')))).toBe(sha256(payload));

    const krb5conf = await readFile(join(dir, 'krb5.conf'), 'utf8');
    expect(krb5conf).toContain(`kdc = 127.0.0.1:${kdcPort}`);
    expect(krb5conf).toMatch(/large_message_size = 1/);
    // smbclient asked the Local KDC (over TCP: there is no UDP listener) for cifs/files.test.
    const events = (await readFile(join(state, 'audit.log'), 'utf8'))
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
});
