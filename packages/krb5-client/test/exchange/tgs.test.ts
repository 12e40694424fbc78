import { decrypt, getEnctype, KeyUsage, verifyChecksum } from '@postntlm/krb5-crypto';
import {
  ApReq,
  Authenticator,
  decode,
  encode,
  kdcOptionNames,
  NameType,
  PaDataType,
  TgsRep,
  TgsReq,
} from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { ExchangePolicyError, KerberosError, ReplyVerificationError } from '../../src/errors.js';
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  credentialFlags,
  fixedClock,
  kdcRealmOf,
  offsetClock,
  parseServicePrincipal,
  runExchange,
  seededRandom,
  serviceNameType,
  type TgsExchangeOptions,
} from '../../src/exchange/index.js';
import { FakeKdcNetwork, type FakeRealmOptions } from './fake-kdc.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0, 500);
const A = 'A.TEST';
const B = 'B.TEST';

async function setup(a: Partial<FakeRealmOptions> = {}, b?: Partial<FakeRealmOptions>) {
  const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(11));
  const kdcA = await net.addRealm(A, {
    principals: { alice: { password: 'alice-pw' }, 'cifs/host.a.test': { password: 'cifs-pw' } },
    ...a,
  });
  const kdcB =
    b === undefined
      ? undefined
      : await net.addRealm(B, { principals: { 'cifs/host.b.test': { password: 'cifs-b-pw' } }, ...b });
  const tgt = await runExchange(
    createAsExchange({
      client: `alice@${A}`,
      credentials: { password: 'alice-pw' },
      options: { renewable: true },
      clock: fixedClock(T0),
      random: seededRandom(1),
    }),
    net.send,
  );
  return { net, kdcA, kdcB, tgt };
}

