/**
 * `postntlm-smb --trace` against a server that is not ours: Samba 4.17 with an MIT KDC
 * (tooling/interop), plain Kerberos from an MIT `kinit` ccache. The trace shows only what
 * happened — NEGOTIATE, AP-REQ, AP-REP (and any extra SPNEGO leg Samba asks for) — with no
 * IAKerb and no KDC hop; its lines match a tshark capture of Samba's port message for message
 * (direction, command, size), and the service ticket it used came from the KDC directly
 * (MIT's log has the TGS request for cifs/, the trace has no KDC line).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kinit, run, startLoopbackCapture, useMitKdc, useSamba } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smb } from './cli.js';

const kdc = useMitKdc();
const samba = useSamba(kdc);

describe('postntlm-smb --trace against Samba (plain Kerberos)', () => {
  let dir: string;
  let steps: string[];
  let wire: string[];
  let kdcLogAdded: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smb-trace-samba-'));
    const cc = `FILE:${join(dir, 'mit.cc')}`;
    const k = await kinit(kdc(), `alice@${kdc().realm}`, kdc().passwords.alice as string, { ccache: cc });
    expect(k.code, k.stderr).toBe(0);
    const logBefore = (await readFile(kdc().files.log, 'utf8')).length;
    const pcap = join(dir, 'samba.pcap');
    const capture = await startLoopbackCapture(pcap, samba().port);
    let r: Awaited<ReturnType<typeof smb>>;
    try {
      r = await smb(
        [
          'ls',
          `//${samba().serverName}/share`,
          ...['--address', samba().host, '--port', String(samba().port), '--iakerb', 'never', '--trace'],
        ],
        { env: { KRB5_CONFIG: kdc().files.krb5Conf, KRB5CCNAME: cc } },
      );
    } finally {
      await capture.stop();
    }
    expect(r.code, r.stderr).toBe(0);
    steps = r.stderr
      .split('\n')
      .filter((l) => /^\s*\d+\s+(C|S|KDC) ->/.test(l))
      .map((l) => l.replace(/\s+/g, ' ').trim());
    const t = await run(
      'tshark',
      [
        ...['-r', pcap, '-d', `tcp.port==${samba().port},nbss`, '-Y', 'smb2.cmd <= 1'],
        ...[
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
      ],
      { timeoutMs: 60_000 },
    );
    expect(t.code, t.stderr).toBe(0);
    wire = t.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [cmd, response, length] = l.trim().split(',');
        return `${/^(True|1)$/.test(response ?? '') ? 'S->C' : 'C->S'} ${cmd === '0' ? 'NEGOTIATE' : 'SESSION_SETUP'} ${length}`;
      });
    kdcLogAdded = (await readFile(kdc().files.log, 'utf8')).slice(logBefore);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('NEGOTIATE, then Kerberos AP-REQ and AP-REP: no IAKerb, no KDC hop', () => {
    expect(steps[0]).toMatch(/^1 C -> S NEGOTIATE request \d+ \+0\.0$/);
    expect(steps[1]).toMatch(/^2 S -> C NEGOTIATE response: SPNEGO hint: .*KRB5.* SUCCESS \d+ /);
    expect(steps[2]).toMatch(/^3 C -> S SESSION_SETUP request: (MS-)?KRB5 AP-REQ \d+ /);
    expect(steps[3]).toMatch(/^4 S -> C SESSION_SETUP response: (MS-)?KRB5 AP-REP SUCCESS \d+ /);
    expect(steps).toHaveLength(4); // Samba 4.17 completes in one leg: no extra SPNEGO round
    expect(steps.join('\n')).not.toMatch(/IAKerb|KDC|IAKERB-FINISHED/);
  });

  it('every line is a message tshark saw on Samba’s port: direction, command and size', () => {
    const fromTrace = steps.map((l) => {
      const m = /^\d+ (C|S) -> .*?(NEGOTIATE|SESSION_SETUP) .* (\d+) \+[\d.]+$/.exec(l);
      if (m === null) throw new Error(`not a trace line: ${l}`);
      return `${m[1] === 'C' ? 'C->S' : 'S->C'} ${m[2]} ${m[3]}`;
    });
    expect(fromTrace).toEqual(wire);
    expect(wire.filter((m) => m.startsWith('C->S SESSION_SETUP')).length).toBeGreaterThanOrEqual(1);
  });

  it('the service ticket came from the KDC directly (MIT logged the TGS request)', () => {
    expect(kdcLogAdded).toMatch(/TGS_REQ .*cifs\//);
  });
});
