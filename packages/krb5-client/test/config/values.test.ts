import { Enctype } from '@postntlm/krb5-crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENCTYPES,
  formatKdcAddress,
  parseBoolean,
  parseDuration,
  parseEnctypeList,
  parseInteger,
  parseKdcAddress,
} from '../../src/config/index.js';

describe('parseDuration (krb5.conf(5) "Time duration")', () => {
  const ok: [string, number][] = [
    ['300', 300],
    ['0', 0],
    ['5m', 300],
    ['1h30m', 5400],
    ['8h30s', 8 * 3600 + 30],
    ['10d 0h 0m 0s', 864000],
    ['1d', 86400],
    ['1d2h', 93600],
    ['1d 5m', 86700],
    ['2m 3s', 123],
    ['36:00', 36 * 3600],
    ['5:00', 5 * 3600],
    ['1:02:03', 3723],
    ['1-02:03:04', 86400 + 7384],
    ['  45s  ', 45],
    ['2147483647', 2147483647],
    ['24855d 3h 14m 7s', 2147483647],
  ];
  it.each(ok)('%j = %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  const bad = [
    '',
    'soon',
    '5 m',
    '1h1d',
    '1m1m',
    '1s1m',
    '1s 2',
    '-5',
    '1d-1h',
    '1:2:3:4',
    '1:123',
    '1-2:3',
    '2147483648',
    '24855d 3h 14m 8s',
    '1.5h',
    '5M',
    '1h 30',
    'h',
    '1d2',
    '1:',
    ':30',
    '1h30mX',
  ];
  it.each(bad)('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());

  it('never throws and stays within 0..2^31-1', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9dhms:\- \t]{0,16}$/), (text) => {
        const v = parseDuration(text);
        if (v !== undefined) expect(v >= 0 && v <= 0x7fffffff && Number.isInteger(v)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every NdNhNmNs combination', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(1000)),
        fc.option(fc.nat(1000)),
        fc.option(fc.nat(1000)),
        fc.option(fc.nat(1000)),
        fc.constantFrom('', ' '),
        (d, h, m, s, sep) => {
          const parts = [
            d === null ? '' : `${d}d`,
            h === null ? '' : `${h}h`,
            m === null ? '' : `${m}m`,
            s === null ? '' : `${s}s`,
          ].filter((p) => p !== '');
          fc.pre(parts.length > 0);
          const expected = (d ?? 0) * 86400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
          expect(parseDuration(parts.join(sep))).toBe(expected);
        },
      ),
    );
  });
});

describe('parseBoolean and parseInteger (MIT profile library)', () => {
  it('accepts MIT boolean words in any case', () => {
    for (const t of ['y', 'yes', 'TRUE', 'true', 't', '1', 'on', ' On ']) expect(parseBoolean(t)).toBe(true);
    for (const f of ['n', 'NO', 'false', 'nil', 'f', '0', 'off']) expect(parseBoolean(f)).toBe(false);
    for (const x of ['', 'maybe', '2', 'yess', 'truee']) expect(parseBoolean(x)).toBeUndefined();
  });

  it('reads integers as strtol(base 0)', () => {
    expect(parseInteger('1465')).toBe(1465);
    expect(parseInteger('-1')).toBe(-1);
    expect(parseInteger('+7')).toBe(7);
    expect(parseInteger('0x10')).toBe(16);
    expect(parseInteger('010')).toBe(8);
    expect(parseInteger('0')).toBe(0);
    expect(parseInteger('-0')).toBe(0);
    expect(parseInteger('2147483647')).toBe(2147483647);
    expect(parseInteger('-2147483648')).toBe(-2147483648);
    for (const x of ['', '08', '1e3', '12abc', '2147483648', '0x', '1.0', 'ten'])
      expect(parseInteger(x)).toBeUndefined();
  });
});

