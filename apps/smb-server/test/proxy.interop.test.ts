/**
 * The KDC mode for a host in a realm: `[kdc] mode = "proxy"` in the TOML configuration.
 * postntlm-smbd serves with the realm's cifs keytab and proxies IAKerb to a real MIT KDC;
 * a client with no route to that KDC (our smb2-client, no krb5.conf) logs on through it,
 * and MIT's KDC log shows the requests coming from the server.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Daemon, findFreePort, spawnDaemon, useMitKdc } from '@postntlm/interop';
import { parseProfile, readKrb5Config } from '@postntlm/krb5-client';
import { type SmbAuthTraceEvent, SmbClient } from '@postntlm/smb2-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMBD_BIN } from './bin.js';

const kdc = useMitKdc();

describe('postntlm-smbd as an IAKerb proxy to a realm KDC (MIT)', () => {
  let dir: string;
  let daemon: Daemon;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smbd-proxy-'));
    await mkdir(join(dir, 'files'));
    await writeFile(join(dir, 'files', 'hello.txt'), 'proxied\n');
    port = await findFreePort();
    const state = join(dir, 'state');
    await mkdir(state);
    await writeFile(
      join(state, 'postntlm-smbd.toml'),
      [
        '[server]',
        `listen = "127.0.0.1:${port}"`,
        'host = "samba.mit.test"',
        '[kdc]',
        'mode = "proxy"',
        `realm = "${kdc().realm}"`,
        `kdcs = ["127.0.0.1:${kdc().port}"]`,
        `keytab = "${kdc().files.cifsKeytab}"`,
        '[[share]]',
        'name = "files"',
        `path = "${join(dir, 'files')}"`,
        '',
      ].join('\n'),
    );
    daemon = spawnDaemon(process.execPath, [SMBD_BIN, 'serve', '--state', state, '--json'], {});
    const deadline = Date.now() + 30_000;
    while (!daemon.stdout().includes('"event":"ready"')) {
      if (Date.now() > deadline || daemon.child.exitCode !== null)
        throw new Error(`postntlm-smbd did not start: ${daemon.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a client without a KDC route logs on through the server to the MIT KDC', async () => {
    const ready = JSON.parse(
      daemon
        .stdout()
        .split('\n')
        .find((l) => l.includes('"event":"ready"')) as string,
    );
    expect(ready).toMatchObject({ realm: kdc().realm, embedded: false, kdcListeners: [] });
    const events: SmbAuthTraceEvent[] = [];
    const client = await SmbClient.connect({
      host: '127.0.0.1',
      port,
      serverName: 'samba.mit.test',
      // No KDC for the realm in the client's configuration: only the server can reach it.
      auth: {
        user: `alice@${kdc().realm}`,
        password: kdc().passwords.alice as string,
        krb5Config: readKrb5Config(parseProfile('[libdefaults]\n dns_lookup_kdc = false\n')),
      },
      onAuthTrace: (e) => events.push(e),
    });
    try {
      const tree = await client.tree('files');
      expect(new TextDecoder().decode(await tree.readFile('hello.txt'))).toBe('proxied\n');
    } finally {
      await client.close();
    }
    const proxied = events.filter((e) => e.token?.kind === 'iakerb-proxy').map((e) => e.token?.kerberos);
    expect(proxied).toEqual(expect.arrayContaining(['AS-REQ', 'AS-REP', 'TGS-REQ', 'TGS-REP']));
    const log = await readFile(kdc().files.log, 'utf8');
    expect(log).toMatch(/AS_REQ .*alice@/);
    expect(log).toMatch(/TGS_REQ .*cifs\/samba\.mit\.test@/);
  });
});
