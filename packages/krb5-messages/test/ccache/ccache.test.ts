import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Ccache,
  CcacheFormatError,
  type Credential,
  DecodeError,
  decode,
  EncodeError,
  KeytabFormatError,
  loadCcache,
  parsePrincipal,
  readCcache,
  saveCcache,
  Ticket,
  ticketFlagNames,
  unparsePrincipal,
  writeCcache,
} from '../../src/index.js';
import { Builder, hex, thrown, toHex } from '../keytab/build.js';

const fixture = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(new URL(`./fixtures/${name}`, import.meta.url)));

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const cred = (over: Partial<Credential> = {}): Credential => ({
  client: parsePrincipal('alice@R'),
  server: parsePrincipal('krbtgt/R@R'),
  key: { enctype: 18, bytes: new Uint8Array(32).fill(7) },
  authtime: new Date(1_700_000_000_000),
  starttime: new Date(1_700_000_001_000),
  endtime: new Date(1_700_036_000_000),
  renewTill: new Date(1_700_600_000_000),
  isSkey: false,
  ticketFlags: 0x40e10000,
  addresses: [{ addrType: 2, address: Uint8Array.of(127, 0, 0, 1) }],
  authdata: [{ adType: -5, adData: Uint8Array.of(1, 2) }],
  ticket: Uint8Array.of(0x61, 0x00),
  secondTicket: new Uint8Array(0),
  ...over,
});

describe('readCcache on MIT-written files (kinit alice + kvno cifs/localhost)', () => {
  for (const version of [1, 2, 3, 4] as const) {
    it(`reads version ${version} and writes it back byte for byte`, async () => {
      const bytes = await fixture(`mit-v${version}.ccache`);
      const cc = readCcache(bytes, { byteOrder: 'little' });
      expect(cc.version).toBe(version);
      expect(unparsePrincipal(cc.defaultPrincipal)).toBe('alice@MIT.TEST');
      expect(cc.defaultPrincipal.name.nameType).toBe(version === 1 ? 0 : 1);
      if (version === 4) expect(cc.kdcTimeOffset).toEqual({ seconds: 0, microseconds: 0 });
      else expect(cc).not.toHaveProperty('kdcTimeOffset');

      // klist -C: config: fast_avail(krbtgt/MIT.TEST@MIT.TEST) = yes, pa_type(...) = 2
      expect(
        cc.config.map((c) => [c.key, c.principal && unparsePrincipal(c.principal), text(c.value)]),
      ).toEqual([
        ['fast_avail', 'krbtgt/MIT.TEST@MIT.TEST', 'yes'],
        ['pa_type', 'krbtgt/MIT.TEST@MIT.TEST', '2'],
      ]);
      expect(cc.config[0]!.client).toEqual(cc.defaultPrincipal);

      const [tgt, cifs] = cc.credentials;
      expect(cc.credentials).toHaveLength(2);
      expect(unparsePrincipal(tgt!.server)).toBe('krbtgt/MIT.TEST@MIT.TEST');
      expect(unparsePrincipal(cifs!.server)).toBe('cifs/localhost@MIT.TEST');
      // klist -e -f: Flags: FRIA and FRAT, Etype (skey, tkt): aes256-cts-hmac-sha1-96 (klist has
      // no letter for enc-pa-rep, RFC 6113 bit 15, which MIT's KDC sets on the TGT)
      expect(tgt!.ticketFlags).toBe(0x40e10000);
      expect(ticketFlagNames(tgt!.ticketFlags)).toEqual([
        'forwardable',
        'renewable',
        'initial',
        'preAuthent',
        'encPaRep',
      ]);
      expect(cifs!.ticketFlags).toBe(0x40a90000);
      expect(ticketFlagNames(cifs!.ticketFlags)).toEqual([
        'forwardable',
        'renewable',
        'preAuthent',
        'transitedPolicyChecked',
        'encPaRep',
      ]);
      expect(tgt!.key.enctype).toBe(18);
      expect(tgt!.key.bytes).toHaveLength(32);
      expect(tgt!.starttime).toEqual(tgt!.authtime);
      expect(tgt!.endtime.getTime() - tgt!.authtime.getTime()).toBe(10 * 3600_000);
      expect(tgt!.renewTill!.getTime() - tgt!.authtime.getTime()).toBe(24 * 3600_000);
      expect(tgt!.isSkey).toBe(false);
      expect(tgt!.addresses).toEqual([]);
      expect(tgt!.authdata).toEqual([]);
      expect(tgt!.secondTicket).toHaveLength(0);
      const ticket = decode(Ticket, tgt!.ticket);
      expect(ticket.sname.nameString).toEqual(['krbtgt', 'MIT.TEST']);
      expect(ticket.encPart.etype).toBe(18);

      expect(toHex(writeCcache(cc, { byteOrder: 'little' }))).toBe(toHex(bytes));
    });
  }

  it('reads every version to the same credentials', async () => {
    const all = await Promise.all(
      [1, 2, 3, 4].map(async (v) => readCcache(await fixture(`mit-v${v}.ccache`), { byteOrder: 'little' })),
    );
    const summary = (cc: Ccache) =>
      cc.credentials.map((c) => [unparsePrincipal(c.server), c.key.enctype, c.ticketFlags, c.ticket.length]);
    for (const cc of all) expect(summary(cc)).toEqual(summary(all[3]!));
  });

  it('version 1 read in the wrong byte order fails cleanly', async () => {
    const bytes = await fixture('mit-v1.ccache');
    expect(thrown(() => readCcache(bytes, { byteOrder: 'big' }))).toBeInstanceOf(CcacheFormatError);
  });
});

