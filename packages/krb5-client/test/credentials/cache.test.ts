import {
  appendFile,
  chmod,
  chown,
  lstat,
  mkdir,
  readdir,
  readFile,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { readCcache, writeCcache } from '@postntlm/krb5-messages';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileCredentialCache, MemoryCredentialCache, resolveCcache } from '../../src/credentials/cache.js';
import { toCcacheCredential } from '../../src/credentials/ccache.js';
import {
  CredentialStoreError,
  Krb5ClientError,
  StoreFormatError,
  StoreNameError,
  StoreNotFoundError,
  StoreOwnershipError,
  UnknownStoreTypeError,
} from '../../src/index.js';
import { ALICE, BOB, CIFS, credential, TGT_SERVER, ticketFor, useTempDirs } from './helpers.js';

const tmp = useTempDirs();
afterEach(() => {
  vi.restoreAllMocks();
});

describe('resolveCcache', () => {
  it('defaults to KRB5CCNAME, else FILE:/tmp/krb5cc_<uid>', async () => {
    const byEnv = await resolveCcache(undefined, { env: { KRB5CCNAME: 'MEMORY:env' } });
    expect(byEnv.name).toBe('MEMORY:env');
    const dflt = await resolveCcache(undefined, { env: {} });
    expect(dflt).toMatchObject({ type: 'FILE', name: `FILE:/tmp/krb5cc_${process.getuid!()}` });
    const fromProfile = await resolveCcache(undefined, {
      env: {},
      defaultName: 'MEMORY:%{uid}',
      identity: { uid: 5 },
    });
    expect(fromProfile.name).toBe('MEMORY:5');
  });

  it('a name without a type is a FILE path', async () => {
    const c = await resolveCcache('/tmp/some-cache');
    expect(c).toMatchObject({ type: 'FILE', name: 'FILE:/tmp/some-cache', path: '/tmp/some-cache' });
  });

  it('unknown and MIT-only types are typed errors', async () => {
    const e = await resolveCcache('KEYRING:persistent:0').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnknownStoreTypeError);
    expect(e).toBeInstanceOf(CredentialStoreError);
    expect(e).toBeInstanceOf(Krb5ClientError);
    expect(e).toMatchObject({ mitCode: 'KRB5_CC_UNKNOWN_TYPE', storeType: 'KEYRING', category: 'config' });
    expect((e as Error).message).toMatch(/KEYRING.*not supported.*FILE, MEMORY, DIR/);
    await expect(resolveCcache('NOPE:x')).rejects.toThrow(UnknownStoreTypeError);
    await expect(resolveCcache('file:/tmp/x')).rejects.toThrow(UnknownStoreTypeError);
    await expect(resolveCcache('FILE:')).rejects.toThrow(StoreNameError);
  });
});

