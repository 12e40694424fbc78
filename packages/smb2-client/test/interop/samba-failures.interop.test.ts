/**
 * Against Samba with NTLM switched off (SMB_KRB5_ONLY=1): Kerberos still works; an
 * AbortSignal cancels an in-flight read and the connection stays usable; killing smbd in the
 * middle of a transfer rejects the pending promises promptly (no hang, no unhandled rejection).
 */
import { useMitKdc, useSamba } from '@postntlm/interop';
import { describe, expect, it } from 'vitest';
import { SmbClient, type SmbClientOptions, SmbConnectionError } from '../../src/index.js';

const kdc = useMitKdc();
const samba = useSamba(kdc, { krb5Only: true });

function options(extra: Partial<SmbClientOptions> = {}): SmbClientOptions {
  const k = kdc();
  return {
    host: samba().host,
    port: samba().port,
    serverName: samba().serverName,
    auth: { user: `alice@${k.realm}`, password: k.passwords.alice as string, krb5Config: k.files.krb5Conf },
    iakerb: 'never',
    timeoutMs: 10_000,
    ...extra,
  };
}

const BIG = 96 * 1024 * 1024;

describe('our client against Samba (krb5 only)', () => {
  it('connects with Kerberos and lists shares', async () => {
    const client = await SmbClient.connect(options());
    try {
      expect((await client.listShares()).map((s) => s.name)).toContain('share');
      const tree = await client.tree('share');
      await tree.writeFile('big.bin', new Uint8Array(BIG));
    } finally {
      await client.close();
    }
  });

  it('an AbortSignal cancels an in-flight read; the connection goes on', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const controller = new AbortController();
      const reading = tree.readFile('big.bin', { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      expect((await tree.stat('big.bin')).size).toBe(BIG);
    } finally {
      await client.close();
    }
  });

  it('the server killed mid-transfer rejects every pending promise within the timeout', async () => {
    const client = await SmbClient.connect(options());
    const tree = await client.tree('share');
    const started = Date.now();
    const reads = [tree.readFile('big.bin'), tree.readFile('big.bin')];
    setTimeout(() => void samba().stop(), 20);
    const results = await Promise.allSettled(reads);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SmbConnectionError);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    await client.close();
  });
});
