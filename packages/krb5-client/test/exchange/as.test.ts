import { Enctype, stringToKey } from '@postntlm/krb5-crypto';
import {
  AsRep,
  AsReq,
  decode,
  EncryptedData,
  EtypeInfo2,
  encode,
  KdcReqBody,
  KrbError,
  kdcOptionNames,
  NameType,
  PaDataType,
  PaPacRequest,
  TgsRep,
} from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  ExchangePolicyError,
  ExchangeStateError,
  KerberosError,
  MalformedMessageError,
  PasswordIncorrectError,
  ReplyVerificationError,
} from '../../src/errors.js';
import {
  type AsExchangeOptions,
  createAsExchange,
  credentialFlags,
  type ExchangeStep,
  fixedClock,
  offsetClock,
  runExchange,
  seededRandom,
} from '../../src/exchange/index.js';
import { FakeKdcNetwork, type FakeRealmOptions } from './fake-kdc.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0, 250);
const REALM = 'EXAMPLE.COM';
const principals = {
  alice: { password: 'alice-pw' },
  nopre: { password: 'nopre-pw', preauth: false },
  salty: { password: 'salty-pw', preauth: false, salt: 'UNUSUALsalt' },
  saltypre: { password: 'salty-pw', salt: 'ODDsalt' },
  sha2only: { password: 'sha2-pw', etypes: [20, 19] },
};

async function network(options: Partial<FakeRealmOptions> = {}, clock = fixedClock(T0)) {
  const net = new FakeKdcNetwork(clock, seededRandom(7));
  const kdc = await net.addRealm(REALM, { principals, ...options });
  return { net, kdc };
}

function as(options: Partial<AsExchangeOptions> & Pick<AsExchangeOptions, 'client'>) {
  return createAsExchange({
    credentials: { password: 'alice-pw' },
    clock: fixedClock(T0),
    random: seededRandom(42),
    ...options,
  });
}

const sentRequests = (messages: readonly { direction: string; bytes: Uint8Array }[]) =>
  messages.filter((m) => m.direction === 'sent').map((m) => decode(AsReq, m.bytes));