describe('writeCcache / readCcache round trips', () => {
  const cache = {
    defaultPrincipal: parsePrincipal('alice@R'),
    credentials: [cred()],
    config: [
      { key: 'fast_avail', principal: parsePrincipal('krbtgt/R@R'), value: new TextEncoder().encode('yes') },
      { key: 'start_realm', value: new TextEncoder().encode('R') },
    ],
  };

  it('writes version 4 by default, with the tag only when there is an offset', () => {
    const bytes = writeCcache(cache);
    expect(toHex(bytes.subarray(0, 4))).toBe('05040000');
    const withOffset = writeCcache({ ...cache, kdcTimeOffset: { seconds: -300, microseconds: 12 } });
    expect(toHex(withOffset.subarray(0, 16))).toBe('0504000c00010008fffffed40000000c');
    expect(readCcache(withOffset).kdcTimeOffset).toEqual({ seconds: -300, microseconds: 12 });
  });

  for (const version of [1, 2, 3, 4] as const) {
    for (const byteOrder of ['little', 'big'] as const) {
      it(`round-trips version ${version} (${byteOrder})`, () => {
        const c1 = cred();
        const c2 = cred({ isSkey: true, secondTicket: Uint8Array.of(0x61, 1, 0) });
        delete c2.starttime;
        delete c2.renewTill;
        const bytes = writeCcache({ ...cache, version, credentials: [c1, c2] }, { byteOrder });
        const back = readCcache(bytes, { byteOrder });
        const nt = (p: typeof c1.client) => (version === 1 ? { ...p, name: { ...p.name, nameType: 0 } } : p);
        expect(back.credentials).toEqual([
          { ...c1, client: nt(c1.client), server: nt(c1.server) },
          { ...c2, client: nt(c2.client), server: nt(c2.server) },
        ]);
        expect(back.config.map((c) => c.key)).toEqual(['fast_avail', 'start_realm']);
        expect(back.config[1]).not.toHaveProperty('principal');
        expect(toHex(writeCcache(back, { byteOrder }))).toBe(toHex(bytes));
      });
    }
  }

  it('writes configuration entries as MIT does: zeroed fields, NT-PRINCIPAL server', () => {
    const bytes = writeCcache({
      defaultPrincipal: parsePrincipal('a@R'),
      credentials: [],
      config: [{ key: 'pa_type', principal: parsePrincipal('krbtgt/R@R'), value: Uint8Array.of(0x32) }],
    });
    const b = new Builder()
      .u16(0x0504)
      .u16(0)
      .u32(1)
      .u32(1)
      .str32('R')
      .str32('a')
      // client, server
      .u32(1)
      .u32(1)
      .str32('R')
      .str32('a')
      .u32(1)
      .u32(3)
      .str32('X-CACHECONF:')
      .str32('krb5_ccache_conf_data')
      .str32('pa_type')
      .str32('krbtgt/R@R')
      // keyblock, 4 times, is_skey, flags, addresses, authdata
      .u16(0)
      .u32(0)
      .raw(new Uint8Array(16))
      .u8(0)
      .u32(0)
      .u32(0)
      .u32(0)
      .str32('2')
      .u32(0);
    expect(toHex(bytes)).toBe(toHex(b.bytes()));
  });
});

