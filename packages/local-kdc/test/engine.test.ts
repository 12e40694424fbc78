import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  fixedClock,
  KerberosError,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { decrypt, KeyUsage } from '@postntlm/krb5-crypto';
import {
  decode,
  decodeErrorData,
  decodeMessage,
  EncTicketPart,
  ErrorCode,
  EtypeInfo2,
  encode,
  KrbError,
  PaDataType,
  RawTicket,
  ticketFlagNames,
} from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { createKdc, generateRealm, MemoryPrincipalStore, type PrincipalStore } from '../src/index.js';
import { buildStore, PASSWORDS, REALM, rejection, sender, T0, testKdc } from './helpers.js';

const clock = fixedClock(T0);

async function tgtFor(
  client: string,
  password: string,
  options: Parameters<typeof createAsExchange>[0]['options'] = {},
  kdcOptions: Parameters<typeof testKdc>[0] = {},
): Promise<Credential> {
  const { kdc } = await testKdc(kdcOptions);
  return runExchange(
    createAsExchange({
      client: `${client}@${REALM}`,
      credentials: { password },
      options,
      clock,
      random: seededRandom(1),
    }),
    sender(kdc),
  );
}

async function ticketPart(ticketDer: Uint8Array): Promise<EncTicketPart> {
  const store = await buildStore();
  const ticket = decode(RawTicket, ticketDer).value;
  const entry = await store.get({ realm: ticket.realm, name: ticket.sname });
  const key = entry?.keys.find(
    (k) => k.key.enctype === ticket.encPart.etype && k.kvno === ticket.encPart.kvno,
  );
  if (key === undefined) throw new Error('no key for the ticket');
  return decode(EncTicketPart, decrypt(key.key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
}

function krbError(e: unknown): KerberosError {
  expect(e).toBeInstanceOf(KerberosError);
  return e as KerberosError;
}

describe('AS exchange with our krb5-client', () => {
  it.each([17, 18, 19, 20])('issues a TGT with reply and session key of enctype %i', async (etype) => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, {
      etypes: [etype],
      forwardable: true,
      renewable: true,
    });
    expect(tgt.sessionKey.enctype).toBe(etype);
    expect(tgt.server.name.nameString).toEqual(['krbtgt', REALM]);
    expect(tgt.ticketEnctype).toBe(20); // the krbtgt's strongest key
    const part = await ticketPart(tgt.ticket);
    expect(part.cname.nameString).toEqual(['alice']);
    expect(part.key.keytype).toBe(etype);
    expect(ticketFlagNames(part.flags)).toEqual(
      expect.arrayContaining(['forwardable', 'renewable', 'initial', 'preAuthent']),
    );
    expect(tgt.endtime.getTime() - (tgt.starttime?.getTime() ?? 0)).toBe(24 * 3600_000);
    expect(tgt.renewTill?.getTime()).toBe(Math.floor(T0 / 1000) * 1000 + 7 * 24 * 3600_000);
    expect(tgt.encPartTag).toBe(25);
  });

  it("picks the reply key as the strongest of request ∩ keys ∩ policy, the session key in the client's order, and answers PREAUTH_REQUIRED as MIT does", async () => {
    const { kdc } = await testKdc();
    const exchange = createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: PASSWORDS.alice },
      options: { etypes: [17, 18, 19, 20] },
      clock,
      random: seededRandom(1),
    });
    const tgt = await runExchange(exchange, sender(kdc));
    // RFC 4120 §3.1.3 (and MIT): the session key is the first enctype of the request the server has.
    expect(tgt.sessionKey.enctype).toBe(17);
    expect(tgt.ticketEnctype).toBe(20); // the krbtgt's strongest key
    const first = exchange.kdcErrors[0]?.krbError;
    expect(first?.errorCode).toBe(ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    expect(first?.eText).toBe('NEEDED_PREAUTH');
    expect(first?.stime.getTime()).toBe(Math.floor(T0 / 1000) * 1000);
    expect(first?.susec).toBe(250_000);
    expect(first?.cname?.nameString).toEqual(['alice']);
    const data = decodeErrorData(first?.eData ?? new Uint8Array(0));
    if (data.kind !== 'method-data') throw new Error(`e-data is ${data.kind}`);
    expect(data.value.map((p) => p.padataType)).toEqual([
      PaDataType.PA_ETYPE_INFO2,
      PaDataType.PA_ENC_TIMESTAMP,
      PaDataType.PA_FX_COOKIE,
    ]);
    const info = decode(EtypeInfo2, data.value[0]?.padataValue ?? new Uint8Array(0));
    expect(info.map((e) => e.etype)).toEqual([20, 18, 19, 17]);
    expect(info[0]?.salt).toBe(`${REALM}alice`);
    expect(info[0]?.s2kparams).toEqual(new Uint8Array([0, 0, 0x80, 0]));
    expect(info[1]?.s2kparams).toEqual(new Uint8Array([0, 0, 0x10, 0]));
  });

  it('tags the AS-REP enc-part [APPLICATION 26] when the policy says so (MIT style)', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, {}, { policy: { asRepEncPartTag: 26 } });
    expect(tgt.encPartTag).toBe(26);
  });

  it('lets a principal without requires-preauth in without PA-ENC-TIMESTAMP (no pre-authent flag)', async () => {
    const tgt = await tgtFor('nopre', PASSWORDS.nopre);
    expect(ticketFlagNames((await ticketPart(tgt.ticket)).flags)).not.toContain('preAuthent');
  });

  it('caps the lifetime by policy and does not issue renewable tickets when renewal is off', async () => {
    const tgt = await tgtFor(
      'alice',
      PASSWORDS.alice,
      { renewable: true, lifetimeSeconds: 48 * 3600 },
      { policy: { maxLifeSeconds: 3600, maxRenewSeconds: 0 } },
    );
    expect(tgt.endtime.getTime() - (tgt.starttime?.getTime() ?? 0)).toBe(3600_000);
    expect(tgt.renewTill).toBeUndefined();
  });

  it('canonicalizes the client name on request', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, { canonicalize: true });
    expect(tgt.client.name.nameString).toEqual(['alice']);
  });

  it.each([
    ['unknown user', 'nobody', PASSWORDS.alice, {}, ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN],
    ['wrong password', 'alice', 'wrong', {}, ErrorCode.KDC_ERR_PREAUTH_FAILED],
    ['locked out', 'carol', PASSWORDS.carol, {}, ErrorCode.KDC_ERR_CLIENT_REVOKED],
    ['expired principal', 'expired', PASSWORDS.alice, {}, ErrorCode.KDC_ERR_NAME_EXP],
    ['no common enctype', 'dave', PASSWORDS.dave, { etypes: [17] }, ErrorCode.KDC_ERR_ETYPE_NOSUPP],
  ] as const)('%s → %s', async (_what, client, password, options, code) => {
    const e = krbError(await rejection(tgtFor(client, password, options)));
    expect(e.code).toBe(code);
    expect(e.krbError.realm).toBe(REALM);
    expect(e.krbError.sname.nameString).toEqual(['krbtgt', REALM]);
    expect(e.krbError.cname?.nameString).toEqual([client]);
    expect(e.krbError.crealm).toBe(REALM);
    expect(e.krbError.stime.getTime()).toBe(Math.floor(T0 / 1000) * 1000);
  });

  it('refuses a timestamp outside the skew with KRB_AP_ERR_SKEW; the client retries with the KDC time (stime)', async () => {
    const { kdc } = await testKdc();
    const exchange = createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: PASSWORDS.alice },
      clock: fixedClock(T0 + 600_000),
      random: seededRandom(1),
    });
    const tgt = await runExchange(exchange, sender(kdc));
    expect(exchange.kdcErrors.map((e) => e.code)).toEqual([
      ErrorCode.KDC_ERR_PREAUTH_REQUIRED,
      ErrorCode.KRB_AP_ERR_SKEW,
    ]);
    expect(exchange.kdcErrors[1]?.eText).toBe('CLOCK_SKEW');
    expect(tgt.starttime?.getTime()).toBe(Math.floor(T0 / 1000) * 1000);
  });
});

