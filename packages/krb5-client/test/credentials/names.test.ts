import { describe, expect, it } from 'vitest';
import { StoreNameError } from '../../src/credentials/errors.js';
import {
  defaultCcacheName,
  defaultClientKeytabName,
  defaultKeytabName,
  expandPathTokens,
  splitCcacheName,
  splitKeytabName,
} from '../../src/credentials/names.js';

describe('splitCcacheName (krb5_cc_resolve)', () => {
  it.each([
    ['/tmp/krb5cc_0', 'FILE', '/tmp/krb5cc_0'],
    ['FILE:/tmp/krb5cc_0', 'FILE', '/tmp/krb5cc_0'],
    ['relative/cc', 'FILE', 'relative/cc'],
    ['C:\\Users\\a\\krb5cc', 'FILE', 'C:\\Users\\a\\krb5cc'],
    ['MEMORY:x', 'MEMORY', 'x'],
    ['MEMORY:', 'MEMORY', ''],
    ['DIR:/run/user/0/krb5cc', 'DIR', '/run/user/0/krb5cc'],
    ['DIR::/run/user/0/krb5cc/tktAbc', 'DIR', ':/run/user/0/krb5cc/tktAbc'],
    ['KEYRING:persistent:0', 'KEYRING', 'persistent:0'],
    ['file:/tmp/x', 'file', '/tmp/x'], // types are case-sensitive, as in MIT
    [':x', '', 'x'],
    // unlike keytab names, a ccache path with a colon needs the FILE: prefix (MIT does the same)
    ['/tmp/a:b', '/tmp/a', 'b'],
  ])('%s', (name, type, residual) => {
    expect(splitCcacheName(name)).toEqual({ type, residual });
  });

  it('rejects empty names and NUL', () => {
    expect(() => splitCcacheName('')).toThrow(StoreNameError);
    expect(() => splitCcacheName('FILE:/tmp/a\0b')).toThrow(StoreNameError);
  });
});

describe('splitKeytabName (krb5_kt_resolve)', () => {
  it.each([
    ['/etc/krb5.keytab', 'FILE', '/etc/krb5.keytab'],
    ['/odd/path:with:colons', 'FILE', '/odd/path:with:colons'],
    ['FILE:/etc/krb5.keytab', 'FILE', '/etc/krb5.keytab'],
    ['WRFILE:/etc/krb5.keytab', 'WRFILE', '/etc/krb5.keytab'],
    ['MEMORY:kt', 'MEMORY', 'kt'],
    ['KDB:', 'KDB', ''],
  ])('%s', (name, type, residual) => {
    expect(splitKeytabName(name)).toEqual({ type, residual });
  });
});

describe('expandPathTokens (k5_expand_path_tokens)', () => {
  const identity = { uid: 1000, euid: 1001, username: 'alice', tmpdir: '/var/tmp' };
  it('expands uid, euid, USERID, username, TEMP, null', () => {
    expect(expandPathTokens('FILE:/tmp/krb5cc_%{uid}', 'ccache', identity)).toBe('FILE:/tmp/krb5cc_1000');
    expect(expandPathTokens('%{euid}/%{USERID}/%{username}%{null}', 'ccache', identity)).toBe(
      '1001/1000/alice',
    );
    expect(expandPathTokens('%{TEMP}/cc', 'ccache', identity)).toBe('/var/tmp/cc');
    expect(expandPathTokens('no tokens %', 'ccache', identity)).toBe('no tokens %');
  });
  it('rejects unknown and unterminated tokens', () => {
    expect(() => expandPathTokens('%{LIBDIR}/x', 'keytab', identity)).toThrow(
      /unknown path token %\{LIBDIR\}/,
    );
    expect(() => expandPathTokens('/tmp/%{uid', 'ccache', identity)).toThrow(/unterminated/);
  });
});

describe('default names', () => {
  it('KRB5CCNAME, else MIT FILE:/tmp/krb5cc_%{uid} with this process uid', () => {
    expect(defaultCcacheName({ env: { KRB5CCNAME: 'MEMORY:a' } })).toBe('MEMORY:a');
    // MIT uses KRB5CCNAME as it is: no token expansion
    expect(defaultCcacheName({ env: { KRB5CCNAME: '/tmp/%{uid}' } })).toBe('/tmp/%{uid}');
    expect(defaultCcacheName({ env: {}, identity: { uid: 4242 } })).toBe('FILE:/tmp/krb5cc_4242');
    expect(defaultCcacheName({ env: { KRB5CCNAME: '' }, identity: { uid: 7 } })).toBe('FILE:/tmp/krb5cc_7');
    expect(defaultCcacheName({ env: {} })).toBe(`FILE:/tmp/krb5cc_${process.getuid!()}`);
    expect(
      defaultCcacheName({ env: {}, fallback: 'DIR:/run/user/%{uid}/krb5cc', identity: { uid: 9 } }),
    ).toBe('DIR:/run/user/9/krb5cc');
  });
  it('KRB5_KTNAME, else FILE:/etc/krb5.keytab', () => {
    expect(defaultKeytabName({ env: {} })).toBe('FILE:/etc/krb5.keytab');
    expect(defaultKeytabName({ env: { KRB5_KTNAME: 'WRFILE:/k' } })).toBe('WRFILE:/k');
  });
  it('KRB5_CLIENT_KTNAME, else Debian MIT client keytab with the euid', () => {
    expect(defaultClientKeytabName({ env: {}, identity: { euid: 33 } })).toBe(
      'FILE:/etc/krb5/user/33/client.keytab',
    );
    expect(defaultClientKeytabName({ env: { KRB5_CLIENT_KTNAME: '/c.keytab' } })).toBe('/c.keytab');
  });
});
