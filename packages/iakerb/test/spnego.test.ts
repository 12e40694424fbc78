/** IAKerb under SPNEGO: our SPNEGO initiator against our SPNEGO acceptor, an in-process Local KDC behind it. */
import { Oid } from '@postntlm/der-asn1';
import {
  type ContextStep,
  decodeSpnegoToken,
  encodeSpnegoToken,
  GssStateError,
  NegState,
  type NegTokenResp,
  SPNEGO_HINT_NAME,
  SpnegoAcceptor,
  SpnegoInitiator,
  SpnegoNoMechanismError,
  type SpnegoToken,
} from '@postntlm/gssapi-spnego';
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  type KdcExchange,
} from '@postntlm/krb5-client';
import { describe, expect, it } from 'vitest';
import {
  chooseIakerbUse,
  createSpnegoAcceptor,
  createSpnegoInitiator,
  decodeProxyToken,
  engineTransport,
  IAKERB_OID,
  IAKERB_SPNEGO_MECHS,
  type IakerbDialect,
  type IakerbInitiatorOptions,
  iakerbHintToken,
  iakerbMechanism,
  kerberosMessageType,
  peekToken,
} from '../src/index.js';
import { PASSWORD, SERVICE, type TestRealm, testRealm } from './helpers.js';

const NEGOEX = '1.3.6.1.4.1.311.2.2.30';
const utf8 = (s: string) => new TextEncoder().encode(s);

function iakerbOptions(t: TestRealm, dialect: IakerbDialect, discovery = false): IakerbInitiatorOptions {
  return {
    client: discovery ? 'alice' : `alice@${t.realm}`,
    credentials: { password: PASSWORD },
    server: SERVICE,
    dialect,
  };
}

function acceptorFor(t: TestRealm, onNtlmAttempt?: (offered: readonly string[]) => void) {
  return createSpnegoAcceptor({
    keytab: t.keytab,
    iakerb: { realm: t.realm, kdc: engineTransport(t.kdc) },
    ...(onNtlmAttempt === undefined ? {} : { onNtlmAttempt }),
  });
}

/** A service ticket straight from the KDC (a client that can reach it). */
async function directTicket(t: TestRealm): Promise<Credential> {
  const kdc = engineTransport(t.kdc);
  const drive = async (exchange: KdcExchange): Promise<Credential> => {
    let step = exchange.start();
    while (step.kind === 'send')
      step = await exchange.receive(await kdc.send(step.realm, step.bytes, { timeoutMs: 5000 }));
    if (step.kind === 'error') throw step.error;
    return step.credential;
  };
  const tgt = await drive(
    createAsExchange({ client: `alice@${t.realm}`, credentials: { password: PASSWORD } }),
  );
  return drive(createTgsExchange({ tgt, server: `${SERVICE}@${t.realm}` }));
}

/** The inner mechanism token of a SPNEGO token, described: `proxy:as-req`, `ap-req:1.2.840.113554.1.2.2`... */
function inner(t: SpnegoToken): string | undefined {
  const token = t.kind === 'init' ? t.mechToken : t.responseToken;
  if (token === undefined) return undefined;
  const { kind, mech } = peekToken(token);
  if (kind === 'proxy') {
    const message = decodeProxyToken(token).message;
    return `proxy:${message.length === 0 ? 'discovery' : kerberosMessageType(message)}`;
  }
  return `${kind}:${mech}`;
}

/** Runs both SPNEGO sides with stepAsync; every token, decoded, in order. */
async function run(initiator: SpnegoInitiator, acceptor: SpnegoAcceptor) {
  const tokens: SpnegoToken[] = [];
  const raw: Uint8Array[] = [];
  let client = await initiator.stepAsync();
  let server: ContextStep | undefined;
  for (let i = 0; i < 30 && client.outputToken !== undefined; i++) {
    expect(client.error).toBeUndefined();
    tokens.push(decodeSpnegoToken(client.outputToken));
    raw.push(client.outputToken);
    server = await acceptor.stepAsync(client.outputToken);
    expect(server.error).toBeUndefined();
    if (server.outputToken === undefined) break;
    tokens.push(decodeSpnegoToken(server.outputToken));
    raw.push(server.outputToken);
    if (client.done && server.done) {
      expect(await initiator.stepAsync(server.outputToken)).toMatchObject({
        done: true,
        outputToken: undefined,
      });
      break;
    }
    client = await initiator.stepAsync(server.outputToken);
  }
  expect(client.error).toBeUndefined();
  expect(client.done).toBe(true);
  expect(server?.done).toBe(true);
  const c = initiator.context!;
  const s = acceptor.context!;
  expect(new TextDecoder().decode(s.unwrap(c.wrap(utf8('hello'))).message)).toBe('hello');
  expect(new TextDecoder().decode(c.unwrap(s.wrap(utf8('olleh'))).message)).toBe('olleh');
  expect(c.smbSessionKey()).toEqual(s.smbSessionKey());
  expect(s.client.name.nameString).toEqual(['alice']);
  return { tokens, raw };
}

