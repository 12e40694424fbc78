/**
 * Our own server in-process for end-to-end tests: a Local KDC (alice and cifs/files.test),
 * `createSmbServer` from the server's source with a plain and an encrypted share over a temp
 * directory, and the IAKerb proxy to the KDC. `kdcSend` reaches the KDC directly (a client
 * with a route); `noKdc` fails like an unreachable KDC (a client without one).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineTransport } from '@postntlm/iakerb';
import {
  cryptoRandom,
  type KdcSend,
  KdcUnreachableError,
  type Krb5Config,
  parseProfile,
  readKrb5Config,
} from '@postntlm/krb5-client';
import { createKdc, currentKeys, generateRealm, type Kdc, MemoryPrincipalStore } from '@postntlm/local-kdc';
import { createSmbServer, type SmbServer } from '@postntlm/smb2-server';

export const ALICE_PASSWORD = 'alice-Passw0rd';

export interface OurServer {
  readonly realm: string;
  readonly kdc: Kdc;
  readonly server: SmbServer;
  readonly port: number;
  readonly dir: string;
  readonly kdcSend: KdcSend;
  readonly noKdc: KdcSend;
  readonly krb5Config: Krb5Config;
  close(): Promise<void>;
}

export async function startOurServer(): Promise<OurServer> {
  const realm = generateRealm(cryptoRandom);
  const dir = await mkdtemp(join(tmpdir(), 'smb2-client-'));
  const store = new MemoryPrincipalStore(realm);
  await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
  await store.addPrincipal('alice', { password: ALICE_PASSWORD });
  const cifs = await store.addPrincipal('cifs/files.test', {
    randomKey: true,
    attributes: { noAuthDataRequired: true },
  });
  const kdc = createKdc({ realm, store });
  const keytab = currentKeys(cifs).map((k) => ({
    principal: cifs.principal,
    timestamp: new Date(0),
    kvno: k.kvno,
    key: { enctype: k.key.enctype, bytes: k.key.bytes },
  }));
  const server = createSmbServer({
    keytab,
    // A pool of two: the encrypted transfers here then go through the server's least-busy
    // choice (its own interop tests cover the default single worker with smbclient).
    gcmWorker: 2,
    iakerb: { realm, kdc: engineTransport(kdc) },
    shares: [
      { name: 'share', path: dir },
      { name: 'enc', path: dir, encrypt: true },
      // for the access-denied cases: a share alice may read only, one she may not connect to
      { name: 'ro', path: dir, readOnly: true },
      { name: 'bobonly', path: dir, allow: [`bob@${realm}`] },
    ],
  });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const kdcSend: KdcSend = async (_realm, request) => {
    const reply = await kdc.handle(request, { transport: 'tcp' });
    if (reply === null) throw new Error('the KDC dropped the request');
    return reply;
  };
  const noKdc: KdcSend = async (r) => {
    throw new KdcUnreachableError(r, [], undefined, []);
  };
  const krb5Config = readKrb5Config(
    parseProfile(`[libdefaults]\n default_realm = ${realm}\n[domain_realm]\n files.test = ${realm}\n`),
  );
  return {
    realm,
    kdc,
    server,
    port,
    dir,
    kdcSend,
    noKdc,
    krb5Config,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
