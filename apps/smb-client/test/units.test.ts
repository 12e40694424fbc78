/** Target parsing, the trace renderers, error mapping and the command line, without a server. */
import { SmbError } from '@postntlm/smb2-client';
import { describe, expect, it } from 'vitest';
import type { AppIo } from '../src/cli/io.js';
import { toCliError } from '../src/errors.js';
import { main } from '../src/program.js';
import { progressBar } from '../src/progress.js';
import { joinPath, parseTarget } from '../src/target.js';
import { createAuthTrace, renderSvg, toSteps } from '../src/trace/index.js';

describe('targets', () => {
  it('parses //HOST/SHARE/PATH with either slash', () => {
    expect(parseTarget('//files/docs/a/b.txt')).toEqual({ host: 'files', share: 'docs', path: 'a/b.txt' });
    expect(parseTarget('\\\\files\\docs')).toEqual({ host: 'files', share: 'docs', path: '' });
    expect(parseTarget('//files', false)).toEqual({ host: 'files', share: '', path: '' });
    expect(() => parseTarget('files/docs')).toThrow(/not \/\/HOST\/SHARE/);
    expect(() => parseTarget('//files')).toThrow(/names no share/);
  });
  it('resolves shell paths inside the share', () => {
    expect(joinPath('a/b', '../c')).toBe('a/c');
    expect(joinPath('a', '/x/y')).toBe('x/y');
    expect(joinPath('', '../../..')).toBe('');
  });
});

describe('the trace', () => {
  const t0 = 1000;
  const events = [
    { direction: 'send', command: 'NEGOTIATE', bytes: 228, timeMs: t0 },
    {
      direction: 'receive',
      command: 'NEGOTIATE',
      bytes: 300,
      status: 'STATUS_SUCCESS',
      token: { spnego: 'NegTokenInit2', mechs: ['MS-KRB5', 'KRB5', 'IAKERB'] },
      timeMs: t0 + 1,
    },
    {
      direction: 'send',
      command: 'SESSION_SETUP',
      bytes: 380,
      token: {
        spnego: 'NegTokenInit',
        mechs: ['IAKERB'],
        kind: 'iakerb-proxy',
        targetRealm: 'R',
        kerberos: 'AS-REQ',
      },
      timeMs: t0 + 2,
    },
    {
      direction: 'receive',
      command: 'SESSION_SETUP',
      bytes: 700,
      status: 'STATUS_MORE_PROCESSING_REQUIRED',
      token: {
        spnego: 'NegTokenResp',
        mechs: ['IAKERB'],
        kind: 'iakerb-proxy',
        targetRealm: 'R',
        kerberos: 'KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED)',
      },
      timeMs: t0 + 3,
    },
    {
      direction: 'send',
      command: 'SESSION_SETUP',
      bytes: 790,
      token: { spnego: 'NegTokenResp', mechs: [], kind: 'ap-req', kerberos: 'AP-REQ' },
      timeMs: t0 + 4,
    },
    {
      direction: 'receive',
      command: 'SESSION_SETUP',
      bytes: 240,
      status: 'STATUS_SUCCESS',
      token: { spnego: 'NegTokenResp', mechs: ['IAKERB'], kind: 'ap-rep', kerberos: 'AP-REP' },
      timeMs: t0 + 5.5,
    },
  ] as const;

  it('numbers the steps and routes proxied Kerberos through the KDC', () => {
    const steps = toSteps(events);
    expect(steps.map((s) => s.path.join('>'))).toEqual([
      'client>server',
      'server>client',
      'client>server>kdc',
      'kdc>server>client',
      'client>server',
      'server>client',
    ]);
    expect(steps[3]?.message).toBe('SESSION_SETUP response: IAKerb KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED)');
    expect(steps[5]?.atMs).toBe(5.5);
  });

  it('renders text and escaped, well-formed SVG', () => {
    const trace = createAuthTrace({ server: 'a<b&c' });
    for (const e of events) trace.clientOptions.onAuthTrace?.(e);
    const lines = trace.lines();
    expect(lines[2]).toMatch(/^1 +C -> S +NEGOTIATE request +228 +\+0\.0$/);
    expect(lines[3]).toMatch(/NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB +SUCCESS +300/);
    expect(lines.some((l) => /C -> S -> KDC +SESSION_SETUP request: IAKerb AS-REQ/.test(l))).toBe(true);
    const svg = trace.svg();
    expect(svg).toContain('a&lt;b&amp;c');
    expect(svg).not.toMatch(/<b&c/);
    expect(svg.match(/<polygon /g)?.length).toBe(8); // one arrow head per hop: 2+2+2+... hops
    expect(renderSvg([], 'x')).toMatch(/<\/svg>\n$/);
  });
});

describe('errors and the command line', () => {
  it('maps NTSTATUS to exit codes', () => {
    expect(toCliError(new SmbError(0xc0000034, 5, 'open')).exitCode).toBe(4);
    expect(toCliError(new SmbError(0xc0000022, 5, 'open')).exitCode).toBe(5);
    expect(toCliError(new SmbError(0xc000006d, 1, 'logon')).exitCode).toBe(3);
    expect(toCliError(Object.assign(new Error('x'), { code: 'ENOENT' })).exitCode).toBe(4);
  });

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
      stdin: process.stdin,
      env: {},
      stderrIsTty: false,
      stdinIsTty: false,
    };
    return o;
  }

  it('help, unknown commands and bad options', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    expect(a.out).toMatch(/--iakerb auto\|always\|never/);
    const b = io();
    expect(await main(['teleport'], b)).toBe(2);
    const c = io();
    expect(await main(['ls', '//h/s', '--protection', 'maybe'], c)).toBe(2);
    expect(c.err).toMatch(/--protection maybe: off, sign or encrypt/);
    const d = io();
    expect(await main(['ls', '//h/s', '--password-stdin'], d)).toBe(2);
    expect(d.err).toMatch(/standard input holds no password|needs --user/);
  });

  it('draws a progress bar only on a terminal', () => {
    let drawn = '';
    const off = progressBar('get', 100, (t) => (drawn += t), false);
    off.add(50);
    off.done();
    expect(drawn).toBe('');
    const on = progressBar('get', 100, (t) => (drawn += t), true);
    on.add(100);
    on.done();
    expect(drawn).toMatch(/get \[#{30}\] 0\.0 MB\/0\.0 MB .* MB\/s ETA 00:00\n$/);
  });
});
