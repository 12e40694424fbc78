import { chown, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePrincipal, readKeytab } from '@postntlm/krb5-messages';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FileKeytab,
  KeytabKeyNotFoundError,
  MemoryKeytab,
  resolveClientKeytab,
  resolveKeytab,
  StoreFormatError,
  StoreNotFoundError,
  StoreOwnershipError,
  UnknownStoreTypeError,
} from '../../src/index.js';
import { keytabEntry, useTempDirs } from './helpers.js';

const tmp = useTempDirs();
afterEach(() => {
  vi.restoreAllMocks();
});

describe('resolveKeytab / resolveClientKeytab', () => {
  it('KRB5_KTNAME, else FILE:/etc/krb5.keytab; types and bare paths', () => {
    expect(resolveKeytab(undefined, { env: {} })).toMatchObject({ type: 'FILE', path: '/etc/krb5.keytab' });
    expect(resolveKeytab(undefined, { env: { KRB5_KTNAME: 'MEMORY:k' } })).toBeInstanceOf(MemoryKeytab);
    expect(resolveKeytab('WRFILE:/x/y.keytab')).toMatchObject({ type: 'WRFILE', name: 'WRFILE:/x/y.keytab' });
    expect(resolveKeytab('/x/odd:name')).toMatchObject({ type: 'FILE', path: '/x/odd:name' });
    expect(resolveKeytab('rel.keytab')).toMatchObject({ type: 'FILE', name: 'FILE:rel.keytab' });
    expect(() => resolveKeytab('KDB:')).toThrow(UnknownStoreTypeError);
    expect(() => resolveKeytab('KDB:')).toThrow(expect.objectContaining({ mitCode: 'KRB5_KT_UNKNOWN_TYPE' }));
  });

  it('KRB5_CLIENT_KTNAME, else the default client keytab of the euid', () => {
    expect(resolveClientKeytab(undefined, { env: { KRB5_CLIENT_KTNAME: 'FILE:/c.kt' } }).path).toBe('/c.kt');
    expect(resolveClientKeytab(undefined, { env: {}, identity: { euid: 77 } }).path).toBe(
      '/etc/krb5/user/77/client.keytab',
    );
    expect(resolveClientKeytab('MEMORY:c').type).toBe('MEMORY');
  });
});

describe('FILE keytab', () => {
  it('add creates an MIT 0x0502 file of mode 0600; list; getKey like krb5_kt_get_entry', async () => {
    const path = join(await tmp(), 'k.keytab');
    const kt = resolveKeytab(`FILE:${path}`);
    expect(await kt.exists()).toBe(false);
    await expect(kt.list()).rejects.toThrow(StoreNotFoundError);
    await expect(kt.getKey('svc/h@R')).rejects.toThrow(StoreNotFoundError);

    await kt.add([keytabEntry('svc/h@R', 1, 18, 1), keytabEntry('svc/h@R', 1, 17, 2)]);
    await kt.add(keytabEntry('svc/h@R', 2, 18, 3));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(readKeytab(new Uint8Array(await readFile(path)))).toHaveLength(3);
    expect(await readdir(join(path, '..'))).toEqual(['k.keytab']);

    expect((await kt.getKey('svc/h@R')).key.bytes[0]).toBe(3); // highest kvno
    expect((await kt.getKey('svc/h@R', { kvno: 0 })).kvno).toBe(2); // IGNORE_VNO
    expect((await kt.getKey(parsePrincipal('svc/h@R'), { kvno: 1 })).key.enctype).toBe(18); // first in file order
    expect((await kt.getKey('svc/h@R', { kvno: 1, enctype: 17 })).key.bytes[0]).toBe(2);
    expect((await kt.getKey('svc/h@R', { enctype: 17 })).kvno).toBe(1);

    const noKvno = await kt.getKey('svc/h@R', { kvno: 9 }).catch((e: unknown) => e);
    expect(noKvno).toBeInstanceOf(KeytabKeyNotFoundError);
    expect(noKvno).toMatchObject({ mitCode: 'KRB5_KT_KVNONOTFOUND', kvno: 9 });
    const noPrincipal = await kt.getKey('other@R').catch((e: unknown) => e);
    expect(noPrincipal).toMatchObject({ mitCode: 'KRB5_KT_NOTFOUND', principal: 'other@R' });
    expect((noPrincipal as Error).message).toMatch(/no key for other@R in keytab FILE:/);
  });

  it('add replaces the same principal, kvno and enctype; remove', async () => {
    const kt = new FileKeytab(join(await tmp(), 'k'));
    await kt.add([keytabEntry('a@R', 1, 18, 1), keytabEntry('a@R', 2, 18, 2), keytabEntry('b@R', 1, 18, 3)]);
    await kt.add(keytabEntry('a@R', 2, 18, 9));
    const list = await kt.list();
    expect(list).toHaveLength(3);
    expect((await kt.getKey('a@R', { kvno: 2 })).key.bytes[0]).toBe(9);
    expect(await kt.remove('a@R', { kvno: 1 })).toBe(1);
    expect(await kt.remove('a@R')).toBe(1);
    expect(await kt.remove('a@R')).toBe(0);
    expect((await kt.list()).map((e) => e.principal.name.nameString[0])).toEqual(['b']);
  });

  it('WRFILE is the same format; malformed files are StoreFormatError', async () => {
    const dir = await tmp();
    const w = resolveKeytab(`WRFILE:${join(dir, 'w')}`);
    await w.add(keytabEntry('a@R', 5, 20, 4));
    expect((await resolveKeytab(join(dir, 'w')).getKey('a@R')).kvno).toBe(5);
    await writeFile(join(dir, 'bad'), new Uint8Array([5, 2, 0, 0, 0, 9, 1]));
    const e = await resolveKeytab(join(dir, 'bad'))
      .list()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreFormatError);
    expect(e).toMatchObject({ mitCode: 'KRB5_KT_FORMAT', store: 'keytab' });
  });

  it("reads another user's keytab but does not rewrite it unless allowed", async () => {
    const path = join(await tmp(), 'svc.keytab');
    await new FileKeytab(path).add(keytabEntry('a@R', 1, 18, 1));
    await chown(path, 4242, 4242);
    vi.spyOn(process, 'geteuid').mockReturnValue(1000);
    expect(await resolveKeytab(path).list()).toHaveLength(1);
    await expect(resolveKeytab(path).add(keytabEntry('b@R', 1, 18, 1))).rejects.toThrow(StoreOwnershipError);
    await resolveKeytab(path, { allowForeignOwner: true }).add(keytabEntry('b@R', 1, 18, 1));
    vi.restoreAllMocks();
    // written by root for uid 4242: the owner is kept
    expect((await stat(path)).uid).toBe(4242);
    expect(await resolveKeytab(path).list()).toHaveLength(2);
  });
});

describe('MEMORY keytab', () => {
  it('exists empty once named, is shared by name, keeps private copies', async () => {
    const a = resolveKeytab('MEMORY:kt-test');
    expect(await a.list()).toEqual([]);
    await a.add(keytabEntry('a@R', 1, 18, 1));
    const b = new MemoryKeytab('kt-test');
    const got = await b.getKey('a@R');
    got.key.bytes.fill(0);
    expect((await a.getKey('a@R')).key.bytes[0]).toBe(1);
    expect(await resolveKeytab('MEMORY:kt-other').list()).toEqual([]);
  });
});
