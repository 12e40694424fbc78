/**
 * The real peer: Samba 4.17's smbclient with Kerberos (tickets from our Local KDC through MIT
 * kinit) connects to our server at every dialect from 2.0.2 to 3.1.1 (signed), and to an
 * encrypted share encrypted; NTLMSSP is refused and recorded; an unknown share is
 * BAD_NETWORK_NAME. (The file commands come next: these sessions end after TREE_CONNECT.)
 */
import { engineTransport } from '@postntlm/iakerb';
import { run } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { startTestRealm, type TestRealm } from './realm.js';

let t: TestRealm;
let server: SmbServer;
let port: number;

beforeAll(async () => {
  t = await startTestRealm('smb2-server-smbclient-');
  server = createSmbServer({
    keytab: t.keytab,
    iakerb: { realm: t.realm, kdc: engineTransport(t.kdc) },
    shares: [{ name: 'share' }, { name: 'enc', encrypt: true }],
  });
  ({ port } = await server.listen({ port: 0 }));
}, 30_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

function smbclient(share: string, args: readonly string[]) {
  return run('smbclient', [...t.smbclientArgs(port), `//files.test/${share}`, ...args, '-c', 'exit'], {
    env: t.env,
    timeoutMs: 20_000,
  });
}

describe('smbclient against our server', () => {
  it.each(['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'])(
    'Kerberos session and tree connect at %s, signed',
    async (dialect) => {
      const r = await smbclient('share', [...t.kerberos, '-m', dialect, '--client-protection=sign']);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    },
  );

  it('an encrypted share with --client-protection=encrypt (3.1.1 and 3.0)', async () => {
    for (const dialect of ['SMB3_11', 'SMB3_00']) {
      const r = await smbclient('enc', [...t.kerberos, '-m', dialect, '--client-protection=encrypt']);
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
    const r = await smbclient('nope', [...t.kerberos]);
    expect(`${r.stdout}${r.stderr}`).toContain('NT_STATUS_BAD_NETWORK_NAME');
  });
});
