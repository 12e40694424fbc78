/** The command line: help, unknown commands and usage errors give their exit codes; the connect help. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppIo } from '../src/cli/io.js';
import { connectHelp } from '../src/commands/connect-help.js';
import { clientKrb5Conf } from '../src/commands/krb5conf.js';
import { shareNameFor } from '../src/commands/serve-setup.js';
import { main } from '../src/program.js';

function io(): AppIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
    readStdin: async () => '',
    env: { POSTNTLM_SMBD_STATE: '/nonexistent/postntlm-smbd-test' },
    stderrIsTty: false,
    handleSignals: false,
  };
  return o;
}

describe('postntlm-smbd', () => {
  it('prints its help and exit codes', async () => {
    const x = io();
    expect(await main(['--help'], x)).toBe(0);
    expect(x.out).toMatch(/serve DIR over SMB/);
    expect(x.out).toMatch(/Exit codes:/);
  });

  it('refuses an unknown command and bad options (exit 2)', async () => {
    const a = io();
    expect(await main(['frobnicate'], a)).toBe(2);
    expect(a.err).toMatch(/unknown command "frobnicate"/);
    const b = io();
    expect(await main(['serve', '--colour'], b)).toBe(2);
    expect(b.err).toMatch(/Unknown option '--colour'/);
    const c = io();
    expect(await main(['user', 'explode'], c)).toBe(2);
  });

  it('needs a directory on the first run', async () => {
    const x = io();
    expect(await main(['serve'], x)).toBe(2);
    expect(x.err).toMatch(/the first run needs the directory to share/);
  });

  it('refuses to serve a directory that does not exist, before writing any state (exit 2)', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'postntlm-smbd-unit-'));
    try {
      const state = join(tmp, 'state');
      const missing = io();
      expect(await main(['serve', join(tmp, 'nope'), '--state', state], missing)).toBe(2);
      expect(missing.err).toMatch(/serve DIR: .*nope: no such directory/);
      expect(existsSync(state)).toBe(false);
      await writeFile(join(tmp, 'file'), 'x');
      const file = io();
      expect(await main(['serve', join(tmp, 'file'), '--state', state], file)).toBe(2);
      expect(file.err).toMatch(/not a directory/);
      // a configured share whose directory went away: the key is named
      await mkdir(state);
      await writeFile(
        join(state, 'postntlm-smbd.toml'),
        `[server]\nhost = "files.example"\n[[share]]\nname = "gone"\npath = "${join(tmp, 'gone')}"\n`,
      );
      const gone = io();
      expect(await main(['serve', '--state', state], gone)).toBe(2);
      expect(gone.err).toMatch(/postntlm-smbd\.toml: share\[0\]\.path: .*gone: no such directory/);
      const listen = io();
      expect(await main(['serve', tmp, '--state', state, '--listen', 'bogus'], listen)).toBe(2);
      expect(listen.err).toMatch(/^postntlm-smbd: --listen: "bogus" is not ADDR:PORT/);
      expect(await readFile(join(state, 'postntlm-smbd.toml'), 'utf8')).not.toContain(`path = "${tmp}"`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('has no state before the first serve (exit 3)', async () => {
    const x = io();
    expect(await main(['krb5conf'], x)).toBe(3);
    const y = io();
    expect(await main(['user', 'list'], y)).toBe(3);
  });

  it('names shares after their directory', () => {
    expect(shareNameFor('/srv/Team Docs')).toBe('TeamDocs');
    expect(shareNameFor('/')).toBe('share');
    expect(shareNameFor('/tmp/.hidden')).toBe('hidden');
  });

  it('tells how to connect, with smbclient only when the KDC has a network listener', () => {
    const base = {
      stateDir: '/var/lib/postntlm-smbd',
      realm: 'LOCALKDC.X',
      host: 'files.example',
      address: '127.0.0.1',
      port: 4445,
      shares: [{ name: 'docs', path: '/srv/docs' }],
      embedded: true,
    };
    const without = connectHelp({ ...base, kdcListeners: ['unix:/var/lib/postntlm-smbd/kdc.sock'] });
    expect(without).toMatch(/postntlm-smb ls \/\/files\.example\/docs --port 4445 --address 127\.0\.0\.1/);
    expect(without).toMatch(/--kdc-listen tcp:/);
    expect(without).not.toMatch(/kinit alice/);
    for (const listener of ['udp:127.0.0.1:8088', 'tcp:127.0.0.1:8088']) {
      const withKdc = connectHelp({ ...base, kdcListeners: [listener] });
      expect(withKdc).toMatch(/postntlm-smbd krb5conf --state \/var\/lib\/postntlm-smbd > krb5\.conf/);
      expect(withKdc).toMatch(/kinit alice@LOCALKDC\.X/);
      expect(withKdc).toMatch(
        /smbclient \/\/files\.example\/docs --port 4445 -I 127\.0\.0\.1 --use-kerberos=required/,
      );
    }
    expect(connectHelp({ ...base, kdcListeners: ['tcp:127.0.0.1:8088'] })).not.toMatch(/Note:/);
    const local = connectHelp({ ...base, host: 'localhost', kdcListeners: ['tcp:127.0.0.1:8088'] });
    expect(local).toMatch(/smbclient will not use Kerberos for a server named localhost: serve with --host/);
    const proxy = connectHelp({ ...base, embedded: false, kdcListeners: [] });
    expect(proxy).toMatch(/\(IAKerb proxy\)/);
    expect(proxy).not.toMatch(/user add|smbclient/);
  });

  it('writes a client krb5.conf that sends Heimdal (smbclient) and MIT to a TCP-only KDC over TCP', () => {
    const tcp = clientKrb5Conf({
      realm: 'LOCALKDC.X',
      kdc: { transport: 'tcp', host: '127.0.0.1', port: 8088 },
      host: 'files.example',
    });
    expect(tcp).toMatch(/^\s+udp_preference_limit = 1\n\s+large_message_size = 1\n/m);
    expect(tcp).toMatch(/kdc = 127\.0\.0\.1:8088/);
    expect(tcp).toMatch(/files\.example = LOCALKDC\.X/);
    const udp = clientKrb5Conf({
      realm: 'LOCALKDC.X',
      kdc: { transport: 'udp', host: '127.0.0.1', port: 8088 },
      host: 'files.example',
    });
    expect(udp).not.toMatch(/large_message_size|udp_preference_limit/);
  });
});