describe('FILE ccache', () => {
  it('initialize, store, list, find, in an MIT v4 file of mode 0600', async () => {
    const path = join(await tmp(), 'cc');
    const cache = await resolveCcache(`FILE:${path}`);
    expect(await cache.exists()).toBe(false);
    await expect(cache.getPrincipal()).rejects.toMatchObject({ mitCode: 'KRB5_FCC_NOFILE' });
    await expect(cache.store(credential(TGT_SERVER))).rejects.toThrow(StoreNotFoundError);

    const tgt = credential(TGT_SERVER, { renewable: true });
    await cache.initialize(ALICE, { credentials: [tgt], kdcTimeOffsetMs: -2500 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = readCcache(new Uint8Array(await readFile(path)));
    expect(file.version).toBe(4);
    expect(file.kdcTimeOffset).toEqual({ seconds: -2, microseconds: -500000 });
    expect(file.defaultPrincipal).toEqual(ALICE);

    const cifs = credential(CIFS, { marker: 2 });
    await cache.store(cifs);
    expect(await cache.getPrincipal()).toEqual(ALICE);
    const listed = await cache.list();
    expect(listed.map((c) => c.server.name.nameString.join('/'))).toEqual([
      'krbtgt/EXAMPLE.TEST',
      'cifs/fs.example.test',
    ]);
    expect(listed[0]).toMatchObject({
      renewTill: tgt.renewTill,
      endtime: tgt.endtime,
      kdcTimeOffsetMs: -2500,
    });
    expect(listed[1]!.ticket).toEqual(cifs.ticket);
    expect(listed[1]!.sessionKey.bytes).toEqual(cifs.sessionKey.bytes);

    expect((await cache.find('cifs/fs.example.test'))?.ticket).toEqual(cifs.ticket);
    expect((await cache.find(CIFS, { client: ALICE }))?.ticket).toEqual(cifs.ticket);
    expect(await cache.find(CIFS, { client: BOB })).toBeUndefined();
    expect(await cache.find('host/other')).toBeUndefined();
    // no temporary file left behind
    expect(await readdir(join(path, '..'))).toEqual(['cc']);
  });

  it('store replaces the credential for the same client and server; find skips expired ones', async () => {
    const cache = await resolveCcache(join(await tmp(), 'cc'));
    const old = credential(CIFS, { marker: 1, start: Date.now() - 20 * 3600_000 }); // expired
    await cache.initialize(ALICE, { credentials: [credential(TGT_SERVER), old] });
    expect(await cache.find(CIFS)).toBeUndefined();
    expect((await cache.find(CIFS, { includeExpired: true }))?.ticket).toEqual(old.ticket);
    const fresh = credential(CIFS, { marker: 3 });
    const bobs = credential(CIFS, { marker: 4, client: BOB });
    await cache.store([fresh, bobs]);
    const all = await cache.list();
    expect(all).toHaveLength(3);
    expect((await cache.find(CIFS, { client: ALICE }))?.ticket).toEqual(fresh.ticket);
    expect((await cache.find(CIFS, { client: BOB }))?.ticket).toEqual(bobs.ticket);
    expect(await cache.remove(CIFS, { client: BOB })).toBe(1);
    expect(await cache.remove(CIFS)).toBe(1);
    expect(await cache.remove(CIFS)).toBe(0);
    expect((await cache.list()).map((c) => c.server)).toEqual([TGT_SERVER]);
  });

  it('keeps what MIT wrote: version, header, config entries, authdata, duplicates', async () => {
    const path = join(await tmp(), 'mit');
    const mitTgt = {
      ...toCcacheCredential(credential(TGT_SERVER)),
      authdata: [{ adType: 1, adData: new Uint8Array([1, 2]) }],
    };
    const dup = { ...toCcacheCredential(credential(CIFS, { marker: 5 })), isSkey: false };
    await writeFile(
      path,
      writeCcache({
        version: 3,
        defaultPrincipal: ALICE,
        credentials: [mitTgt, dup, dup],
        config: [{ key: 'fast_avail', principal: TGT_SERVER, value: new TextEncoder().encode('yes') }],
      }),
      { mode: 0o600 },
    );
    const cache = await resolveCcache(path);
    expect(new TextDecoder().decode(await cache.getConfig('fast_avail', TGT_SERVER))).toBe('yes');
    expect(await cache.getConfig('fast_avail')).toBeUndefined();
    await cache.store(credential(parsePrincipalSafe('host/x@EXAMPLE.TEST'), { marker: 6 }));
    const raw = await cache.read();
    expect(raw.version).toBe(3);
    expect(raw.credentials[0]!.authdata).toEqual(mitTgt.authdata);
    expect(raw.credentials).toHaveLength(4);
    expect(raw.config).toHaveLength(1);

    await cache.setConfig('pa_type', new TextEncoder().encode('2'), TGT_SERVER);
    await cache.setConfig('fast_avail', new TextEncoder().encode('no'), TGT_SERVER);
    expect(new TextDecoder().decode(await cache.getConfig('fast_avail', TGT_SERVER))).toBe('no');
    expect((await cache.listConfig()).map((c) => c.key).sort()).toEqual(['fast_avail', 'pa_type']);
    await cache.setConfig('pa_type', undefined, TGT_SERVER);
    expect(await cache.getConfig('pa_type', TGT_SERVER)).toBeUndefined();
    await expect(cache.setConfig('a/b', new Uint8Array(1))).rejects.toThrow(StoreNameError);
  });

  it('malformed files and tickets are StoreFormatError', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'bad'), new Uint8Array([5, 4, 0, 0, 0, 0]));
    await expect((await resolveCcache(join(dir, 'bad'))).getPrincipal()).rejects.toThrow(StoreFormatError);
    const notATicket = { ...toCcacheCredential(credential(CIFS)), ticket: new Uint8Array([1, 2, 3]) };
    await writeFile(
      join(dir, 'badticket'),
      writeCcache({ defaultPrincipal: ALICE, credentials: [notATicket] }),
    );
    const e = await (await resolveCcache(join(dir, 'badticket'))).list().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreFormatError);
    expect(e).toMatchObject({ mitCode: 'KRB5_CC_FORMAT' });
    // an empty file (created, never initialized) is an uninitialized cache
    await writeFile(join(dir, 'empty'), '');
    expect(await (await resolveCcache(join(dir, 'empty'))).exists()).toBe(false);
  });

  it('initialize drops everything; destroy removes the file', async () => {
    const path = join(await tmp(), 'cc');
    const cache = new FileCredentialCache(path);
    await cache.initialize(ALICE, { credentials: [credential(TGT_SERVER)] });
    await cache.initialize(BOB);
    expect(await cache.getPrincipal()).toEqual(BOB);
    expect(await cache.list()).toEqual([]);
    await cache.destroy();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await cache.destroy(); // no error when absent
  });

  it('writes through a symlink to its target; replaces a dangling one', async () => {
    const dir = await tmp();
    await new FileCredentialCache(join(dir, 'real')).initialize(ALICE);
    await symlink(join(dir, 'real'), join(dir, 'link'));
    const viaLink = await resolveCcache(`FILE:${join(dir, 'link')}`);
    await viaLink.store(credential(TGT_SERVER));
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect(await new FileCredentialCache(join(dir, 'real')).list()).toHaveLength(1);

    await symlink(join(dir, 'elsewhere', 'target'), join(dir, 'dangling'));
    await new FileCredentialCache(join(dir, 'dangling')).initialize(ALICE);
    expect((await lstat(join(dir, 'dangling'))).isFile()).toBe(true);
  });

  it('concurrent stores in one process all land', async () => {
    const cache = await resolveCcache(join(await tmp(), 'cc'));
    await cache.initialize(ALICE);
    const servers = Array.from({ length: 12 }, (_, i) => parsePrincipalSafe(`svc${i}/h@EXAMPLE.TEST`));
    await Promise.all(servers.map((s, i) => cache.store(credential(s, { marker: i + 1 }))));
    expect((await cache.list()).map((c) => c.server.name.nameString[0]).sort()).toEqual(
      servers.map((s) => s.name.nameString[0]).sort(),
    );
  });

  it('credentials MIT appended (fcc_store) survive our next store', async () => {
    const path = join(await tmp(), 'cc');
    const cache = new FileCredentialCache(path);
    await cache.initialize(ALICE, { credentials: [credential(TGT_SERVER)] });
    // MIT's fcc_store appends one marshalled credential at the end of the file
    const mitAppended = toCcacheCredential(
      credential(parsePrincipalSafe('host/mit@EXAMPLE.TEST'), { marker: 9 }),
    );
    const header = writeCcache({ version: 4, defaultPrincipal: ALICE, credentials: [] }).length;
    await appendFile(
      path,
      writeCcache({ version: 4, defaultPrincipal: ALICE, credentials: [mitAppended] }).subarray(header),
    );
    await cache.store(credential(CIFS, { marker: 2 }));
    const names = (await cache.list()).map((c) => c.server.name.nameString.join('/'));
    expect(names).toEqual(['krbtgt/EXAMPLE.TEST', 'host/mit', 'cifs/fs.example.test']);
  });

  it('refuses a cache file owned by another user (a planted /tmp cache), unless allowed', async () => {
    const dir = await tmp();
    const path = join(dir, 'planted');
    await new FileCredentialCache(path).initialize(BOB, {
      credentials: [credential(TGT_SERVER, { client: BOB })],
    });
    await chown(path, 4242, 4242);
    await chmod(dir, 0o777);
    vi.spyOn(process, 'geteuid').mockReturnValue(1000);
    const e = await (await resolveCcache(path)).getPrincipal().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreOwnershipError);
    expect(e).toMatchObject({ ownerUid: 4242, category: 'policy' });
    await expect((await resolveCcache(path)).store(credential(CIFS))).rejects.toThrow(StoreOwnershipError);
    expect(await (await resolveCcache(path, { allowForeignOwner: true })).getPrincipal()).toEqual(BOB);
  });
});

