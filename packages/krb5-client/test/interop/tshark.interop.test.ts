/**
 * Acceptance (issue 3, line 7): tshark 4.0 dissects our AS-REQ/AS-REP and TGS-REQ/TGS-REP
 * exchange with MIT krb5kdc 1.20 without "Malformed Packet" or error/malformed expert items,
 * and, given the keytabs, decrypts what we encrypted (PA-ENC-TIMESTAMP, the authenticator)
 * and what MIT encrypted in our keys (the AS-REP in alice's key, the TGS-REP in our subkey).
 *
 * No capture privileges: the exact bytes the exchanges sent and received (their
 * `messages`) go into a pcapng through text2pcap, each with a UDP header written here
 * (client port 50000 <-> the KDC's port, so replies come from the KDC).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireCommand, run, useMitKdc } from '@postntlm/interop';
import { writeKeytab } from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket } from '../../src/client.js';
import type { KdcExchange } from '../../src/exchange/index.js';
import { kdcConfig, keytab } from './helpers.js';

const kdc = useMitKdc();
const CLIENT_PORT = 50000;
let pcap: string;
let keytabFile: string;

/** One packet as text2pcap reads it: offset, then 16 hex bytes per line. */
function hexdump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = [...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${i.toString(16).padStart(6, '0')} ${row}`);
  }
  return lines.join('\n');
}

/** A UDP datagram (RFC 768) around `payload`; checksum 0 = none (IPv4). */
function udp(source: number, destination: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, source);
  view.setUint16(2, destination);
  view.setUint16(4, out.length);
  out.set(payload, 8);
  return out;
}

beforeAll(async () => {
  requireCommand('text2pcap', 'text2pcap (wireshark-common)');
  requireCommand('tshark', 'tshark');
  const k = kdc();
  const config = await kdcConfig(k);
  const exchanges: KdcExchange[] = [];
  const tgt = await getInitialCredentials({
    client: 'alice',
    config,
    credentials: { password: k.passwords.alice! },
    onExchange: (e) => exchanges.push(e),
  });
  await getServiceTicket({ tgt, server: 'cifs/localhost', config, onExchange: (e) => exchanges.push(e) });
  const packets = exchanges
    .flatMap((e) => e.messages)
    .map((m) =>
      m.direction === 'sent' ? udp(CLIENT_PORT, k.port, m.bytes) : udp(k.port, CLIENT_PORT, m.bytes),
    );
  expect(packets).toHaveLength(6);
  const text = join(k.dir, 'exchange.txt');
  pcap = join(k.dir, 'exchange.pcapng');
  await writeFile(text, `${packets.map(hexdump).join('\n')}\n`);
  const made = await run('text2pcap', ['-q', '-i', '17', '-4', '127.0.0.1,127.0.0.1', text, pcap]);
  expect(made.code, made.stderr).toBe(0);
  // alice's, krbtgt's and the services' keys, in one keytab written by our writer
  keytabFile = join(k.dir, 'all.keytab');
  const entries = [
    ...(await keytab(k.files.aliceKeytab)),
    ...(await keytab(k.files.krbtgtKeytab)),
    ...(await keytab(k.files.serviceKeytab)),
  ];
  await writeFile(keytabFile, writeKeytab(entries));
}, 30_000);

const tshark = (args: readonly string[]) =>
  run('tshark', ['-r', pcap, '-d', `udp.port==${kdc().port},kerberos`, ...args]);

function expectClean(dissection: string): void {
  expect(dissection).not.toContain('Malformed Packet');
  expect(dissection).not.toContain('[Expert Info (Error');
  expect(dissection).not.toContain('(Warning/Malformed)');
  expect(dissection).not.toMatch(/\[Expert Info \(Warning\/Protocol\)/);
}

describe('tshark dissects the exchange', () => {
  it('as AS-REQ, KRB-ERROR, AS-REQ, AS-REP, TGS-REQ, TGS-REP, with nothing malformed', async () => {
    const summary = await tshark([]);
    expect(summary.code, summary.stderr).toBe(0);
    const info = summary.stdout
      .trim()
      .split('\n')
      .map((l) => l.replace(/^.*KRB5 \d+ /, '').trim());
    expect(info).toEqual([
      'AS-REQ',
      'KRB Error: KRB5KDC_ERR_PREAUTH_REQUIRED',
      'AS-REQ',
      'AS-REP',
      'TGS-REQ',
      'TGS-REP',
    ]);

    const verbose = await tshark(['-V']);
    expect(verbose.code, verbose.stderr).toBe(0);
    const v = verbose.stdout;
    for (const type of [
      'krb-as-req (10)',
      'krb-as-rep (11)',
      'krb-tgs-req (12)',
      'krb-tgs-rep (13)',
      'krb-error (30)',
    ]) {
      expect(v).toContain(`msg-type: ${type}`);
    }
    expect(v).toMatch(/^\s+as-req$/m);
    expect(v).toMatch(/^\s+as-rep$/m);
    expect(v).toMatch(/^\s+tgs-req$/m);
    expect(v).toMatch(/^\s+tgs-rep$/m);
    expect(v).toContain('padata-type: pA-ENC-TIMESTAMP (2)');
    expect(v).toContain('padata-type: pA-FX-COOKIE (133)');
    expect(v).toContain('padata-type: pA-TGS-REQ (1)');
    expect(v).toContain('name-type: kRB5-NT-SRV-HST (3)');
    expectClean(v);
    expect(v).not.toContain('[Expert Info (Warning');
  });

  it('and, with the keytabs, decrypts our encryptions and MIT’s replies in our keys', async () => {
    const r = await tshark(['-V', '-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytabFile}`]);
    expect(r.code, r.stderr).toBe(0);
    const v = r.stdout;
    expectClean(v);
    // our PA-ENC-TIMESTAMP (usage 1) in alice's key
    expect(v).toContain('Decrypted keytype 18 usage 1 using keytab principal alice@MIT.TEST');
    expect(v).toMatch(/patimestamp: /);
    // MIT's AS-REP enc-part (usage 3) in alice's key, tagged EncTGSRepPart
    expect(v).toContain('Decrypted keytype 18 usage 3 using keytab principal alice@MIT.TEST');
    // our authenticator (usage 7) in the TGT session key, with the req-body checksum and subkey
    expect(v).toMatch(/Decrypted keytype 18 usage 7 using learnt encTicketPart_key/);
    expect(v).toContain('cksumtype: cKSUMTYPE-HMAC-SHA1-96-AES-256 (16)');
    expect(v).toMatch(/Learnt authenticator_subkey keytype 18/);
    // MIT's TGS-REP enc-part (usage 9) in our subkey; the cifs ticket in the service key
    expect(v).toMatch(/Decrypted keytype 18 usage 9 using learnt authenticator_subkey/);
    expect(v).toContain('Decrypted keytype 18 usage 2 using keytab principal cifs/localhost@MIT.TEST');
  });
});
