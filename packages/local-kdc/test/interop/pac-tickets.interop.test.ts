/**
 * The real peers accept tickets with the MS-PAC our KDC puts in them (`lkdc serve --pac`):
 * MIT krb5 1.20's kinit and kvno get alice's TGT and a host/localhost ticket, and MIT's
 * gss-server (the keytab from `lkdc keytab export`) accepts gss-client -krb5 with that
 * cache — MIT 1.20's acceptor checks the server signature of a PAC it finds in the ticket.
 * That the PAC really was there comes from the cache: both tickets decrypted with the
 * exported keys (service and krbtgt) and their PACs verified (server, KDC and ticket
 * signatures).
 *
 * The documented negative: Samba 4.17's standalone smbd refuses a cifs ticket WITH a PAC
 * ("Unexpected PAC ... in standalone mode"), the reason the PAC is off by default and
 * `lkdc principal add --no-auth-data-required` exists (see samba.interop.test.ts).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exitWithin,
  findFreePort,
  gssClientArgs,
  requireCommand,
  run,
  type SambaServer,
  smbclient,
  spawnDaemon,
  startSamba,
  waitForListen,
} from '@postntlm/interop';
import { decrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import {
  type Credential,
  decode,
  type KeytabEntry,
  RawTicket,
  readCcache,
  readKeytab,
} from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pac, verifyTicketPac } from '../../src/pac/index.js';
import { eventSummary, exportKeytab, krbEnv, type OurKdc, show, startOurKdc, tool } from './our-kdc.js';

const ALICE_PASSWORD = 'alice-Passw0rd';
const HOST = 'host/localhost';
const CIFS = 'cifs/samba.mit.test';

let kdc: OurKdc;
let conf: string;
let ccache: string;
let env: Record<string, string>;
let hostKeytab: string;
let krbtgtKeytab: string;

beforeAll(async () => {
  requireCommand('gss-server', 'MIT gss-server (krb5-gss-samples)');
  requireCommand('gss-client', 'MIT gss-client (krb5-gss-samples)');
  kdc = await startOurKdc(
    // No --no-auth-data-required anywhere: every ticket carries a PAC.
    { alice: { password: ALICE_PASSWORD }, [HOST]: {}, [CIFS]: {} },
    'local-kdc-pac-',
    'kdc.test',
    { pac: true },
  );
  conf = await kdc.profile('krb5');
  ccache = join(kdc.dir, 'alice.ccache');
  env = krbEnv(kdc, conf, ccache);
  hostKeytab = await exportKeytab(kdc, [HOST], join(kdc.dir, 'host.keytab'));
  krbtgtKeytab = await exportKeytab(kdc, [`krbtgt/${kdc.realm}`], join(kdc.dir, 'krbtgt.keytab'));
}, 20_000);

afterAll(async () => {
  await kdc?.stop();
});

const name = (c: Credential['server']): string => c.name.nameString.join('/');

/** The keytab key that encrypts `ticket` (same enctype and kvno). */
async function keyFor(keytab: string, ticket: RawTicket): Promise<Key> {
  const entries: KeytabEntry[] = readKeytab(new Uint8Array(await readFile(keytab)));
  const { etype, kvno } = ticket.value.encPart;
  const e = entries.find((x) => x.key.enctype === etype && (kvno === undefined || x.kvno === kvno));
  if (e === undefined) throw new Error(`${keytab} has no key for enctype ${etype} kvno ${kvno}`);
  return e.key;
}

/** Decrypts the cache's ticket for `server` with `serverKeytab` and verifies its PAC. */
async function pacOf(
  credentials: readonly Credential[],
  server: string,
  serverKeytab: string,
  requireTicketSignatures: boolean,
): Promise<{ pac: Pac; enctype: number }> {
  const c = credentials.find((x) => name(x.server) === server);
  if (c === undefined) throw new Error(`no ${server} ticket in ${credentials.map((x) => name(x.server))}`);
  const ticket = decode(RawTicket, c.ticket);
  const serverKey = await keyFor(serverKeytab, ticket);
  const encTicketPart = decrypt(serverKey, KeyUsage.KDC_REP_TICKET, ticket.value.encPart.cipher);
  // The KDC signature is made with the krbtgt key of the enctype the TGT is encrypted in.
  const tgt = credentials.find((x) => name(x.server) === `krbtgt/${kdc.realm}`);
  if (tgt === undefined) throw new Error('no TGT in the cache');
  const kdcKey = await keyFor(krbtgtKeytab, decode(RawTicket, tgt.ticket));
  const pac = verifyTicketPac(encTicketPart, {
    server: serverKey,
    kdc: kdcKey,
    requireTicketSignatures,
    client: { name: 'alice', authtime: c.authtime },
  });
  return { pac, enctype: ticket.value.encPart.etype };
}

