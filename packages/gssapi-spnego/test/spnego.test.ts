/** SPNEGO initiator and acceptor in-process: the optimistic krb5 case, Windows' mechListMIC round, NTLM refusal. */
import { Oid } from '@postntlm/der-asn1';
import { fixedClock } from '@postntlm/krb5-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeKrb5ContextToken,
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeSpnegoToken,
  GssError,
  GssIntegrityError,
  GssKerberosError,
  Krb5Acceptor,
  MemoryReplayCache,
  makeMicToken,
  NegState,
  SpnegoAcceptor,
  SpnegoInitiator,
  SpnegoNoMechanismError,
  TokenId,
} from '../src/index.js';
import { fixture, NOW, utf8 } from './helpers.js';

const clock = fixedClock(NOW);

describe('SPNEGO over krb5', () => {
  it.each([[[Oid.krb5]], [[Oid.msKrb5, Oid.krb5]]])(
    'initiator offering %j ↔ acceptor: one round trip, accept-completed, keys agree',
    (mechTypes) => {
      const fx = fixture();
      const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock, mechTypes });
      const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() });
      const init = initiator.step();
      const t = decodeSpnegoToken(init.outputToken!);
      expect(t).toMatchObject({ kind: 'init', framed: true, mechTypes });
      if (t.kind === 'init') expect(decodeKrb5ContextToken(t.mechToken!).mech).toBe(mechTypes[0]);
      const resp = acceptor.step(init.outputToken!);
      expect(resp.error).toBeUndefined();
      expect(decodeSpnegoToken(resp.outputToken!)).toMatchObject({
        kind: 'resp',
        negState: NegState.acceptCompleted,
        supportedMech: mechTypes[0],
      });
      const done = initiator.step(resp.outputToken!);
      expect(done.done).toBe(true);
      expect(done.outputToken).toBeUndefined();
      expect(acceptor.context!.unwrap(done.context!.wrap(utf8('x'))).message).toEqual(utf8('x'));
      expect(done.context!.smbSessionKey()).toEqual(acceptor.context!.smbSessionKey());
    },
  );

  it('Windows-style acceptor (accept-incomplete + mechListMIC): the initiator checks it, sends its own, then completes', () => {
    const fx = fixture();
    const mechTypes = [Oid.msKrb5, Oid.krb5];
    const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock, mechTypes });
    const init = decodeSpnegoToken(initiator.step().outputToken!);
    if (init.kind !== 'init') throw new Error('init expected');
    const krb5 = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() }).step(
      init.mechToken!,
    );
    const acc = krb5.context!;
    const mechTypesDer = encodeMechTypeList(mechTypes);
    const windows = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.msKrb5,
      responseToken: krb5.outputToken,
      mechListMIC: acc.getMic(mechTypesDer),
    });
    const mine = initiator.step(windows);
    // Done once our MIC is out (we hold the acceptor's); Windows' last accept-completed is still taken.
    expect(mine.done).toBe(true);
    const micResp = decodeSpnegoToken(mine.outputToken!);
    if (micResp.kind !== 'resp') throw new Error('resp expected');
    acc.verifyMic(mechTypesDer, micResp.mechListMIC!);
    const final = initiator.step(
      encodeSpnegoToken({ kind: 'resp', framed: false, negState: NegState.acceptCompleted }),
    );
    expect(final.done).toBe(true);
  });

  it('a mechListMIC numbered SND_SEQ 0 (as Windows sends it) is accepted and leaves the sequence window alone', () => {
    const fx = fixture();
    const mechTypes = [Oid.msKrb5, Oid.krb5];
    const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock, mechTypes });
    const init = decodeSpnegoToken(initiator.step().outputToken!);
    if (init.kind !== 'init') throw new Error('init expected');
    const krb5 = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() }).step(
      init.mechToken!,
    );
    const acc = krb5.context!;
    const mic = makeMicToken(
      acc.contextKey,
      { sentByAcceptor: true, acceptorSubkey: true, seq: 0n },
      encodeMechTypeList(mechTypes),
    );
    const done = initiator.step(
      encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.acceptCompleted,
        supportedMech: Oid.msKrb5,
        responseToken: krb5.outputToken,
        mechListMIC: mic,
      }),
    );
    expect(done.error).toBeUndefined();
    expect(done.context!.unwrap(acc.wrap(utf8('first'))).supplementary).toBeUndefined();
  });

  it('a bad mechListMIC from the acceptor fails the initiator', () => {
    const fx = fixture();
    const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock });
    const init = decodeSpnegoToken(initiator.step().outputToken!);
    if (init.kind !== 'init') throw new Error('init expected');
    const krb5 = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() }).step(
      init.mechToken!,
    );
    const bad = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptCompleted,
      supportedMech: Oid.krb5,
      responseToken: krb5.outputToken,
      mechListMIC: krb5.context!.getMic(encodeMechTypeList([Oid.msKrb5])),
    });
    expect(initiator.step(bad).error).toBeInstanceOf(GssIntegrityError);
  });

  it('NTLMSSP only: refused with a message naming NTLM, and the audit hook sees the attempt', () => {
    const seen: string[][] = [];
    const acceptor = new SpnegoAcceptor({
      keytab: fixture().keytab,
      clock,
      onNtlmAttempt: (m) => seen.push([...m]),
    });
    const ntlm = encodeSpnegoToken({
      kind: 'init',
      framed: true,
      mechTypes: [Oid.ntlmssp],
      mechToken: utf8('NTLMSSP\0'),
    });
    const r = acceptor.step(ntlm);
    expect(r.error).toBeInstanceOf(SpnegoNoMechanismError);
    expect(r.error!.message).toMatch(/NTLM \(NTLMSSP\) is not supported here/);
    expect(decodeSpnegoToken(r.outputToken!)).toMatchObject({ kind: 'resp', negState: NegState.reject });
    expect(seen).toEqual([[Oid.ntlmssp]]);
  });

  it('NTLMSSP first, krb5 second: the acceptor chooses krb5 (accept-incomplete, no token); the hook still fires', () => {
    const seen: string[][] = [];
    const acceptor = new SpnegoAcceptor({
      keytab: fixture().keytab,
      clock,
      onNtlmAttempt: (m) => seen.push([...m]),
    });
    const r = acceptor.step(
      encodeSpnegoToken({
        kind: 'init',
        framed: true,
        mechTypes: [Oid.ntlmssp, Oid.krb5],
        mechToken: utf8('NTLMSSP\0'),
      }),
    );
    expect(r.error).toBeUndefined();
    expect(r.done).toBe(false);
    expect(decodeSpnegoToken(r.outputToken!)).toEqual({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.krb5,
      responseToken: undefined,
      mechListMIC: undefined,
    });
    expect(seen.length).toBe(1);
  });

  it('a Kerberos failure inside SPNEGO: negState reject with the KRB-ERROR token as responseToken', () => {
    const fx = fixture();
    const cred = fx.ticket();
    const token = new SpnegoInitiator({ credential: cred, clock: fixedClock(NOW + 3_600_000) }).step()
      .outputToken!;
    const r = new SpnegoAcceptor({ keytab: fx.keytab, clock }).step(token);
    expect(r.error).toBeInstanceOf(GssKerberosError);
    expect(r.error!.name).toBe('KRB_AP_ERR_SKEW');
    const resp = decodeSpnegoToken(r.outputToken!);
    if (resp.kind !== 'resp') throw new Error('resp expected');
    expect(resp.negState).toBe(NegState.reject);
    expect(decodeKrb5ContextToken(resp.responseToken!).tokenId).toBe(TokenId.KRB_ERROR);
  });

  it('the initiator refuses non-Kerberos mechTypes', () => {
    for (const mechTypes of [[Oid.ntlmssp], [Oid.ntlmssp, Oid.krb5], [Oid.iakerb], []])
      expect(() => new SpnegoInitiator({ credential: fixture().ticket(), mechTypes })).toThrow(RangeError);
  });
});