describe('parseEnctypeList (kdc.conf(5) "Encryption types")', () => {
  const ids = (text: string): readonly number[] => parseEnctypeList(text).enctypes;
  it('reads MIT names and aliases, commas or blanks', () => {
    expect(ids('aes256-cts-hmac-sha1-96 aes128-cts,aes256-sha2 , aes128-sha2')).toEqual([18, 17, 20, 19]);
    expect(ids('aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128')).toEqual([20, 19]);
    expect(ids('AES256-CTS')).toEqual([18]);
  });

  it('expands DEFAULT and families, removes with -, accepts + and drops duplicates', () => {
    expect(ids('DEFAULT')).toEqual(DEFAULT_ENCTYPES);
    expect(ids('aes')).toEqual([18, 17, 20, 19]);
    expect(ids('DEFAULT -aes128-sha1')).toEqual([18, 20, 19]);
    expect(ids('aes256-sha2 DEFAULT')).toEqual([20, 18, 17, 19]);
    expect(ids('+aes128-sha2 aes -aes256-sha1')).toEqual([19, 17, 20]);
    expect(ids('DEFAULT -aes')).toEqual([]);
    expect(ids('rc4-hmac aes256-cts')).toEqual([Enctype.ARCFOUR_HMAC, 18]);
    expect(ids('DEFAULT -rc4')).toEqual(DEFAULT_ENCTYPES);
  });

  it('leaves out (and reports) what PostNTLM does not implement or know', () => {
    const list = parseEnctypeList('des3-cbc-sha1 aes256-cts camellia des-cbc-crc nonsense arcfour-hmac-exp');
    expect(list.enctypes).toEqual([18]);
    expect(list.unsupported).toEqual(['des3-cbc-sha1', 'camellia', 'des-cbc-crc', 'arcfour-hmac-exp']);
    expect(list.unknown).toEqual(['nonsense']);
    // MIT's own default list
    expect(
      parseEnctypeList(
        'aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 des3-cbc-sha1 arcfour-hmac-md5 camellia256-cts-cmac camellia128-cts-cmac',
      ).enctypes,
    ).toEqual([18, 17, 20, 19, 23]);
  });
});

describe('parseKdcAddress (MIT k5_parse_host_string, MIT 1.22 sockets, Heimdal prefixes)', () => {
  const ok: [string, string, Record<string, unknown>][] = [
    [
      'kerberos.mit.edu',
      'kerberos.mit.edu:88',
      { kind: 'host', transport: 'any', host: 'kerberos.mit.edu', port: 88 },
    ],
    ['kdc:750', 'kdc:750', { host: 'kdc', port: 750 }],
    ['10.0.0.1', '10.0.0.1:88', { host: '10.0.0.1', port: 88 }],
    ['10.0.0.1:60088', '10.0.0.1:60088', { host: '10.0.0.1', port: 60088 }],
    ['[::1]', '[::1]:88', { host: '::1', port: 88 }],
    ['[fe80::1%eth0]:8888', '[fe80::1%eth0]:8888', { host: 'fe80::1%eth0', port: 8888 }],
    ['tcp/kdc.example.com:88', 'tcp/kdc.example.com:88', { transport: 'tcp', host: 'kdc.example.com' }],
    ['udp/[2001:db8::5]:89', 'udp/[2001:db8::5]:89', { transport: 'udp', host: '2001:db8::5', port: 89 }],
    ['TCP/kdc', 'tcp/kdc:88', { transport: 'tcp' }],
    ['kdc.example.com  extra words', 'kdc.example.com:88', { host: 'kdc.example.com', port: 88 }],
    [
      '/var/run/krb5kdc/kdc.sock',
      '/var/run/krb5kdc/kdc.sock',
      { kind: 'unix', path: '/var/run/krb5kdc/kdc.sock' },
    ],
    ['https://kdcproxy.example.com/KdcProxy', 'https://kdcproxy.example.com/KdcProxy', { kind: 'https' }],
  ];
  it.each(ok)('%j', (spec, formatted, fields) => {
    const r = parseKdcAddress(spec);
    if (!r.ok) throw new Error(r.reason);
    expect(r.address).toMatchObject({ ...fields, spec });
    expect(formatKdcAddress(r.address)).toBe(formatted);
  });

  const bad = [
    '',
    '   ',
    ':88',
    '88',
    'tcp/',
    'host:',
    'host:0',
    'host:65536',
    'host:8x',
    'host:-1',
    '::1',
    'fe80::1',
    '[::1',
    '[::1]x',
    '[]:88',
    `/${'x'.repeat(120)}`,
  ];
  it.each(bad)('%j is refused with a reason', (spec) => {
    const r = parseKdcAddress(spec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(3);
  });

  it('uses the given default port', () => {
    const r = parseKdcAddress('kpasswd.example.com', 464);
    expect(r.ok && r.address.kind === 'host' && r.address.port).toBe(464);
  });
});