describe('tickets with a PAC from `lkdc serve --pac`', () => {
  it('MIT kinit + kvno, gss-server accepts gss-client -krb5; the cached tickets carry verifying PACs', async () => {
    const from = (await kdc.events()).length;
    const k = await tool('kinit', ['alice'], env, `${ALICE_PASSWORD}\n`);
    expect(k.code, show(k)).toBe(0);
    const v = await tool('kvno', [HOST], env);
    expect(v.code, show(v)).toBe(0);
    expect(v.stdout, show(v)).toContain(`${HOST}@${kdc.realm}: kvno = `);

    // gss-server -once with the exported keytab; gss-client -krb5 uses the cache (no -user).
    const port = await findFreePort();
    const serverTrace = join(kdc.dir, 'gss-server.trace');
    const server = spawnDaemon(
      'gss-server',
      ['-port', String(port), '-once', '-keytab', hostKeytab, 'host@localhost'],
      krbEnv(kdc, conf, join(kdc.dir, 'server.ccache'), serverTrace),
    );
    let client: Awaited<ReturnType<typeof tool>>;
    let serverCode: number | string;
    try {
      await waitForListen(port, server);
      client = await tool(
        'gss-client',
        gssClientArgs({ port, mech: '-krb5', service: 'host@localhost', message: 'hello PAC' }),
        env,
      );
      if (client.code !== 0) await server.stop();
      serverCode = await exitWithin(server, 5000);
    } finally {
      await server.stop();
    }
    const events = eventSummary((await kdc.events(from + 3)).slice(from));
    const why = `client ${show(client)}\nserver exit ${serverCode}\nserver stdout: ${server.stdout()}\nserver stderr: ${server.stderr()}\nour KDC:\n${events.join('\n')}`;
    expect(client.code, why).toBe(0);
    expect(client.stdout, why).toContain('Signature verified.');
    expect(serverCode, why).toBe(0);
    expect(server.stdout(), why).toContain(`Accepted connection: "alice@${kdc.realm}"`);
    expect(server.stdout(), why).toContain('hello PAC');
    // gss-server lists the client name's attributes: MIT's acceptor found the PAC and
    // "Authenticated" it (its server signature verified with the keytab key).
    for (const a of ['logon-info', 'client-info', 'upn-dns-info', 'server-checksum', 'privsvr-checksum']) {
      expect(server.stdout(), why).toContain(`Attribute urn:mspac:${a} Authenticated Complete`);
    }
    // kinit's AS exchange and kvno's TGS; gss-client found the ticket in the cache. The
    // TGS-REQ carries the TGT, which the PAC makes larger than MIT's udp_preference_limit
    // (1465 bytes): it goes over TCP (without a PAC it fits in UDP, gss-sample.interop.test.ts).
    expect(events, why).toEqual([
      `as_req NEEDED_PREAUTH udp alice@${kdc.realm} -> krbtgt/${kdc.realm}@${kdc.realm}`,
      `as_req ISSUE udp alice@${kdc.realm} -> krbtgt/${kdc.realm}@${kdc.realm}`,
      `tgs_req ISSUE tcp alice@${kdc.realm} -> ${HOST}@${kdc.realm}`,
    ]);

    // The PACs MIT's acceptor got: decrypted from the cache and verified with our keys.
    const { credentials } = readCcache(new Uint8Array(await readFile(ccache)));
    const service = await pacOf(credentials, HOST, hostKeytab, true);
    const tgt = await pacOf(credentials, `krbtgt/${kdc.realm}`, krbtgtKeytab, false);
    for (const { pac } of [service, tgt]) {
      expect(pac.logonInfo?.effectiveName).toBe('alice');
      expect(pac.clientInfo?.name).toBe('alice');
      expect(pac.serverSignature).toBeDefined();
      expect(pac.kdcSignature).toBeDefined();
    }
    expect(service.pac.ticketSignature).toBeDefined();
    expect(service.pac.logonInfo?.userId).toBe(tgt.pac.logonInfo?.userId);
    console.log(
      `PAC tickets: ${v.stdout.trim()}\n${client.stdout}${server.stdout()}service ticket enctype ${service.enctype}, PAC buffers ${service.pac.buffers.map((b) => b.type).join(',')}\nour KDC:\n${events.join('\n')}`,
    );
  }, 20_000);

  it('documented negative: a standalone smbd refuses the cifs ticket WITH a PAC', async () => {
    // kinit again (own cache) so this test stands alone.
    const cifsCache = join(kdc.dir, 'alice-cifs.ccache');
    const cifsEnv = krbEnv(kdc, conf, cifsCache);
    const k = await tool('kinit', ['alice'], cifsEnv, `${ALICE_PASSWORD}\n`);
    expect(k.code, show(k)).toBe(0);
    const sambaKdcDir = join(kdc.dir, 'for-samba');
    await mkdir(sambaKdcDir);
    await exportKeytab(kdc, [CIFS], join(sambaKdcDir, 'cifs.keytab'));
    await writeFile(join(sambaKdcDir, 'krb5.conf'), await readFile(conf));
    let samba: SambaServer | undefined;
    try {
      samba = await startSamba({ dir: sambaKdcDir, realm: kdc.realm });
      const from = (await kdc.events()).length;
      const r = await smbclient(
        {
          ccache: `FILE:${cifsCache}`,
          run: (cmd, args, options = {}) =>
            run(cmd, args, { ...options, env: { ...cifsEnv, ...options.env } }),
        },
        samba,
        { commands: ['ls'] },
      );
      const events = eventSummary((await kdc.events(from + 1)).slice(from));
      const logDir = samba.logDir;
      const log = (
        await Promise.all(
          (await readdir(logDir)).map((f) => readFile(join(logDir, f), 'utf8').catch(() => '')),
        )
      ).join('\n');
      const why = `${show(r)}\nour KDC:\n${events.join('\n')}`;
      // Our KDC issued the cifs ticket (with a PAC); smbd refused it.
      expect(events, why).toEqual([`tgs_req ISSUE tcp alice@${kdc.realm} -> ${CIFS}@${kdc.realm}`]);
      expect(r.code, why).not.toBe(0);
      expect(r.stdout, why).toContain('session setup failed: NT_STATUS_BAD_TOKEN_TYPE');
      const unexpected = log
        .split('\n')
        .find((l) => l.includes(`Unexpected PAC for [alice@${kdc.realm}] in standalone mode`));
      expect(unexpected, `${why}\nsmbd log:\n${log}`).toBeDefined();
      console.log(`smbclient with a PAC ticket:\n${show(r)}\nsmbd: ${unexpected?.trim()}`);
    } finally {
      await samba?.stop();
    }
  }, 25_000);
});
