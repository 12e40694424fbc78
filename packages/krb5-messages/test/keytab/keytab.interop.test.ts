/**
 * Real peer: MIT Kerberos 1.20 (klist, kvno, kadmin.local) reads the keytabs we write and
 * writes the keytabs we read.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kinit, useMitKdc } from '@postntlm/interop';
import { stringToKey } from '@postntlm/krb5-crypto';
import { describe, expect, it } from 'vitest';
import {
  defaultSalt,
  findKey,
  type KeytabEntry,
  loadKeytab,
  type Principal,
  parsePrincipal,
  readKeytab,
  saveKeytab,
  unparsePrincipal,
  writeKeytab,
} from '../../src/index.js';
import { Builder, toHex } from './build.js';
import { enctypeName, KLIST_ENV, type KlistKey, klistTime, parseKlistKeytab } from './klist.js';

const kdc = useMitKdc();
const ENCTYPES = [18, 17, 20, 19];

async function klistKeytab(path: string): Promise<KlistKey[]> {
  const r = await kdc().run('klist', ['-k', '-K', '-e', '-t', path], { env: KLIST_ENV });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseKlistKeytab(r.stdout);
}

/** Our entries in the shape klist prints them. */
const asKlist = (entries: readonly KeytabEntry[]): KlistKey[] =>
  entries.map((e) => ({
    kvno: e.kvno,
    time: klistTime(e.timestamp),
    principal: unparsePrincipal(e.principal),
    enctype: enctypeName(e.key.enctype),
    key: toHex(e.key.bytes),
  }));

async function passwordKeys(principal: Principal, password: string, kvno: number): Promise<KeytabEntry[]> {
  const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
  return Promise.all(
    ENCTYPES.map(async (enctype) => {
      const key = await stringToKey(enctype, password, defaultSalt(principal));
      return { principal, timestamp, kvno, key: { enctype, bytes: key.bytes } };
    }),
  );
}

describe('reading keytabs MIT wrote (kadmin ktadd)', () => {
  for (const name of ['service.keytab', 'alice.keytab', 'cifs.keytab', 'krbtgt.keytab']) {
    it(`${name}: the same principals, kvnos, timestamps, enctypes and keys as klist -k -K -e -t`, async () => {
      const path = join(kdc().dir, name);
      const ours = await loadKeytab(path);
      const mit = await klistKeytab(path);
      expect(mit.length).toBeGreaterThan(0);
      expect(asKlist(ours)).toEqual(mit);
      // and our writer gives MIT's bytes back
      expect(toHex(writeKeytab(ours))).toBe(toHex(new Uint8Array(await readFile(path))));
    });
  }

  it("alice's keys are string-to-key of alice-Passw0rd with salt MIT.TESTalice", async () => {
    const entries = await loadKeytab(join(kdc().dir, 'alice.keytab'));
    const alice = parsePrincipal('alice@MIT.TEST');
    expect(defaultSalt(alice)).toBe('MIT.TESTalice');
    expect(entries.map((e) => e.key.enctype).sort()).toEqual([17, 18, 19, 20]);
    for (const e of entries) {
      const key = await stringToKey(e.key.enctype, kdc().passwords.alice!, defaultSalt(alice));
      expect(toHex(e.key.bytes)).toBe(toHex(key.bytes));
      expect(findKey(entries, alice, { enctype: e.key.enctype })).toBe(e);
    }
    // krbtgt's key: the fixed password and the salt MIT.TESTkrbtgtMIT.TEST
    const tgs = await loadKeytab(join(kdc().dir, 'krbtgt.keytab'));
    const krbtgt = parsePrincipal('krbtgt/MIT.TEST@MIT.TEST');
    const k = findKey(tgs, krbtgt, { enctype: 18 })!;
    expect(k.principal.name.nameType).toBe(2); // NT-SRV-INST, as MIT infers and stores it
    const expected = await stringToKey(18, kdc().passwords['krbtgt/MIT.TEST']!, defaultSalt(krbtgt));
    expect(toHex(k.key.bytes)).toBe(toHex(expected.bytes));
  });

  it('skips the holes kadmin ktremove leaves (negative record lengths), as klist does', async () => {
    const path = join(kdc().dir, 'holes.keytab');
    await writeFile(path, await readFile(join(kdc().dir, 'service.keytab')));
    await kdc().kadmin(`ktremove -k ${path} host/samba.mit.test all`);
    await kdc().kadmin(`ktremove -k ${path} sha2svc/localhost all`);
    const bytes = new Uint8Array(await readFile(path));
    const ours = readKeytab(bytes);
    expect(ours).toHaveLength(18 - 4 - 2);
    expect(asKlist(ours)).toEqual(await klistKeytab(path));
    // MIT zero-filled the removed records and negated their lengths: same file size, holes inside
    expect(bytes.length).toBe((await readFile(join(kdc().dir, 'service.keytab'))).length);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    let holes = 0;
    for (let pos = 2; pos + 4 <= bytes.length; ) {
      const size = view.getInt32(pos);
      if (size === 0) break;
      if (size < 0) holes++;
      pos += 4 + Math.abs(size);
    }
    expect(holes).toBe(6);
    // our writer drops the holes: a shorter file with the same entries
    const rewritten = writeKeytab(ours);
    expect(rewritten.length).toBeLessThan(bytes.length);
    expect(readKeytab(rewritten)).toEqual(ours);
  });

  it('reads a 32-bit kvno MIT wrote (modprinc -kvno 300) and writes the same bytes', async () => {
    await kdc().kadmin('addprinc -pw Big-Passw0rd pnt-big/localhost');
    await kdc().kadmin('modprinc -kvno 300 pnt-big/localhost');
    const path = join(kdc().dir, 'big-mit.keytab');
    await kdc().kadmin(`ktadd -norandkey -k ${path} pnt-big/localhost`);
    const ours = await loadKeytab(path);
    expect(ours.map((e) => e.kvno)).toEqual([300, 300, 300, 300]);
    expect(asKlist(ours)).toEqual(await klistKeytab(path));
    expect(toHex(writeKeytab(ours))).toBe(toHex(new Uint8Array(await readFile(path))));
  });
});

