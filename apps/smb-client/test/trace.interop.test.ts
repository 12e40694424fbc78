/**
 * Issue 10, line 5: `postntlm-smb --trace` against the reference server (postntlm-smbd, its
 * embedded Local KDC) shows the real exchange, checked against what the peers saw: every
 * NEGOTIATE and SESSION_SETUP line (direction and size) against a tshark capture of the port,
 * every proxied AS/TGS request and its answer against the KDC's audit log. Three logons: IAKerb
 * with realm discovery (the classic 12 steps), plain Kerberos (NEGOTIATE, AP-REQ, AP-REP) and
 * a wrong password (the trace ends at the KDC's error). `--trace-svg` writes an SVG that
 * headless Chromium renders.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, run, startLoopbackCapture, startPostntlmSmbd } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourShare, decodePng, findChromium, headlessArgs, inkCoverage } from './chromium.js';
import { SMBD_BIN, smb } from './cli.js';
import { parseXml } from './trace-xml.js';

const PASSWORD = 'alice-Passw0rd';

interface AuditLine {
  readonly event_name: string;
  readonly kdc_status: string;
  readonly transport: string;
  readonly 'req.pa_type'?: readonly number[];
}

interface TracedRun {
  readonly code: number | null;
  readonly stderr: string;
  /** The trace's numbered lines, whitespace collapsed. */
  readonly steps: string[];
  /** `C->S NEGOTIATE 232`: direction, command and size of each SMB2 message tshark saw. */
  readonly wire: string[];
  /** The Local KDC's audit lines this run added. */
  readonly kdc: AuditLine[];
}