function tgs(tgt: Credential, options: Partial<TgsExchangeOptions> = {}) {
  return createTgsExchange({ tgt, clock: fixedClock(T0), random: seededRandom(5), ...options });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const sent = (exchange: { messages: readonly { direction: string; bytes: Uint8Array }[] }) =>
  exchange.messages.filter((m) => m.direction === 'sent').map((m) => decode(TgsReq, m.bytes));

describe('TGS exchange', () => {
  it('gets a service ticket: PA-TGS-REQ with the req-body checksum and a subkey (RFC 4120 §7.2.2)', async () => {
    const { net, kdcA, tgt } = await setup();
    const exchange = tgs(tgt, { server: 'cifs/host.a.test' });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.messages.map((m) => `${m.direction}@${m.realm}`)).toEqual([
      'sent@A.TEST',
      'received@A.TEST',
    ]);

    const [req] = sent(exchange);
    const body = req!.reqBody.value;
    expect(body.sname).toEqual({ nameType: NameType.NT_SRV_HST, nameString: ['cifs', 'host.a.test'] });
    expect(body.realm).toBe(A);
    expect(body.till).toEqual(tgt.endtime);
    // renewable because the TGT is (MIT's FLAGS2OPTS)
    expect(kdcOptionNames(body.kdcOptions)).toEqual(['renewable', 'canonicalize']);
    const pa = req!.padata!;
    expect(pa.map((p) => p.padataType)).toEqual([PaDataType.PA_TGS_REQ]);
    const ap = decode(ApReq, pa[0]!.padataValue);
    expect(ap.ticket.der).toEqual(tgt.ticket);
    const auth = decode(
      Authenticator,
      decrypt(tgt.sessionKey, KeyUsage.TGS_REQ_AUTH, ap.authenticator.cipher),
    );
    expect(auth.cname.nameString).toEqual(['alice']);
    expect(auth.cksum!.cksumtype).toBe(getEnctype(tgt.sessionKey.enctype).checksumType);
    // the checksum covers the exact bytes of the req-body that went on the wire
    expect(
      verifyChecksum(tgt.sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, req!.reqBody.der!, auth.cksum!.checksum),
    ).toBe(true);
    expect(auth.subkey!.keytype).toBe(tgt.sessionKey.enctype);

    expect(credential.server).toEqual({ realm: A, name: body.sname });
    expect(credential.client).toEqual(tgt.client);
    const ticketPart = kdcA.ticketPart(credential.ticket);
    expect(ticketPart.key.keyvalue).toEqual(credential.sessionKey.bytes);
    expect(credential.starttime).toBeDefined();
  });

  it('decrypts a reply in the session key (usage 8) when the KDC does not use the subkey', async () => {
    const { net, tgt } = await setup({ tgsReplyKey: 'session' });
    await expect(runExchange(tgs(tgt, { server: 'cifs/host.a.test' }), net.send)).resolves.toMatchObject({
      server: { name: { nameString: ['cifs', 'host.a.test'] } },
    });
  });

  it('rejects a reply that decrypts with neither key', async () => {
    let stale: Uint8Array | undefined;
    const { net, tgt } = await setup({
      hooks: {
        reply: (bytes, kind) => {
          if (kind !== 'tgs') return bytes;
          const out = stale ?? bytes;
          stale = bytes;
          return out;
        },
      },
    });
    await runExchange(tgs(tgt, { server: 'cifs/host.a.test' }), net.send);
    const e = await failure(
      runExchange(tgs(tgt, { server: 'cifs/host.a.test', random: seededRandom(99) }), net.send),
    );
    expect(e).toBeInstanceOf(ReplyVerificationError);
    expect(e).toMatchObject({ check: 'decrypt' });
  });

  it('rejects a reply for another client', async () => {
    const { net, tgt } = await setup({
      hooks: {
        reply: (bytes, kind) =>
          kind === 'tgs'
            ? encode(TgsRep, { ...decode(TgsRep, bytes), cname: { nameType: 1, nameString: ['eve'] } })
            : bytes,
      },
    });
    const e = await failure(runExchange(tgs(tgt, { server: 'cifs/host.a.test' }), net.send));
    expect(e).toMatchObject({ check: 'client' });
  });

  it('accepts a canonical service name with canonicalize, refuses it without', async () => {
    const { net, tgt } = await setup({ aliases: { 'cifs/alias.a.test': 'cifs/host.a.test' } });
    const canon = await runExchange(tgs(tgt, { server: 'cifs/alias.a.test' }), net.send);
    expect(canon.server.name.nameString).toEqual(['cifs', 'host.a.test']);
    const e = await failure(
      runExchange(tgs(tgt, { server: 'cifs/alias.a.test', options: { canonicalize: false } }), net.send),
    );
    expect(e).toMatchObject({ check: 'server' });
  });

  it('KDC refusals are KerberosErrors (unknown service)', async () => {
    const { net, tgt } = await setup();
    const e = await failure(runExchange(tgs(tgt, { server: 'cifs/nowhere.a.test' }), net.send));
    expect(e).toBeInstanceOf(KerberosError);
    expect(e).toMatchObject({ name: 'KDC_ERR_S_PRINCIPAL_UNKNOWN', code: 7 });
    expect((e as KerberosError).hint).toMatch(/service principal/);
  });

  it('follows a server referral to the realm of the cross-realm TGT (RFC 6806 §8)', async () => {
    const { net, kdcB, tgt } = await setup({ serverReferrals: { 'cifs/host.b.test': B } }, {});
    const exchange = tgs(tgt, { server: 'cifs/host.b.test' });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.messages.map((m) => m.realm)).toEqual([A, A, B, B]);
    expect(exchange.referralTgts).toHaveLength(1);
    expect(exchange.referralTgts[0]!.server).toMatchObject({ realm: A, name: { nameString: ['krbtgt', B] } });
    expect(kdcRealmOf(exchange.referralTgts[0]!)).toBe(B);
    const [first, second] = sent(exchange);
    expect(first!.reqBody.value.realm).toBe(A);
    expect(second!.reqBody.value.realm).toBe(B);
    expect(credential.server).toMatchObject({ realm: B, name: { nameString: ['cifs', 'host.b.test'] } });
    expect(credential.client).toEqual(tgt.client);
    expect(kdcB!.ticketPart(credential.ticket).crealm).toBe(A);
  });

  it('without canonicalize a referral is refused', async () => {
    const { net, tgt } = await setup({ serverReferrals: { 'cifs/host.b.test': B } }, {});
    const e = await failure(
      runExchange(tgs(tgt, { server: 'cifs/host.b.test', options: { canonicalize: false } }), net.send),
    );
    expect(e).toMatchObject({ name: 'KDC_ERR_S_PRINCIPAL_UNKNOWN' });
  });

  it('detects a server referral loop and bounds the chain', async () => {
    const { net, tgt } = await setup(
      { serverReferrals: { 'cifs/x.test': B } },
      { serverReferrals: { 'cifs/x.test': A } },
    );
    const e = await failure(runExchange(tgs(tgt, { server: 'cifs/x.test' }), net.send));
    expect(e).toBeInstanceOf(ExchangePolicyError);
    expect(e).toMatchObject({ reason: 'referral-loop' });
    const { net: n2, tgt: t2 } = await setup(
      { serverReferrals: { 'cifs/x.test': B } },
      {
        serverReferrals: { 'cifs/x.test': 'C.TEST' },
      },
    );
    const e2 = await failure(runExchange(tgs(t2, { server: 'cifs/x.test', maxReferrals: 1 }), n2.send));
    expect(e2).toMatchObject({ reason: 'too-many-referrals' });
  });

  it('renews a renewable TGT (RENEW with the TGT itself)', async () => {
    const { net, tgt } = await setup();
    expect(credentialFlags(tgt)).toContain('renewable');
    const exchange = tgs(tgt, { options: { renew: true } });
    const renewed = await runExchange(exchange, net.send);
    const [req] = sent(exchange);
    expect(kdcOptionNames(req!.reqBody.value.kdcOptions)).toEqual(['renewable', 'canonicalize', 'renew']);
    expect(req!.reqBody.value.sname!.nameString).toEqual(['krbtgt', A]);
    expect(renewed.server).toEqual(tgt.server);
    expect(renewed.renewTill).toEqual(tgt.renewTill);
  });

  it('asks for user-to-user with the additional ticket (ENC-TKT-IN-SKEY)', async () => {
    const { net, tgt } = await setup();
    const exchange = tgs(tgt, { server: 'cifs/host.a.test', options: { encTktInSkey: tgt.ticket } });
    await runExchange(exchange, net.send);
    const body = sent(exchange)[0]!.reqBody.value;
    expect(kdcOptionNames(body.kdcOptions)).toContain('encTktInSkey');
    expect(body.additionalTickets![0]!.der).toEqual(tgt.ticket);
  });

  it('corrects KRB_AP_ERR_SKEW once and carries the offset into the credential', async () => {
    const { net, tgt } = await setup();
    const exchange = tgs(tgt, { server: 'cifs/host.a.test', clock: offsetClock(fixedClock(T0), -3600_000) });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.kdcErrors.map((e) => e.name)).toEqual(['KRB_AP_ERR_SKEW']);
    expect(credential.kdcTimeOffsetMs).toBe(3600_000);
  });

  it('uses the TGT offset for its timestamps (no skew error when it is known)', async () => {
    const { net, tgt } = await setup();
    const exchange = tgs(
      { ...tgt, kdcTimeOffsetMs: 3600_000 },
      { server: 'cifs/host.a.test', clock: offsetClock(fixedClock(T0), -3600_000) },
    );
    await runExchange(exchange, net.send);
    expect(exchange.kdcErrors).toEqual([]);
  });

  it('needs a server unless renewing; service names get host-based name types', async () => {
    const { tgt } = await setup();
    expect(() => tgs(tgt)).toThrow(/needs `server`/);
    expect(serviceNameType(['cifs', 'h'])).toBe(NameType.NT_SRV_HST);
    expect(serviceNameType(['krbtgt', 'R'])).toBe(NameType.NT_SRV_INST);
    expect(serviceNameType(['alice'])).toBe(NameType.NT_PRINCIPAL);
    expect(parseServicePrincipal('HTTP/web@R2', 'R1')).toEqual({
      realm: 'R2',
      name: { nameType: 3, nameString: ['HTTP', 'web'] },
    });
    const limited = tgs(tgt, { server: 'cifs/host.a.test', options: { lifetimeSeconds: 60 } });
    const step = limited.start();
    const body = decode(TgsReq, (step as { bytes: Uint8Array }).bytes).reqBody.value;
    expect(body.till.getTime()).toBe(Math.floor((T0 + 60_000) / 1000) * 1000);
  });
});
