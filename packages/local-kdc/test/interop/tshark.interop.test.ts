/**
 * tshark 4.0 dissects what our KDC sends (KRB-ERROR PREAUTH_REQUIRED with its METHOD-DATA,
 * AS-REP, TGS-REP) without "Malformed Packet" or error expert items and, given a keytab of
 * the store's keys, decrypts the tickets and enc-parts we made. The exact bytes of an
 * in-process exchange (our client ↔ our engine) are written into a pcapng with text2pcap,
 * each in a UDP header (client port 50000 ↔ KDC port 88).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCommand, tsharkMalformations, tsharkRead, writeUdpPcap } from '@postntlm/interop';
import {
  createAsExchange,
  createTgsExchange,
  fixedClock,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { type KeytabEntry, parsePrincipal, writeKeytab } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStore, PASSWORDS, REALM, sender, T0, testKdc } from '../helpers.js';

let dir: string;
let pcap: string;
let keytabFile: string;

beforeAll(async () => {
  requireCommand('text2pcap', 'text2pcap (wireshark-common)');
  requireCommand('tshark', 'tshark');
  dir = await mkdtemp(join(tmpdir(), 'local-kdc-tshark-'));
  const { kdc } = await testKdc();
  const as = createAsExchange({
    client: `alice@${REALM}`,
    credentials: { password: PASSWORDS.alice },
    options: { etypes: [18], forwardable: true, renewable: true },
    clock: fixedClock(T0),
    random: seededRandom(1),
  });
  const tgt = await runExchange(as, sender(kdc));
  const tgs = createTgsExchange({
    tgt,
    server: 'cifs/host.test',
    clock: fixedClock(T0),
    random: seededRandom(2),
  });
  await runExchange(tgs, sender(kdc));
  const messages = [...as.messages, ...tgs.messages].map((m) =>
    m.direction === 'sent'
      ? { sourcePort: 50000, destinationPort: 88, bytes: m.bytes }
      : { sourcePort: 88, destinationPort: 50000, bytes: m.bytes },
  );
  expect(messages).toHaveLength(6);
  pcap = await writeUdpPcap(dir, 'exchange', messages);
  const store = await buildStore();
  const entries: KeytabEntry[] = [];
  for (const name of ['alice', `krbtgt/${REALM}`, 'cifs/host.test']) {
    const entry = await store.get(parsePrincipal(name, { defaultRealm: REALM }));
    for (const k of entry?.keys ?? []) {
      entries.push({
        principal: entry?.principal ?? parsePrincipal(name, { defaultRealm: REALM }),
        timestamp: new Date(Math.floor(T0 / 1000) * 1000),
        kvno: k.kvno,
        key: { enctype: k.key.enctype, bytes: k.key.bytes },
      });
    }
  }
  keytabFile = join(dir, 'all.keytab');
  await writeFile(keytabFile, writeKeytab(entries));
}, 30_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const tshark = (args: readonly string[]) => tsharkRead(pcap, args);

function expectClean(v: string): void {
  expect(v).toContain('Kerberos');
  expect(tsharkMalformations(v)).toEqual([]);
}

describe('tshark dissects our KDC’s replies', () => {
  it('AS-REQ, KRB Error PREAUTH_REQUIRED, AS-REQ, AS-REP, TGS-REQ, TGS-REP, nothing malformed', async () => {
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
    expectClean(v);
    expect(v).toContain('padata-type: pA-ETYPE-INFO2 (19)');
    expect(v).toContain('padata-type: pA-FX-COOKIE (133)');
    expect(v).toContain('e-text: NEEDED_PREAUTH');
    expect(v).not.toContain('[Expert Info (Warning');
  });

  it('decrypts the AS-REP (usage 3), the TGT (usage 2), the TGS-REP (usage 9) with the store’s keys', async () => {
    const r = await tshark(['-V', '-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytabFile}`]);
    expect(r.code, r.stderr).toBe(0);
    const v = r.stdout;
    expectClean(v);
    expect(v).toContain(`Decrypted keytype 18 usage 3 using keytab principal alice@${REALM}`);
    expect(v).toContain(`Decrypted keytype 20 usage 2 using keytab principal krbtgt/${REALM}@${REALM}`);
    expect(v).toMatch(/encASRepPart/i);
    expect(v).toMatch(/Decrypted keytype \d+ usage 2 using keytab principal cifs\/host\.test@/);
  });
});
