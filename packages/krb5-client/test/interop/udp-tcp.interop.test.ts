/**
 * Acceptance (issue 3, line 5): the exchanges over TCP against MIT krb5kdc 1.20 — with
 * `udp_preference_limit = 1` in a krb5.conf written here (every request goes over TCP
 * first, as in MIT's sendto_kdc.c), and a real UDP→TCP fallback: a second krb5kdc on the
 * same database with `kdc_max_dgram_reply_size = 400` answers the AS-REP over UDP with
 * KRB_ERR_RESPONSE_TOO_BIG and the request is repeated over TCP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort, useMitKdc } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket } from '../../src/client.js';
import { type Krb5Config, loadKrb5Config } from '../../src/config/index.js';
import type { KdcExchange } from '../../src/exchange/index.js';
import type { KdcAttempt } from '../../src/locator/index.js';
import { kdcLogMark, kdcLogSince } from './helpers.js';

const kdc = useMitKdc();

async function writeProfile(name: string, port: number, extra: string): Promise<Krb5Config> {
  const path = join(kdc().dir, name);
  await writeFile(
    path,
    `[libdefaults]\n\tdefault_realm = MIT.TEST\n\tdns_lookup_kdc = false\n${extra}\n[realms]\n\tMIT.TEST = {\n\t\tkdc = 127.0.0.1:${port}\n\t}\n`,
  );
  return loadKrb5Config(path);
}

const protocols = (attempts: readonly KdcAttempt[]) => attempts.map((a) => `${a.protocol}:${a.outcome}`);

describe('udp_preference_limit = 1: TCP first', () => {
  it('AS and TGS exchanges go over TCP and succeed', async () => {
    const k = kdc();
    const config = await writeProfile('tcp-first.conf', k.port, '\tudp_preference_limit = 1');
    expect(config.libdefaults.udpPreferenceLimit).toBe(1);
    const attempts: KdcAttempt[] = [];
    const exchanges: KdcExchange[] = [];
    const mark = await kdcLogMark(k);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
      sendOptions: { onAttempt: (a) => attempts.push(a) },
      onExchange: (e) => exchanges.push(e),
    });
    const ticket = await getServiceTicket({
      tgt,
      server: 'cifs/localhost',
      config,
      sendOptions: { onAttempt: (a) => attempts.push(a) },
      onExchange: (e) => exchanges.push(e),
    });
    // Three requests (AS, AS with preauth, TGS), each answered on its first try, over TCP.
    expect(protocols(attempts)).toEqual(['tcp:reply', 'tcp:reply', 'tcp:reply']);
    expect(attempts.every((a) => a.address === `tcp/127.0.0.1:${k.port}`)).toBe(true);
    // The exchanges do not know: same messages as over UDP.
    expect(exchanges.map((e) => e.messages.length)).toEqual([4, 2]);
    expect(exchanges[0]!.kdcErrors.map((e) => e.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED']);
    expect(ticket.server.name.nameString).toEqual(['cifs', 'localhost']);
    // MIT logs the client address of each request; all came in over TCP (one line each).
    const log = await kdcLogSince(k, mark);
    expect(log.filter((l) => / (AS|TGS)_REQ /.test(l))).toHaveLength(3);
  });
});

describe('KRB_ERR_RESPONSE_TOO_BIG over UDP: the same request again over TCP', () => {
  let second: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    const k = kdc();
    port = await findFreePort();
    const kdcConf = (await readFile(k.files.kdcConf, 'utf8'))
      .replaceAll(`127.0.0.1:${k.port}`, `127.0.0.1:${port}`)
      .replace('[kdcdefaults]', '[kdcdefaults]\n\tkdc_max_dgram_reply_size = 400');
    const profile = join(k.dir, 'kdc-small-dgram.conf');
    await writeFile(profile, kdcConf);
    second = spawn('krb5kdc', ['-n', '-r', k.realm], {
      env: { ...process.env, ...k.env, KRB5_KDC_PROFILE: profile },
      stdio: 'ignore',
    });
    // If this test process dies before afterAll, do not leave the KDC behind.
    const pid = second.pid;
    process.once('exit', () => {
      try {
        if (pid !== undefined) process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    // Wait until it answers on UDP (any KDC reply will do).
    const probe = await writeProfile('probe.conf', port, '');
    for (let i = 0; i < 100; i++) {
      try {
        await getInitialCredentials({
          client: 'nobody',
          config: probe,
          credentials: { password: 'x' },
          sendOptions: { perTryTimeoutMs: 100, deadlineMs: 300, maxRetries: 1 },
        });
      } catch (e) {
        if ((e as Error).name === 'KDC_ERR_C_PRINCIPAL_UNKNOWN') return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the second krb5kdc did not start');
  }, 30_000);

  afterAll(() => {
    if (second?.pid !== undefined && second.exitCode === null) process.kill(second.pid, 'SIGTERM');
  });

  it('the PREAUTH_REQUIRED error fits in UDP, the AS-REP does not and comes over TCP', async () => {
    const k = kdc();
    const config = await writeProfile('small-dgram.conf', port, '');
    expect(config.libdefaults.udpPreferenceLimit).toBe(1465);
    const attempts: KdcAttempt[] = [];
    const exchanges: KdcExchange[] = [];
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
      sendOptions: { onAttempt: (a) => attempts.push(a) },
      onExchange: (e) => exchanges.push(e),
    });
    expect(protocols(attempts)).toEqual(['udp:reply', 'udp:response-too-big', 'tcp:reply']);
    expect(attempts[1]!.reason).toContain('KRB_ERR_RESPONSE_TOO_BIG');
    const as = exchanges[0]!;
    // The exchange saw one error (PREAUTH_REQUIRED) and then the AS-REP: the fallback is the transport's.
    expect(as.kdcErrors.map((e) => e.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED']);
    expect(as.messages.map((m) => m.direction)).toEqual(['sent', 'received', 'sent', 'received']);
    expect(as.messages[3]!.bytes.length).toBeGreaterThan(400);
    expect(tgt.client.name.nameString).toEqual(['alice']);
  });
});
