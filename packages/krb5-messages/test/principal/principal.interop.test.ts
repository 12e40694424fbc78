/**
 * Real peer: MIT Kerberos 1.20 parses the text we unparse into the principal we mean, and
 * prints it back exactly as we unparse it (kadmin.local addprinc / listprincs, the
 * binary principal in a keytab written by kadmin ktadd, klist -k).
 */
import { join } from 'node:path';
import { useMitKdc } from '@postntlm/interop';
import { describe, expect, it } from 'vitest';
import {
  EncodeError,
  loadKeytab,
  type Principal,
  PrincipalParseError,
  parsePrincipal,
  unparsePrincipal,
  writeKeytab,
} from '../../src/index.js';

const kdc = useMitKdc();

const REALM = 'MIT.TEST';
const names: string[][] = [
  ['pnt', 'a/b'],
  ['pnt', 'we@ird'],
  ['pnt', 'back\\slash'],
  ['pnt', 'tab\tnl\nbs\b'],
  ['pnt', 'nul\0byte'],
  ['pnt', 'ü', 'ñ€😀'],
  ['pnt', '', 'empty-middle'],
  ['pnt', 'empty-last', ''],
  ['pnt/x', '@', '\\/@'],
];
const principals: Principal[] = names.map((nameString) => ({
  realm: REALM,
  name: { nameType: 1, nameString },
}));

describe('principal text form against MIT', () => {
  it('kadmin.local parses what we unparse and prints it back the same; ktadd stores our components', async () => {
    const texts = principals.map((p) => unparsePrincipal(p));
    expect(texts.slice(0, 5)).toEqual([
      'pnt/a\\/b@MIT.TEST',
      'pnt/we\\@ird@MIT.TEST',
      'pnt/back\\\\slash@MIT.TEST',
      'pnt/tab\\tnl\\nbs\\b@MIT.TEST',
      'pnt/nul\\0byte@MIT.TEST',
    ]);
    for (const text of texts) {
      // MIT unparses the principal it parsed in its message
      const out = await kdc().kadmin(`addprinc -randkey "${text}"`);
      expect(out).toContain(`Principal "${text}" created.`);
    }
    const listed = (await kdc().kadmin('listprincs pnt*')).split('\n').filter((l) => l !== '');
    expect(new Set(listed)).toEqual(new Set(texts));

    // The keytab holds MIT's parse of our text as length-counted components: our components.
    // Neither MIT nor we can put an empty component in a keytab (16-bit lengths must be > 0).
    const storable = principals.filter((p) => !p.name.nameString.includes(''));
    const path = join(kdc().dir, 'principals.keytab');
    for (const p of principals) {
      const text = unparsePrincipal(p);
      if (storable.includes(p)) await kdc().kadmin(`ktadd -k ${path} "${text}"`);
      else {
        await expect(kdc().kadmin(`ktadd -k ${path}.empty "${text}"`)).rejects.toThrow(
          /Error writing to key table/,
        );
        const e = {
          principal: p,
          timestamp: new Date(0),
          kvno: 1,
          key: { enctype: 18, bytes: new Uint8Array(32) },
        };
        expect(() => writeKeytab([e])).toThrow(EncodeError);
      }
    }
    const entries = await loadKeytab(path);
    const stored = new Map<string, Principal>();
    for (const e of entries) stored.set(unparsePrincipal(e.principal), e.principal);
    expect([...stored.values()]).toEqual(storable);

    // klist -k prints each principal as we unparse it
    const klist = await kdc().run('klist', ['-k', path]);
    expect(klist.code).toBe(0);
    const printed = new Set(
      klist.stdout
        .split('\n')
        .map((l) => /^\s*\d+ (.+)$/.exec(l)?.[1])
        .filter((x) => x !== undefined),
    );
    expect(printed).toEqual(new Set(storable.map((p) => unparsePrincipal(p))));
    // and our parser reads MIT's text back to the same principal
    for (const text of printed) expect(principals).toContainEqual(parsePrincipal(text));
  });

  it('an enterprise name is printed by MIT with the "@" quoted, as we print it', async () => {
    const e = parsePrincipal('user@example.com@MIT.TEST', { enterprise: true });
    expect(e.name).toEqual({ nameType: 10, nameString: ['user@example.com'] });
    const text = unparsePrincipal(e);
    expect(text).toBe('user\\@example.com@MIT.TEST');
    const out = await kdc().kadmin(`addprinc -randkey "${text}"`);
    expect(out).toContain(`Principal "${text}" created.`);
  });

  it('MIT kadmin rejects what we reject as a realm with no name or two realms', async () => {
    for (const text of ['@MIT.TEST', 'a@B@C', 'a@B/C']) {
      expect(() => parsePrincipal(text)).toThrow(PrincipalParseError);
      const r = await kdc().run('kadmin.local', ['-q', `getprinc "${text}"`]);
      expect(r.stderr).toContain('Malformed representation of principal');
    }
  });
});