describe('fuzz: SPNEGO state machines (10 000 cases each)', () => {
  const fx = fixture(17);
  const initToken = new SpnegoInitiator({ credential: fx.ticket(), clock }).step().outputToken!;
  const respToken = new SpnegoAcceptor({
    keytab: fx.keytab,
    clock,
    replayCache: new MemoryReplayCache(),
  }).step(initToken).outputToken!;
  const mutate = (seed: Uint8Array) =>
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
        minLength: 1,
        maxLength: 4,
      })
      .map((ops) => {
        const b = Array.from(seed);
        for (const [pos, v, del] of ops) {
          if (b.length === 0) break;
          if (del) b.splice(pos % b.length, 1);
          else b[pos % b.length] = v;
        }
        return Uint8Array.from(b);
      });
  it('mutated NegTokenInit through the acceptor: a context or a typed error with a reject token', () => {
    const cache = new MemoryReplayCache();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutate(initToken)), (b) => {
        const r = new SpnegoAcceptor({ keytab: fx.keytab, clock, replayCache: cache }).step(b);
        // A context, a typed error with a reject token, or (a token without its optimistic
        // mechToken) an accept-incomplete asking for the chosen mechanism's first token.
        if (r.error === undefined) return r.done || r.outputToken !== undefined;
        return r.error instanceof GssError && r.outputToken !== undefined;
      }),
      { numRuns: 10_000 },
    );
  });
  it('mutated NegTokenResp through the initiator: a context or a typed error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutate(respToken)), (b) => {
        const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock });
        initiator.step();
        const r = initiator.step(b);
        return r.done || r.error instanceof GssError;
      }),
      { numRuns: 10_000 },
    );
  });
});
