/**
 * Acceptance (issue 3, line 4): what MIT krb5kdc 1.20 answers to a wrong password and an
 * unknown principal, what the transport says when no KDC listens, and the clock-skew
 * correction with a client clock one hour ahead.
 */
import { createSocket, type Socket } from 'node:dgram';
import { findFreePort, useMitKdc } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket } from '../../src/client.js';
import { type Krb5Config, parseProfile, readKrb5Config } from '../../src/config/index.js';
import { KerberosError, PasswordIncorrectError } from '../../src/errors.js';
import { type AsExchange, type KdcExchange, offsetClock, systemClock } from '../../src/exchange/index.js';
import { KdcUnreachableError } from '../../src/locator/index.js';
import { kdcConfig, kdcLogMark, kdcLogSince } from './helpers.js';

const kdc = useMitKdc();
let config: Krb5Config;
beforeAll(async () => {
  config = await kdcConfig(kdc());
});

const profile = (kdcLine: string): Krb5Config =>
  readKrb5Config(
    parseProfile(
      `[libdefaults]\n default_realm = MIT.TEST\n dns_lookup_kdc = false\n[realms]\n MIT.TEST = {\n  kdc = ${kdcLine}\n }\n`,
    ),
  );

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('what MIT answers', () => {
  it('wrong password: KDC_ERR_PREAUTH_FAILED (24) after PREAUTH_REQUIRED', async () => {
    const k = kdc();
    const exchanges: KdcExchange[] = [];
    const mark = await kdcLogMark(k);
    const e = await rejection(
      getInitialCredentials({
        client: 'alice',
        config,
        credentials: { password: 'not-alice-password' },
        onExchange: (x) => exchanges.push(x),
      }),
    );
    expect(e).toBeInstanceOf(KerberosError);
    const k5 = e as KerberosError;
    expect(k5.name).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(k5.code).toBe(24);
    expect(k5.eText).toBe('PREAUTH_FAILED');
    expect(k5.realm).toBe('MIT.TEST');
    expect(k5.hint).toMatch(/password incorrect/);
    expect(Math.abs(k5.serverTime.getTime() - Date.now())).toBeLessThan(5000);
    expect(exchanges[0]!.kdcErrors.map((x) => x.name)).toEqual([
      'KDC_ERR_PREAUTH_REQUIRED',
      'KDC_ERR_PREAUTH_FAILED',
    ]);
    const log = await kdcLogSince(k, mark);
    expect(log.some((l) => l.includes('PREAUTH_FAILED') && l.includes('alice@MIT.TEST'))).toBe(true);
  });

  it('wrong password for a principal without preauth: MIT issues an AS-REP we cannot decrypt', async () => {
    const e = await rejection(
      getInitialCredentials({ client: 'alice-nopreauth', config, credentials: { password: 'not-it' } }),
    );
    expect(e).toBeInstanceOf(PasswordIncorrectError);
    expect((e as Error).message).toContain('alice-nopreauth@MIT.TEST');
  });

  it('unknown principal: KDC_ERR_C_PRINCIPAL_UNKNOWN (6)', async () => {
    const e = await rejection(
      getInitialCredentials({ client: 'nobody', config, credentials: { password: 'x' } }),
    );
    expect(e).toMatchObject({ name: 'KDC_ERR_C_PRINCIPAL_UNKNOWN', code: 6, eText: 'CLIENT_NOT_FOUND' });
    expect((e as KerberosError).hint).toMatch(/not in the KDC database/);
  });
});

describe('no KDC', () => {
  let silent: Socket | undefined;
  afterAll(() => silent?.close());

  it('nothing listening: KdcUnreachableError naming the KDCs tried, quickly', async () => {
    const port = await findFreePort();
    const started = performance.now();
    const e = await rejection(
      getInitialCredentials({
        client: 'alice',
        config: profile(`127.0.0.1:${port}`),
        credentials: { password: 'x' },
        sendOptions: { deadlineMs: 3000, perTryTimeoutMs: 1000 },
      }),
    );
    const took = performance.now() - started;
    expect(e).toBeInstanceOf(KdcUnreachableError);
    const u = e as KdcUnreachableError;
    expect(u.realm).toBe('MIT.TEST');
    expect(u.message).toContain(`udp/127.0.0.1:${port}`);
    expect(u.message).toContain(`tcp/127.0.0.1:${port}`);
    expect(u.attempts.map((a) => `${a.protocol}:${a.outcome}`)).toEqual(['udp:failed', 'tcp:failed']);
    expect(u.attempts.every((a) => a.reason === 'connection refused')).toBe(true);
    expect(took).toBeLessThan(3000);
  });

  it('a KDC that never answers: timeouts, and the deadline holds', async () => {
    const port = await findFreePort();
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent!.bind(port, '127.0.0.1', resolve));
    const started = performance.now();
    const e = await rejection(
      getInitialCredentials({
        client: 'alice',
        config: profile(`udp/127.0.0.1:${port}`),
        credentials: { password: 'x' },
        sendOptions: { deadlineMs: 1500, perTryTimeoutMs: 400 },
      }),
    );
    const took = performance.now() - started;
    expect(e).toBeInstanceOf(KdcUnreachableError);
    const u = e as KdcUnreachableError;
    expect(u.message).toContain(`udp/127.0.0.1:${port}`);
    expect(u.attempts.length).toBeGreaterThanOrEqual(1);
    expect(u.attempts.every((a) => a.reason === 'no reply within 400 ms')).toBe(true);
    expect(took).toBeLessThan(1500 + 300);
  });
});

describe('clock skew', () => {
  it('a clock one hour ahead: MIT answers KRB_AP_ERR_SKEW, we correct from stime and succeed', async () => {
    const k = kdc();
    const clock = offsetClock(systemClock, 3600_000);
    const exchanges: KdcExchange[] = [];
    const mark = await kdcLogMark(k);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
      clock,
      onExchange: (x) => exchanges.push(x),
    });
    const as = exchanges[0] as AsExchange;
    expect(as.kdcErrors.map((x) => x.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED', 'KRB_AP_ERR_SKEW']);
    const skew = as.kdcErrors[1]!;
    expect(skew.code).toBe(37);
    expect(Math.abs(skew.serverTime.getTime() - Date.now())).toBeLessThan(5000);
    expect(as.messages).toHaveLength(6);
    expect(tgt.client.name.nameString).toEqual(['alice']);
    expect(Math.abs(tgt.kdcTimeOffsetMs + 3600_000)).toBeLessThan(2000);
    expect(Math.abs(tgt.authtime.getTime() - Date.now())).toBeLessThan(5000);
    const log = await kdcLogSince(k, mark);
    expect(log.some((l) => l.includes('Clock skew too great'))).toBe(true);
    expect(log.some((l) => l.includes('AS_REQ') && l.includes('ISSUE'))).toBe(true);

    // The offset travels with the TGT: the TGS exchange with the same wrong clock is accepted at once.
    const tgsExchanges: KdcExchange[] = [];
    const ticket = await getServiceTicket({
      tgt,
      server: 'cifs/localhost',
      config,
      clock,
      onExchange: (x) => tgsExchanges.push(x),
    });
    expect(tgsExchanges[0]!.kdcErrors).toEqual([]);
    expect(ticket.kdcTimeOffsetMs).toBe(tgt.kdcTimeOffsetMs);
  });
});