describe('TGS exchange with our krb5-client', () => {
  const tgs = async (tgt: Credential, server: string, options = {}, at = T0) => {
    const { kdc } = await testKdc({ clock: fixedClock(at) });
    return runExchange(
      createTgsExchange({ tgt, server, options, clock: fixedClock(at), random: seededRandom(2) }),
      sender(kdc),
    );
  };

  it.each([17, 18, 19, 20])('issues a service ticket (TGT session key %i)', async (etype) => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, { etypes: [etype], forwardable: true });
    const cred = await tgs(tgt, 'cifs/host.test');
    expect(cred.server.name.nameString).toEqual(['cifs', 'host.test']);
    const part = await ticketPart(cred.ticket);
    expect(part.cname.nameString).toEqual(['alice']);
    expect(part.key.keytype).toBe(cred.sessionKey.enctype);
    expect(ticketFlagNames(part.flags)).toEqual(expect.arrayContaining(['forwardable', 'preAuthent']));
    expect(ticketFlagNames(part.flags)).not.toContain('initial');
  });

  it('encrypts the ticket in the server key and picks a session key it supports', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice);
    const cred = await tgs(tgt, 'sha1svc/host.test');
    expect(cred.ticketEnctype).toBe(17);
    expect(cred.sessionKey.enctype).toBe(17);
  });

  it('returns the canonical name of an alias with canonicalize', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice);
    const cred = await tgs(tgt, 'cifs/alias.test', { canonicalize: true });
    expect(cred.server.name.nameString).toEqual(['cifs', 'host.test']);
  });

  it('renews a renewable TGT', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, { renewable: true, lifetimeSeconds: 3600 });
    const later = T0 + 1800_000;
    const { kdc } = await testKdc({ clock: fixedClock(later) });
    const renewed = await runExchange(
      createTgsExchange({ tgt, options: { renew: true }, clock: fixedClock(later), random: seededRandom(2) }),
      sender(kdc),
    );
    expect(renewed.starttime?.getTime()).toBe(Math.floor(later / 1000) * 1000);
    expect(renewed.endtime.getTime()).toBe((renewed.starttime?.getTime() ?? 0) + 3600_000);
    expect(renewed.renewTill).toEqual(tgt.renewTill);
    expect(renewed.sessionKey.bytes).toEqual(tgt.sessionKey.bytes);
  });

  it('renews a renewable service ticket (the header ticket is the service ticket)', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, { renewable: true });
    const svc = await tgs(tgt, 'cifs/host.test');
    expect(svc.renewTill).toBeDefined();
    const later = T0 + 600_000;
    const { kdc } = await testKdc({ clock: fixedClock(later) });
    const renewed = await runExchange(
      createTgsExchange({
        tgt: svc,
        options: { renew: true },
        clock: fixedClock(later),
        random: seededRandom(2),
      }),
      sender(kdc),
    );
    expect(renewed.server.name.nameString).toEqual(['cifs', 'host.test']);
    expect(renewed.starttime?.getTime()).toBe(Math.floor(later / 1000) * 1000);
    expect((await ticketPart(renewed.ticket)).cname.nameString).toEqual(['alice']);
  });

  it.each([
    ['unknown service', 'cifs/nowhere.test', T0, ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN],
    ['a user as server', 'bob', T0, ErrorCode.KDC_ERR_MUST_USE_USER2USER],
    ['an expired TGT', 'cifs/host.test', T0 + 25 * 3600_000, ErrorCode.KRB_AP_ERR_TKT_EXPIRED],
  ] as const)('%s → %s', async (_what, server, at, code) => {
    const tgt = await tgtFor('alice', PASSWORDS.alice);
    const e = krbError(await rejection(tgs(tgt, server, {}, at)));
    expect(e.code).toBe(code);
    expect(e.krbError.cname?.nameString).toEqual(['alice']);
  });

  it('refuses renewal of a ticket that is not renewable (KDC_ERR_BADOPTION)', async () => {
    const tgt = await tgtFor('alice', PASSWORDS.alice, { renewable: false, renewableOk: false });
    const { kdc } = await testKdc();
    const e = krbError(
      await rejection(
        runExchange(
          createTgsExchange({ tgt, options: { renew: true }, clock, random: seededRandom(2) }),
          sender(kdc),
        ),
      ),
    );
    expect(e.code).toBe(ErrorCode.KDC_ERR_BADOPTION);
  });
});

