/**
 * The real peer: Samba 4.17's smbclient with Kerberos (tickets from our Local KDC through MIT
 * kinit) connects to our server at every dialect from 2.0.2 to 3.1.1 (signed), and to an
 * encrypted share encrypted; NTLMSSP is refused and recorded; an unknown share is
 * BAD_NETWORK_NAME. (The file commands come next: these sessions end after TREE_CONNECT.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineTransport } from '@postntlm/iakerb';
import { requireCommand, run } from '@postntlm/interop';
import { cryptoRandom } from '@postntlm/krb5-client';
import {
  createKdc,
  currentKeys,
  generateRealm,
  type KdcListener,
  listen,
  MemoryPrincipalStore,
} from '@postntlm/local-kdc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';

let dir: string;
let kdcListener: KdcListener;
let server: SmbServer;
let port: number;
let env: Record<string, string>;
const realm = generateRealm(cryptoRandom);

beforeAll(async () => {
  requireCommand('smbclient');
  requireCommand('kinit');
  dir = await mkdtemp(join(tmpdir(), 'smb2-server-smbclient-'));
  const store = new MemoryPrincipalStore(realm);
  await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
  await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
  const cifs = await store.addPrincipal('cifs/files.test', {
    randomKey: true,
    attributes: { noAuthDataRequired: true },
  });
  const kdc = createKdc({ realm, store });
  kdcListener = await listen(kdc, { udp: {} });
  const keytab = currentKeys(cifs).map((k) => ({
    principal: cifs.principal,
    timestamp: new Date(0),
    kvno: k.kvno,
    key: { enctype: k.key.enctype, bytes: k.key.bytes },
  }));
  server = createSmbServer({
    keytab,
    iakerb: { realm, kdc: engineTransport(kdc) },
    shares: [{ name: 'share' }, { name: 'enc', encrypt: true }],
  });
  ({ port } = await server.listen({ port: 0 }));
  await writeFile(
    join(dir, 'krb5.conf'),
    `[libdefaults]\n default_realm = ${realm}\n dns_lookup_kdc = false\n rdns = false\n[realms]\n ${realm} = {\n  kdc = 127.0.0.1:${kdcListener.udpPort}\n }\n[domain_realm]\n files.test = ${realm}\n`,
  );
  await writeFile(join(dir, 'smb.conf'), '[global]\n client min protocol = SMB2_02\n');
  env = { KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
  const k = await run('kinit', ['alice'], { env, input: 'alice-Passw0rd\n' });
  expect(k.code, k.stderr).toBe(0);
}, 30_000);

afterAll(async () => {
  await server?.close();
  await kdcListener?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function smbclient(share: string, args: readonly string[]) {
  return run(
    'smbclient',
    [
      '-s',
      join(dir, 'smb.conf'),
      `//files.test/${share}`,
      '-I',
      '127.0.0.1',
      '-p',
      String(port),
      ...args,
      '-c',
      'exit',
    ],
    { env, timeoutMs: 20_000 },
  );
}

describe('smbclient against our server', () => {
  it.each(['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'])(
    'Kerberos session and tree connect at %s, signed',
    async (dialect) => {
      const r = await smbclient('share', [
        '--use-kerberos=required',
        `--use-krb5-ccache=${join(dir, 'cc')}`,
        '-m',
        dialect,
        '--client-protection=sign',
      ]);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    },
  );

  it('an encrypted share with --client-protection=encrypt (3.1.1 and 3.0)', async () => {
    for (const dialect of ['SMB3_11', 'SMB3_00']) {
      const r = await smbclient('enc', [
        '--use-kerberos=required',
        `--use-krb5-ccache=${join(dir, 'cc')}`,
        '-m',
        dialect,
        '--client-protection=encrypt',
      ]);
      expect(r.code, `${dialect}: ${r.stdout}\n${r.stderr}`).toBe(0);
    }
  });

  it('refuses NTLMSSP and records the attempt', async () => {
    const before = server.ntlmAttempts.length;
    const r = await smbclient('share', ['--use-kerberos=disabled', '-U', 'x%y']);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(
      /NT_STATUS_(LOGON_FAILURE|ACCESS_DENIED|NOT_SUPPORTED|INVALID_PARAMETER)/,
    );
    expect(server.ntlmAttempts.length).toBeGreaterThan(before);
    expect(server.ntlmAttempts.at(-1)?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('answers an unknown share with BAD_NETWORK_NAME', async () => {
    const r = await smbclient('nope', ['--use-kerberos=required', `--use-krb5-ccache=${join(dir, 'cc')}`]);
    expect(`${r.stdout}${r.stderr}`).toContain('NT_STATUS_BAD_NETWORK_NAME');
  });
});
