import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile, readKrb5Config } from '../../src/config/index.js';
import {
  isResponseTooBig,
  KdcNotFoundError,
  kdcSrvName,
  krbErrorCode,
  locateKdcs,
  type SrvRecord,
  type SrvResolver,
  sortSrvRecords,
  summarizeKrbError,
} from '../../src/locator/index.js';
import { buildAsReq, buildKrbError } from './messages.js';

const conf = (text: string) => readKrb5Config(parseProfile(text));

function fakeResolver(
  table: Record<string, readonly SrvRecord[] | Error>,
): SrvResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolveSrv(name) {
      asked.push(name);
      const r = table[name];
      if (r instanceof Error) throw r;
      return r ?? [];
    },
  };
}

describe('locateKdcs', () => {
  it("takes the realm's kdc entries from krb5.conf, in order, without asking DNS", async () => {
    const c = conf(
      '[realms]\nR = {\n kdc = b.example:750\n kdc = tcp/a.example\n kdc = /run/kdc.sock\n primary_kdc = p.example\n}\n',
    );
    const resolver = fakeResolver({});
    const kdcs = await locateKdcs('R', c, { resolver });
    expect(kdcs.map((k) => [k.source, k.address.spec])).toEqual([
      ['config', 'b.example:750'],
      ['config', 'tcp/a.example'],
      ['config', '/run/kdc.sock'],
    ]);
    expect(resolver.asked).toEqual([]);
    expect((await locateKdcs('R', c, { resolver, primary: true })).map((k) => k.address.spec)).toEqual([
      'p.example',
    ]);
  });

  it('asks DNS SRV (_udp then _tcp), sorted by priority then weight, when the realm lists no KDC', async () => {
    const resolver = fakeResolver({
      '_kerberos._udp.EXAMPLE.COM.': [
        { name: 'kdc3.example.com.', port: 88, priority: 10, weight: 0 },
        { name: 'kdc1.example.com.', port: 88, priority: 0, weight: 10 },
        { name: 'kdc2.example.com', port: 8888, priority: 0, weight: 50 },
      ],
      '_kerberos._tcp.EXAMPLE.COM.': [{ name: 'kdc1.example.com.', port: 88, priority: 0, weight: 0 }],
    });
    const kdcs = await locateKdcs('EXAMPLE.COM', conf('[libdefaults]\ndns_lookup_kdc = true\n'), {
      resolver,
    });
    expect(resolver.asked).toEqual(['_kerberos._udp.EXAMPLE.COM.', '_kerberos._tcp.EXAMPLE.COM.']);
    expect(
      kdcs.map(
        (k) => k.address.kind === 'host' && `${k.address.transport}/${k.address.host}:${k.address.port}`,
      ),
    ).toEqual([
      'udp/kdc2.example.com:8888',
      'udp/kdc1.example.com:88',
      'udp/kdc3.example.com:88',
      'tcp/kdc1.example.com:88',
    ]);
    expect(kdcs.every((k) => k.source === 'dns')).toBe(true);
  });

  it('uses DNS by default (dns_lookup_kdc defaults to true) and for realms with an empty subsection', async () => {
    const resolver = fakeResolver({ '_kerberos._tcp.R.': [{ name: 'k', port: 88, priority: 0, weight: 0 }] });
    expect(await locateKdcs('R', conf('[realms]\nR = {\n admin_server = a\n}\n'), { resolver })).toHaveLength(
      1,
    );
  });

  it('explains why no KDC was found', async () => {
    await expect(locateKdcs('NOPE', conf('[libdefaults]\ndns_lookup_kdc = false\n'))).rejects.toThrow(
      new KdcNotFoundError('NOPE', 'realm NOPE is not in [realms], and dns_lookup_kdc is false'),
    );
    await expect(
      locateKdcs('R', conf('[libdefaults]\ndns_lookup_kdc = false\n[realms]\nR = {\n}\n')),
    ).rejects.toThrow(/\[realms\] R has no kdc, and dns_lookup_kdc is false/);
    const servfail = fakeResolver({
      '_kerberos._udp.R.': new Error('queryA ESERVFAIL'),
      '_kerberos._tcp.R.': [],
    });
    await expect(locateKdcs('R', conf(''), { resolver: servfail })).rejects.toThrow(
      /DNS gave none \(_kerberos\._udp\.R\.: queryA ESERVFAIL\)/,
    );
    await expect(locateKdcs('R', conf(''), { resolver: fakeResolver({}) })).rejects.toThrow(/no SRV records/);
    await expect(locateKdcs('BAD REALM', conf(''), { resolver: fakeResolver({}) })).rejects.toThrow(
      /cannot be looked up in DNS/,
    );
  });

  it('drops "service not available" (target ".") and bad ports', () => {
    expect(
      sortSrvRecords([
        { name: '.', port: 0, priority: 0, weight: 0 },
        { name: 'x', port: 0, priority: 0, weight: 0 },
        { name: 'y.', port: 70000, priority: 0, weight: 0 },
        { name: 'z.', port: 88, priority: 1, weight: 0 },
      ]),
    ).toEqual([{ name: 'z', port: 88, priority: 1, weight: 0 }]);
    expect(kdcSrvName('EXAMPLE.COM', 'udp')).toBe('_kerberos._udp.EXAMPLE.COM.');
    expect(kdcSrvName('EXAMPLE.COM.', 'tcp')).toBe('_kerberos._tcp.EXAMPLE.COM.');
  });
});

describe('KRB-ERROR detection', () => {
  it('reads the error code, realm and e-text', () => {
    expect(
      summarizeKrbError(buildKrbError(52, 'EXAMPLE.COM', 'Response too big for UDP, retry with TCP')),
    ).toEqual({
      errorCode: 52,
      realm: 'EXAMPLE.COM',
      eText: 'Response too big for UDP, retry with TCP',
    });
    expect(isResponseTooBig(buildKrbError(52))).toBe(true);
    expect(isResponseTooBig(buildKrbError(25))).toBe(false);
    expect(krbErrorCode(buildKrbError(29))).toBe(29);
  });

  it('says no for anything that is not a KRB-ERROR', () => {
    expect(isResponseTooBig(buildAsReq('a', 'R'))).toBe(false);
    expect(isResponseTooBig(new Uint8Array(0))).toBe(false);
    expect(isResponseTooBig(Uint8Array.of(0x7e))).toBe(false);
    const truncated = buildKrbError(52).subarray(0, 30);
    expect(isResponseTooBig(truncated)).toBe(false);
    const trailing = Uint8Array.from([...buildKrbError(52), 0]);
    expect(isResponseTooBig(trailing)).toBe(false);
  });

  it('never throws on random or mutated input', () => {
    const base = buildKrbError(52, 'EXAMPLE.COM', 'x');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(base.length - 1),
        fc.integer({ min: 0, max: 255 }),
        (random, at, byte) => {
          const mutated = base.slice();
          mutated[at] = byte;
          for (const input of [random, mutated, Uint8Array.from([0x7e, ...random])]) {
            const v = isResponseTooBig(input);
            expect(typeof v).toBe('boolean');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
