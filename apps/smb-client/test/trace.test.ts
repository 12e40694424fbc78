/**
 * The trace's renderers without a server: steps numbered as they happened (the classic
 * 12-step IAKerb table when every step happens, fewer or more when not), aligned text
 * columns, and an SVG that is well-formed XML, escaped, and sized to what it draws.
 */
import { findFreePort } from '@postntlm/interop';
import type { SmbAuthTokenInfo, SmbAuthTraceEvent } from '@postntlm/smb2-client';
import { describe, expect, it } from 'vitest';
import { createAuthTrace, renderSvg, renderText, toSteps } from '../src/trace/index.js';
import { smb } from './cli.js';
import { allElements, parseXml, type XmlElement } from './trace-xml.js';

const REALM = 'LOCALKDC.EXAMPLE';
let clock = 0;
const at = () => (clock += 1.25);

const send = (command: SmbAuthTraceEvent['command'], bytes: number, token?: SmbAuthTokenInfo) =>
  ({ direction: 'send', command, bytes, ...(token === undefined ? {} : { token }), timeMs: at() }) as const;
const receive = (
  command: SmbAuthTraceEvent['command'],
  bytes: number,
  status: string,
  token?: SmbAuthTokenInfo,
) =>
  ({
    direction: 'receive',
    command,
    bytes,
    status,
    ...(token === undefined ? {} : { token }),
    timeMs: at(),
  }) as const;
const proxy = (kerberos: string, targetRealm = REALM): SmbAuthTokenInfo => ({
  spnego: 'NegTokenResp',
  mechs: [],
  kind: 'iakerb-proxy',
  gssMech: 'IAKERB',
  targetRealm,
  kerberos,
});
const hint: SmbAuthTokenInfo = { spnego: 'NegTokenInit2', mechs: ['MS-KRB5', 'KRB5', 'IAKERB'] };
const MORE = 'STATUS_MORE_PROCESSING_REQUIRED';

/** What smb2-client reports for a logon with realm discovery and pre-authentication. */
function iakerbLogon(): SmbAuthTraceEvent[] {
  return [
    send('NEGOTIATE', 232),
    receive('NEGOTIATE', 310, 'STATUS_SUCCESS', hint),
    send('SESSION_SETUP', 130, {
      ...proxy('realm discovery', ''),
      spnego: 'NegTokenInit',
      mechs: ['IAKERB'],
    }),
    receive('SESSION_SETUP', 120, MORE, proxy('realm discovery')),
    send('SESSION_SETUP', 330, proxy('AS-REQ')),
    receive('SESSION_SETUP', 260, MORE, proxy('KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED)')),
    send('SESSION_SETUP', 420, proxy('AS-REQ (PA-ENC-TIMESTAMP)')),
    receive('SESSION_SETUP', 760, MORE, proxy('AS-REP')),
    send('SESSION_SETUP', 900, proxy('TGS-REQ')),
    receive('SESSION_SETUP', 820, MORE, proxy('TGS-REP')),
    send('SESSION_SETUP', 1010, {
      spnego: 'NegTokenResp',
      mechs: [],
      kind: 'ap-req',
      gssMech: 'IAKERB',
      kerberos: 'AP-REQ',
    }),
    receive('SESSION_SETUP', 250, 'STATUS_SUCCESS', {
      spnego: 'NegTokenResp',
      mechs: ['IAKERB'],
      negState: 'accept-completed',
      kind: 'ap-rep',
      gssMech: 'IAKERB',
      kerberos: 'AP-REP',
    }),
  ];
}

/** Plain Kerberos with a ticket from the client's own KDC: no IAKerb leg at all. */
function krb5Logon(): SmbAuthTraceEvent[] {
  return [
    send('NEGOTIATE', 232),
    receive('NEGOTIATE', 310, 'STATUS_SUCCESS', hint),
    send('SESSION_SETUP', 1200, {
      spnego: 'NegTokenInit',
      mechs: ['MS-KRB5', 'KRB5'],
      kind: 'ap-req',
      gssMech: 'KRB5',
      kerberos: 'AP-REQ',
    }),
    receive('SESSION_SETUP', 260, 'STATUS_SUCCESS', {
      spnego: 'NegTokenResp',
      mechs: ['MS-KRB5'],
      negState: 'accept-completed',
      kind: 'ap-rep',
      gssMech: 'KRB5',
      kerberos: 'AP-REP',
    }),
  ];
}

