import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCcache, writeCcache } from '@postntlm/krb5-messages';
import { afterAll, describe, expect, it } from 'vitest';
import {
  credentialsFromCcache,
  credentialsToCcache,
  fromCcacheCredential,
  loadCredentials,
  MemoryCredentialStore,
  saveCredentials,
  tgtPrincipal,
  toCcacheCredential,
} from '../../src/credentials/index.js';
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  describeCredential,
  fixedClock,
  isCredentialCurrent,
  runExchange,
  seededRandom,
} from '../../src/exchange/index.js';
import { FakeKdcNetwork } from './fake-kdc.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function credentials(): Promise<[Credential, Credential]> {
  const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(2));
  await net.addRealm('R.TEST', {
    principals: { alice: { password: 'pw' }, 'cifs/h': { password: 'c' } },
  });
  const tgt = await runExchange(
    createAsExchange({
      client: 'alice@R.TEST',
      credentials: { password: 'pw' },
      options: { renewable: true },
      clock: fixedClock(T0),
      random: seededRandom(1),
    }),
    net.send,
  );
  const st = await runExchange(
    createTgsExchange({ tgt, server: 'cifs/h', clock: fixedClock(T0), random: seededRandom(3) }),
    net.send,
  );
  return [tgt, st];
}

describe('credentials and MIT ccaches', () => {
  it('convert both ways through the ccache format', async () => {
    const [tgt, st] = await credentials();
    const bytes = writeCcache(credentialsToCcache([tgt, st]));
    const cache = readCcache(bytes);
    expect(cache.version).toBe(4);
    expect(cache.kdcTimeOffset).toBeUndefined();
    expect(cache.defaultPrincipal).toEqual(tgt.client);
    const back = credentialsFromCcache(cache);
    expect(back).toHaveLength(2);
    expect(back[0]).toEqual({ ...tgt, keyExpiration: undefined, encPartTag: undefined });
    expect(back[1]!.server.name.nameString).toEqual(['cifs', 'h']);
    expect(toCcacheCredential(tgt).ticket).toBe(tgt.ticket);
    expect(fromCcacheCredential(toCcacheCredential(st), 1500).kdcTimeOffsetMs).toBe(1500);
    expect(describeCredential(st)).toBe('alice@R.TEST -> cifs/h@R.TEST');
  });

  it('write the KDC time offset only when asked', async () => {
    const [tgt] = await credentials();
    const cache = readCcache(writeCcache(credentialsToCcache([tgt], { kdcTimeOffsetMs: -3600_250 })));
    expect(cache.kdcTimeOffset).toEqual({ seconds: -3601, microseconds: 750000 });
    expect(credentialsFromCcache(cache)[0]!.kdcTimeOffsetMs).toBe(-3600_250);
    expect(() => credentialsToCcache([])).toThrow(/default principal/);
  });

  it('save to and load from a FILE: ccache with mode 0600', async () => {
    const [tgt, st] = await credentials();
    const dir = await mkdtemp(join(tmpdir(), 'postntlm-cc-'));
    dirs.push(dir);
    const file = join(dir, 'cc');
    await saveCredentials(`FILE:${file}`, [tgt, st]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const loaded = await loadCredentials(file);
    expect(loaded.defaultPrincipal).toEqual(tgt.client);
    expect(loaded.credentials.map((c) => c.server.name.nameString[0])).toEqual(['krbtgt', 'cifs']);
    await expect(saveCredentials('KEYRING:persistent:0', [tgt])).rejects.toThrow(/only FILE:/);
  });
});

describe('MemoryCredentialStore', () => {
  it('finds current credentials by server, replaces and prunes', async () => {
    const [tgt, st] = await credentials();
    const store = new MemoryCredentialStore([tgt]);
    store.add(st);
    expect(store.find(tgtPrincipal('R.TEST'), { now: T0 })).toBe(tgt);
    expect(store.find(st.server, { client: tgt.client, now: T0 })).toBe(st);
    expect(store.find(st.server, { now: st.endtime.getTime() + 1 })).toBeUndefined();
    const newer = { ...st, endtime: new Date(st.endtime.getTime() + 1000) };
    store.add(newer);
    expect(store.list()).toEqual([tgt, newer]);
    expect(isCredentialCurrent(tgt, T0)).toBe(true);
    expect(store.prune(tgt.endtime.getTime() + 10)).toBe(1);
    expect(store.list()).toEqual([newer]);
  });
});
