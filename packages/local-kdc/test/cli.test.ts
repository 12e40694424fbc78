/** The `lkdc` CLI in-process: every command, its output, its JSON and its exit codes. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAsExchange, runExchange, TcpTransport } from '@postntlm/krb5-client';
import { loadKeytab, unparsePrincipal } from '@postntlm/krb5-messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

let dir: string;
let state: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lkdc-cli-'));
  state = join(dir, 'state');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function lkdc(
  args: string[],
  options: { stdin?: string; signal?: AbortSignal; secrets?: string[] } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const secrets = [...(options.secrets ?? [])];
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => options.stdin ?? '',
    promptSecret: options.secrets === undefined ? undefined : async () => secrets.shift() ?? '',
    env: { HOME: dir },
    signal: options.signal,
  };
  const code = await main(args, io);
  return { code, out, err };
}

const S = () => ['--state', state];

async function setup(): Promise<string> {
  const r = await lkdc(['setup', ...S(), '--host', 'Files.Test', '--listen', 'tcp:127.0.0.1:0', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { realm: string }).realm;
}

describe('lkdc setup', () => {
  it('creates the realm, host and cifs services, a 0600 keytab and config, and prints next steps', async () => {
    const r = await lkdc(['setup', ...S(), '--host', 'files.test']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Realm LOCALKDC\.[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12} created in /,
    );
    expect(r.out).toContain('Next steps:');
    const realm = /Realm (\S+)/.exec(r.out)?.[1] as string;
    const keytab = await loadKeytab(join(state, 'service.keytab'));
    expect(new Set(keytab.map((e) => unparsePrincipal(e.principal)))).toEqual(
      new Set([`host/files.test@${realm}`, `cifs/files.test@${realm}`]),
    );
    expect((await stat(join(state, 'service.keytab'))).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(join(state, 'config.json'), 'utf8'));
    expect(config).toEqual({
      host: 'files.test',
      listen: [`unix:${join(state, 'kdc.sock')}`, 'tcp:127.0.0.1:88', 'udp:127.0.0.1:88'],
      audit: join(state, 'audit.log'),
    });
    const again = await lkdc(['setup', ...S()]);
    expect(again.code).toBe(3);
    expect(again.err).toContain('already holds a Local KDC database');
  });

  it('takes --realm (Windows NetBIOS style or HOST.LOCALKDC.SITE) and lower-cases the host', async () => {
    const realm = 'FILES.LOCALKDC.SITE';
    const r = await lkdc(['setup', ...S(), '--realm', realm, '--host', 'FILES', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ realm, host: 'files' });
    expect((await lkdc(['setup', '--state', join(dir, 'x'), '--host', 'bad host!'])).code).toBe(2);
    expect((await lkdc(['setup', '--state', join(dir, 'y'), '--listen', 'sctp:1'])).code).toBe(2);
  });
});

describe('lkdc principal', () => {
  it('adds users with --password-stdin (first line) or a prompt, and services with random keys', async () => {
    const realm = await setup();
    const add = await lkdc(['principal', 'add', 'alice', ...S(), '--password-stdin'], {
      stdin: 'alice-Passw0rd\nignored\n',
    });
    expect(add).toMatchObject({ code: 0, out: `Principal alice@${realm} added (kvno 1).\n` });
    const prompted = await lkdc(['principal', 'add', 'bob', ...S()], {
      secrets: ['bob-Passw0rd', 'bob-Passw0rd'],
    });
    expect(prompted.code).toBe(0);
    const mismatch = await lkdc(['principal', 'add', 'carol', ...S()], {
      secrets: ['carol-Passw0rd', 'other'],
    });
    expect(mismatch).toMatchObject({ code: 2, err: 'lkdc: the passwords differ\n' });
    const noTty = await lkdc(['principal', 'add', 'carol', ...S()]);
    expect(noTty.code).toBe(2);
    expect(noTty.err).toContain('--password-stdin or --random-key');
    const svc = await lkdc([
      'principal',
      'add',
      'http/www.test',
      ...S(),
      '--random-key',
      '--enctypes',
      'aes256-cts,20',
      '--json',
    ]);
    expect(svc.code).toBe(0);
    expect(JSON.parse(svc.out)).toMatchObject({
      name: `http/www.test@${realm}`,
      kind: 'service',
      keys: [
        { enctype: 18, kvno: 1, enctypeName: 'aes256-cts-hmac-sha1-96' },
        { enctype: 20, kvno: 1, enctypeName: 'aes256-cts-hmac-sha384-192' },
      ],
    });
    expect((await lkdc(['principal', 'add', 'alice', ...S(), '--random-key'])).code).toBe(5);
    expect(
      (await lkdc(['principal', 'add', 'dave', ...S(), '--password-stdin'], { stdin: 'short\n' })).code,
    ).toBe(2);
    expect(
      (await lkdc(['principal', 'add', 'dave', ...S(), '--random-key', '--enctypes', 'des-cbc-crc'])).code,
    ).toBe(2);
    expect(
      (await lkdc(['principal', 'add', 'dave', ...S(), '--random-key', '--user', '--service'])).code,
    ).toBe(2);
  });

  it('lists (glob, --json), shows, modifies, re-keys, aliases and deletes', async () => {
    const realm = await setup();
    await lkdc(['principal', 'add', 'erin', ...S(), '--password-stdin'], { stdin: 'erin-Passw0rd' });
    const list = await lkdc(['principal', 'list', ...S()]);
    expect(list.out.trim().split('\n')).toEqual([
      `cifs/files.test@${realm}`,
      `erin@${realm}`,
      `host/files.test@${realm}`,
      `krbtgt/${realm}@${realm}`,
    ]);
    const json = JSON.parse((await lkdc(['principal', 'list', 'e*', ...S(), '--json'])).out);
    expect(json).toEqual([
      { name: `erin@${realm}`, kind: 'user', kvno: 1, disabled: false, lockedOut: false },
    ]);

    const show = await lkdc(['principal', 'show', 'erin', ...S()]);
    expect(show.out).toMatch(/^Principal: +erin@/);
    expect(show.out).toMatch(/Attributes: +REQUIRES_PRE_AUTH DISALLOW_SVR\n/);
    expect(show.out).toMatch(/Maximum ticket life: +\(realm policy\)/);

    const mod = await lkdc([
      'principal',
      'modify',
      'erin',
      ...S(),
      '--disable',
      '--max-life',
      '10h',
      '--expires',
      '2030-01-01',
      '--json',
    ]);
    expect(mod.code).toBe(0);
    expect(JSON.parse(mod.out)).toMatchObject({
      disabled: true,
      maxLifeSeconds: 36000,
      expiresAt: '2030-01-01T00:00:00.000Z',
      attributes: ['REQUIRES_PRE_AUTH', 'DISALLOW_SVR', 'DISALLOW_ALL_TIX'],
    });
    const cleared = JSON.parse(
      (
        await lkdc([
          'principal',
          'modify',
          'erin',
          ...S(),
          '--enable',
          '--max-life',
          'none',
          '--expires',
          'never',
          '--json',
        ])
      ).out,
    );
    expect(cleared).toMatchObject({ disabled: false });
    expect(cleared.maxLifeSeconds).toBeUndefined();
    expect((await lkdc(['principal', 'modify', 'erin', ...S()])).code).toBe(2);
    expect((await lkdc(['principal', 'modify', 'erin', ...S(), '--disable', '--enable'])).code).toBe(2);
    expect((await lkdc(['principal', 'modify', 'erin', ...S(), '--max-life', 'soon'])).code).toBe(2);

    const passwd = await lkdc(['principal', 'passwd', 'erin', ...S(), '--password-stdin', '--json'], {
      stdin: 'erin-NewPassw0rd\n',
    });
    expect(JSON.parse(passwd.out)).toEqual({ name: `erin@${realm}`, kvno: 2 });
    const rekey = await lkdc(['principal', 'passwd', 'cifs/files.test', ...S(), '--random-key']);
    expect(rekey.out).toBe(`Keys of cifs/files.test@${realm} changed (kvno 2).\n`);

    expect((await lkdc(['principal', 'alias', 'cifs/files', 'cifs/files.test', ...S()])).code).toBe(0);
    expect((await lkdc(['principal', 'show', 'cifs/files', ...S()])).out).toContain(
      `Aliases:                cifs/files@${realm}`,
    );
    expect((await lkdc(['principal', 'unalias', 'cifs/files', ...S()])).code).toBe(0);
    expect((await lkdc(['principal', 'unalias', 'cifs/files', ...S()])).code).toBe(4);

    expect((await lkdc(['principal', 'del', 'erin', ...S()])).out).toBe(`Principal erin@${realm} deleted.\n`);
    expect((await lkdc(['principal', 'show', 'erin', ...S()])).code).toBe(4);
    expect((await lkdc(['principal', 'del', `krbtgt/${realm}`, ...S()])).code).toBe(6);
    expect((await lkdc(['principal', 'frobnicate', ...S()])).code).toBe(2);
  });
});

describe('lkdc keytab export', () => {
  it('writes every kept kvno (or --current-only), adds to an existing keytab like ktadd, --replace starts afresh', async () => {
    const realm = await setup();
    await lkdc(['principal', 'passwd', 'cifs/files.test', ...S(), '--random-key']);
    const out = join(dir, 'cifs.keytab');
    const r = await lkdc(['keytab', 'export', '--out', out, 'cifs/files.test', ...S()]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `Entry for cifs/files.test@${realm} kvno 2, aes256-cts-hmac-sha384-192, added to ${out}.`,
    );
    let entries = await loadKeytab(out);
    expect(entries.map((e) => e.kvno).sort()).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect((await stat(out)).mode & 0o777).toBe(0o600);

    await lkdc(['keytab', 'export', '--out', out, 'host/files.test', ...S()]);
    entries = await loadKeytab(out);
    expect(entries).toHaveLength(12);
    await lkdc(['keytab', 'export', '--out', out, 'cifs/files.test', ...S()]); // same slots: replaced, not doubled
    expect(await loadKeytab(out)).toHaveLength(12);

    const j = await lkdc([
      'keytab',
      'export',
      '-o',
      out,
      '--replace',
      '--current-only',
      '--json',
      'cifs/files.test',
      ...S(),
    ]);
    expect(JSON.parse(j.out)).toMatchObject({ keytab: out, kept: 0 });
    expect((await loadKeytab(out)).map((e) => e.kvno)).toEqual([2, 2, 2, 2]);

    expect((await lkdc(['keytab', 'export', 'cifs/files.test', ...S()])).code).toBe(2);
    expect((await lkdc(['keytab', 'export', '--out', out, 'nobody', ...S()])).code).toBe(4);
    expect((await lkdc(['keytab', 'list', ...S()])).code).toBe(2);
  });
});

describe('lkdc krb5conf, lockout, status, serve', () => {
  it('krb5conf refuses port 0 until the KDC runs, then names the bound port', async () => {
    const realm = await setup();
    const before = await lkdc(['krb5conf', ...S()]);
    expect(before.code).toBe(2);
    expect(before.err).toContain('port 0');
    const given = await lkdc(['krb5conf', ...S(), '--kdc', 'udp:127.0.0.1:8888']);
    expect(given.out).toContain(`[realms]\n    ${realm} = {\n        kdc = 127.0.0.1:8888\n    }`);
    expect(given.out).toContain(`[domain_realm]\n    files.test = ${realm}`);
    expect(given.out).not.toContain('udp_preference_limit');
    expect((await lkdc(['krb5conf', ...S(), '--kdc', 'tcp:[::1]:88'])).out).toContain(
      'kdc = [::1]:88\n    }',
    );
    expect((await lkdc(['krb5conf', ...S(), '--kdc', 'tcp:[::1]:88'])).out).toContain(
      'udp_preference_limit = 1',
    );
  });

  it('serve answers AS requests over TCP, writes runtime.json, status sees it, and it stops on abort', async () => {
    const realm = await setup();
    await lkdc(['principal', 'add', 'alice', ...S(), '--password-stdin'], { stdin: 'alice-Passw0rd' });
    const stop = new AbortController();
    const serving = lkdc(['serve', ...S(), '--json', '--audit', join(dir, 'audit.log')], {
      signal: stop.signal,
    });
    let runtime: { listen: string[] } | undefined;
    for (let i = 0; i < 200 && runtime === undefined; i++) {
      await new Promise((r) => setTimeout(r, 25));
      runtime = await readFile(join(state, 'runtime.json'), 'utf8').then(JSON.parse, () => undefined);
    }
    const tcp = runtime?.listen.find((a) => a.startsWith('tcp:')) as string;
    const port = Number(tcp.split(':')[2]);
    const tgt = await runExchange(
      createAsExchange({ client: `alice@${realm}`, credentials: { password: 'alice-Passw0rd' } }),
      (_realm, bytes) => new TcpTransport({ host: '127.0.0.1', port }).send(bytes, { timeoutMs: 5000 }),
    );
    expect(tgt.server.name.nameString).toEqual(['krbtgt', realm]);

    const status = JSON.parse((await lkdc(['status', ...S(), '--json'])).out);
    expect(status).toMatchObject({
      realm,
      running: true,
      principals: 4,
      users: 1,
      services: 3,
      lockedOut: [],
    });
    const conf = await lkdc(['krb5conf', ...S()]);
    expect(conf.out).toContain(`kdc = 127.0.0.1:${port}`);

    stop.abort();
    const r = await serving;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.split('\n')[0] as string)).toMatchObject({
      event: 'ready',
      realm,
      listen: [tcp],
    });
    expect(r.err).toContain('lkdc: stopping (abort)');
    await expect(stat(join(state, 'runtime.json'))).rejects.toThrow();
    const audit = (await readFile(join(dir, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.map((e) => e.kdc_status)).toEqual(['NEEDED_PREAUTH', 'ISSUE']);
    expect(JSON.parse((await lkdc(['status', ...S(), '--json'])).out)).toMatchObject({
      running: false,
      pid: null,
    });
  });

  it('serve reports a taken address with exit code 7', async () => {
    await setup();
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    const r = await lkdc(['serve', ...S(), '--listen', `tcp:127.0.0.1:${port}`]);
    taken.close();
    expect(r.code).toBe(7);
    expect(r.err).toContain('cannot listen');
  });

  it('lockout shows and sets the policy', async () => {
    await setup();
    expect((await lkdc(['lockout', ...S()])).out).toBe(
      'Lockout: 10 failed logins within 10m lock an account for 10m.\n',
    );
    const set = await lkdc([
      'lockout',
      ...S(),
      '--max-failures',
      '5',
      '--window',
      '1h',
      '--duration',
      '0',
      '--json',
    ]);
    expect(JSON.parse(set.out)).toEqual({ maxFailures: 5, failureWindowSeconds: 3600, lockoutSeconds: 0 });
    expect((await lkdc(['lockout', ...S()])).out).toBe(
      'Lockout: 5 failed logins within 1h lock an account until an administrator unlocks.\n',
    );
    expect((await lkdc(['lockout', ...S(), '--max-failures', '5m'])).code).toBe(2);
  });
});

describe('lkdc usage', () => {
  it('prints help with the exit codes, a version, and usage errors with code 2', async () => {
    const help = await lkdc(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Exit codes:');
    expect(help.out).toContain('lkdc keytab export --out FILE');
    expect((await lkdc([])).code).toBe(2);
    expect((await lkdc(['--version'])).out).toMatch(/^lkdc \d+\.\d+\.\d+\n$/);
    expect((await lkdc(['nonsense'])).code).toBe(2);
    expect((await lkdc(['status', ...S(), '--bogus'])).code).toBe(2);
    expect((await lkdc(['principal', 'show', '--help'])).code).toBe(0);
  });

  it('commands on a directory without a database exit 3; a damaged config exits 6', async () => {
    for (const args of [['status'], ['principal', 'list'], ['krb5conf'], ['serve'], ['lockout']]) {
      const r = await lkdc([...args, ...S()]);
      expect(r.code, args.join(' ')).toBe(3);
    }
    await setup();
    await writeFile(join(state, 'config.json'), '{"host": 1}');
    expect((await lkdc(['status', ...S()])).code).toBe(6);
  });

  it('uses $LKDC_STATE when --state is absent', async () => {
    await setup();
    let out = '';
    const code = await main(['principal', 'list'], {
      stdout: (t) => {
        out += t;
      },
      stderr: () => undefined,
      readStdin: async () => '',
      env: { LKDC_STATE: state },
    });
    expect(code).toBe(0);
    expect(out).toContain('krbtgt/');
  });
});