function parsePrincipalSafe(name: string) {
  const [n, realm] = name.split('@') as [string, string];
  return { realm, name: { nameType: 1, nameString: n.split('/') } };
}

describe('MEMORY ccache', () => {
  it('is shared by name within the process and isolated between names', async () => {
    const a = await resolveCcache('MEMORY:shared-test');
    const b = await resolveCcache('MEMORY:shared-test');
    const other = new MemoryCredentialCache('other-test');
    expect(await a.exists()).toBe(false);
    await a.initialize(ALICE);
    await b.store(credential(TGT_SERVER));
    expect(await a.list()).toHaveLength(1);
    expect(await other.exists()).toBe(false);
    // returned objects are copies
    const listed = await a.list();
    listed[0]!.ticket.fill(0);
    expect((await b.list())[0]!.ticket).toEqual(ticketFor(TGT_SERVER));
    await b.destroy();
    expect(await a.exists()).toBe(false);
    expect(a.path).toBeUndefined();
  });
});

describe('DIR collection', () => {
  it('DIR:dir resolves to the primary cache, creating the directory (0700) and primary as MIT does', async () => {
    const dir = join(await tmp(), 'coll');
    const cache = await resolveCcache(`DIR:${dir}`);
    expect(cache).toMatchObject({ type: 'DIR', name: `DIR::${dir}/tkt`, path: `${dir}/tkt` });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dir, 'primary'), 'utf8')).toBe('tkt\n');
    await cache.initialize(ALICE, { credentials: [credential(TGT_SERVER)] });
    expect(await (await resolveCcache(`DIR:${dir}`)).list()).toHaveLength(1);
    expect(await (await resolveCcache(`DIR::${dir}/tkt`)).getPrincipal()).toEqual(ALICE);
  });

  it('create, switchTo, list, findByPrincipal', async () => {
    const dir = join(await tmp(), 'coll');
    const { openDirCollection } = await import('../../src/credentials/cache.js');
    const coll = await openDirCollection(dir);
    await (await coll.primary()).initialize(ALICE);
    const bobs = await coll.create(BOB, { credentials: [credential(TGT_SERVER, { client: BOB })] });
    expect(bobs.name).toMatch(new RegExp(`^DIR::${dir}/tkt[A-Za-z0-9]{6}$`));
    expect((await stat(bobs.path!)).mode & 0o777).toBe(0o600);
    expect((await coll.list()).map((c) => c.name)).toEqual([`DIR::${dir}/tkt`, bobs.name]);
    expect((await coll.findByPrincipal(BOB))?.name).toBe(bobs.name);
    expect(await coll.findByPrincipal(parsePrincipalSafe('carol@EXAMPLE.TEST'))).toBeUndefined();
    await coll.switchTo(bobs);
    expect(await readFile(join(dir, 'primary'), 'utf8')).toBe(`${bobs.path!.slice(dir.length + 1)}\n`);
    expect(await (await resolveCcache(`DIR:${dir}`)).getPrincipal()).toEqual(BOB);
    expect((await coll.list())[0]!.name).toBe(bobs.name);
    await expect(coll.switchTo(`DIR::${dir}/other/tktX`)).rejects.toThrow(StoreNameError);
  });

  it('rejects bad subsidiary names and a bad primary file', async () => {
    const dir = join(await tmp(), 'coll');
    await expect(resolveCcache(`DIR::${dir}/notkt`)).rejects.toThrow(/does not begin with "tkt"/);
    await expect(resolveCcache('DIR::tktNoDir')).rejects.toThrow(/no parent directory/);
    await mkdir(dir, { mode: 0o700 });
    for (const bad of ['tkt', 'other\n', 'tkt/../x\n', `tkt${'x'.repeat(70)}\n`]) {
      await writeFile(join(dir, 'primary'), bad);
      await expect(resolveCcache(`DIR:${dir}`)).rejects.toThrow(StoreFormatError);
    }
    await expect(resolveCcache(`DIR:${join(dir, 'missing-parent', 'coll')}`)).rejects.toThrow(
      StoreNotFoundError,
    );
  });
});
