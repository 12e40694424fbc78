/**
 * Real peer: MIT Kerberos 1.20 (kinit, kvno, klist) writes the credential caches we read
 * and reads and uses the ones we write.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kvno, useMitKdc } from '@postntlm/interop';
import { describe, expect, it } from 'vitest';
import {
  type Ccache,
  decode,
  loadCcache,
  readCcache,
  saveCcache,
  Ticket,
  unparsePrincipal,
  writeCcache,
} from '../../src/index.js';
import { toHex } from '../keytab/build.js';
import {
  enctypeName,
  KLIST_ENV,
  type KlistCache,
  klistFlags,
  klistTime,
  parseKlistCache,
} from '../keytab/klist.js';

const kdc = useMitKdc();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function klist(path: string): Promise<{ parsed: KlistCache; stdout: string }> {
  const r = await kdc().run('klist', ['-e', '-f', '-C'], {
    env: { ...KLIST_ENV, KRB5CCNAME: `FILE:${path}` },
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { parsed: parseKlistCache(r.stdout), stdout: r.stdout };
}

/** What klist -e -f -C should print for our reading of a cache. */
function asKlist(cc: Ccache): KlistCache {
  return {
    defaultPrincipal: unparsePrincipal(cc.defaultPrincipal),
    creds: cc.credentials.map((c) => {
      const out: KlistCache['creds'][number] = {
        start: klistTime(c.starttime ?? c.authtime),
        end: klistTime(c.endtime),
        server: unparsePrincipal(c.server),
        flags: klistFlags(c.ticketFlags),
        skey: enctypeName(c.key.enctype),
        tkt: enctypeName(decode(Ticket, c.ticket).encPart.etype),
      };
      if (c.renewTill !== undefined) out.renewUntil = klistTime(c.renewTill);
      return out;
    }),
    config: cc.config.map(
      (e) => `config: ${e.key}${e.principal ? `(${unparsePrincipal(e.principal)})` : ''} = ${text(e.value)}`,
    ),
  };
}

/** kinit alice + kvno cifs/localhost into a fresh cache of the given MIT format version. */
async function mitCache(name: string, version = 4): Promise<string> {
  const path = join(kdc().dir, name);
  const conf = join(kdc().dir, `krb5-ccache-v${version}.conf`);
  await writeFile(
    conf,
    `${await readFile(kdc().env.KRB5_CONFIG!, 'utf8')}\n[libdefaults]\n\tccache_type = ${version}\n`,
  );
  const options = { ccache: `FILE:${path}` };
  const k = await kdc().run('kinit', ['alice'], {
    input: `${kdc().passwords.alice}\n`,
    env: { KRB5CCNAME: options.ccache, KRB5_CONFIG: conf },
  });
  expect(k.code).toBe(0);
  const v = await kdc().run('kvno', ['cifs/localhost'], {
    env: { KRB5CCNAME: options.ccache, KRB5_CONFIG: conf },
  });
  expect(v.stdout.trim()).toBe('cifs/localhost@MIT.TEST: kvno = 1');
  return path;
}

describe('reading caches MIT wrote (kinit alice; kvno cifs/localhost)', () => {
  for (const version of [4, 3, 2, 1]) {
    it(`version ${version}: the fields klist -e -f -C prints, and MIT's bytes back from our writer`, async () => {
      const path = await mitCache(`mit-v${version}.ccache`, version);
      const bytes = new Uint8Array(await readFile(path));
      const cc = readCcache(bytes);
      expect(cc.version).toBe(version);
      const mit = await klist(path);
      expect(mit.parsed.creds).toHaveLength(2);
      expect(mit.parsed.config).toEqual([
        'config: fast_avail(krbtgt/MIT.TEST@MIT.TEST) = yes',
        'config: pa_type(krbtgt/MIT.TEST@MIT.TEST) = 2',
      ]);
      expect(asKlist(cc)).toEqual(mit.parsed);
      // exact seconds too: kinit's authtime and starttime are the same second, life 10 h, renewable 1 day
      const tgt = cc.credentials[0]!;
      expect(tgt.starttime).toEqual(tgt.authtime);
      expect(tgt.endtime.getTime() - tgt.authtime.getTime()).toBe(36_000_000);
      expect(Math.abs(tgt.authtime.getTime() - Date.now())).toBeLessThan(120_000);
      expect(toHex(writeCcache(cc))).toBe(toHex(bytes));
    });
  }
});