const resp = (t: SpnegoToken | undefined) => t as NegTokenResp;

describe('IAKerb under SPNEGO', () => {
  it.each<[IakerbDialect, boolean]>([
    ['draft', false],
    ['draft', true],
    ['windows', false],
  ])(
    '%s dialect (realm discovery %s): IAKerb first with an optimistic proxy token; supportedMech IAKerb; accept-incomplete per leg',
    async (dialect, discovery) => {
      const t = await testRealm();
      const initiator = createSpnegoInitiator({
        iakerb: iakerbOptions(t, dialect, discovery),
        use: 'always',
      });
      expect(initiator.offered).toEqual([IAKERB_OID]);
      const acceptor = acceptorFor(t);
      const { tokens } = await run(initiator, acceptor);
      const kdcLegs = [
        'proxy:as-req',
        'proxy:krb-error',
        'proxy:as-req',
        'proxy:as-rep',
        'proxy:tgs-req',
        'proxy:tgs-rep',
      ];
      const apMech = dialect === 'windows' ? Oid.krb5 : IAKERB_OID;
      expect(tokens.map(inner)).toEqual([
        ...(discovery ? ['proxy:discovery', 'proxy:discovery'] : []),
        ...kdcLegs,
        `ap-req:${apMech}`,
        `ap-rep:${apMech}`,
      ]);
      expect(tokens[0]).toMatchObject({ kind: 'init', framed: true, mechTypes: [IAKERB_OID] });
      const replies = tokens.filter((_, i) => i % 2 === 1).map(resp);
      expect(replies[0]).toMatchObject({ negState: NegState.acceptIncomplete, supportedMech: IAKERB_OID });
      for (const r of replies.slice(1, -1))
        expect(r).toMatchObject({ negState: NegState.acceptIncomplete, supportedMech: undefined });
      expect(replies.at(-1)).toMatchObject({ negState: NegState.acceptCompleted, supportedMech: undefined });
      for (const r of tokens
        .slice(1)
        .filter((_, i) => i % 2 === 1)
        .map(resp))
        expect(r).toMatchObject({ kind: 'resp', negState: undefined, supportedMech: undefined });
      // The optimistic case: neither side needs a mechListMIC (RFC 4178 §5).
      expect(tokens.every((x) => x.mechListMIC === undefined)).toBe(true);
      expect(acceptor.mechanism).toBe(IAKERB_OID);
      const header = decodeProxyToken(replies[0]!.responseToken!).header;
      expect(header.targetRealm).toBe(dialect === 'windows' ? '.' : t.realm);
    },
  );

  it.each<IakerbDialect>(['draft', 'windows'])(
    '%s: the acceptor picks IAKerb over an unknown first choice; mechListMICs both ways',
    async (dialect) => {
      const t = await testRealm();
      const initiator = new SpnegoInitiator({
        mechTypes: [NEGOEX, IAKERB_OID],
        mechanisms: [iakerbMechanism({ initiator: iakerbOptions(t, dialect) })],
      });
      const { tokens } = await run(initiator, acceptorFor(t));
      expect(tokens[0]).toMatchObject({
        kind: 'init',
        mechTypes: [NEGOEX, IAKERB_OID],
        mechToken: undefined,
      });
      expect(tokens[1]).toMatchObject({
        negState: NegState.acceptIncomplete,
        supportedMech: IAKERB_OID,
        responseToken: undefined,
      });
      expect(inner(tokens[2]!)).toBe('proxy:as-req');
      const apRep = resp(tokens.at(-3));
      expect(inner(apRep)).toMatch(/^ap-rep:/);
      expect(apRep.negState).toBe(NegState.acceptIncomplete);
      expect(apRep.mechListMIC).toBeDefined();
      const ours = resp(tokens.at(-2));
      expect(ours.mechListMIC).toBeDefined();
      expect(ours.responseToken).toBeUndefined();
      expect(tokens.at(-1)).toMatchObject({ negState: NegState.acceptCompleted });
      expect(tokens.slice(0, -3).every((x) => x.mechListMIC === undefined)).toBe(true);
    },
  );

  it('fallback: krb5 first with a ticket; an acceptor of IAKerb only re-negotiates to it, with mechListMICs', async () => {
    const t = await testRealm();
    const initiator = createSpnegoInitiator({
      credential: await directTicket(t),
      iakerb: iakerbOptions(t, 'draft'),
      use: 'fallback',
    });
    expect(initiator.offered).toEqual([Oid.krb5, IAKERB_OID]);
    const acceptor = new SpnegoAcceptor({
      keytab: t.keytab,
      mechTypes: [IAKERB_OID],
      mechanisms: [
        iakerbMechanism({ acceptor: { keytab: t.keytab, realm: t.realm, kdc: engineTransport(t.kdc) } }),
      ],
    });
    const { tokens } = await run(initiator, acceptor);
    expect(inner(tokens[0]!)).toBe(`ap-req:${Oid.krb5}`);
    expect(tokens[1]).toMatchObject({ supportedMech: IAKERB_OID, responseToken: undefined });
    expect(inner(tokens[2]!)).toBe('proxy:as-req');
    expect(resp(tokens.at(-3)).mechListMIC).toBeDefined();
    expect(resp(tokens.at(-2)).mechListMIC).toBeDefined();
    expect(acceptor.mechanism).toBe(IAKERB_OID);
  });

  it.each([
    ['[krb5] only', [Oid.krb5]],
    ['[MS krb5] only', [Oid.msKrb5]],
    ['[krb5, IAKerb] (fallback)', [Oid.krb5, IAKERB_OID]],
  ])(
    'an initiator offering %s with a direct ticket: one round trip, no proxying',
    async (_name, mechTypes) => {
      const t = await testRealm();
      const credential = await directTicket(t);
      const before = t.requests.length;
      const initiator =
        mechTypes.length === 1
          ? new SpnegoInitiator({ credential, mechTypes })
          : createSpnegoInitiator({ credential, iakerb: iakerbOptions(t, 'draft') });
      expect(initiator.offered).toEqual(mechTypes);
      const acceptor = acceptorFor(t);
      const { tokens } = await run(initiator, acceptor);
      expect(tokens).toHaveLength(2);
      expect(tokens[1]).toMatchObject({ negState: NegState.acceptCompleted, supportedMech: mechTypes[0] });
      expect(acceptor.mechanism).toBe(mechTypes[0]);
      expect(t.requests.length).toBe(before); // nothing proxied
    },
  );

  it('an initiator offering only NTLMSSP is refused (reject), and the NTLM audit hook sees it', async () => {
    const t = await testRealm();
    const seen: (readonly string[])[] = [];
    const acceptor = acceptorFor(t, (offered) => seen.push(offered));
    const r = await acceptor.stepAsync(
      encodeSpnegoToken({
        kind: 'init',
        framed: true,
        mechTypes: [Oid.ntlmssp],
        mechToken: utf8('NTLMSSP\0'),
      }),
    );
    expect(r.error).toBeInstanceOf(SpnegoNoMechanismError);
    expect(r.error!.message).toMatch(/NTLM/);
    expect(resp(decodeSpnegoToken(r.outputToken!)).negState).toBe(NegState.reject);
    expect(seen).toEqual([[Oid.ntlmssp]]);
  });

  it('a Windows-like offer [IAKerb, NEGOEX, NTLMSSP] with an optimistic IAKerb token: IAKerb is taken', async () => {
    const t = await testRealm();
    const seen: (readonly string[])[] = [];
    const initiator = new SpnegoInitiator({
      mechTypes: [IAKERB_OID, NEGOEX],
      mechanisms: [iakerbMechanism({ initiator: iakerbOptions(t, 'windows') })],
    });
    const init = decodeSpnegoToken((await initiator.stepAsync()).outputToken!);
    if (init.kind !== 'init') throw new Error('NegTokenInit expected');
    const acceptor = acceptorFor(t, (offered) => seen.push(offered));
    const windowsInit = encodeSpnegoToken({ ...init, mechTypes: [IAKERB_OID, NEGOEX, Oid.ntlmssp] });
    const r = await acceptor.stepAsync(windowsInit);
    expect(r.error).toBeUndefined();
    expect(decodeSpnegoToken(r.outputToken!)).toMatchObject({ supportedMech: IAKERB_OID });
    expect(seen).toHaveLength(1);
  });

  it('the hint token lists exactly [MS krb5, krb5, IAKerb]', async () => {
    const t = await testRealm();
    for (const token of [iakerbHintToken(), acceptorFor(t).hintToken()]) {
      const decoded = decodeSpnegoToken(token);
      expect(decoded).toMatchObject({ kind: 'init', framed: true, negHints: { hintName: SPNEGO_HINT_NAME } });
      expect(decoded.kind === 'init' && decoded.mechTypes).toEqual([Oid.msKrb5, Oid.krb5, IAKERB_OID]);
      expect(decoded.kind === 'init' && decoded.mechToken).toBeUndefined();
    }
    expect(IAKERB_SPNEGO_MECHS).toEqual([Oid.msKrb5, Oid.krb5, IAKERB_OID]);
    expect(acceptorFor(t).supported).toEqual([Oid.msKrb5, Oid.krb5, IAKERB_OID]);
  });

  it('a wrong password fails the initiator; the acceptor stays in accept-incomplete', async () => {
    const t = await testRealm();
    const initiator = createSpnegoInitiator({
      iakerb: { ...iakerbOptions(t, 'draft'), credentials: { password: 'wrong' } },
    });
    const acceptor = acceptorFor(t);
    let c = await initiator.stepAsync();
    let error: Error | undefined;
    for (let i = 0; i < 10 && error === undefined; i++) {
      const s = await acceptor.stepAsync(c.outputToken!);
      expect(s.error).toBeUndefined();
      expect(resp(decodeSpnegoToken(s.outputToken!)).negState).toBe(NegState.acceptIncomplete);
      c = await initiator.stepAsync(s.outputToken);
      error = c.error;
    }
    expect(error).toBeDefined();
    expect(initiator.context).toBeUndefined();
  });

  it('the synchronous step refuses IAKerb (asynchronous) with a GssStateError', async () => {
    const t = await testRealm();
    const initiator = createSpnegoInitiator({ iakerb: iakerbOptions(t, 'draft') });
    expect(() => initiator.step()).toThrow(GssStateError);
    const init = await createSpnegoInitiator({ iakerb: iakerbOptions(t, 'draft') }).stepAsync();
    expect(() => acceptorFor(t).step(init.outputToken!)).toThrow(/stepAsync/);
  });
});