const number = (v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${v}`);
  return n;
};

/** The SVG parsed, with its declared size, checked to match its viewBox. */
function parsedSvg(svg: string): { root: XmlElement; width: number; height: number } {
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  const width = number(root.attrs.width);
  const height = number(root.attrs.height);
  expect(root.attrs.viewBox).toBe(`0 0 ${width} ${height}`);
  return { root, width, height };
}

describe('trace steps', () => {
  it('numbers the IAKerb logon like the classic 12-step table', () => {
    const lines = renderText(toSteps(iakerbLogon()), 'files.test');
    const body = lines.slice(2).map((l) => l.replace(/\s+/g, ' ').trim());
    expect(body.map((l) => l.replace(/ \d+ \+[\d.]+$/, ''))).toEqual([
      '1 C -> S NEGOTIATE request',
      '2 S -> C NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB SUCCESS',
      '3 C -> S SESSION_SETUP request: IAKerb realm discovery (empty realm)',
      `4 S -> C SESSION_SETUP response: IAKerb realm discovery: ${REALM} MORE_PROCESSING_REQUIRED`,
      '5 C -> S -> KDC SESSION_SETUP request: IAKerb AS-REQ',
      '6 KDC -> S -> C SESSION_SETUP response: IAKerb KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED) MORE_PROCESSING_REQUIRED',
      '7 C -> S -> KDC SESSION_SETUP request: IAKerb AS-REQ (PA-ENC-TIMESTAMP)',
      '8 KDC -> S -> C SESSION_SETUP response: IAKerb AS-REP MORE_PROCESSING_REQUIRED',
      '9 C -> S -> KDC SESSION_SETUP request: IAKerb TGS-REQ',
      '10 KDC -> S -> C SESSION_SETUP response: IAKerb TGS-REP MORE_PROCESSING_REQUIRED',
      '11 C -> S SESSION_SETUP request: IAKerb AP-REQ (IAKERB-FINISHED)',
      '12 S -> C SESSION_SETUP response: IAKerb AP-REP SUCCESS',
    ]);
    expect(body[10]).toMatch(/ 1010 \+12\.5$/); // bytes, then ms since the first message
  });

  it('plain Kerberos is NEGOTIATE, AP-REQ, AP-REP: no FINISHED, no KDC hop', () => {
    const steps = toSteps(krb5Logon());
    expect(steps.map((s) => `${s.n} ${s.path.join('>')} ${s.message}`)).toEqual([
      '1 client>server NEGOTIATE request',
      '2 server>client NEGOTIATE response: SPNEGO hint: MS-KRB5, KRB5, IAKERB',
      '3 client>server SESSION_SETUP request: KRB5 AP-REQ',
      '4 server>client SESSION_SETUP response: KRB5 AP-REP',
    ]);
  });

  it('shows extra legs (a second pre-auth round) and the proxy’s own errors without a KDC hop', () => {
    const events = iakerbLogon();
    const retry = [
      send('SESSION_SETUP', 420, proxy('AS-REQ (PA-ENC-TIMESTAMP)')),
      receive('SESSION_SETUP', 260, MORE, proxy('KRB-ERROR (KDC_ERR_PREAUTH_FAILED)')),
    ];
    const steps = toSteps([...events.slice(0, 8), ...retry, ...events.slice(8)]);
    expect(steps).toHaveLength(14);
    expect(steps[8]?.message).toMatch(/PA-ENC-TIMESTAMP/);
    expect(steps[9]?.message).toMatch(/KDC_ERR_PREAUTH_FAILED/);
    expect(steps[13]?.n).toBe(14);
    const noKdc = toSteps([
      send('SESSION_SETUP', 330, proxy('AS-REQ', 'ELSEWHERE.TEST')),
      receive(
        'SESSION_SETUP',
        200,
        MORE,
        proxy('KRB-ERROR (KRB_AP_ERR_IAKERB_KDC_NOT_FOUND)', 'ELSEWHERE.TEST'),
      ),
    ]);
    expect(noKdc.map((s) => s.path.join('>'))).toEqual(['client>server>kdc', 'server>client']);
  });

  it('a new NEGOTIATE (reconnect) starts over: its AP-REQ is plain again', () => {
    const steps = toSteps([...iakerbLogon(), ...krb5Logon()]);
    expect(steps.map((s) => s.message).filter((m) => m.includes('AP-REQ'))).toEqual([
      'SESSION_SETUP request: IAKerb AP-REQ (IAKERB-FINISHED)',
      'SESSION_SETUP request: KRB5 AP-REQ',
    ]);
  });
});

describe('trace text', () => {
  it('aligns its columns: step right, flow and message left, bytes right', () => {
    const lines = renderText(toSteps(iakerbLogon()), 'files.test');
    expect(lines[0]).toMatch(/^trace: authentication with files\.test /);
    const rows = lines.slice(1);
    const column = (re: RegExp) => new Set(rows.map((r) => r.search(re)));
    expect(column(/(C|S|KDC|flow) /)).toEqual(new Set([4])); // after the step column
    // The bytes column ends at the same place on every line, just before the time.
    expect(new Set(rows.map((r) => r.lastIndexOf('  ')))).toHaveProperty('size', 1);
    expect(rows[0]).toMatch(/^ +# +flow +message +status +bytes +ms$/);
  });

  it('says when there was nothing to trace', () => {
    expect(renderText([], 'files.test')).toEqual(['trace: no authentication messages with files.test']);
  });
});

describe('trace SVG', () => {
  it('is checked by a parser that rejects what is not well-formed', () => {
    for (const bad of [
      '<a><b></a>',
      '<a x=1/>',
      '<a>&</a>',
      '<a>1 < 2</a>',
      '<a/><b/>',
      '<a>',
      '<a x="&nbsp;"/>',
      'text<a/>',
      '<a x="1" x="2"/>',
    ])
      expect(() => parseXml(bad), bad).toThrow();
    expect(parseXml('<a x="&lt;&#65;&#x42;"> t&amp; <b/></a>')).toMatchObject({
      attrs: { x: '<AB' },
      text: ' t& ',
    });
  });

  it('is well-formed XML with one arrow per hop and a label per step', () => {
    const { root } = parsedSvg(renderSvg(toSteps(iakerbLogon()), 'files.test'));
    const elements = allElements(root);
    // 4 direct messages + realm discovery twice = 6 single hops; 6 proxied messages of 2 hops.
    expect(elements.filter((e) => e.name === 'polygon')).toHaveLength(6 + 2 * 6);
    const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
    for (let n = 1; n <= 12; n++) expect(texts.some((t) => t.startsWith(`${n}. `))).toBe(true);
    expect(texts).toContain('11. SESSION_SETUP request: IAKerb AP-REQ (IAKERB-FINISHED)');
    expect(texts).toContain('1010 bytes, +12.5 ms');
    expect(texts).toContain('KDC (via the server)');
  });

  it('escapes what it did not write itself', () => {
    const hostile = `a<b&c"d]]></svg><script>x</script>`;
    const svg = renderSvg(toSteps(krb5Logon()), hostile);
    const { root } = parsedSvg(svg);
    expect(allElements(root).some((e) => e.name === 'script')).toBe(false);
    expect(root.children.find((e) => e.name === 'title')?.text).toBe(`Authentication with ${hostile}`);
  });

  it('draws the KDC lifeline only when the server proxied to one, and sizes the view to the content', () => {
    const krb5 = parsedSvg(renderSvg(toSteps(krb5Logon()), 'files.test'));
    const iakerb = parsedSvg(renderSvg(toSteps(iakerbLogon()), 'files.test'));
    const lifelines = (root: XmlElement) =>
      allElements(root).filter((e) => e.name === 'line' && e.attrs['stroke-dasharray'] === '4 4');
    expect(lifelines(krb5.root)).toHaveLength(2);
    expect(lifelines(iakerb.root)).toHaveLength(3);
    expect(krb5.width).toBeLessThan(iakerb.width);
    expect(iakerb.height - krb5.height).toBe(8 * 56); // one row per step
    const long = parsedSvg(renderSvg(toSteps(krb5Logon()), `very-long-host-name-${'x'.repeat(120)}.test`));
    expect(long.width).toBeGreaterThan(krb5.width);
    for (const { root, width, height } of [krb5, iakerb, long]) {
      for (const e of allElements(root)) {
        for (const key of ['x', 'x1', 'x2'] as const) {
          if (e.attrs[key] !== undefined) expect(number(e.attrs[key])).toBeGreaterThanOrEqual(0);
          if (e.attrs[key] !== undefined) expect(number(e.attrs[key])).toBeLessThanOrEqual(width);
        }
        for (const key of ['y', 'y1', 'y2'] as const)
          if (e.attrs[key] !== undefined) expect(number(e.attrs[key])).toBeLessThanOrEqual(height);
        // Centred text fits: its estimated half-width on either side stays in the view.
        if (e.name === 'text' && e.attrs['text-anchor'] === 'middle') {
          const half = (e.text.length * number(e.attrs['font-size']) * 0.6) / 2;
          expect(number(e.attrs.x) - half).toBeGreaterThanOrEqual(0);
          expect(number(e.attrs.x) + half).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it('createAuthTrace collects what the client reports and renders both forms', () => {
    const trace = createAuthTrace({ server: 'files.test' });
    for (const e of krb5Logon()) trace.clientOptions.onAuthTrace?.(e);
    expect(trace.events).toHaveLength(4);
    expect(trace.lines()).toHaveLength(2 + 4);
    expect(() => parseXml(trace.svg())).not.toThrow();
    expect(() => parseXml(renderSvg([], 'files.test'))).not.toThrow();
  });
});

describe('--trace on the command line', () => {
  it('a failed connection keeps its own error and exit code when the SVG cannot be written', async () => {
    const closed = await findFreePort();
    const r = await smb(
      [
        'ls',
        '//files.test/files',
        ...['--address', '127.0.0.1', '--port', String(closed)],
        ...['--user', 'alice@R.TEST', '--password-stdin', '--trace', '--trace-svg', '/nonexistent-dir/t.svg'],
      ],
      { input: 'pw\n', env: { KRB5_CONFIG: '/dev/null' } },
    );
    expect(r.code, r.stderr).toBe(6); // cannot connect, not "file not found"
    expect(r.stderr).toContain('trace: no authentication messages with files.test');
    expect(r.stderr).toMatch(/--trace-svg \/nonexistent-dir\/t\.svg: ENOENT/);
    expect(r.stderr).toMatch(/cannot connect to 127\.0\.0\.1/);
  });
});
