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
import { requireCommand, tsharkMalformations, tsharkRead, useMitKdc, writeUdpPcap } from '@postntlm/interop';
import { writeKeytab } from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket } from '../../src/client.js';
import type { KdcExchange } from '../../src/exchange/index.js';
import { kdcConfig, keytab } from './helpers.js';

const kdc = useMitKdc();
const CLIENT_PORT = 50000;
let pcap: string;
let keytabFile: string;

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
  const messages = exchanges
    .flatMap((e) => e.messages)
    .map((m) =>
      m.direction === 'sent'
        ? { sourcePort: CLIENT_PORT, destinationPort: k.port, bytes: m.bytes }
        : { sourcePort: k.port, destinationPort: CLIENT_PORT, bytes: m.bytes },
    );
  expect(messages).toHaveLength(6);
  pcap = await writeUdpPcap(k.dir, 'exchange', messages);
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
  tsharkRead(pcap, ['-d', `udp.port==${kdc().port},kerberos`, ...args]);

function expectClean(dissection: string): void {
  expect(dissection).toContain('Kerberos');
  expect(tsharkMalformations(dissection)).toEqual([]);
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