describe('when to offer IAKerb', () => {
  it('chooseIakerbUse: no KDC or no ticket → always; a ticket → fallback; the policy wins', () => {
    expect(chooseIakerbUse({ kdcReachable: false, haveTicket: false })).toBe('always');
    expect(chooseIakerbUse({ kdcReachable: true, haveTicket: false })).toBe('always');
    expect(chooseIakerbUse({ kdcReachable: false, haveTicket: true })).toBe('always');
    expect(chooseIakerbUse({ kdcReachable: true, haveTicket: true })).toBe('fallback');
    expect(chooseIakerbUse({ kdcReachable: true, haveTicket: true, iakerbConfigured: false })).toBe('never');
    expect(chooseIakerbUse({ policy: 'always', kdcReachable: true, haveTicket: true })).toBe('always');
    expect(chooseIakerbUse({ policy: 'never', kdcReachable: false, haveTicket: false })).toBe('never');
  });

  it('createSpnegoInitiator: the offer follows the decision', async () => {
    const t = await testRealm();
    const iakerb = iakerbOptions(t, 'draft');
    const credential = await directTicket(t);
    expect(createSpnegoInitiator({ iakerb }).offered).toEqual([IAKERB_OID]);
    expect(createSpnegoInitiator({ iakerb, credential }).offered).toEqual([Oid.krb5, IAKERB_OID]);
    expect(createSpnegoInitiator({ iakerb, credential, kdcReachable: false }).offered).toEqual([
      IAKERB_OID,
      Oid.krb5,
    ]);
    expect(
      createSpnegoInitiator({ iakerb, credential, use: 'always', krb5Mech: Oid.msKrb5 }).offered,
    ).toEqual([IAKERB_OID, Oid.msKrb5]);
    expect(createSpnegoInitiator({ credential, use: 'never' }).offered).toEqual([Oid.krb5]);
    expect(createSpnegoInitiator({ credential }).offered).toEqual([Oid.krb5]);
    expect(() => createSpnegoInitiator({ use: 'always' })).toThrow(RangeError);
    expect(() => createSpnegoInitiator({ iakerb, use: 'fallback' })).toThrow(RangeError);
  });
});
