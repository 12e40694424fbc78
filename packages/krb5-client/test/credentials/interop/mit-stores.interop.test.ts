/**
 * Acceptance (issue 3, line 3): our credential stores and MIT krb5 1.20 share files.
 *
 * (a) ccache: MIT kinit writes a FILE cache, we read its TGT, get cifs/localhost with it
 *     through our TGS exchange and store the ticket; MIT klist lists both, MIT kvno uses
 *     our ticket without asking the KDC, and what MIT appends afterwards we read. A DIR
 *     collection made by MIT kinit is read by us; a cache we add to it and switch to is
 *     what MIT klist shows.
 * (b) keytab: keys we derive (krb5-crypto string-to-key) and write through our keytab
 *     store are the keys MIT `klist -k -K -e` prints, and MIT `kvno -k` validates a
 *     ticket against our keytab ("keytab entry valid"); we get a TGT with it too.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { kinit, parseKlistKeys, useMitKdc } from '@postntlm/interop';
import { stringToKey } from '@postntlm/krb5-crypto';
import { defaultSalt, type KeytabEntry, parsePrincipal, unparsePrincipal } from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket } from '../../../src/client.js';
import type { Krb5Config } from '../../../src/config/index.js';
import { openDirCollection, resolveCcache, resolveKeytab } from '../../../src/credentials/index.js';
import { kdcConfig, kdcLogMark, kdcLogSince } from '../../interop/helpers.js';

const kdc = useMitKdc();
let config: Krb5Config;
beforeAll(async () => {
  config = await kdcConfig(kdc());
});

const TZ = { TZ: 'UTC', LC_ALL: 'C' };

/** The principals `klist` lists (the "Service principal" column). */
function klistServices(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => /^\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\s+\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

describe('FILE ccache shared with MIT', () => {
  it('MIT kinit -> we read the TGT, get cifs/localhost with it and store it -> MIT klist and kvno use it', async () => {
    const k = kdc();
    const file = join(k.dir, 'shared.ccache');
    const name = `FILE:${file}`;
    const r = await kinit(k, 'alice', k.passwords.alice!, { ccache: name });
    expect(r.code, r.stderr).toBe(0);

    const cache = await resolveCcache(name);
    expect(unparsePrincipal(await cache.getPrincipal())).toBe('alice@MIT.TEST');
    const tgt = await cache.find('krbtgt/MIT.TEST@MIT.TEST');
    expect(tgt).toBeDefined();
    expect(unparsePrincipal(tgt!.client)).toBe('alice@MIT.TEST');
    // MIT 1.20's kinit also leaves configuration entries (pa_type for the krbtgt)
    const configKeys = (await cache.listConfig()).map((c) => c.key);
    expect(configKeys).toContain('pa_type');

    const mark = await kdcLogMark(k);
    const ticket = await getServiceTicket({ tgt: tgt!, server: 'cifs/localhost', config });
    expect(unparsePrincipal(ticket.server)).toBe('cifs/localhost@MIT.TEST');
    await cache.store(ticket);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const issued = (await kdcLogSince(k, mark)).filter((l) => l.includes('TGS_REQ') && l.includes('ISSUE'));
    expect(issued).toHaveLength(1);

    const list = await k.run('klist', ['-c', name], { env: TZ });
    expect(list.code, list.stderr).toBe(0);
    process.stdout.write(`MIT klist of the shared cache:\n${list.stdout}\n`);
    expect(list.stdout).toContain('Default principal: alice@MIT.TEST');
    expect(klistServices(list.stdout)).toEqual(['krbtgt/MIT.TEST@MIT.TEST', 'cifs/localhost@MIT.TEST']);
    // the configuration entries are still there for MIT (klist -C shows them)
    const withConfig = await k.run('klist', ['-C', '-c', name], { env: TZ });
    expect(withConfig.stdout).toContain('config: pa_type(krbtgt/MIT.TEST@MIT.TEST) = ');

    // MIT kvno finds our ticket in the cache: no TGS request reaches the KDC
    const mark2 = await kdcLogMark(k);
    const v = await k.run('kvno', ['cifs/localhost'], { env: { ...TZ, KRB5CCNAME: name } });
    expect(v.code, v.stderr).toBe(0);
    process.stdout.write(`MIT kvno with our ticket: ${v.stdout}`);
    expect(v.stdout).toMatch(/^cifs\/localhost@MIT\.TEST: kvno = \d+/);
    expect((await kdcLogSince(k, mark2)).filter((l) => l.includes('TGS_REQ'))).toEqual([]);

    // MIT appends host/localhost to the file we rewrote; we read all three
    const h = await k.run('kvno', ['host/localhost'], { env: { ...TZ, KRB5CCNAME: name } });
    expect(h.code, h.stderr).toBe(0);
    expect((await cache.list()).map((c) => unparsePrincipal(c.server))).toEqual([
      'krbtgt/MIT.TEST@MIT.TEST',
      'cifs/localhost@MIT.TEST',
      'host/localhost@MIT.TEST',
    ]);
    // and what we store after MIT's append keeps MIT's entry
    await cache.store(await getServiceTicket({ tgt: tgt!, server: 'cifs/localhost', config }));
    const again = await k.run('klist', ['-c', name], { env: TZ });
    expect(klistServices(again.stdout).sort()).toEqual([
      'cifs/localhost@MIT.TEST',
      'host/localhost@MIT.TEST',
      'krbtgt/MIT.TEST@MIT.TEST',
    ]);
  }, 60_000);
});

describe('DIR collection shared with MIT', () => {
  it('KRB5CCNAME=DIR:... kinit alice -> we read it; our cache for bob, switched to, is what MIT klist shows', async () => {
    const k = kdc();
    const dir = join(k.dir, 'collection');
    const env = { ...TZ, KRB5CCNAME: `DIR:${dir}` };
    const r = await k.run('kinit', ['alice'], { input: `${k.passwords.alice!}\n`, env });
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'primary'), 'utf8')).toBe('tkt\n');

    const cache = await resolveCcache(`DIR:${dir}`);
    expect(cache.name).toBe(`DIR::${dir}/tkt`);
    expect(unparsePrincipal(await cache.getPrincipal())).toBe('alice@MIT.TEST');
    expect((await cache.find('krbtgt/MIT.TEST'))?.client).toEqual(parsePrincipal('alice@MIT.TEST'));

    // we add bob's cache to the collection and make it primary (kswitch)
    const bobTgt = await getInitialCredentials({
      client: 'bob',
      config,
      credentials: { password: k.passwords.bob! },
    });
    const collection = await openDirCollection(dir);
    const bobs = await collection.create(bobTgt.client, { credentials: [bobTgt] });
    await collection.switchTo(bobs);
    const klist = await k.run('klist', [], { env });
    expect(klist.code, klist.stderr).toBe(0);
    expect(klist.stdout).toContain(`Ticket cache: ${bobs.name}`);
    expect(klist.stdout).toContain('Default principal: bob@MIT.TEST');
    const klistL = await k.run('klist', ['-l'], { env });
    process.stdout.write(`MIT klist -l of the collection:\n${klistL.stdout}\n`);
    expect(klistL.stdout).toMatch(
      new RegExp(`bob@MIT\\.TEST\\s+${bobs.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(klistL.stdout).toMatch(/alice@MIT\.TEST\s+DIR::.*\/tkt\b/);
    // MIT kswitch back to alice's cache: we follow the primary file
    const sw = await k.run('kswitch', ['-p', 'alice'], { env });
    expect(sw.code, sw.stderr).toBe(0);
    expect(unparsePrincipal(await (await resolveCcache(`DIR:${dir}`)).getPrincipal())).toBe('alice@MIT.TEST');
  }, 60_000);
});

describe('keytab written by us, read by MIT', () => {
  it('klist -k -K -e shows the same keys; kvno -k says "keytab entry valid"; our AS works with it', async () => {
    const k = kdc();
    const password = 'Keytab-Passw0rd';
    await k.kadmin(`addprinc -pw ${password} ktuser`);
    const getprinc = await k.kadmin('getprinc ktuser');
    const kvno = Number(/vno (\d+)/.exec(getprinc)?.[1]);
    expect(kvno).toBeGreaterThan(0);
    const principal = parsePrincipal('ktuser@MIT.TEST');
    const salt = defaultSalt(principal);
    const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    const entries: KeytabEntry[] = [];
    for (const enctype of [18, 17, 20, 19]) {
      const key = await stringToKey(enctype, password, salt);
      entries.push({ principal, kvno, timestamp, key: { enctype, bytes: key.bytes } });
    }
    const file = join(k.dir, 'ours.keytab');
    const keytab = resolveKeytab(`WRFILE:${file}`);
    await keytab.add(entries);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const shown = await k.run('klist', ['-k', '-K', '-e', file], { env: TZ });
    expect(shown.code, shown.stderr).toBe(0);
    process.stdout.write(`MIT klist -k -K -e of our keytab:\n${shown.stdout}\n`);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(
      parseKlistKeys(shown.stdout).map((e) => ({
        kvno: e.kvno,
        principal: e.principal,
        enctype: e.enctype,
        key: hex(e.key),
      })),
    ).toEqual(
      entries.map((e) => ({
        kvno,
        principal: 'ktuser@MIT.TEST',
        enctype: {
          17: 'aes128-cts-hmac-sha1-96',
          18: 'aes256-cts-hmac-sha1-96',
          19: 'aes128-cts-hmac-sha256-128',
          20: 'aes256-cts-hmac-sha384-192',
        }[e.key.enctype],
        key: hex(e.key.bytes),
      })),
    );

    const ccache = `FILE:${join(k.dir, 'kvno-k.ccache')}`;
    expect((await kinit(k, 'alice', k.passwords.alice!, { ccache })).code).toBe(0);
    const v = await k.run('kvno', ['-k', file, 'ktuser@MIT.TEST'], { env: { ...TZ, KRB5CCNAME: ccache } });
    process.stdout.write(`MIT kvno -k with our keytab: ${v.stdout}${v.stderr}`);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`ktuser@MIT.TEST: kvno = ${kvno}, keytab entry valid`);

    // the same keytab gets a TGT through our AS exchange (pre-authenticated with its key)
    const tgt = await getInitialCredentials({
      client: 'ktuser',
      config,
      credentials: { keytab: await keytab.list() },
    });
    expect(unparsePrincipal(tgt.client)).toBe('ktuser@MIT.TEST');
    expect((await keytab.getKey('ktuser@MIT.TEST', { enctype: 18 })).kvno).toBe(kvno);
  }, 60_000);
});
