/**
 * What every smbclient interop test needs: an in-process Local KDC (realm `LOCALKDC.<UUID>`,
 * alice and cifs/files.test) listening on UDP for MIT tools, the cifs keytab for our server,
 * a krb5.conf and smb.conf in a temp directory, and alice's TGT from MIT kinit.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCommand, run } from '@postntlm/interop';
import { cryptoRandom } from '@postntlm/krb5-client';
import type { KeytabEntry } from '@postntlm/krb5-messages';
import {
  createKdc,
  currentKeys,
  generateRealm,
  type Kdc,
  type KdcListener,
  listen,
  MemoryPrincipalStore,
} from '@postntlm/local-kdc';

export interface TestRealm {
  readonly realm: string;
  readonly dir: string;
  readonly kdc: Kdc;
  /** Keys of cifs/files.test, for `createSmbServer`. */
  readonly keytab: KeytabEntry[];
  /** KRB5_CONFIG and KRB5CCNAME for MIT tools and smbclient. */
  readonly env: Record<string, string>;
  /** Arguments every smbclient call takes: its smb.conf and our address. */
  smbclientArgs(port: number): string[];
  /** smbclient's Kerberos arguments: required, with alice's ccache. */
  readonly kerberos: readonly string[];
  close(): Promise<void>;
}

export async function startTestRealm(prefix: string): Promise<TestRealm> {
  requireCommand('smbclient');
  requireCommand('kinit');
  const realm = generateRealm(cryptoRandom);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let listener: KdcListener | undefined;
  try {
    const store = new MemoryPrincipalStore(realm);
    await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
    await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
    const cifs = await store.addPrincipal('cifs/files.test', {
      randomKey: true,
      attributes: { noAuthDataRequired: true },
    });
    const kdc = createKdc({ realm, store });
    listener = await listen(kdc, { udp: {} });
    const keytab = currentKeys(cifs).map((k) => ({
      principal: cifs.principal,
      timestamp: new Date(0),
      kvno: k.kvno,
      key: { enctype: k.key.enctype, bytes: k.key.bytes },
    }));
    await writeFile(
      join(dir, 'krb5.conf'),
      `[libdefaults]\n default_realm = ${realm}\n dns_lookup_kdc = false\n rdns = false\n[realms]\n ${realm} = {\n  kdc = 127.0.0.1:${listener.udpPort}\n }\n[domain_realm]\n files.test = ${realm}\n`,
    );
    await writeFile(join(dir, 'smb.conf'), '[global]\n client min protocol = SMB2_02\n');
    const env = { KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
    const k = await run('kinit', ['alice'], { env, input: 'alice-Passw0rd\n' });
    if (k.code !== 0) throw new Error(`kinit alice failed: ${k.stderr}`);
    const kdcListener = listener;
    return {
      realm,
      dir,
      kdc,
      keytab,
      env,
      smbclientArgs: (port) => ['-s', join(dir, 'smb.conf'), '-I', '127.0.0.1', '-p', String(port)],
      kerberos: ['--use-kerberos=required', `--use-krb5-ccache=${join(dir, 'cc')}`],
      async close() {
        await kdcListener.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await listener?.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
