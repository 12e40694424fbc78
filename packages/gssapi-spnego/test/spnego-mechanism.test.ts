/**
 * The SPNEGO mechanism seam: a fake multi-leg mechanism (some ping/pong legs, then a real
 * krb5 AP exchange so that the context can sign the mech list), asynchronous or not.
 */
import { Oid } from '@postntlm/der-asn1';
import { fixedClock } from '@postntlm/krb5-client';
import { describe, expect, it } from 'vitest';
import {
  type ContextStep,
  decodeSpnegoToken,
  encodeSpnegoToken,
  GssError,
  GssIntegrityError,
  GssStateError,
  GssTokenError,
  Krb5Acceptor,
  Krb5Initiator,
  type MechanismContext,
  MemoryReplayCache,
  NegState,
  type NegTokenResp,
  SPNEGO_HINT_NAME,
  SpnegoAcceptor,
  SpnegoInitiator,
  type SpnegoMechanism,
  SpnegoNoMechanismError,
  spnegoHintToken,
} from '../src/index.js';
import { fixture, NOW, utf8 } from './helpers.js';

const clock = fixedClock(NOW);
const FAKE = '1.3.6.1.4.1.99999.7.1';
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const label = (b: Uint8Array | undefined) =>
  b === undefined ? '-' : /^p[io]ng\d$/.test(text(b)) ? text(b) : 'krb5';

interface FakeOptions {
  /** ping/pong legs before the AP exchange. */
  readonly legs: number;
  readonly async: boolean;
  /** Initiator flags (without mutual: the initiator is done with its AP-REQ, the last token). */
  readonly flags?: number;
  /** The acceptor fails on this ping. */
  readonly failAt?: number;
}

/** A fake multi-leg mechanism over a krb5 fixture; every step is logged. */
function fakeMechanism(options: FakeOptions) {
  const fx = fixture();
  const log: string[] = [];
  const later = (step: ContextStep): ContextStep | Promise<ContextStep> =>
    options.async ? new Promise((resolve) => setTimeout(() => resolve(step), 1)) : step;
  const mechanism: SpnegoMechanism = {
    oids: [FAKE],
    createInitiator(oid): MechanismContext {
      expect(oid).toBe(FAKE);
      let leg = 0;
      let krb5: Krb5Initiator | undefined;
      return {
        step(token) {
          log.push(`i:${label(token)}`);
          if (leg < options.legs) {
            if (leg > 0) expect(text(token)).toBe(`pong${leg - 1}`);
            return later({ outputToken: utf8(`ping${leg++}`), done: false });
          }
          if (krb5 === undefined) {
            if (options.legs > 0) expect(text(token)).toBe(`pong${leg - 1}`);
            krb5 = new Krb5Initiator({
              credential: fx.ticket(),
              clock,
              mech: Oid.krb5,
              ...(options.flags === undefined ? {} : { flags: options.flags }),
            });
            return later(krb5.step());
          }
          return later(krb5.step(token));
        },
        get context() {
          return krb5?.context;
        },
      };
    },
    createAcceptor(oid): MechanismContext {
      expect(oid).toBe(FAKE);
      let leg = 0;
      const krb5 = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() });
      return {
        step(token) {
          log.push(`a:${label(token)}`);
          if (text(token) === `ping${leg}`) {
            if (leg === options.failAt)
              return later({
                outputToken: utf8('bye'),
                done: false,
                error: new GssTokenError('fake failure'),
              });
            return later({ outputToken: utf8(`pong${leg++}`), done: false });
          }
          return later(krb5.step(token!));
        },
        get context() {
          return krb5.context;
        },
      };
    },
  };
  return { fx, mechanism, log };
}

function resp(token: Uint8Array | undefined): NegTokenResp {
  const t = decodeSpnegoToken(token!);
  if (t.kind !== 'resp') throw new Error('NegTokenResp expected');
  return t;
}

