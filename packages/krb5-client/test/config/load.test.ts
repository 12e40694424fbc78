import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PROFILE_PATH,
  defaultProfilePaths,
  loadKrb5Config,
  loadProfile,
  ProfileError,
  ProfileIncludeError,
  ProfileSyntaxError,
} from '../../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'postntlm-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('defaultProfilePaths', () => {
  it('splits KRB5_CONFIG on ":" and falls back to /etc/krb5.conf', () => {
    expect(defaultProfilePaths({ KRB5_CONFIG: '/a/krb5.conf::/etc/krb5.conf' })).toEqual([
      '/a/krb5.conf',
      '/etc/krb5.conf',
    ]);
    expect(defaultProfilePaths({})).toEqual([DEFAULT_PROFILE_PATH]);
    expect(defaultProfilePaths({ KRB5_CONFIG: '' })).toEqual(['/etc/krb5.conf']);
  });
});

describe('loadProfile (Node edge)', () => {
  it('reads a file with include and includedir from disk', async () => {
    const dropIn = join(root, 'one', 'krb5.conf.d');
    write('one/krb5.conf.d/10-realm.conf', '[realms]\n EXAMPLE.COM = {\n  kdc = kdc2.example.com\n }\n');
    write('one/krb5.conf.d/20_more', '[libdefaults]\n forwardable = true\n');
    write('one/krb5.conf.d/skipped.rpmnew', '[libdefaults]\n forwardable = false\n');
    write('one/krb5.conf.d/.hidden.conf', '[libdefaults]\n forwardable = false\n');
    const extra = write('one/extra.conf', '[libdefaults]\n clockskew = 10m\n');
    const main = write(
      'one/krb5.conf',
      `include ${extra}\nincludedir ${dropIn}\n[libdefaults]\n default_realm = EXAMPLE.COM\n[realms]\n EXAMPLE.COM = {\n  kdc = kdc1.example.com:88\n }\n`,
    );
    const p = await loadProfile(main);
    expect(p.files).toEqual([main, extra, join(dropIn, '10-realm.conf'), join(dropIn, '20_more')]);
    expect(p.values('realms', 'EXAMPLE.COM', 'kdc')).toEqual(['kdc2.example.com', 'kdc1.example.com:88']);
    const c = await loadKrb5Config(main);
    expect(c.libdefaults).toMatchObject({ defaultRealm: 'EXAMPLE.COM', forwardable: true, clockskew: 600 });
  });

  it('reads KRB5_CONFIG lists, skipping absent files, and directories as includedir', async () => {
    const a = write('two/a.conf', '[libdefaults]\n default_realm* = A\n');
    write('two/dir/x', '[libdefaults]\n default_realm = X\n clockskew = 1\n');
    write('two/dir/y.txt', '[libdefaults]\n clockskew = 2\n');
    const env = { KRB5_CONFIG: `${join(root, 'two/missing.conf')}:${a}:${join(root, 'two/dir')}` };
    const p = await loadProfile(undefined, { env });
    expect(p.files).toEqual([a, join(root, 'two/dir/x')]);
    expect(p.values('libdefaults', 'default_realm')).toEqual(['A']);
    expect(p.value('libdefaults', 'clockskew')).toBe('1');
    expect((await loadKrb5Config(undefined, { env })).libdefaults.defaultRealm).toBe('A');
  });

  it('gives an empty profile when no file exists (as MIT)', async () => {
    const p = await loadProfile([join(root, 'nope1'), join(root, 'nope2')]);
    expect(p.files).toEqual([]);
    expect(p.subsectionNames()).toEqual([]);
  });

  it('reports syntax errors with the real file name and line', async () => {
    const inc = write('three/inc.conf', '[ok]\n x = 1\n[broken\n');
    const main = write('three/krb5.conf', `[libdefaults]\n default_realm = R\ninclude ${inc}\n`);
    await expect(loadProfile(main)).rejects.toSatisfy(
      (e) => e instanceof ProfileSyntaxError && e.file === inc && e.line === 3 && e.code === 'SECTION_SYNTAX',
    );
  });

  it('reports a missing include with the including file and line', async () => {
    const main = write(
      'four/krb5.conf',
      `[libdefaults]\n x = 1\ninclude ${join(root, 'four/absent.conf')}\n`,
    );
    await expect(loadProfile(main)).rejects.toSatisfy(
      (e) =>
        e instanceof ProfileIncludeError && e.file === main && e.line === 3 && e.code === 'FAIL_INCLUDE_FILE',
    );
    const dirMain = write('four/krb5-dir.conf', `[libdefaults]\nincludedir ${join(root, 'four/absent.d')}\n`);
    await expect(loadProfile(dirMain)).rejects.toSatisfy(
      (e) => e instanceof ProfileIncludeError && e.line === 2 && e.code === 'FAIL_INCLUDE_DIR',
    );
  });

  it('stops include cycles', async () => {
    const a = join(root, 'five/a.conf');
    const b = write('five/b.conf', `[b]\ninclude ${a}\n`);
    write('five/a.conf', `[a]\ninclude ${b}\n`);
    await expect(loadProfile(a, { maxIncludeDepth: 4 })).rejects.toSatisfy(
      (e) => e instanceof ProfileIncludeError && e.code === 'INCLUDE_DEPTH',
    );
  });

  it('expands ~/ with HOME', async () => {
    write('home/.krb5.conf', '[libdefaults]\n default_realm = HOME.TEST\n');
    const p = await loadProfile('~/.krb5.conf', { env: { HOME: join(root, 'home') } });
    expect(p.value('libdefaults', 'default_realm')).toBe('HOME.TEST');
    expect(p.files).toEqual([join(root, 'home/.krb5.conf')]);
  });

  it('refuses files over the size limit', async () => {
    const big = write('six/big.conf', `[a]\n${'x = 1\n'.repeat(1000)}`);
    await expect(loadProfile(big, { maxFileBytes: 1000 })).rejects.toBeInstanceOf(ProfileError);
  });
});
