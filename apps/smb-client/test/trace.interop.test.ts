/**
 * Issue 10, line 5: `postntlm-smb --trace` against the reference server (its embedded Local
 * KDC reached only through IAKerb) shows the real exchange: its SESSION_SETUP requests and
 * responses match a tshark capture of the port, and its IAKerb AS-REQs and TGS-REQs match
 * the KDC's audit log. `--trace-svg` writes an SVG that headless Chromium renders.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, run, startLoopbackCapture, startPostntlmSmbd } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, headlessArgs, pngSummary } from './chromium.js';
import { SMBD_BIN, smb } from './cli.js';

describe('postntlm-smb --trace against postntlm-smbd', () => {
  let server: RunningServer;
  let trace: string;
  let out: string;
  let pcap: string;

  beforeAll(async () => {
    findChromium();
    server = await startPostntlmSmbd(SMBD_BIN);
    const add = await server.cli(['user', 'add', 'alice', '--password-stdin'], 'alice-Passw0rd\n');
    expect(add.code, add.stderr).toBe(0);
    out = join(server.dir, 'out');
    await mkdir(out);
    pcap = join(out, 'auth.pcap');
    const capture = await startLoopbackCapture(pcap, server.port);
    try {
      // No krb5.conf and no ccache: the only way to the KDC is IAKerb through the server.
      const r = await smb(
        [
          'ls',
          '//files.test/files',
          '--port',
          String(server.port),
          '--address',
          '127.0.0.1',
          '--user',
          'alice',
          '--password-stdin',
          '--trace',
          '--trace-svg',
          join(out, 'trace.svg'),
        ],
        {
          input: 'alice-Passw0rd\n',
          env: { KRB5_CONFIG: '/dev/null', KRB5CCNAME: `FILE:${join(out, 'none.cc')}` },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      trace = r.stderr;
    } finally {
      await capture.stop();
    }
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  const count = (re: RegExp) => trace.split('\n').filter((l) => re.test(l)).length;

  it('numbers the IAKerb flow: NEGOTIATE, realm discovery, AS (pre-auth), TGS, AP', () => {
    expect(trace).toMatch(/^ *1 +C -> S +NEGOTIATE request/m);
    expect(trace).toMatch(/NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB/);
    expect(trace).toMatch(/IAKerb realm discovery: LOCALKDC\./);
    expect(trace).toMatch(/C -> S -> KDC +SESSION_SETUP request: IAKerb AS-REQ /);
    expect(trace).toMatch(
      /KDC -> S -> C +SESSION_SETUP response: IAKerb KRB-ERROR \(KDC_ERR_PREAUTH_REQUIRED\)/,
    );
    expect(trace).toMatch(/IAKerb AS-REQ \(PA-ENC-TIMESTAMP\)/);
    expect(trace).toMatch(/IAKerb AS-REP/);
    expect(trace).toMatch(/IAKerb TGS-REQ/);
    expect(trace).toMatch(/IAKerb TGS-REP/);
    expect(trace).toMatch(/^ *12 +S -> C +SESSION_SETUP response: AP-REP +SUCCESS /m);
  });

  it('matches the SESSION_SETUP messages tshark saw on the wire', async () => {
    const r = await run(
      'tshark',
      [
        '-r',
        pcap,
        '-d',
        `tcp.port==${server.port},nbss`,
        '-Y',
        'smb2.cmd == 1',
        '-T',
        'fields',
        '-e',
        'smb2.flags.response',
      ],
      {
        timeoutMs: 60_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const flags = r.stdout.split('\n').filter((l) => l.trim() !== '');
    // One SMB2 message per frame here (no compounding in SESSION_SETUP).
    const requests = flags.filter((f) => /^(False|0)$/.test(f.trim())).length;
    const responses = flags.filter((f) => /^(True|1)$/.test(f.trim())).length;
    expect(requests).toBe(count(/SESSION_SETUP request/));
    expect(responses).toBe(count(/SESSION_SETUP response/));
    expect(requests).toBe(5);
  });

  it('matches the AS and TGS requests the Local KDC logged', async () => {
    const events = (await readFile(join(server.state, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event_name: string; transport: string });
    const viaIakerb = events.filter((e) => e.transport === 'iakerb');
    expect(viaIakerb.filter((e) => e.event_name === 'as_req').length).toBe(count(/IAKerb AS-REQ/));
    expect(viaIakerb.filter((e) => e.event_name === 'tgs_req').length).toBe(count(/IAKerb TGS-REQ/));
    expect(count(/IAKerb AS-REQ/)).toBe(2);
    expect(count(/IAKerb TGS-REQ/)).toBe(1);
  });

  it('writes an SVG that headless Chromium renders', async () => {
    const svgFile = join(out, 'trace.svg');
    const svg = await readFile(svgFile, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('TGS-REQ');
    const chromium = findChromium();
    const dom = await run(chromium, [...headlessArgs, '--dump-dom', `file://${svgFile}`], {
      timeoutMs: 60_000,
    });
    expect(dom.code, dom.stderr).toBe(0);
    expect(dom.stdout).toContain('<svg');
    expect(dom.stdout).not.toContain('parsererror'); // well-formed XML
    const png = join(out, 'trace.png');
    const shot = await run(
      chromium,
      [...headlessArgs, `--screenshot=${png}`, '--window-size=1100,900', `file://${svgFile}`],
      {
        timeoutMs: 60_000,
        cwd: out,
      },
    );
    expect(shot.code, shot.stderr).toBe(0);
    const summary = pngSummary(await readFile(png));
    expect(summary.width).toBe(1100);
    expect(summary.height).toBe(900);
    expect(summary.distinctBytes).toBeGreaterThan(32); // text and arrows, not a blank page
  });
});
