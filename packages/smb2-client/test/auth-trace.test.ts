/**
 * The authentication trace (`onAuthTrace`) against our server and Local KDC in process, and
 * IAKerb realm discovery for a user given without a realm when no default realm is known.
 */
import { parseProfile, readKrb5Config } from '@postntlm/krb5-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAuthToken, SmbAuthError, type SmbAuthTraceEvent, SmbClient } from '../src/index.js';
import { ALICE_PASSWORD, type OurServer, startOurServer } from './support/our-server.js';

let s: OurServer;
beforeAll(async () => {
  s = await startOurServer();
}, 30_000);
afterAll(async () => {
  await s?.close();
});

const noRealmConfig = () => readKrb5Config(parseProfile('[libdefaults]\n dns_lookup_kdc = false\n'));

const label = (e: SmbAuthTraceEvent) =>
  `${e.direction} ${e.command} ${e.token?.kerberos ?? e.token?.spnego ?? '-'}${e.token?.targetRealm === undefined ? '' : ` @${e.token.targetRealm}`}`;

describe('onAuthTrace', () => {
  it('reports each NEGOTIATE and SESSION_SETUP message of an IAKerb logon with realm discovery', async () => {
    const events: SmbAuthTraceEvent[] = [];
    const client = await SmbClient.connect({
      host: '127.0.0.1',
      port: s.port,
      serverName: 'files.test',
      // `alice` without a realm and no default realm: only the server can say the realm.
      auth: { user: 'alice', password: ALICE_PASSWORD, krb5Config: noRealmConfig(), kdcSend: s.noKdc },
      onAuthTrace: (e) => events.push(e),
    });
    try {
      expect(client.user).toBe(`alice@${s.realm}`);
    } finally {
      await client.close();
    }
    expect(events.map(label)).toEqual([
      'send NEGOTIATE -',
      'receive NEGOTIATE NegTokenInit2',
      'send SESSION_SETUP realm discovery @',
      `receive SESSION_SETUP realm discovery @${s.realm}`,
      `send SESSION_SETUP AS-REQ @${s.realm}`,
      `receive SESSION_SETUP KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED) @${s.realm}`,
      `send SESSION_SETUP AS-REQ (PA-ENC-TIMESTAMP) @${s.realm}`,
      `receive SESSION_SETUP AS-REP @${s.realm}`,
      `send SESSION_SETUP TGS-REQ @${s.realm}`,
      `receive SESSION_SETUP TGS-REP @${s.realm}`,
      'send SESSION_SETUP AP-REQ',
      'receive SESSION_SETUP AP-REP',
    ]);
    expect(events[1]?.token?.mechs).toEqual(['MS-KRB5', 'KRB5', 'IAKERB']);
    // Every IAKerb token of the draft dialect, AP-REQ and AP-REP included, is framed under IAKerb.
    expect(events.slice(2).map((e) => e.token?.gssMech)).toEqual(Array(10).fill('IAKERB'));
    expect(events.filter((e) => e.direction === 'receive').map((e) => e.status)).toEqual([
      'STATUS_SUCCESS',
      ...Array(4).fill('STATUS_MORE_PROCESSING_REQUIRED'),
      'STATUS_SUCCESS',
    ]);
    for (const e of events) expect(e.bytes).toBeGreaterThan(64);
    expect(events.every((e, i) => i === 0 || e.timeMs >= (events[i - 1] as SmbAuthTraceEvent).timeMs)).toBe(
      true,
    );
  });

  it('a plain Kerberos logon is NEGOTIATE, AP-REQ, AP-REP', async () => {
    const events: SmbAuthTraceEvent[] = [];
    const client = await SmbClient.connect({
      host: '127.0.0.1',
      port: s.port,
      serverName: 'files.test',
      auth: {
        user: `alice@${s.realm}`,
        password: ALICE_PASSWORD,
        kdcSend: s.kdcSend,
        krb5Config: s.krb5Config,
      },
      iakerb: 'never',
      onAuthTrace: (e) => events.push(e),
    });
    await client.close();
    expect(events.map(label)).toEqual([
      'send NEGOTIATE -',
      'receive NEGOTIATE NegTokenInit2',
      'send SESSION_SETUP AP-REQ',
      'receive SESSION_SETUP AP-REP',
    ]);
    expect(events[2]?.token).toMatchObject({ spnego: 'NegTokenInit', kind: 'ap-req', gssMech: 'KRB5' });
    expect(events[3]?.token?.gssMech).toBe('KRB5');
  });

  it('a failed logon is traced up to the KDC error that ended it', async () => {
    const events: SmbAuthTraceEvent[] = [];
    const e = await SmbClient.connect({
      host: '127.0.0.1',
      port: s.port,
      serverName: 'files.test',
      auth: { user: 'alice', password: 'not-the-password', krb5Config: noRealmConfig(), kdcSend: s.noKdc },
      onAuthTrace: (x) => events.push(x),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SmbAuthError);
    expect(events.map(label).slice(-2)).toEqual([
      `send SESSION_SETUP AS-REQ (PA-ENC-TIMESTAMP) @${s.realm}`,
      `receive SESSION_SETUP KRB-ERROR (KDC_ERR_PREAUTH_FAILED) @${s.realm}`,
    ]);
  });

  it('a throwing listener does not break the logon', async () => {
    const client = await SmbClient.connect({
      host: '127.0.0.1',
      port: s.port,
      serverName: 'files.test',
      auth: {
        user: `alice@${s.realm}`,
        password: ALICE_PASSWORD,
        kdcSend: s.kdcSend,
        krb5Config: s.krb5Config,
      },
      onAuthTrace: () => {
        throw new Error('observer bug');
      },
    });
    await client.close();
  });

  it('without a realm and with IAKerb refused, says so', async () => {
    const e = await SmbClient.connect({
      host: '127.0.0.1',
      port: s.port,
      serverName: 'files.test',
      auth: { user: 'alice', password: ALICE_PASSWORD, krb5Config: noRealmConfig() },
      iakerb: 'never',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SmbAuthError);
    expect((e as Error).message).toMatch(/no realm for alice/);
  });

  it('describeAuthToken never throws on garbage', () => {
    for (const bytes of [
      Uint8Array.of(0x60, 0x80),
      Uint8Array.of(0xa1, 0x03, 0x30, 0x01),
      new Uint8Array(50).fill(0xff),
    ]) {
      expect(() => describeAuthToken(bytes)).not.toThrow();
    }
    expect(describeAuthToken(new Uint8Array(0))).toBeUndefined();
  });
});