async function failure(step: Promise<unknown>): Promise<unknown> {
  try {
    await step;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('AS exchange: pre-authentication', () => {
  it('sends no preauth first, then PA-ENC-TIMESTAMP with the cookie echoed (MIT kinit flow)', async () => {
    const { net } = await network();
    const exchange = as({ client: `alice@${REALM}` });
    const first = exchange.start();
    expect(first).toMatchObject({ kind: 'send', realm: REALM });
    const credential = await runExchangeFrom(exchange, first, net.send);
    const [req1, req2] = sentRequests(exchange.messages);
    expect(req1!.padata).toBeUndefined();
    expect(req2!.padata!.map((p) => p.padataType)).toEqual([
      PaDataType.PA_ENC_TIMESTAMP,
      PaDataType.PA_FX_COOKIE,
    ]);
    expect(new TextDecoder().decode(req2!.padata![1]!.padataValue)).toBe('FAKE-COOKIE');
    expect(decode(EncryptedData, req2!.padata![0]!.padataValue).etype).toBe(18);
    expect(exchange.kdcErrors.map((e) => e.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED']);
    expect(exchange.messages.map((m) => m.direction)).toEqual(['sent', 'received', 'sent', 'received']);
    expect(credential.client).toEqual({ realm: REALM, name: { nameType: 1, nameString: ['alice'] } });
    expect(credential.server.name.nameString).toEqual(['krbtgt', REALM]);
    expect(credential.sessionKey.enctype).toBe(18);
    expect(credential.encPartTag).toBe(26);
    expect(credentialFlags(credential)).toEqual(expect.arrayContaining(['initial', 'preAuthent']));
    expect(credential.ticketEnctype).toBe(18);
    expect(exchange.current).toEqual({ kind: 'done', credential });
  });

  it('accepts an AS-REP enc-part tagged [APPLICATION 25] as well as 26', async () => {
    const { net } = await network({ asRepTag: 25 });
    const credential = await runExchange(as({ client: `alice@${REALM}` }), net.send);
    expect(credential.encPartTag).toBe(25);
  });

  it('derives the key with the ETYPE-INFO2 salt; a principal without preauth gets it from the AS-REP', async () => {
    const { net } = await network();
    const exchange = as({ client: `salty@${REALM}`, credentials: { password: 'salty-pw' } });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.messages).toHaveLength(2);
    expect(credential.client.name.nameString).toEqual(['salty']);
  });

  it('uses the default salt when the KDC sends no ETYPE-INFO2', async () => {
    const { net } = await network({ noEtypeInfo: true });
    const credential = await runExchange(as({ client: `alice@${REALM}` }), net.send);
    expect(credential.sessionKey.enctype).toBe(18);
  });

  it('uses a salt given with the password when the KDC does not tell one', async () => {
    const { net } = await network({ noEtypeInfo: true });
    const bare = await failure(
      runExchange(as({ client: `saltypre@${REALM}`, credentials: { password: 'salty-pw' } }), net.send),
    );
    expect(bare).toMatchObject({ name: 'KDC_ERR_PREAUTH_FAILED' });
    const exchange = as({
      client: `saltypre@${REALM}`,
      credentials: { password: 'salty-pw', salt: 'ODDsalt' },
    });
    await expect(runExchange(exchange, net.send)).resolves.toMatchObject({ client: { realm: REALM } });
    // a password's first request is never pre-authenticated (string-to-key is asynchronous)
    expect(sentRequests(exchange.messages)[0]!.padata).toBeUndefined();
  });

  it('chooses the first ETYPE-INFO2 enctype it was allowed to request', async () => {
    const { net } = await network();
    const exchange = as({ client: `alice@${REALM}`, options: { etypes: [19, 17] } });
    const credential = await runExchange(exchange, net.send);
    const [, req2] = sentRequests(exchange.messages);
    expect(req2!.reqBody.value.etype).toEqual([19, 17]);
    expect(decode(EncryptedData, req2!.padata![0]!.padataValue).etype).toBe(19);
    expect(credential.sessionKey.enctype).toBe(19);
  });

  it('refuses an ETYPE-INFO2 with no enctype the caller allows', async () => {
    const { net } = await network({
      hooks: {
        methodData: (padata) =>
          padata.map((p) =>
            p.padataType === PaDataType.PA_ETYPE_INFO2
              ? { ...p, padataValue: encode(EtypeInfo2, [{ etype: 20, salt: 'x' }]) }
              : p,
          ),
      },
    });
    const e = await failure(
      runExchange(as({ client: `alice@${REALM}`, options: { etypes: [18] } }), net.send),
    );
    expect(e).toBeInstanceOf(ExchangePolicyError);
    expect(e).toMatchObject({ reason: 'no-usable-enctype', category: 'policy' });
    expect((e as Error).cause).toBeInstanceOf(KerberosError);
  });

  it('reports a KDC that offers only methods it does not implement', async () => {
    const { net } = await network({ offeredPreauth: [PaDataType.PA_PK_AS_REQ, PaDataType.PA_FX_FAST] });
    const e = await failure(runExchange(as({ client: `alice@${REALM}` }), net.send));
    expect(e).toBeInstanceOf(ExchangePolicyError);
    expect((e as ExchangePolicyError).reason).toBe('unsupported-preauth');
    expect((e as Error).message).toContain('PA_PK_AS_REQ (16)');
    expect((e as Error).message).toContain('PA_FX_FAST (136)');
  });

  it('pre-authenticates the first request when the key is known (keytab), choosing a requested enctype', async () => {
    const { net } = await network();
    const keys = await Promise.all(
      [17, 19].map(async (etype) => ({
        principal: { realm: REALM, name: { nameType: 1, nameString: ['alice'] } },
        kvno: 1,
        key: await stringToKey(etype, 'alice-pw', `${REALM}alice`),
      })),
    );
    const exchange = as({
      client: `alice@${REALM}`,
      credentials: { keytab: keys },
      options: { etypes: [19, 17] },
    });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.messages).toHaveLength(2);
    const [req] = sentRequests(exchange.messages);
    expect(decode(EncryptedData, req!.padata![0]!.padataValue).etype).toBe(19);
    expect(credential.sessionKey.enctype).toBe(19);
  });

  it('ignores keytab entries of other principals and picks the highest kvno', async () => {
    const { net } = await network();
    const good = await stringToKey(18, 'alice-pw', `${REALM}alice`);
    const old = await stringToKey(18, 'old-pw', `${REALM}alice`);
    const bob = await stringToKey(18, 'alice-pw', `${REALM}bob`);
    const p = (name: string) => ({ realm: REALM, name: { nameType: 1, nameString: [name] } });
    const exchange = as({
      client: `alice@${REALM}`,
      credentials: {
        keytab: [
          { principal: p('bob'), kvno: 9, key: bob },
          { principal: p('alice'), kvno: 1, key: old },
          { principal: p('alice'), kvno: 2, key: good },
        ],
      },
    });
    await expect(runExchange(exchange, net.send)).resolves.toMatchObject({ client: p('alice') });
  });

  it('says so when the keytab has no key of the enctype the KDC asks for', async () => {
    const { net } = await network();
    const key = await stringToKey(17, 'sha2-pw', `${REALM}sha2only`);
    const e = await failure(
      runExchange(
        as({
          client: `sha2only@${REALM}`,
          credentials: { key },
          options: { etypes: [17, 20], preauthUpfront: false },
        }),
        net.send,
      ),
    );
    // The principal has only 20/19 keys; the KDC asks for 20, the keytab has only 17.
    expect(e).toBeInstanceOf(ExchangePolicyError);
    expect(e).toMatchObject({ reason: 'no-usable-enctype' });
    expect((e as Error).message).toContain('enctype(s) 20');
  });
});

describe('AS exchange: failures', () => {
  it('wrong password with preauth: KerberosError KDC_ERR_PREAUTH_FAILED with a hint', async () => {
    const { net } = await network();
    const e = await failure(
      runExchange(as({ client: `alice@${REALM}`, credentials: { password: 'nope' } }), net.send),
    );
    expect(e).toBeInstanceOf(KerberosError);
    const k = e as KerberosError;
    expect(k.name).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(k.codeName).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(k.code).toBe(24);
    expect(k.category).toBe('peer');
    expect(k.eText).toBe('PREAUTH_FAILED');
    expect(k.hint).toMatch(/password incorrect/);
    expect(k.serverTime.getTime()).toBe(T0);
    expect(k.requestRealm).toBe(REALM);
  });

  it('wrong password without preauth: PasswordIncorrectError (the AS-REP does not decrypt)', async () => {
    const { net } = await network();
    const e = await failure(
      runExchange(as({ client: `nopre@${REALM}`, credentials: { password: 'nope' } }), net.send),
    );
    expect(e).toBeInstanceOf(PasswordIncorrectError);
    expect((e as PasswordIncorrectError).category).toBe('integrity');
    expect((e as Error).message).toContain(`nopre@${REALM}`);
  });

  it('a stale key without preauth: ReplyVerificationError decrypt', async () => {
    const { net } = await network();
    const key = await stringToKey(18, 'old', `${REALM}nopre`);
    const e = await failure(
      runExchange(
        as({ client: `nopre@${REALM}`, credentials: { key }, options: { preauthUpfront: false } }),
        net.send,
      ),
    );
    expect(e).toBeInstanceOf(ReplyVerificationError);
    expect((e as ReplyVerificationError).check).toBe('decrypt');
  });

  it('unknown client: KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
    const { net } = await network();
    const e = await failure(runExchange(as({ client: `mallory@${REALM}` }), net.send));
    expect(e).toMatchObject({ name: 'KDC_ERR_C_PRINCIPAL_UNKNOWN', code: 6 });
  });

  it.each([
    ['nonce', (p: { nonce: number }) => ({ ...p, nonce: p.nonce + 1 })],
    [
      'enctype',
      (p: { key: { keytype: number; keyvalue: Uint8Array } }) => ({ ...p, key: { ...p.key, keytype: 23 } }),
    ],
    ['ticket', (p: { sname: object }) => ({ ...p, sname: { nameType: 2, nameString: ['krbtgt', 'OTHER'] } })],
    ['times', (p: { endtime: Date }) => ({ ...p, endtime: new Date(p.endtime.getTime() + 48 * 3600_000) })],
  ] as const)('rejects a reply whose %s check fails', async (check, change) => {
    const { net } = await network({ hooks: { encPart: (part) => change(part as never) as typeof part } });
    const e = await failure(runExchange(as({ client: `alice@${REALM}` }), net.send));
    expect(e).toBeInstanceOf(ReplyVerificationError);
    expect((e as ReplyVerificationError).check).toBe(check);
  });

  it('rejects an AS-REP for another client unless canonicalize was asked', async () => {
    const other = (bytes: Uint8Array) => {
      const rep = decode(AsRep, bytes);
      return encode(AsRep, { ...rep, cname: { nameType: 1, nameString: ['someone'] } });
    };
    const { net } = await network({ hooks: { reply: (b, kind) => (kind === 'as' ? other(b) : b) } });
    const e = await failure(
      runExchange(as({ client: `nopre@${REALM}`, credentials: { password: 'nopre-pw' } }), net.send),
    );
    expect(e).toMatchObject({ check: 'client' });
    const canon = await runExchange(
      as({
        client: `nopre@${REALM}`,
        credentials: { password: 'nopre-pw' },
        options: { canonicalize: true },
      }),
      net.send,
    );
    expect(canon.client.name.nameString).toEqual(['someone']);
  });

  it('a reply that is not Kerberos, or the wrong message, is MalformedMessageError', async () => {
    const exchange = as({ client: `alice@${REALM}` });
    exchange.start();
    const step = await exchange.receive(new Uint8Array([1, 2, 3]));
    expect(step.kind).toBe('error');
    expect((step as Extract<ExchangeStep, { kind: 'error' }>).error).toBeInstanceOf(MalformedMessageError);

    const { net } = await network();
    const e2 = as({ client: `alice@${REALM}` });
    e2.start();
    // a TGS-REP where an AS-REP belongs
    const asRep = decode(AsRep, (await runAndGetLastReply(net)) as Uint8Array);
    const step2 = await e2.receive(encode(TgsRep, { ...asRep, msgType: 13 }));
    expect((step2 as Extract<ExchangeStep, { kind: 'error' }>).error.message).toContain('expected AS_REP');

    const e3 = as({ client: `alice@${REALM}` });
    e3.start();
    const truncated = await e3.receive(encode(AsRep, asRep).subarray(0, 40));
    const err = (truncated as Extract<ExchangeStep, { kind: 'error' }>).error as MalformedMessageError;
    expect(err).toBeInstanceOf(MalformedMessageError);
    expect(err.category).toBe('malformed');
  });

  it('is used in order: start once, receive after start, nothing after the end', async () => {
    const exchange = as({ client: `alice@${REALM}` });
    await expect(exchange.receive(new Uint8Array(1))).rejects.toBeInstanceOf(ExchangeStateError);
    exchange.start();
    expect(() => exchange.start()).toThrow(ExchangeStateError);
    await exchange.receive(new Uint8Array([0]));
    await expect(exchange.receive(new Uint8Array(1))).rejects.toThrow(/after the exchange ended/);
  });

  it('refuses RC4 unless allowed, unknown enctypes, an empty list, and bad lifetimes', () => {
    expect(() => as({ client: 'a@R', options: { etypes: [23] } })).toThrow(/RC4-HMAC/);
    expect(() => as({ client: 'a@R', options: { etypes: [16] } })).toThrow(ExchangePolicyError);
    expect(() => as({ client: 'a@R', options: { etypes: [] } })).toThrow(/empty/);
    expect(() => as({ client: 'a@R', options: { lifetimeSeconds: -1 } })).toThrow(/lifetimeSeconds/);
    expect(() => as({ client: 'a' })).toThrow(/no realm/);
    expect(() => as({ client: 'a', realm: 'R' })).not.toThrow();
  });
});

describe('AS exchange: clock skew, referrals, options', () => {
  it('corrects KRB_AP_ERR_SKEW once from the error stime and records the offset', async () => {
    const { net } = await network();
    const exchange = as({ client: `alice@${REALM}`, clock: offsetClock(fixedClock(T0), 3600_000) });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.kdcErrors.map((e) => e.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED', 'KRB_AP_ERR_SKEW']);
    expect(exchange.kdcErrors[1]!.hint).toMatch(/clock/);
    expect(credential.kdcTimeOffsetMs).toBe(-3600_000);
    expect(exchange.kdcTimeOffsetMs).toBe(-3600_000);
    const third = sentRequests(exchange.messages)[2]!;
    expect(third.reqBody.value.till.getTime()).toBe(Math.floor(T0 / 1000) * 1000 + 24 * 3600_000);
  });

  it('gives up after one skew correction', async () => {
    let t = T0 + 3600_000;
    const drifting = { now: () => (t += 3600_000) };
    const { net } = await network();
    const exchange = as({ client: `alice@${REALM}`, clock: drifting });
    const e = await failure(runExchange(exchange, net.send));
    expect(e).toMatchObject({ name: 'KRB_AP_ERR_SKEW' });
    expect(exchange.kdcErrors.map((k) => k.name)).toEqual([
      'KDC_ERR_PREAUTH_REQUIRED',
      'KRB_AP_ERR_SKEW',
      'KRB_AP_ERR_SKEW',
    ]);
  });

  it('follows a client referral (KDC_ERR_WRONG_REALM) to the realm in crealm', async () => {
    const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(3));
    await net.addRealm('A.TEST', { principals: {}, clientReferrals: { alice: 'B.TEST' } });
    await net.addRealm('B.TEST', { principals: { alice: { password: 'alice-pw', salt: 'B.TESTalice' } } });
    const exchange = as({ client: 'alice@A.TEST' });
    const credential = await runExchange(exchange, net.send);
    expect(exchange.kdcErrors.map((e) => e.name)).toEqual([
      'KDC_ERR_WRONG_REALM',
      'KDC_ERR_PREAUTH_REQUIRED',
    ]);
    expect(exchange.messages.map((m) => m.realm)).toEqual([
      'A.TEST',
      'A.TEST',
      'B.TEST',
      'B.TEST',
      'B.TEST',
      'B.TEST',
    ]);
    expect(credential.client.realm).toBe('B.TEST');
    expect(credential.server).toMatchObject({ realm: 'B.TEST', name: { nameString: ['krbtgt', 'B.TEST'] } });
    expect(exchange.realm).toBe('B.TEST');
  });

  it('detects a client referral loop and bounds the chain', async () => {
    const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(3));
    await net.addRealm('A.TEST', { principals: {}, clientReferrals: { alice: 'B.TEST' } });
    await net.addRealm('B.TEST', { principals: {}, clientReferrals: { alice: 'A.TEST' } });
    const loop = await failure(runExchange(as({ client: 'alice@A.TEST' }), net.send));
    expect(loop).toMatchObject({ reason: 'referral-loop' });
    expect((loop as Error).message).toContain('A.TEST -> B.TEST -> A.TEST');

    const chain = new FakeKdcNetwork(fixedClock(T0), seededRandom(3));
    for (let i = 0; i < 4; i++) {
      await chain.addRealm(`R${i}`, { principals: {}, clientReferrals: { alice: `R${i + 1}` } });
    }
    const e = await failure(runExchange(as({ client: 'alice@R0', maxReferrals: 2 }), chain.send));
    expect(e).toMatchObject({ reason: 'too-many-referrals' });
  });

  it('maps options to KDCOptions and sends PA-PAC-REQUEST when asked', async () => {
    const { net } = await network();
    const exchange = as({
      client: `alice@${REALM}`,
      options: {
        forwardable: true,
        renewable: true,
        canonicalize: true,
        requestPac: false,
        lifetimeSeconds: 3600,
      },
    });
    const credential = await runExchange(exchange, net.send);
    const [req] = sentRequests(exchange.messages);
    const body = req!.reqBody.value;
    expect(kdcOptionNames(body.kdcOptions)).toEqual([
      'forwardable',
      'renewable',
      'canonicalize',
      'renewableOk',
    ]);
    expect(body.till.getTime() - Math.floor(T0 / 1000) * 1000).toBe(3600_000);
    expect(body.rtime!.getTime() - Math.floor(T0 / 1000) * 1000).toBe(7 * 24 * 3600_000);
    expect(body.nonce).toBeLessThan(2 ** 31);
    expect(body.sname).toEqual({ nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] });
    const pac = req!.padata!.find((p) => p.padataType === PaDataType.PA_PAC_REQUEST)!;
    expect(decode(PaPacRequest, pac.padataValue)).toEqual({ includePac: false });
    expect(credentialFlags(credential)).toEqual(expect.arrayContaining(['forwardable', 'renewable']));
    expect(credential.renewTill).toBeDefined();
  });

  it('sends an enterprise name as NT-ENTERPRISE with canonicalize (RFC 6806 §5)', async () => {
    const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(3));
    await net.addRealm(REALM, {
      principals: { 'alice@example.org': { password: 'alice-pw', salt: `${REALM}alice` } },
    });
    const exchange = as({ client: 'alice@example.org', realm: REALM, options: { enterprise: true } });
    await runExchange(exchange, net.send);
    const body = sentRequests(exchange.messages)[0]!.reqBody.value;
    expect(body.cname).toEqual({ nameType: NameType.NT_ENTERPRISE, nameString: ['alice@example.org'] });
    expect(body.realm).toBe(REALM);
    expect(kdcOptionNames(body.kdcOptions)).toContain('canonicalize');
  });

  it('re-sends over a stream transport after KRB_ERR_RESPONSE_TOO_BIG', async () => {
    let tooBig = true;
    const { net } = await network({
      hooks: {
        reply: (bytes) => {
          if (!tooBig) return bytes;
          tooBig = false;
          return new FakeTooBig().bytes;
        },
      },
    });
    const exchange = as({ client: `nopre@${REALM}`, credentials: { password: 'nopre-pw' } });
    const first = exchange.start();
    const again = await exchange.receive(await net.send(REALM, (first as { bytes: Uint8Array }).bytes));
    expect(again).toMatchObject({ kind: 'send', preferStream: true });
    expect((again as { bytes: Uint8Array }).bytes).toEqual((first as { bytes: Uint8Array }).bytes);
    const done = await exchange.receive(await net.send(REALM, (again as { bytes: Uint8Array }).bytes));
    expect(done.kind).toBe('done');
  });

  it('is deterministic with an injected clock and random source', async () => {
    const run = async () => {
      const { net } = await network();
      const exchange = as({ client: `alice@${REALM}` });
      await runExchange(exchange, net.send);
      return exchange.messages
        .filter((m) => m.direction === 'sent')
        .map((m) => Buffer.from(m.bytes).toString('hex'));
    };
    expect(await run()).toEqual(await run());
  });

  it('takes the body fields from the KDC-REQ-BODY schema (round trip of what was sent)', async () => {
    const { net } = await network();
    const exchange = as({ client: `alice@${REALM}` });
    await runExchange(exchange, net.send);
    const req = sentRequests(exchange.messages)[1]!;
    expect(encode(KdcReqBody, req.reqBody.value)).toEqual(req.reqBody.der);
    expect(req.reqBody.value.etype).toEqual([Enctype.AES256_CTS_HMAC_SHA1_96, 17, 20, 19]);
  });
});

/** A KRB-ERROR 52 (KRB_ERR_RESPONSE_TOO_BIG). */
class FakeTooBig {
  readonly bytes = encode(KrbError, {
    pvno: 5,
    msgType: 30,
    stime: new Date(Math.floor(T0 / 1000) * 1000),
    susec: 0,
    errorCode: 52,
    realm: REALM,
    sname: { nameType: 2, nameString: ['krbtgt', REALM] },
  });
}

async function runExchangeFrom(
  exchange: ReturnType<typeof as>,
  first: ExchangeStep,
  send: (realm: string, bytes: Uint8Array) => Promise<Uint8Array>,
) {
  let step = first;
  while (step.kind === 'send') step = await exchange.receive(await send(step.realm, step.bytes));
  if (step.kind === 'error') throw step.error;
  return step.credential;
}

async function runAndGetLastReply(net: FakeKdcNetwork): Promise<Uint8Array> {
  await runExchange(as({ client: `alice@${REALM}` }), net.send);
  return net.log[net.log.length - 1]!.reply;
}