/** Runs both sides with stepAsync; returns every token in order (decoded) and the last steps. */
async function exchange(initiator: SpnegoInitiator, acceptor: SpnegoAcceptor) {
  const tokens: ReturnType<typeof decodeSpnegoToken>[] = [];
  let client = await initiator.stepAsync();
  let server: ContextStep | undefined;
  for (let i = 0; i < 20 && client.outputToken !== undefined; i++) {
    expect(client.error).toBeUndefined();
    tokens.push(decodeSpnegoToken(client.outputToken));
    server = await acceptor.stepAsync(client.outputToken);
    expect(server.error).toBeUndefined();
    if (server.outputToken === undefined) break;
    tokens.push(decodeSpnegoToken(server.outputToken));
    if (client.done && server.done) {
      // The acceptor's last accept-completed after our MIC (done-final): still taken.
      const last = await initiator.stepAsync(server.outputToken);
      expect(last).toMatchObject({ done: true, outputToken: undefined });
      break;
    }
    client = await initiator.stepAsync(server.outputToken);
  }
  expect(client.error).toBeUndefined();
  return { tokens, client, server: server! };
}

describe('SPNEGO with a pluggable multi-leg mechanism', () => {
  it.each([true, false])(
    'optimistic, async %s: the first leg in NegTokenInit, accept-incomplete per leg, no mechListMIC',
    async (async) => {
      const { fx, mechanism, log } = fakeMechanism({ legs: 3, async });
      const initiator = new SpnegoInitiator({ mechanisms: [mechanism] });
      expect(initiator.offered).toEqual([FAKE]);
      const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
      expect(acceptor.supported).toEqual([Oid.msKrb5, Oid.krb5, FAKE]);
      const { tokens, client, server } = await exchange(initiator, acceptor);
      expect(tokens[0]).toMatchObject({ kind: 'init', mechTypes: [FAKE], mechToken: utf8('ping0') });
      expect(tokens[1]).toMatchObject({
        negState: NegState.acceptIncomplete,
        supportedMech: FAKE,
        responseToken: utf8('pong0'),
      });
      expect(tokens.slice(2, 6)).toMatchObject([
        { kind: 'resp', negState: undefined, responseToken: utf8('ping1') },
        { negState: NegState.acceptIncomplete, supportedMech: undefined, responseToken: utf8('pong1') },
        { responseToken: utf8('ping2') },
        { negState: NegState.acceptIncomplete, responseToken: utf8('pong2') },
      ]);
      expect(tokens[7]).toMatchObject({ negState: NegState.acceptCompleted, mechListMIC: undefined });
      expect(tokens).toHaveLength(8);
      expect(client.done && server.done).toBe(true);
      expect(acceptor.mechanism).toBe(FAKE);
      expect(log).toEqual([
        'i:-',
        'a:ping0',
        'i:pong0',
        'a:ping1',
        'i:pong1',
        'a:ping2',
        'i:pong2',
        'a:krb5',
        'i:krb5',
      ]);
      expect(acceptor.context!.unwrap(initiator.context!.wrap(utf8('x'))).message).toEqual(utf8('x'));
    },
  );

  it('the synchronous step drives a synchronous mechanism', () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: false });
    const initiator = new SpnegoInitiator({ mechanisms: [mechanism] });
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    const a = acceptor.step(initiator.step().outputToken!);
    const b = acceptor.step(initiator.step(a.outputToken).outputToken!);
    expect(b.done).toBe(true);
    expect(initiator.step(b.outputToken).done).toBe(true);
  });

  it('re-negotiation to the mechanism (not the initiator first): mechListMICs both ways', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 2, async: true });
    const initiator = new SpnegoInitiator({
      credential: fx.ticket(),
      clock,
      mechTypes: [Oid.krb5, FAKE],
      mechanisms: [mechanism],
    });
    const acceptor = new SpnegoAcceptor({
      keytab: fx.keytab,
      clock,
      mechTypes: [FAKE],
      mechanisms: [mechanism],
    });
    const { tokens, client, server } = await exchange(initiator, acceptor);
    expect(tokens[0]).toMatchObject({ kind: 'init', mechTypes: [Oid.krb5, FAKE] });
    expect(tokens[1]).toMatchObject({
      negState: NegState.acceptIncomplete,
      supportedMech: FAKE,
      responseToken: undefined,
    });
    expect(tokens[2]).toMatchObject({ responseToken: utf8('ping0') });
    // AP-REP with the acceptor's MIC, accept-incomplete; then our MIC; then accept-completed.
    const apRep = tokens.at(-3) as NegTokenResp;
    expect(apRep.negState).toBe(NegState.acceptIncomplete);
    expect(apRep.mechListMIC).toBeDefined();
    expect((tokens.at(-2) as NegTokenResp).mechListMIC).toBeDefined();
    expect(tokens.at(-1)).toMatchObject({ negState: NegState.acceptCompleted });
    expect(client.done && server.done).toBe(true);
    expect(client.context!.mech).toBe(Oid.krb5);
  });

  it('the initiator finishes with the last token (no mutual authentication): its MIC goes along', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: true, flags: 0x20 | 0x10 });
    const initiator = new SpnegoInitiator({
      credential: fx.ticket(),
      clock,
      mechTypes: ['1.3.6.1.4.1.311.2.2.30', FAKE],
      mechanisms: [mechanism],
    });
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    const { tokens, client, server } = await exchange(initiator, acceptor);
    expect(tokens[0]).toMatchObject({ kind: 'init', mechToken: undefined });
    expect(tokens[1]).toMatchObject({ supportedMech: FAKE });
    const apReq = tokens.at(-2) as NegTokenResp;
    expect(apReq.responseToken).toBeDefined();
    expect(apReq.mechListMIC).toBeDefined();
    const last = tokens.at(-1) as NegTokenResp;
    expect(last).toMatchObject({ negState: NegState.acceptCompleted, responseToken: undefined });
    expect(last.mechListMIC).toBeDefined();
    expect(client.done && server.done).toBe(true);
  });

  it('a tampered acceptor MIC after a multi-leg re-negotiation fails the initiator', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: true });
    const initiator = new SpnegoInitiator({
      credential: fx.ticket(),
      clock,
      mechTypes: [Oid.krb5, FAKE],
      mechanisms: [mechanism],
    });
    const acceptor = new SpnegoAcceptor({
      keytab: fx.keytab,
      clock,
      mechTypes: [FAKE],
      mechanisms: [mechanism],
    });
    let c = await initiator.stepAsync();
    let s = await acceptor.stepAsync(c.outputToken!);
    c = await initiator.stepAsync(s.outputToken); // ping0
    s = await acceptor.stepAsync(c.outputToken!); // pong0
    c = await initiator.stepAsync(s.outputToken); // AP-REQ
    s = await acceptor.stepAsync(c.outputToken!); // AP-REP + MIC
    const r = resp(s.outputToken);
    const mic = Uint8Array.from(r.mechListMIC!);
    mic[mic.length - 1]! ^= 1;
    const bad = await initiator.stepAsync(encodeSpnegoToken({ ...r, mechListMIC: mic }));
    expect(bad.error).toBeInstanceOf(GssIntegrityError);
  });

  it('the synchronous step refuses an asynchronous mechanism with a GssStateError', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: true });
    expect(() => new SpnegoInitiator({ mechanisms: [mechanism] }).step()).toThrow(GssStateError);
    const init = await new SpnegoInitiator({ mechanisms: [mechanism] }).stepAsync();
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    expect(() => acceptor.step(init.outputToken!)).toThrow(/stepAsync/);
    expect((await acceptor.stepAsync(init.outputToken!)).error).toBeInstanceOf(GssError);
  });

  it('a mechanism failure mid-way: reject with its token, the initiator sees the rejection', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 3, async: true, failAt: 1 });
    const initiator = new SpnegoInitiator({ mechanisms: [mechanism] });
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    let c = await initiator.stepAsync();
    let s = await acceptor.stepAsync(c.outputToken!);
    c = await initiator.stepAsync(s.outputToken);
    s = await acceptor.stepAsync(c.outputToken!);
    expect(s.error).toBeInstanceOf(GssTokenError);
    expect(resp(s.outputToken)).toMatchObject({ negState: NegState.reject, responseToken: utf8('bye') });
    expect((await initiator.stepAsync(s.outputToken)).error).toBeInstanceOf(GssTokenError);
  });

  it('a mechListMIC before the mechanism completed is refused', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 2, async: true });
    const initiator = new SpnegoInitiator({ mechanisms: [mechanism] });
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    const c = await initiator.stepAsync();
    const s = await acceptor.stepAsync(c.outputToken!);
    const early = await initiator.stepAsync(
      encodeSpnegoToken({ ...resp(s.outputToken), mechListMIC: utf8('mic') }),
    );
    expect(early.error).toBeInstanceOf(GssTokenError);
  });

  it('a concurrent stepAsync is refused while one is under way', async () => {
    const { mechanism } = fakeMechanism({ legs: 1, async: true });
    const initiator = new SpnegoInitiator({ mechanisms: [mechanism] });
    const first = initiator.stepAsync();
    expect((await initiator.stepAsync()).error).toBeInstanceOf(GssStateError);
    expect((await first).error).toBeUndefined();
  });

  it('an acceptor without the mechanism does not choose it; NTLMSSP only is still refused', async () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: true });
    const init = await new SpnegoInitiator({ mechanisms: [mechanism] }).stepAsync();
    const plain = new SpnegoAcceptor({ keytab: fx.keytab, clock });
    expect((await plain.stepAsync(init.outputToken!)).error).toBeInstanceOf(SpnegoNoMechanismError);
    const withFake = new SpnegoAcceptor({ keytab: fx.keytab, clock, mechanisms: [mechanism] });
    const ntlm = encodeSpnegoToken({
      kind: 'init',
      framed: true,
      mechTypes: [Oid.ntlmssp],
      mechToken: utf8('NTLMSSP'),
    });
    expect((await withFake.stepAsync(ntlm)).error).toBeInstanceOf(SpnegoNoMechanismError);
  });

  it('the initiator needs a mechanism it can run', () => {
    const { mechanism } = fakeMechanism({ legs: 1, async: true });
    expect(() => new SpnegoInitiator({ mechTypes: [Oid.krb5] })).toThrow(RangeError);
    expect(() => new SpnegoInitiator({ mechTypes: [Oid.ntlmssp, FAKE], mechanisms: [mechanism] })).toThrow(
      RangeError,
    );
    expect(new SpnegoInitiator({ mechTypes: [FAKE], mechanisms: [mechanism] }).offered).toEqual([FAKE]);
  });
});

describe('the acceptor hint (MS-SPNG NegTokenInit2)', () => {
  it('spnegoHintToken and SpnegoAcceptor.hintToken list the mechanisms in preference order', () => {
    const { fx, mechanism } = fakeMechanism({ legs: 1, async: true });
    const decoded = decodeSpnegoToken(spnegoHintToken([Oid.msKrb5, Oid.krb5, Oid.iakerb]));
    expect(decoded).toMatchObject({
      kind: 'init',
      framed: true,
      mechTypes: [Oid.msKrb5, Oid.krb5, Oid.iakerb],
      mechToken: undefined,
      negHints: { hintName: SPNEGO_HINT_NAME },
    });
    expect(decodeSpnegoToken(spnegoHintToken())).toMatchObject({ mechTypes: [Oid.msKrb5, Oid.krb5] });
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, mechanisms: [mechanism] });
    expect(decodeSpnegoToken(acceptor.hintToken())).toMatchObject({
      mechTypes: [Oid.msKrb5, Oid.krb5, FAKE],
    });
    expect(() => spnegoHintToken([])).toThrow(RangeError);
  });
});
