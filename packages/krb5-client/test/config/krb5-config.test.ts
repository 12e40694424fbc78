import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENCTYPES,
  defaultKrb5Config,
  fallbackRealmForHost,
  Krb5ConfigError,
  libdefaultsForRealm,
  parseProfile,
  readKrb5Config,
  realmForHost,
} from '../../src/config/index.js';

const conf = (text: string, filename = '/etc/krb5.conf') => readKrb5Config(parseProfile(text, { filename }));

const SAMPLE = `[libdefaults]
    default_realm = ATHENA.MIT.EDU
    dns_lookup_kdc = true
    dns_lookup_realm = false

[realms]
    ATHENA.MIT.EDU = {
        kdc = kerberos.mit.edu
        kdc = kerberos-1.mit.edu
        kdc = kerberos-2.mit.edu
        admin_server = kerberos.mit.edu
        primary_kdc = kerberos.mit.edu
    }
    EXAMPLE.COM = {
        kdc = kerberos.example.com
        kdc = kerberos-1.example.com
        admin_server = kerberos.example.com
        master_kdc = kerberos.example.com:8888
        kpasswd_server = kerberos.example.com
        default_domain = example.com
    }
    LOCAL = {
        kdc = /var/run/krb5kdc/kdc.sock
        kdc = tcp/[::1]:1088
    }

[domain_realm]
    crash.mit.edu = TEST.ATHENA.MIT.EDU
    .dev.mit.edu = TEST.ATHENA.MIT.EDU
    mit.edu = ATHENA.MIT.EDU

[capaths]
    ATHENA.MIT.EDU = {
           EXAMPLE.COM = .
    }
    TEST.ANL.GOV = {
        NERSC.GOV = ANL.GOV
        NERSC.GOV = ES.NET
    }
`;

describe('Krb5Config from the MIT sample', () => {
  const c = conf(SAMPLE);

  it('reads [libdefaults]', () => {
    expect(c.libdefaults.defaultRealm).toBe('ATHENA.MIT.EDU');
    expect(c.libdefaults.dnsLookupKdc).toBe(true);
    expect(c.libdefaults.dnsLookupRealm).toBe(false);
  });

  it('reads [realms] with every kdc in order and their addresses', () => {
    const athena = c.realms.get('ATHENA.MIT.EDU')!;
    expect(athena.kdc.map((k) => k.kind === 'host' && `${k.host}:${k.port}`)).toEqual([
      'kerberos.mit.edu:88',
      'kerberos-1.mit.edu:88',
      'kerberos-2.mit.edu:88',
    ]);
    expect(athena.adminServer).toEqual(['kerberos.mit.edu']);
    expect(athena.primaryKdc).toMatchObject([{ host: 'kerberos.mit.edu', port: 88 }]);
    const example = c.realms.get('EXAMPLE.COM')!;
    expect(example.primaryKdc).toMatchObject([{ host: 'kerberos.example.com', port: 8888 }]); // master_kdc
    expect(example.kpasswdServer).toMatchObject([{ host: 'kerberos.example.com', port: 464 }]);
    expect(example.defaultDomain).toBe('example.com');
    expect(c.realms.get('LOCAL')!.kdc).toMatchObject([
      { kind: 'unix', path: '/var/run/krb5kdc/kdc.sock' },
      { kind: 'host', transport: 'tcp', host: '::1', port: 1088 },
    ]);
    expect([...c.realms.keys()]).toEqual(['ATHENA.MIT.EDU', 'EXAMPLE.COM', 'LOCAL']);
  });

  it('reads [domain_realm] and [capaths]', () => {
    expect(c.domainRealm.map((r) => [r.domain, r.realm])).toEqual([
      ['crash.mit.edu', 'TEST.ATHENA.MIT.EDU'],
      ['.dev.mit.edu', 'TEST.ATHENA.MIT.EDU'],
      ['mit.edu', 'ATHENA.MIT.EDU'],
    ]);
    expect(c.domainRealm[0]!.origin).toEqual({ file: '/etc/krb5.conf', line: 28 });
    expect(c.capaths.get('ATHENA.MIT.EDU')?.get('EXAMPLE.COM')).toEqual(['.']);
    expect(c.capaths.get('TEST.ANL.GOV')?.get('NERSC.GOV')).toEqual(['ANL.GOV', 'ES.NET']);
  });

  it('maps hosts to realms as krb5.conf(5) [domain_realm] describes', () => {
    expect(realmForHost(c, 'crash.mit.edu')).toBe('TEST.ATHENA.MIT.EDU');
    expect(realmForHost(c, 'foo.dev.mit.edu')).toBe('TEST.ATHENA.MIT.EDU');
    expect(realmForHost(c, 'a.b.dev.mit.edu')).toBe('TEST.ATHENA.MIT.EDU');
    expect(realmForHost(c, 'dev.mit.edu')).toBe('ATHENA.MIT.EDU'); // ".dev" is for subdomains only
    expect(realmForHost(c, 'mit.edu')).toBe('ATHENA.MIT.EDU');
    expect(realmForHost(c, 'www.mit.edu')).toBe('ATHENA.MIT.EDU');
    expect(realmForHost(c, 'CRASH.MIT.EDU.')).toBe('TEST.ATHENA.MIT.EDU'); // lower-cased, final dot dropped
    expect(realmForHost(c, 'example.org')).toBeUndefined();
    expect(realmForHost(c, 'notmit.edu')).toBeUndefined();
    expect(realmForHost(c, '18.9.22.69')).toBeUndefined();
    expect(realmForHost(c, '::1')).toBeUndefined();
    expect(realmForHost(c, '')).toBeUndefined();
  });

  it('falls back to the upper-cased domain, or default_realm', () => {
    expect(fallbackRealmForHost(c, 'host.example.org')).toBe('EXAMPLE.ORG');
    expect(fallbackRealmForHost(c, 'a.b.example.org')).toBe('B.EXAMPLE.ORG');
    expect(fallbackRealmForHost(c, 'localhost')).toBe('ATHENA.MIT.EDU');
    expect(fallbackRealmForHost(c, '10.1.2.3')).toBe('ATHENA.MIT.EDU');
  });
});

