import {
  createAsExchange,
  createTgsExchange,
  fixedClock,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { randomToKey } from '@postntlm/krb5-crypto';
import { parsePrincipal } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  createKdc,
  currentKeys,
  MemoryPrincipalStore,
  SERVICE_DEFAULTS,
  USER_DEFAULTS,
} from '../src/index.js';
import { sender, T0 } from './helpers.js';

const R = 'STORE.TEST';
const key = (enctype: number, fill: number) =>
  randomToKey(enctype, new Uint8Array(enctype === 17 || enctype === 19 ? 16 : 32).fill(fill));

describe('MemoryPrincipalStore', () => {
  it('applies user and service defaults, finds entries by name (name type ignored) and aliases', async () => {
    const store = new MemoryPrincipalStore(R);
    await store.addPrincipal('alice', { keys: [{ key: key(18, 1), kvno: 1 }] });
    await store.addPrincipal('cifs/h', { keys: [{ key: key(18, 2), kvno: 1 }] });
    store.addAlias('cifs/other', 'cifs/h');
    // Defaults, plus a RID per principal (from 1000, in order) for the PAC.
    expect((await store.get(parsePrincipal(`alice@${R}`)))?.attributes).toEqual({
      ...USER_DEFAULTS,
      rid: 1000,
    });
    expect(USER_DEFAULTS.requiresPreauth && USER_DEFAULTS.disallowServer).toBe(true);
    const svc = await store.get(parsePrincipal(`cifs/other@${R}`, { nameType: 3 }));
    expect(svc?.attributes).toEqual({ ...SERVICE_DEFAULTS, rid: 1001 });
    expect(svc?.principal.name.nameString).toEqual(['cifs', 'h']);
    expect(await store.get(parsePrincipal(`alice@OTHER`))).toBeUndefined();
    expect(store.list().sort()).toEqual([`alice@${R}`, `cifs/h@${R}`]);
    store.modify('alice', { lockedOut: true });
    expect((await store.get(parsePrincipal(`alice@${R}`)))?.attributes.lockedOut).toBe(true);
    expect(store.delete('cifs/h')).toBe(true);
    expect(await store.get(parsePrincipal(`cifs/other@${R}`))).toBeUndefined();
    await expect(store.addPrincipal('nokeys', {})).rejects.toThrow(/password, randomKey or keys/);
  });

  it('derives password keys with the default salt, or a given one', async () => {
    const store = new MemoryPrincipalStore(R);
    const a = await store.addPrincipal('a', { password: 'pw', enctypes: [17] });
    const b = await store.addPrincipal('b', { password: 'pw', enctypes: [17], salt: `${R}a` });
    expect(b.keys[0]?.salt).toBe(`${R}a`);
    expect(b.keys[0]?.key.bytes).toEqual(a.keys[0]?.key.bytes);
  });

  it('keeps old kvnos: new tickets use the highest, tickets under an old krbtgt key still work', async () => {
    const store = new MemoryPrincipalStore(R);
    const old = { key: key(18, 3), kvno: 1 };
    await store.addPrincipal(`krbtgt/${R}`, { keys: [old] });
    await store.addPrincipal('alice', { password: 'pw', enctypes: [18] });
    await store.addPrincipal('cifs/h', { keys: [{ key: key(18, 4), kvno: 1 }] });
    const kdc = createKdc({ realm: R, store, clock: fixedClock(T0), random: seededRandom(1) });
    const tgt = await runExchange(
      createAsExchange({ client: `alice@${R}`, credentials: { password: 'pw' }, clock: fixedClock(T0) }),
      sender(kdc),
    );
    expect(tgt.ticketKvno).toBe(1);
    // Key rollover: kvno 2 becomes current, kvno 1 stays.
    await store.addPrincipal(`krbtgt/${R}`, { keys: [old, { key: key(18, 5), kvno: 2 }] });
    const krbtgt = await store.get(parsePrincipal(`krbtgt/${R}@${R}`));
    expect(
      currentKeys(krbtgt ?? { principal: parsePrincipal('x@Y'), keys: [], attributes: USER_DEFAULTS })[0]
        ?.kvno,
    ).toBe(2);
    const svc = await runExchange(
      createTgsExchange({ tgt, server: 'cifs/h', clock: fixedClock(T0) }),
      sender(kdc),
    );
    expect(svc.ticketKvno).toBe(1);
    const tgt2 = await runExchange(
      createAsExchange({ client: `alice@${R}`, credentials: { password: 'pw' }, clock: fixedClock(T0) }),
      sender(kdc),
    );
    expect(tgt2.ticketKvno).toBe(2);
  });
});