describe('keytabs we write, read and used by MIT', () => {
  const principals = [
    { text: 'pnt-svc/localhost', password: 'Svc-Passw0rd' },
    // a component with "@" and one with "\": quoted in the text form, raw in the keytab and the salt
    { text: 'pnt-svc/we\\@ird', password: 'Weird-Passw0rd' },
    { text: 'pnt-svc/back\\\\slash', password: 'Back-Passw0rd' },
    { text: 'pnt-kvno/localhost', password: 'Kvno-Passw0rd', kvno: 300 },
  ];

  it('klist -k -K -e shows our keys, and kvno -k finds each "keytab entry valid"', async () => {
    const entries: KeytabEntry[] = [];
    for (const p of principals) {
      await kdc().kadmin(`addprinc -pw ${p.password} "${p.text}"`);
      if (p.kvno !== undefined) await kdc().kadmin(`modprinc -kvno ${p.kvno} "${p.text}"`);
      const principal = parsePrincipal(p.text, { defaultRealm: kdc().realm });
      entries.push(...(await passwordKeys(principal, p.password, p.kvno ?? 1)));
    }
    expect(entries[4]!.principal.name.nameString).toEqual(['pnt-svc', 'we@ird']);
    expect(defaultSalt(entries[8]!.principal)).toBe('MIT.TESTpnt-svcback\\slash');

    const path = join(kdc().dir, 'ours.keytab');
    await saveKeytab(path, entries);
    const mit = await klistKeytab(path);
    expect(mit).toEqual(asKlist(entries));
    // e.g. "300 pnt-kvno/localhost@MIT.TEST (aes256-cts-hmac-sha1-96)"
    expect(mit.map((k) => `${k.kvno} ${k.principal} (${k.enctype})`)).toContain(
      '300 pnt-kvno/localhost@MIT.TEST (aes256-cts-hmac-sha1-96)',
    );

    const ccache = `FILE:${join(kdc().dir, 'kt-ccache')}`;
    expect((await kinit(kdc(), 'alice', kdc().passwords.alice!, { ccache })).code).toBe(0);
    for (const p of principals) {
      const r = await kdc().run('kvno', ['-k', path, p.text], { env: { KRB5CCNAME: ccache } });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(`${p.text}@MIT.TEST: kvno = ${p.kvno ?? 1}, keytab entry valid`);
      expect(r.code).toBe(0);
    }

    // Negative control: the same keytab with wrong keys is refused by MIT.
    const wrong = entries.map((e) => ({ ...e, key: { ...e.key, bytes: e.key.bytes.map((b) => b ^ 1) } }));
    const wrongPath = join(kdc().dir, 'wrong.keytab');
    await saveKeytab(wrongPath, wrong);
    const bad = await kdc().run('kvno', ['-k', wrongPath, principals[0]!.text], {
      env: { KRB5CCNAME: ccache },
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/keytab entry invalid|integrity/i);
  });

  it('MIT reads a version 0x0501 keytab in host byte order, as we do', async () => {
    // 0x0501: realm counted in the components, no name type, host (little-endian) order
    const key = new Uint8Array(32).fill(0x5a);
    const body = new Builder(true)
      .u16(3)
      .str16('MIT.TEST')
      .str16('v1')
      .str16('host')
      .u32(1_700_000_000)
      .u8(7)
      .u16(18)
      .u16(32)
      .raw(key)
      .bytes();
    const file = new Builder(true).raw([5, 1]).u32(body.length).raw(body).bytes();
    const path = join(kdc().dir, 'v1.keytab');
    await writeFile(path, file);
    const ours = readKeytab(file, { byteOrder: 'little' });
    expect(ours).toEqual([
      {
        principal: { realm: 'MIT.TEST', name: { nameType: 0, nameString: ['v1', 'host'] } },
        timestamp: new Date(1_700_000_000_000),
        kvno: 7,
        key: { enctype: 18, bytes: key },
      },
    ]);
    expect(await klistKeytab(path)).toEqual(asKlist(ours));
  });
});