describe('defaults where the file is silent', () => {
  it('gives MIT defaults and AES-only enctypes', () => {
    const d = defaultKrb5Config().libdefaults;
    expect(d).toMatchObject({
      defaultRealm: undefined,
      dnsLookupKdc: true,
      dnsLookupRealm: false,
      udpPreferenceLimit: 1465,
      allowWeakCrypto: false,
      clockskew: 300,
      forwardable: false,
      proxiable: false,
      renewLifetime: 0,
      ticketLifetime: 86400,
      rdns: true,
      dnsCanonicalizeHostname: true,
      canonicalize: false,
      noaddresses: true,
      kdcTimeout: 3,
      maxRetries: 3,
      requestTimeout: 0,
    });
    expect(d.permittedEnctypes).toEqual(DEFAULT_ENCTYPES);
    expect(d.defaultTktEnctypes).toEqual([18, 17, 20, 19]);
    expect(d.defaultTgsEnctypes).toEqual([18, 17, 20, 19]);
    expect(defaultKrb5Config().realms.size).toBe(0);
  });

  it('default_tkt/tgs_enctypes default to permitted_enctypes (MIT >= 1.18)', () => {
    const c = conf(
      '[libdefaults]\npermitted_enctypes = aes256-sha2 aes256-cts\ndefault_tgs_enctypes = aes128-cts\n',
    );
    expect(c.libdefaults.permittedEnctypes).toEqual([20, 18]);
    expect(c.libdefaults.defaultTktEnctypes).toEqual([20, 18]);
    expect(c.libdefaults.defaultTgsEnctypes).toEqual([17]);
  });

  it('reads every libdefault PostNTLM uses', () => {
    const c = conf(`[libdefaults]
  default_realm = EXAMPLE.COM
  dns_lookup_kdc = no
  dns_lookup_realm = yes
  udp_preference_limit = 1
  clockskew = 5m
  forwardable = true
  proxiable = 1
  renew_lifetime = 7d
  ticket_lifetime = 10h 30m
  rdns = false
  dns_canonicalize_hostname = fallback
  canonicalize = on
  noaddresses = off
  kdc_timeout = 2
  max_retries = 1
  request_timeout = 1m
  allow_weak_crypto = true
`);
    expect(c.libdefaults).toMatchObject({
      defaultRealm: 'EXAMPLE.COM',
      dnsLookupKdc: false,
      dnsLookupRealm: true,
      udpPreferenceLimit: 1,
      clockskew: 300,
      forwardable: true,
      proxiable: true,
      renewLifetime: 7 * 86400,
      ticketLifetime: 37800,
      rdns: false,
      dnsCanonicalizeHostname: 'fallback',
      canonicalize: true,
      noaddresses: false,
      kdcTimeout: 2,
      maxRetries: 1,
      requestTimeout: 60,
      allowWeakCrypto: true,
    });
  });

  it('clamps udp_preference_limit as MIT does', () => {
    expect(conf('[libdefaults]\nudp_preference_limit = -5\n').libdefaults.udpPreferenceLimit).toBe(1465);
    expect(conf('[libdefaults]\nudp_preference_limit = 100000\n').libdefaults.udpPreferenceLimit).toBe(32700);
    expect(conf('[libdefaults]\nudp_preference_limit = 0\n').libdefaults.udpPreferenceLimit).toBe(0);
  });

  it('takes the first of repeated relations, as profile_get_string does', () => {
    expect(conf('[libdefaults]\nclockskew = 60\nclockskew = 120\n').libdefaults.clockskew).toBe(60);
  });

  it('applies a realm subsection of [libdefaults] over the general values', () => {
    const c = conf(
      '[libdefaults]\nforwardable = true\nclockskew = 60\nEXAMPLE.COM = {\n forwardable = false\n}\n',
    );
    expect(c.libdefaults.forwardable).toBe(true);
    expect(libdefaultsForRealm(c, 'EXAMPLE.COM')).toMatchObject({ forwardable: false, clockskew: 60 });
    expect(libdefaultsForRealm(c, 'OTHER.COM')).toBe(c.libdefaults);
  });
});

