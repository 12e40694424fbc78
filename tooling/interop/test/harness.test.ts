import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findFreePort,
  kinit,
  klist,
  kvno,
  readKeytab,
  requireCommand,
  smbclient,
  startMitKdc,
  useMitKdc,
  useSamba,
} from '../src/index.js';

const kdc = useMitKdc();
const samba = useSamba(kdc);

describe('helpers', () => {
  it('findFreePort returns a port that is free for TCP and UDP', async () => {
    const a = await findFreePort();
    expect(a).toBeGreaterThan(1023);
    expect(a).toBeLessThan(65536);
  });

  it('requireCommand finds sbin tools and fails loudly for a missing peer', () => {
    expect(requireCommand('krb5kdc', 'MIT krb5kdc')).toMatch(/\/krb5kdc$/);
    expect(() => requireCommand('no-such-peer-binary', 'MIT frobnicator')).toThrow(
      'MIT frobnicator not found (no `no-such-peer-binary` on PATH or in /usr/sbin): run `bash tooling/interop/install-peers.sh`',
    );
  });
});

describe('MIT KDC', () => {
  it('runs on a free loopback port with its state in a temp directory', () => {
    const k = kdc();
    expect(k.realm).toBe('MIT.TEST');
    expect(k.host).toBe('127.0.0.1');
    expect(k.port).toBeGreaterThan(1023);
    expect(k.env.KRB5_CONFIG).toBe(join(k.dir, 'krb5.conf'));
    expect(k.env.MIT_KDC_PORT).toBe(String(k.port));
    expect(k.passwords.alice).toBe('alice-Passw0rd');
    expect(k.passwords['cifs/samba.mit.test']).toBe('cifs-Passw0rd');
    for (const f of Object.values(k.files)) expect(existsSync(f), f).toBe(true);
  });

  it('kinit alice with the password on stdin gets an aes256-cts-hmac-sha1-96 TGT', async () => {
    const k = kdc();
    const r = await kinit(k, 'alice', k.passwords.alice ?? '');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const l = await klist(k);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('Default principal: alice@MIT.TEST');
    expect(l.stdout).toMatch(
      /krbtgt\/MIT\.TEST@MIT\.TEST\s[\s\S]*Etype \(skey, tkt\): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96/,
    );
  });

  it('a wrong password gives MIT’s "Password incorrect"', async () => {
    const k = kdc();
    const r = await kinit(k, 'alice', 'not-the-password', { ccache: `FILE:${join(k.dir, 'wrong.ccache')}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('kinit: Password incorrect while getting initial credentials');
  });

  it('kvno gets service tickets for cifs/samba.mit.test and the SHA-2-only service', async () => {
    const k = kdc();
    const r = await kvno(k, ['cifs/samba.mit.test', 'sha2svc/localhost']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('cifs/samba.mit.test@MIT.TEST: kvno = 1');
    expect(r.stdout).toContain('sha2svc/localhost@MIT.TEST: kvno = 1');
    const l = await klist(k);
    expect(l.stdout).toMatch(
      /sha2svc\/localhost@MIT\.TEST\s[\s\S]*?Etype \(skey, tkt\): [a-z0-9-]+, aes256-cts-hmac-sha384-192/,
    );
    // the service keytab holds the keys the tickets were made with
    const v = await kvno(k, ['cifs/samba.mit.test', 'sha2svc/localhost'], {
      args: ['-k', k.files.serviceKeytab],
    });
    expect(v.stdout.match(/keytab entry valid/g)).toHaveLength(2);
  });

  it('keytabs hold the four AES enctypes; kadmin.local answers queries', async () => {
    const k = kdc();
    const keys = await readKeytab(k.files.aliceKeytab);
    expect(keys.map((e) => e.enctype).sort()).toEqual([
      'aes128-cts-hmac-sha1-96',
      'aes128-cts-hmac-sha256-128',
      'aes256-cts-hmac-sha1-96',
      'aes256-cts-hmac-sha384-192',
    ]);
    const out = await k.kadmin('getprinc cifs/samba.mit.test');
    expect(out).toContain('Principal: cifs/samba.mit.test@MIT.TEST');
    expect(out).toContain('NO_AUTH_DATA_REQUIRED');
    await expect(k.kadmin('getprinc nobody')).rejects.toThrow('Principal does not exist');
  });

  it('two KDCs run at once on different ports, each with its own realm', async () => {
    const other = await startMitKdc({ realm: 'OTHER.TEST', keepDir: false });
    try {
      expect(other.port).not.toBe(kdc().port);
      expect(other.dir).not.toBe(kdc().dir);
      const r = await kinit(other, 'bob', other.passwords.bob ?? '');
      expect(r.code).toBe(0);
      const l = await klist(other);
      expect(l.stdout).toContain('krbtgt/OTHER.TEST@OTHER.TEST');
      // the first KDC still answers
      const again = await kinit(kdc(), 'bob', 'bob-Passw0rd', {
        ccache: `FILE:${join(kdc().dir, 'bob.ccache')}`,
      });
      expect(again.code).toBe(0);
    } finally {
      await other.stop();
      await other.stop(); // idempotent
    }
    expect(existsSync(other.dir)).toBe(false);
  });
});

describe('Samba', () => {
  it('round-trips a file over SMB 3.1.1 with Kerberos (signed share and encrypted share)', async () => {
    const k = kdc();
    const s = samba();
    const ccache = `FILE:${join(k.dir, 'smb.ccache')}`;
    expect((await kinit(k, 'alice', 'alice-Passw0rd', { ccache })).code).toBe(0);
    const tgsForCifs = async (): Promise<number> =>
      (
        (await readFile(k.files.log, 'utf8')).match(
          /TGS_REQ .* ISSUE: .* alice@MIT\.TEST for cifs\/samba\.mit\.test@MIT\.TEST/g,
        ) ?? []
      ).length;
    const before = await tgsForCifs();
    const payload = `interop payload ${process.pid} ${Date.now()}\n`;
    const local = join(k.dir, 'upload.txt');
    await writeFile(local, payload);
    for (const [share, protection] of [
      ['share', 'sign'],
      ['enc', 'encrypt'],
    ] as const) {
      const back = join(k.dir, `download-${share}.txt`);
      const r = await smbclient(k, s, {
        share,
        protection,
        ccache,
        commands: [`put ${local} up-${share}.txt`, `get up-${share}.txt ${back}`, 'ls'],
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`up-${share}.txt`);
      expect(r.stdout).toContain('hello.txt');
      expect(await readFile(back, 'utf8')).toBe(payload);
      expect(await readFile(join(s.shareDir, `up-${share}.txt`), 'utf8')).toBe(payload);
    }
    // smbclient asked this KDC for the cifs/samba.mit.test ticket and cached it
    expect(await tgsForCifs()).toBeGreaterThan(before);
    expect((await klist(k, { ccache })).stdout).toContain('cifs/samba.mit.test@MIT.TEST');
  });
});
