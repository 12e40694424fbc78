/** A test realm: a memory store with users, services and krbtgt, and an engine over it. */
import { type Clock, fixedClock, type Random, seededRandom } from '@postntlm/krb5-client';
import { createKdc, type Kdc, type KdcPolicy, MemoryPrincipalStore } from '../src/index.js';

export const REALM = 'LOCALKDC.TEST';
export const T0 = Date.UTC(2026, 10, 22, 1, 0, 0, 250);
export const PASSWORDS = {
  alice: 'alice-Passw0rd',
  bob: 'bob-Passw0rd',
  carol: 'carol-Passw0rd',
  dave: 'dave-Passw0rd',
  nopre: 'nopre-Passw0rd',
} as const;

/** string-to-key is slow (PBKDF2): one store per realm name and process, cloned by reference. */
const stores = new Map<string, Promise<MemoryPrincipalStore>>();

export function buildStore(realm: string = REALM): Promise<MemoryPrincipalStore> {
  let p = stores.get(realm);
  if (p === undefined) {
    p = (async () => {
      const random = seededRandom(7);
      const store = new MemoryPrincipalStore(realm);
      await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true, random: (n) => random.bytes(n) });
      await store.addPrincipal('alice', { password: PASSWORDS.alice });
      await store.addPrincipal('bob', { password: PASSWORDS.bob });
      await store.addPrincipal('carol', { password: PASSWORDS.carol, attributes: { lockedOut: true } });
      await store.addPrincipal('dave', { password: PASSWORDS.dave, enctypes: [18] });
      await store.addPrincipal('nopre', {
        password: PASSWORDS.nopre,
        attributes: { requiresPreauth: false },
      });
      await store.addPrincipal('expired', {
        password: PASSWORDS.alice,
        attributes: { expiresAt: new Date(Date.UTC(2020, 0, 1)) },
      });
      await store.addPrincipal('cifs/host.test', {
        randomKey: true,
        random: (n) => random.bytes(n),
        attributes: { noAuthDataRequired: true },
      });
      await store.addPrincipal('sha1svc/host.test', {
        randomKey: true,
        enctypes: [17],
        random: (n) => random.bytes(n),
      });
      store.addAlias('cifs/alias.test', 'cifs/host.test');
      return store;
    })();
    stores.set(realm, p);
  }
  return p;
}

export async function testKdc(
  options: { clock?: Clock; random?: Random; policy?: Partial<KdcPolicy>; realm?: string } = {},
): Promise<{ kdc: Kdc; store: MemoryPrincipalStore }> {
  const realm = options.realm ?? REALM;
  const store = await buildStore(realm);
  const kdc = createKdc({
    realm,
    store,
    clock: options.clock ?? fixedClock(T0),
    random: options.random ?? seededRandom(3),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
  return { kdc, store };
}

/** A `send` for `runExchange` that calls the engine in-process. */
export function sender(kdc: Kdc): (realm: string, bytes: Uint8Array) => Promise<Uint8Array> {
  return async (_realm, bytes) => {
    const reply = await kdc.handle(bytes, { transport: 'memory' });
    if (reply === null) throw new Error('the KDC dropped the request');
    return reply;
  };
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