describe('malformed credential caches', () => {
  const bad = (bytes: Uint8Array): CcacheFormatError => {
    const e = thrown(() => readCcache(bytes));
    expect(e).toBeInstanceOf(CcacheFormatError);
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).not.toBeInstanceOf(KeytabFormatError);
    return e as CcacheFormatError;
  };

  it('rejects a wrong start', () => {
    expect(bad(hex('05')).message).toContain('too short');
    expect(bad(hex('0604')).message).toContain('first byte is 6');
    expect(bad(hex('0505')).message).toContain('unsupported version 0x0505');
    expect(bad(hex('0500')).message).toContain('unsupported version 0x0500');
    expect(bad(hex('0504 0000')).path).toBe('ccache.defaultPrincipal');
  });

  it('rejects truncation anywhere in an MIT file but between entries', async () => {
    const bytes = await fixture('mit-v4.ccache');
    let whole = 0;
    for (let n = 0; n < bytes.length; n++) {
      const cut = bytes.subarray(0, n);
      let cc: Ccache;
      try {
        cc = readCcache(cut);
      } catch (e) {
        expect(e).toBeInstanceOf(CcacheFormatError);
        expect((e as CcacheFormatError).offset).toBeLessThanOrEqual(n);
        continue;
      }
      // The file has no count: a cut between entries is a shorter, valid cache.
      expect(toHex(writeCcache(cc))).toBe(toHex(cut));
      whole++;
    }
    expect(whole).toBe(4); // after the default principal and after each of the first 3 entries
  });

  it('checks the header fields', () => {
    expect(bad(hex('0504 0003 000100')).message).toContain('header field needs 4 bytes');
    expect(bad(hex('0504 0008 0001 0008 00000000')).message).toContain(
      'header field of 8 bytes, header has 4',
    );
    expect(bad(hex('0504 0008 0001 0004 00000000')).message).toContain('not 8');
    // unknown tags are skipped
    const p = new Builder().u32(1).u32(1).str32('R').str32('a').bytes();
    const cc = readCcache(new Builder().u16(0x0504).u16(7).u16(9).u16(3).raw([1, 2, 3]).raw(p).bytes());
    expect(unparsePrincipal(cc.defaultPrincipal)).toBe('a@R');
    expect(cc).not.toHaveProperty('kdcTimeOffset');
  });

  it('rejects counts and lengths that cannot fit, before allocating', () => {
    expect(bad(hex('0504 0000 00000001 ffffffff')).message).toContain(
      'component count 4294967295 cannot fit',
    );
    expect(bad(hex('0504 0000 00000001 00000000 ffffffff')).message).toContain(
      'realm: needs 4294967295 bytes',
    );
    expect(bad(hex('0501 00000000')).message).toContain('version 1 counts the realm');
  });

  it('rejects is_skey other than 0 or 1, and odd configuration entries', () => {
    const base = writeCcache({ defaultPrincipal: parsePrincipal('a@R'), credentials: [cred()] });
    // from the end: second_ticket 4, ticket 4+2, authdata 4+2+4+2, addresses 4+2+4+4, flags 4
    const skeyAt = base.length - (4 + 6 + 12 + 14 + 4) - 1;
    expect(base[skeyAt]).toBe(0);
    const mutated = base.slice();
    mutated[skeyAt] = 2;
    const e = bad(mutated);
    expect(e.message).toContain('is_skey is 2');
    expect(e.path).toBe('ccache[0]');

    const odd = writeCcache({
      defaultPrincipal: parsePrincipal('a@R'),
      credentials: [
        cred({
          server: { realm: 'X-CACHECONF:', name: { nameType: 1, nameString: ['krb5_ccache_conf_data'] } },
        }),
      ],
    });
    expect(bad(odd).message).toContain('1 name components');
    const unparsable = writeCcache({
      defaultPrincipal: parsePrincipal('a@R'),
      credentials: [
        cred({
          server: {
            realm: 'X-CACHECONF:',
            name: { nameType: 1, nameString: ['krb5_ccache_conf_data', 'k', 'a@b@c'] },
          },
        }),
      ],
    });
    expect(bad(unparsable).message).toContain('second unquoted "@"');
    // another X-CACHECONF: name is an ordinary credential
    const other = writeCcache({
      defaultPrincipal: parsePrincipal('a@R'),
      credentials: [
        cred({ server: { realm: 'X-CACHECONF:', name: { nameType: 1, nameString: ['other'] } } }),
      ],
    });
    expect(readCcache(other).credentials).toHaveLength(1);
  });
});

describe('writeCcache refuses what MIT cannot store', () => {
  const base = { defaultPrincipal: parsePrincipal('a@R') };
  it.each([
    ['a 17-bit address type', cred({ addresses: [{ addrType: 0x10000, address: new Uint8Array(0) }] })],
    ['a 17-bit authdata type', cred({ authdata: [{ adType: 0x8000, adData: new Uint8Array(0) }] })],
    ['an authtime before 1970', cred({ authtime: new Date(-1) })],
    ['an endtime after 2106', cred({ endtime: new Date(2 ** 32 * 1000) })],
    ['flags beyond 32 bits', cred({ ticketFlags: 2 ** 32 })],
    ['a 32-bit enctype', cred({ key: { enctype: 0x10000, bytes: new Uint8Array(0) } })],
  ])('%s', (_what, c) => {
    expect(thrown(() => writeCcache({ ...base, credentials: [c] }))).toBeInstanceOf(EncodeError);
  });
  it('version 5', () => {
    expect(thrown(() => writeCcache({ ...base, credentials: [], version: 5 as never }))).toBeInstanceOf(
      EncodeError,
    );
  });
});

describe('loadCcache / saveCcache', () => {
  it('writes atomically with mode 0600 and reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'postntlm-cc-'));
    try {
      const path = join(dir, 'cc');
      const cc = readCcache(await fixture('mit-v4.ccache'));
      await saveCcache(path, cc);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await loadCcache(path)).toEqual(cc);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
