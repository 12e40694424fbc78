/**
 * The real peer: MIT krb5 1.20's kinit, klist and kvno against our KDC engine behind the
 * minimal TCP/UDP listener on 127.0.0.1, with a krb5.conf written here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, run } from '@postntlm/interop';
import { cryptoRandom } from '@postntlm/krb5-client';
import { type KeytabEntry, parsePrincipal, writeKeytab } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKdc, generateRealm, type Kdc, type KdcListener, listen } from '../../src/index.js';
import { buildStore, PASSWORDS } from '../helpers.js';

const MIT_ETYPE_NAMES: Readonly<Record<number, string>> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
};

const realm = generateRealm(cryptoRandom);
let dir: string;
let listener: KdcListener;
let tcpOnly: KdcListener;
let udpOnly: KdcListener;
let port: number;
/** Transports of the requests the engine saw, in order. */
const seen: string[] = [];

/** TCP and UDP on the same port number, so `kdc = 127.0.0.1:PORT` reaches both. */
async function listenBoth(kdc: ReturnType<typeof createKdc>): Promise<KdcListener> {
  for (let attempt = 0; ; attempt++) {
    const tcpOnly = await listen(kdc, { tcp: {} });
    const p = tcpOnly.tcpPort ?? 0;
    await tcpOnly.close();
    try {
      return await listen(kdc, { tcp: { port: p }, udp: { port: p } });
    } catch (e) {
      if (attempt >= 10) throw e;
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-kdc-mit-'));
  const store = await buildStore(realm);
  const engine = createKdc({ realm, store });
  const kdc: Kdc = {
    ...engine,
    handle: (request, info) => {
      seen.push(info.transport);
      return engine.handle(request, info);
    },
  };
  listener = await listenBoth(kdc);
  port = listener.tcpPort ?? 0;
  tcpOnly = await listen(kdc, { tcp: {} });
  udpOnly = await listen(kdc, { udp: {} });
});

afterAll(async () => {
  await listener?.close();
  await tcpOnly?.close();
  await udpOnly?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function profile(
  name: string,
  kdc: string,
  etype?: number,
  extra: readonly string[] = [],
): Promise<string> {
  const lines = [
    '[libdefaults]',
    `  default_realm = ${realm}`,
    '  dns_lookup_kdc = false',
    '  dns_lookup_realm = false',
    '  rdns = false',
    '  forwardable = true',
    '  renew_lifetime = 2d',
    ...extra.map((l) => `  ${l}`),
    ...(etype === undefined
      ? []
      : [
          `  default_tkt_enctypes = ${MIT_ETYPE_NAMES[etype]}`,
          `  default_tgs_enctypes = ${MIT_ETYPE_NAMES[etype]}`,
        ]),
    '[realms]',
    `  ${realm} = {`,
    `    kdc = ${kdc}`,
    '  }',
    '',
  ];
  const path = join(dir, `${name}.conf`);
  await writeFile(path, lines.join('\n'));
  return path;
}

function tool(cmd: string, args: string[], conf: string, ccache: string, input?: string): Promise<RunResult> {
  return run(cmd, args, {
    env: { KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${ccache}` },
    ...(input === undefined ? {} : { input }),
  });
}

const show = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describe('MIT kinit / klist / kvno against our KDC', () => {
  // MIT 1.20 tries UDP first for small requests (udp_preference_limit 1465); a limit of 1 makes it use TCP only.
  const transports = [
    ['udp+tcp', () => listener.tcpPort ?? 0, [], ['udp']],
    ['tcp', () => tcpOnly.tcpPort ?? 0, ['udp_preference_limit = 1'], ['tcp']],
    ['udp', () => udpOnly.udpPort ?? 0, [], ['udp']],
  ] as const;

  for (const [transport, portOf, extra, expected] of transports) {
    it.each([17, 18, 19, 20])(
      `kinit alice gets a TGT of enctype %i over ${transport}; klist -e; kvno cifs/host.test`,
      async (etype) => {
        const name = `${transport}-${etype}`;
        const conf = await profile(name, `127.0.0.1:${portOf()}`, etype, extra);
        seen.length = 0;
        const cc = join(dir, `cc-${name}`);
        const k = await tool('kinit', ['alice'], conf, cc, `${PASSWORDS.alice}\n`);
        expect(k.code, show(k)).toBe(0);
        const l = await tool('klist', ['-e', '-f'], conf, cc);
        expect(l.code, show(l)).toBe(0);
        expect(l.stdout).toContain(`Default principal: alice@${realm}`);
        expect(l.stdout).toContain(`krbtgt/${realm}@${realm}`);
        expect(l.stdout).toContain(
          `Etype (skey, tkt): ${MIT_ETYPE_NAMES[etype]}, aes256-cts-hmac-sha384-192`,
        );
        expect(l.stdout).toMatch(/renew until .*, Flags: FRIA\n/);
        const v = await tool('kvno', ['cifs/host.test'], conf, cc);
        expect(v.code, show(v)).toBe(0);
        expect(v.stdout).toContain(`cifs/host.test@${realm}: kvno = 1`);
        const l2 = await tool('klist', ['-e'], conf, cc);
        expect(l2.stdout).toContain(`cifs/host.test@${realm}`);
        // PREAUTH_REQUIRED, AS-REQ with PA-ENC-TIMESTAMP, TGS-REQ: all over the transport under test.
        expect(seen.length).toBeGreaterThanOrEqual(3);
        expect([...new Set(seen)]).toEqual(expected);
        // Renewal (TGS-REQ with the RENEW option) by MIT's kinit -R.
        const r = await tool('kinit', ['-R'], conf, cc);
        expect(r.code, show(r)).toBe(0);
        if (etype === 18 && transport === 'udp+tcp') {
          console.log(
            `MIT output (enctype ${etype}, ${transport}):\n${k.stdout}${k.stderr}${l.stdout}${v.stdout}${l2.stdout}`,
          );
        }
      },
    );
  }

  it('kinit -k -t with a keytab of the store’s keys (written by krb5-messages) gets a TGT', async () => {
    const store = await buildStore(realm);
    const alice = await store.get(parsePrincipal(`alice@${realm}`));
    const entries: KeytabEntry[] = (alice?.keys ?? []).map((k) => ({
      principal: parsePrincipal(`alice@${realm}`),
      timestamp: new Date(),
      kvno: k.kvno,
      key: { enctype: k.key.enctype, bytes: k.key.bytes },
    }));
    const keytab = join(dir, 'alice.keytab');
    await writeFile(keytab, writeKeytab(entries));
    const conf = await profile('keytab', `127.0.0.1:${port}`);
    const cc = join(dir, 'cc-keytab');
    const k = await tool('kinit', ['-k', '-t', keytab, 'alice'], conf, cc);
    expect(k.code, show(k)).toBe(0);
    const l = await tool('klist', ['-e'], conf, cc);
    // Session key: MIT kinit's first default enctype (aes256-cts) the krbtgt has (RFC 4120 §3.1.3); ticket: the krbtgt's strongest key.
    expect(l.stdout).toContain('Etype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha384-192');
  });

  it.each([
    ['wrong password', 'alice', 'not-the-password', 'Password incorrect'],
    ['unknown user', 'nobody', 'whatever', 'not found in Kerberos database'],
    ['locked out', 'carol', PASSWORDS.carol, 'credentials have been revoked'],
    [
      'no common enctype (dave has only aes256-cts keys)',
      'dave',
      PASSWORDS.dave,
      'KDC has no support for encryption type',
    ],
  ] as const)('MIT kinit prints its own message for %s', async (_what, user, password, message) => {
    const conf = await profile(`err-${user}`, `127.0.0.1:${port}`, user === 'dave' ? 17 : undefined);
    const r = await tool('kinit', [user], conf, join(dir, `cc-err-${user}`), `${password}\n`);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain(message);
    console.log(`MIT kinit ${user}: ${r.stderr.trim()}`);
  });
});