describe('postntlm-smb --trace against postntlm-smbd', () => {
  let server: RunningServer;
  let out: string;
  let iakerb: TracedRun;
  const svgFile = () => join(out, 'trace.svg');

  const auditLog = async (): Promise<AuditLine[]> =>
    (await readFile(join(server.state, 'audit.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as AuditLine);

  /** The SMB2 NEGOTIATE (0) and SESSION_SETUP (1) messages in a capture, in order. */
  async function wireMessages(pcap: string): Promise<string[]> {
    const r = await run(
      'tshark',
      [
        '-r',
        pcap,
        '-d',
        `tcp.port==${server.port},nbss`,
        '-Y',
        'smb2.cmd <= 1',
        '-T',
        'fields',
        '-E',
        'separator=,',
        '-e',
        'smb2.cmd',
        '-e',
        'smb2.flags.response',
        '-e',
        'nbss.length',
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        // One SMB2 message per frame here: NEGOTIATE and SESSION_SETUP are never compounded.
        const [cmd, response, length] = l.trim().split(',');
        const command = cmd === '0' ? 'NEGOTIATE' : 'SESSION_SETUP';
        return `${/^(True|1)$/.test(response ?? '') ? 'S->C' : 'C->S'} ${command} ${length}`;
      });
  }

  /** Runs postntlm-smb with --trace under a tshark capture; what it printed and what the peers saw. */
  async function traced(
    name: string,
    args: readonly string[],
    options: { input?: string; env: Record<string, string> },
  ): Promise<TracedRun> {
    const pcap = join(out, `${name}.pcap`);
    const before = (await auditLog()).length;
    const capture = await startLoopbackCapture(pcap, server.port);
    let r: Awaited<ReturnType<typeof smb>>;
    try {
      r = await smb([...args, '--port', String(server.port), '--address', '127.0.0.1', '--trace'], options);
    } finally {
      await capture.stop();
    }
    return {
      code: r.code,
      stderr: r.stderr,
      steps: r.stderr
        .split('\n')
        .filter((l) => /^\s*\d+\s+(C|S|KDC) ->/.test(l))
        .map((l) => l.replace(/\s+/g, ' ').trim()),
      wire: await wireMessages(pcap),
      kdc: (await auditLog()).slice(before),
    };
  }

  /** The trace's lines as the wire shows them: first hop's direction, command, size. */
  const asWire = (steps: readonly string[]): string[] =>
    steps.map((l) => {
      const m = /^\d+ (C|KDC|S) -> .*?(NEGOTIATE|SESSION_SETUP) .* (\d+) \+[\d.]+$/.exec(l);
      if (m === null) throw new Error(`not a trace line: ${l}`);
      return `${m[1] === 'C' ? 'C->S' : 'S->C'} ${m[2]} ${m[3]}`;
    });

  /** The proxied Kerberos exchanges in the trace, in the KDC's words (event and status). */
  const asKdcLog = (steps: readonly string[]): string[] => {
    const names: [RegExp, string][] = [
      [/IAKerb AS-REQ \(PA-ENC-TIMESTAMP\)/, 'as_req pa'],
      [/IAKerb AS-REQ/, 'as_req'],
      [/IAKerb TGS-REQ/, 'tgs_req'],
      [/KDC_ERR_PREAUTH_REQUIRED/, 'NEEDED_PREAUTH'],
      [/KDC_ERR_PREAUTH_FAILED/, 'PREAUTH_FAILED'],
      [/IAKerb (AS|TGS)-REP/, 'ISSUE'],
    ];
    return steps
      .filter((l) => l.includes(' -> KDC ') || l.includes(' KDC -> '))
      .map((l) => names.find(([re]) => re.test(l))?.[1] ?? `unknown: ${l}`);
  };
  const fromKdcLog = (lines: readonly AuditLine[]): string[] =>
    lines.flatMap((e) => [`${e.event_name}${e['req.pa_type']?.includes(2) ? ' pa' : ''}`, e.kdc_status]);

  beforeAll(async () => {
    findChromium();
    server = await startPostntlmSmbd(SMBD_BIN);
    const add = await server.cli(['user', 'add', 'alice', '--password-stdin'], `${PASSWORD}\n`);
    expect(add.code, add.stderr).toBe(0);
    out = join(server.dir, 'out');
    await mkdir(out);
    // No krb5.conf and no ccache: the only way to the KDC is IAKerb through the server.
    iakerb = await traced(
      'iakerb',
      ['ls', '//files.test/files', '--user', 'alice', '--password-stdin', '--iakerb', 'always'],
      {
        input: `${PASSWORD}\n`,
        env: { KRB5_CONFIG: '/dev/null', KRB5CCNAME: `FILE:${join(out, 'none.cc')}` },
      },
    );
    // The same logon again for the diagram (the text run above is the one compared to the wire).
    const svg = await smb(
      [
        'ls',
        '//files.test/files',
        ...['--port', String(server.port), '--address', '127.0.0.1'],
        ...['--user', 'alice', '--password-stdin', '--iakerb', 'always', '--trace-svg', svgFile()],
      ],
      {
        input: `${PASSWORD}\n`,
        env: { KRB5_CONFIG: '/dev/null', KRB5CCNAME: `FILE:${join(out, 'none.cc')}` },
      },
    );
    expect(svg.code, svg.stderr).toBe(0);
    expect(svg.stderr).not.toMatch(/NEGOTIATE/); // --trace-svg alone prints nothing
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('IAKerb with realm discovery: the classic 12 steps', () => {
    expect(iakerb.code, iakerb.stderr).toBe(0);
    const realm = server.ready.realm;
    expect(iakerb.steps.map((l) => l.replace(/ \d+ \+[\d.]+$/, ''))).toEqual([
      '1 C -> S NEGOTIATE request',
      '2 S -> C NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB SUCCESS',
      '3 C -> S SESSION_SETUP request: IAKerb realm discovery (empty realm)',
      `4 S -> C SESSION_SETUP response: IAKerb realm discovery: ${realm} MORE_PROCESSING_REQUIRED`,
      '5 C -> S -> KDC SESSION_SETUP request: IAKerb AS-REQ',
      '6 KDC -> S -> C SESSION_SETUP response: IAKerb KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED) MORE_PROCESSING_REQUIRED',
      '7 C -> S -> KDC SESSION_SETUP request: IAKerb AS-REQ (PA-ENC-TIMESTAMP)',
      '8 KDC -> S -> C SESSION_SETUP response: IAKerb AS-REP MORE_PROCESSING_REQUIRED',
      '9 C -> S -> KDC SESSION_SETUP request: IAKerb TGS-REQ',
      '10 KDC -> S -> C SESSION_SETUP response: IAKerb TGS-REP MORE_PROCESSING_REQUIRED',
      '11 C -> S SESSION_SETUP request: IAKerb AP-REQ (IAKERB-FINISHED)',
      '12 S -> C SESSION_SETUP response: IAKerb AP-REP SUCCESS',
    ]);
  });

  it('IAKerb: every line is a message tshark saw (direction, command, size), every KDC line one the KDC logged', () => {
    expect(asWire(iakerb.steps)).toEqual(iakerb.wire);
    expect(iakerb.wire.filter((m) => m.startsWith('C->S SESSION_SETUP'))).toHaveLength(5);
    expect(iakerb.kdc.every((e) => e.transport === 'iakerb')).toBe(true);
    expect(asKdcLog(iakerb.steps)).toEqual(fromKdcLog(iakerb.kdc));
    expect(fromKdcLog(iakerb.kdc)).toEqual([
      'as_req',
      'NEEDED_PREAUTH',
      'as_req pa',
      'ISSUE',
      'tgs_req',
      'ISSUE',
    ]);
  });

  it('plain Kerberos (tickets from the KDC over TCP, --iakerb never): NEGOTIATE, AP-REQ, AP-REP only', async () => {
    const realm = server.ready.realm;
    const conf = join(out, 'krb5.conf');
    await writeFile(
      conf,
      `[libdefaults]\n default_realm = ${realm}\n dns_lookup_kdc = false\n` +
        `[realms]\n ${realm} = {\n  kdc = tcp/127.0.0.1:${server.kdcPort}\n }\n`,
    );
    const krb5 = await traced(
      'krb5',
      ['ls', '//files.test/files', '--user', `alice@${realm}`, '--password-stdin', '--iakerb', 'never'],
      { input: `${PASSWORD}\n`, env: { KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${join(out, 'krb5.cc')}` } },
    );
    expect(krb5.code, krb5.stderr).toBe(0);
    expect(krb5.steps.map((l) => l.replace(/ \d+ \+[\d.]+$/, ''))).toEqual([
      '1 C -> S NEGOTIATE request',
      '2 S -> C NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB SUCCESS',
      '3 C -> S SESSION_SETUP request: KRB5 AP-REQ',
      '4 S -> C SESSION_SETUP response: KRB5 AP-REP SUCCESS',
    ]);
    expect(asWire(krb5.steps)).toEqual(krb5.wire);
    // The client went to the KDC itself: the KDC saw it over TCP, never through the server.
    expect(krb5.kdc.map((e) => `${e.transport} ${e.event_name}`)).toContain('tcp tgs_req');
    expect(krb5.kdc.some((e) => e.transport === 'iakerb')).toBe(false);
  });

  it('a wrong password: the trace ends at the KDC error that stopped it (exit 3)', async () => {
    const wrong = await traced(
      'wrong',
      ['ls', '//files.test/files', '--user', 'alice', '--password-stdin', '--iakerb', 'always'],
      {
        input: 'not-the-password\n',
        env: { KRB5_CONFIG: '/dev/null', KRB5CCNAME: `FILE:${join(out, 'none.cc')}` },
      },
    );
    expect(wrong.code, wrong.stderr).toBe(3);
    expect(wrong.steps.at(-1)).toMatch(
      /^8 KDC -> S -> C SESSION_SETUP response: IAKerb KRB-ERROR \(KDC_ERR_PREAUTH_FAILED\) /,
    );
    expect(asWire(wrong.steps)).toEqual(wrong.wire);
    expect(asKdcLog(wrong.steps)).toEqual(fromKdcLog(wrong.kdc));
    expect(wrong.stderr).not.toMatch(/\n\s+at /); // the error is a message, not a stack trace
  });

  it('writes a well-formed SVG that headless Chromium renders', async () => {
    const svg = await readFile(svgFile(), 'utf8');
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(svg).toContain('11. SESSION_SETUP request: IAKerb AP-REQ (IAKERB-FINISHED)');
    const chromium = findChromium();
    const dom = await run(chromium, [...headlessArgs, '--dump-dom', `file://${svgFile()}`], {
      timeoutMs: 60_000,
    });
    expect(dom.code, dom.stderr).toBe(0);
    expect(dom.stdout).toContain('<svg');
    expect(dom.stdout).not.toContain('parsererror'); // Chromium's XML parser agrees
    const png = join(out, 'trace.png');
    const shot = await run(
      chromium,
      [...headlessArgs, `--screenshot=${png}`, '--window-size=1200,900', `file://${svgFile()}`],
      { timeoutMs: 60_000, cwd: out },
    );
    expect(shot.code, shot.stderr).toBe(0);
    const image = decodePng(await readFile(png));
    expect([image.width, image.height]).toEqual([1200, 900]);
    expect(image.rgb(2, 2)).toEqual([255, 255, 255]); // the diagram's white background
    const ink = inkCoverage(image);
    expect(ink.dark).toBeGreaterThan(0.005); // text and arrows
    expect(ink.nonWhite).toBeLessThan(0.5); // a diagram, not a page of colour or an error screen
    // The lifeline heads (fill #e0e7ff) are drawn: this is our diagram, not some other page.
    expect(colourShare(image, [0xe0, 0xe7, 0xff])).toBeGreaterThan(0.005);
  });
});
