/**
 * The real peers: Samba 4.17's standalone smbd (tooling/interop/samba.sh, dedicated keytab)
 * and smbclient `--use-kerberos=required`, with every ticket from our KDC: alice's TGT by
 * MIT kinit, the cifs/samba.mit.test ticket by smbclient itself (Samba's Heimdal), and smbd
 * decrypting it with the service key exported by `lkdc keytab export`. Our KDC is the real
 * `lkdc serve` over a database made with `lkdc setup` and `lkdc principal add`; which
 * requests it saw comes from its audit log.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type SambaServer, type SmbclientKdc, smbclient, startSamba } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSummary, exportKeytab, krbEnv, type OurKdc, show, startOurKdc, tool } from './our-kdc.js';

const ALICE_PASSWORD = 'alice-Passw0rd';
const CIFS = 'cifs/samba.mit.test';

let kdc: OurKdc;
let samba: SambaServer | undefined;
/** Profile naming our KDC (for kinit, smbclient and smbd). */
let conf: string;
let ccache: string;
/** What smbclient needs: the cache and a runner with our profile. */
let client: SmbclientKdc;

beforeAll(async () => {
  kdc = await startOurKdc(
    {
      alice: { password: ALICE_PASSWORD },
      // A standalone smbd refuses tickets with a PAC ("Unexpected PAC ... in standalone mode").
      [CIFS]: { noAuthDataRequired: true },
    },
    'local-kdc-samba-',
  );
  try {
    conf = await kdc.profile('krb5');
    // samba.sh takes the service keys (cifs.keytab) and smbd's profile (krb5.conf) from this directory.
    const sambaKdcDir = join(kdc.dir, 'for-samba');
    await mkdir(sambaKdcDir);
    await exportKeytab(kdc, [CIFS], join(sambaKdcDir, 'cifs.keytab'));
    await writeFile(join(sambaKdcDir, 'krb5.conf'), await readFile(conf));
    samba = await startSamba({ dir: sambaKdcDir, realm: kdc.realm });
  } catch (e) {
    await kdc.stop();
    throw e;
  }
  ccache = join(kdc.dir, 'alice.ccache');
  client = {
    ccache: `FILE:${ccache}`,
    run: (cmd, args, options = {}) =>
      run(cmd, args, { ...options, env: { ...krbEnv(kdc, conf, ccache), ...options.env } }),
  };
}, 30_000);

afterAll(async () => {
  await samba?.stop();
  await kdc?.stop();
});

describe('Samba smbd + smbclient --use-kerberos=required with tickets from our KDC', () => {
  it('kinit alice (MIT), then smbclient lists the share and round-trips a file', async () => {
    const s = samba as SambaServer;
    const k = await tool('kinit', ['alice'], krbEnv(kdc, conf, ccache), `${ALICE_PASSWORD}\n`);
    expect(k.code, show(k)).toBe(0);
    const from = (await kdc.events()).length;

    const payload = `hello from our KDC's realm ${kdc.realm} ${Date.now()}\n`;
    const local = join(kdc.dir, 'upload.txt');
    const back = join(kdc.dir, 'download.txt');
    await writeFile(local, payload);
    const r = await smbclient(client, s, {
      commands: ['ls', `put ${local} from-our-kdc.txt`, `get from-our-kdc.txt ${back}`, 'ls'],
    });
    const events = eventSummary((await kdc.events(from + 1)).slice(from));
    const why = `${show(r)}\nour KDC:\n${events.join('\n')}`;
    expect(r.code, why).toBe(0);
    expect(r.stdout, why).toMatch(/^ {2}hello\.txt +[A-Z]+ +35 /m);
    expect(r.stdout, why).toMatch(new RegExp(`^ {2}from-our-kdc\\.txt +[A-Z]+ +${payload.length} `, 'm'));
    expect(r.stderr, why).toMatch(/putting file .*upload\.txt as \\from-our-kdc\.txt/);
    expect(r.stderr, why).toMatch(/getting file \\from-our-kdc\.txt of size \d+ as .*download\.txt/);
    expect(await readFile(back, 'utf8')).toBe(payload);
    expect(await readFile(join(s.shareDir, 'from-our-kdc.txt'), 'utf8')).toBe(payload);

    // smbclient asked our KDC for the cifs ticket (the TGT came from kinit before).
    expect(events, why).toContain(`tgs_req ISSUE udp alice@${kdc.realm} -> ${CIFS}@${kdc.realm}`);
    expect(
      events.filter((e) => e.startsWith('as_req')),
      why,
    ).toEqual([]);
    const l = await tool('klist', ['-e'], krbEnv(kdc, conf, ccache));
    expect(l.stdout, show(l)).toContain(`${CIFS}@${kdc.realm}`);

    // smbd authenticated alice of our realm with Kerberos, from a ticket without a PAC.
    const log = (
      await Promise.all(
        (await readdir(s.logDir)).map((f) => readFile(join(s.logDir, f), 'utf8').catch(() => '')),
      )
    ).join('\n');
    expect(log).toContain(`Kerberos ticket principal name is [alice@${kdc.realm}]`);
    expect(log).toContain('Ticket has no authorization data');
    console.log(`smbclient:\n${r.stdout}${r.stderr}our KDC:\n${events.join('\n')}\n${l.stdout}`);
  }, 30_000);
});