describe('caches we write, read and used by MIT', () => {
  it("a round trip of kinit's cache lists identically and its TGT gets MIT a host/localhost ticket", async () => {
    const mitPath = await mitCache('mit-roundtrip.ccache');
    const cc = await loadCcache(mitPath);
    const ours = join(kdc().dir, 'ours-roundtrip.ccache');
    await saveCcache(ours, cc);
    expect(toHex(new Uint8Array(await readFile(ours)))).toBe(toHex(new Uint8Array(await readFile(mitPath))));
    const a = await klist(mitPath);
    const b = await klist(ours);
    const body = (s: string) => s.split('\n').filter((l) => !l.startsWith('Ticket cache:'));
    expect(body(b.stdout)).toEqual(body(a.stdout));

    const r = await kvno(kdc(), ['host/localhost'], { ccache: `FILE:${ours}` });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('host/localhost@MIT.TEST: kvno = 1');
    expect(r.code).toBe(0);
    // MIT appended its new ticket to our file; we read the result
    const after = await loadCcache(ours);
    expect(after.credentials.map((c) => unparsePrincipal(c.server))).toEqual([
      'krbtgt/MIT.TEST@MIT.TEST',
      'cifs/localhost@MIT.TEST',
      'host/localhost@MIT.TEST',
    ]);
  });

  it('a cache we compose (TGT only, our own config entries and time offset) works for MIT', async () => {
    const cc = await loadCcache(await mitCache('mit-compose.ccache'));
    const tgt = cc.credentials.find((c) => c.server.name.nameString[0] === 'krbtgt')!;
    const ours = join(kdc().dir, 'ours-composed.ccache');
    const enc = new TextEncoder();
    await saveCcache(ours, {
      defaultPrincipal: cc.defaultPrincipal,
      kdcTimeOffset: { seconds: 0, microseconds: 0 },
      config: [
        { key: 'start_realm', value: enc.encode('MIT.TEST') },
        { key: 'pa_type', principal: tgt.server, value: enc.encode('2') },
      ],
      credentials: [tgt],
    });
    const mit = await klist(ours);
    expect(mit.parsed.config).toEqual([
      'config: start_realm = MIT.TEST',
      'config: pa_type(krbtgt/MIT.TEST@MIT.TEST) = 2',
    ]);
    expect(mit.parsed.creds.map((c) => c.server)).toEqual(['krbtgt/MIT.TEST@MIT.TEST']);
    expect(mit.parsed.creds[0]!.flags).toBe('FRIA');

    for (const service of ['host/localhost', 'cifs/localhost']) {
      const r = await kvno(kdc(), [service], { ccache: `FILE:${ours}` });
      expect(r.stdout.trim()).toBe(`${service}@MIT.TEST: kvno = 1`);
      expect(r.code).toBe(0);
    }
    // kinit's own check that the cache is usable: klist -s exits 0 for a cache with a valid TGT
    expect((await kdc().run('klist', ['-s'], { env: { KRB5CCNAME: `FILE:${ours}` } })).code).toBe(0);
  });

  for (const version of [3, 2, 1] as const) {
    it(`MIT reads and uses a version ${version} cache we write from its version 4 cache`, async () => {
      const cc = await loadCcache(await mitCache(`mit-for-v${version}.ccache`));
      const ours = join(kdc().dir, `ours-v${version}.ccache`);
      await saveCcache(ours, { ...cc, version });
      const bytes = new Uint8Array(await readFile(ours));
      expect(bytes[1]).toBe(version);
      const mit = await klist(ours);
      expect(mit.parsed).toEqual(asKlist(cc));
      const r = await kvno(kdc(), ['host/localhost'], { ccache: `FILE:${ours}` });
      expect(r.stdout.trim()).toBe('host/localhost@MIT.TEST: kvno = 1');
    });
  }

  it('kinit into a cache that we then read after MIT rewrote it (kinit -R renews in place)', async () => {
    const path = await mitCache('mit-renew.ccache');
    const before = await loadCcache(path);
    await saveCcache(path, before);
    const r = await kdc().run('kinit', ['-R'], { env: { KRB5CCNAME: `FILE:${path}` } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = await loadCcache(path);
    expect(after.credentials).toHaveLength(1);
    expect(unparsePrincipal(after.credentials[0]!.server)).toBe('krbtgt/MIT.TEST@MIT.TEST');
    expect(after.credentials[0]!.ticket).not.toEqual(before.credentials[0]!.ticket);
  });
});
