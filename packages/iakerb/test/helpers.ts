/** A realm for in-process flows: a Local KDC engine with alice and host/files.test, and the service's keytab. */
import { cryptoRandom } from '@postntlm/krb5-client';
import type { KeytabEntry } from '@postntlm/krb5-messages';
import { createKdc, currentKeys, generateRealm, type Kdc, MemoryPrincipalStore } from '@postntlm/local-kdc';

export const PASSWORD = 'alice-Passw0rd';
export const SERVICE = 'host/files.test';

export interface TestRealm {
  readonly realm: string;
  readonly kdc: Kdc;
  readonly keytab: KeytabEntry[];
  readonly requests: string[];
}

const cache = new Map<string, Promise<TestRealm>>();

export function testRealm(realm: string = generateRealm(cryptoRandom)): Promise<TestRealm> {
  let p = cache.get(realm);
  if (p === undefined) {
    p = (async () => {
      const store = new MemoryPrincipalStore(realm);
      await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
      await store.addPrincipal('alice', { password: PASSWORD });
      const service = await store.addPrincipal(SERVICE, { randomKey: true });
      const engine = createKdc({ realm, store });
      const requests: string[] = [];
      const kdc: Kdc = {
        ...engine,
        handle: (bytes, info) => {
          requests.push(`${info.transport}:${bytes[0] === 0x6a ? 'as' : 'tgs'}`);
          return engine.handle(bytes, info);
        },
      };
      const keytab = currentKeys(service).map((k) => ({
        principal: service.principal,
        timestamp: new Date(0),
        kvno: k.kvno,
        key: { enctype: k.key.enctype, bytes: k.key.bytes },
      }));
      return { realm, kdc, keytab, requests };
    })();
    cache.set(realm, p);
  }
  return p;
}
