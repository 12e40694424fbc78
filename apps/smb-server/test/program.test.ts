/** The command line: help, unknown commands and usage errors give their exit codes; the connect help. */
import { describe, expect, it } from 'vitest';
import type { AppIo } from '../src/cli/io.js';
import { connectHelp } from '../src/commands/connect-help.js';
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

  it('tells how to connect, with smbclient only when the KDC has a UDP listener', () => {
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
    expect(without).toMatch(/--kdc-listen udp:/);
    const withUdp = connectHelp({ ...base, kdcListeners: ['udp:127.0.0.1:8088'] });
    expect(withUdp).toMatch(/kinit alice@LOCALKDC\.X/);
    expect(withUdp).toMatch(
      /smbclient \/\/files\.example\/docs --port 4445 -I 127\.0\.0\.1 --use-kerberos=required/,
    );
  });
});