describe('Krb5ConfigError names the relation, file and line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['[libdefaults]\n\nclockskew = soon\n', 'libdefaults.clockskew', 3, /not a duration/],
    ['[libdefaults]\nforwardable = maybe\n', 'libdefaults.forwardable', 2, /not a boolean/],
    ['[libdefaults]\nudp_preference_limit = big\n', 'libdefaults.udp_preference_limit', 2, /integer/],
    [
      '[libdefaults]\ndefault_tkt_enctypes = des-cbc-crc des3-cbc-sha1\n',
      'libdefaults.default_tkt_enctypes',
      2,
      /no enctype that PostNTLM supports \(not supported or unknown: des-cbc-crc, des3-cbc-sha1\)/,
    ],
    ['[libdefaults]\npermitted_enctypes = DEFAULT -aes\n', 'libdefaults.permitted_enctypes', 2, /no enctype/],
    [
      '[libdefaults]\ndns_canonicalize_hostname = sometimes\n',
      'libdefaults.dns_canonicalize_hostname',
      2,
      /fallback/,
    ],
    ['[libdefaults]\nmax_retries = 0\n', 'libdefaults.max_retries', 2, /at least 1/],
    ['[realms]\nR = {\n  kdc = good\n  kdc = bad:99999\n}\n', 'realms.R.kdc', 4, /port 99999 out of range/],
    ['[realms]\nR = {\n  kdc = :88\n}\n', 'realms.R.kdc', 3, /no host name/],
  ];
  it.each(cases)('%j', (text, relation, line, reason) => {
    try {
      conf(text, '/etc/krb5.conf');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Krb5ConfigError);
      const e = error as Krb5ConfigError;
      expect(e.relation).toBe(relation);
      expect(e.line).toBe(line);
      expect(e.file).toBe('/etc/krb5.conf');
      expect(e.message).toMatch(
        new RegExp(`^/etc/krb5\\.conf:${line}: ${relation.replace(/\./g, '\\.')} = `),
      );
      expect(e.message).toMatch(reason);
    }
  });
});

describe('the interop KDC profile (tooling/interop/mit-kdc.sh, with its tabs)', () => {
  it('reads realm, KDC and enctypes', () => {
    const c = conf(`# client profile of the throw-away KDC in /tmp/x
[libdefaults]
\tdefault_realm = MIT.TEST
\tdns_lookup_kdc = false
\tdns_lookup_realm = false
\tdns_canonicalize_hostname = false
\trdns = false
\tudp_preference_limit = 1465
\tpermitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128
\tdefault_ccache_name = FILE:/tmp/x/ccache
\tforwardable = true

[realms]
\tMIT.TEST = {
\t\tkdc = 127.0.0.1:60088
\t}

[domain_realm]
\tlocalhost = MIT.TEST
\t.mit.test = MIT.TEST
`);
    expect(c.libdefaults).toMatchObject({
      defaultRealm: 'MIT.TEST',
      dnsLookupKdc: false,
      rdns: false,
      forwardable: true,
    });
    expect(c.libdefaults.permittedEnctypes).toEqual([18, 17, 20, 19]);
    expect(c.realms.get('MIT.TEST')?.kdc).toMatchObject([
      { kind: 'host', transport: 'any', host: '127.0.0.1', port: 60088 },
    ]);
    expect(realmForHost(c, 'samba.mit.test')).toBe('MIT.TEST');
    expect(realmForHost(c, 'localhost')).toBe('MIT.TEST');
  });
});