describe('engine edges', () => {
  it('generates LOCALKDC.<UUID> realms, upper case', () => {
    const realm = generateRealm(seededRandom(9));
    expect(realm).toMatch(/^LOCALKDC\.[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    const kdc = createKdc({ store: new MemoryPrincipalStore('X') });
    expect(kdc.realm).toMatch(/^LOCALKDC\.[0-9A-F-]{36}$/);
  });

  const errorOf = (reply: Uint8Array | null) => {
    if (reply === null) throw new Error('dropped');
    const m = decodeMessage(reply);
    if (m.msgType !== 30) throw new Error(`message type ${m.msgType}`);
    return m.value;
  };

  it('answers malformed AS-REQs with KRB_ERR_GENERIC, a wrong pvno with KDC_ERR_BAD_PVNO', async () => {
    const { kdc } = await testKdc();
    const exchange = createAsExchange({ client: `alice@${REALM}`, credentials: { password: 'x' }, clock });
    const step = exchange.start();
    if (step.kind !== 'send') throw new Error('no request');
    const garbage = new Uint8Array([0x6a, 0x03, 0x30, 0x01, 0x00]);
    expect(errorOf(await kdc.handle(garbage, { transport: 'tcp' })).errorCode).toBe(
      ErrorCode.KRB_ERR_GENERIC,
    );
    expect(await kdc.handle(step.bytes.slice(0, step.bytes.length - 3), { transport: 'tcp' })).toBeNull();
    const badPvno = step.bytes.slice();
    // AS-REQ: 6a L 30 L a1 03 02 01 05 — the pvno byte follows the first "a1 03 02 01".
    const at = badPvno.findIndex((b, i) => b === 0xa1 && badPvno[i + 1] === 3 && badPvno[i + 2] === 2);
    badPvno[at + 4] = 4;
    expect(errorOf(await kdc.handle(badPvno, { transport: 'tcp' })).errorCode).toBe(
      ErrorCode.KDC_ERR_BAD_PVNO,
    );
  });

  it('drops non-Kerberos, empty, oversized and KRB-ERROR input; answers other messages with KRB_AP_ERR_MSG_TYPE', async () => {
    const { kdc } = await testKdc();
    expect(await kdc.handle(new Uint8Array([1, 2, 3]), { transport: 'udp' })).toBeNull();
    expect(await kdc.handle(new Uint8Array(0), { transport: 'udp' })).toBeNull();
    expect(await kdc.handle(new Uint8Array(70000).fill(0x6a), { transport: 'tcp' })).toBeNull();
    const err = encode(KrbError, {
      pvno: 5,
      msgType: 30,
      stime: new Date(0),
      susec: 0,
      errorCode: 60,
      realm: 'X',
      sname: { nameType: 1, nameString: ['x'] },
    });
    expect(await kdc.handle(err, { transport: 'udp' })).toBeNull();
    const apReqLike = new Uint8Array([0x6e, 0x03, 0x30, 0x01, 0x00]);
    expect(errorOf(await kdc.handle(apReqLike, { transport: 'udp' })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_MSG_TYPE,
    );
  });

  it('answers KRB_ERR_RESPONSE_TOO_BIG over UDP when the reply is longer than the limit', async () => {
    const { kdc } = await testKdc({ policy: { maxUdpReplyBytes: 200 } });
    const exchange = createAsExchange({ client: `alice@${REALM}`, credentials: { password: 'x' }, clock });
    const step = exchange.start();
    if (step.kind !== 'send') throw new Error('no request');
    expect(errorOf(await kdc.handle(step.bytes, { transport: 'udp' })).errorCode).toBe(
      ErrorCode.KRB_ERR_RESPONSE_TOO_BIG,
    );
  });

  it('turns a storage failure into KRB_ERR_GENERIC and reports it', async () => {
    const seen: unknown[] = [];
    const broken: PrincipalStore = { get: () => Promise.reject(new Error('disk on fire')) };
    const kdc = createKdc({ realm: REALM, store: broken, clock, onInternalError: (e) => seen.push(e) });
    const exchange = createAsExchange({ client: `alice@${REALM}`, credentials: { password: 'x' }, clock });
    const step = exchange.start();
    if (step.kind !== 'send') throw new Error('no request');
    const e = errorOf(await kdc.handle(step.bytes, { transport: 'memory' }));
    expect(e.errorCode).toBe(ErrorCode.KRB_ERR_GENERIC);
    expect(e.eText).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});
