/** SPNEGO re-negotiation (RFC 4178 §3.2), mechListMIC (§5) and the late fallback [4] supportedMechs. */
import {
  decode,
  encode,
  enumerated,
  explicit,
  Oid,
  objectIdentifier,
  octetString,
  optional,
  sequence,
  sequenceOf,
} from '@postntlm/der-asn1';
import { fixedClock } from '@postntlm/krb5-client';
import { describe, expect, it } from 'vitest';
import {
  type ContextStep,
  decodeKrb5ContextToken,
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeSpnegoToken,
  GssIntegrityError,
  GssTokenError,
  Krb5Initiator,
  MemoryReplayCache,
  NegState,
  type NegTokenResp,
  SpnegoAcceptor,
  type SpnegoAcceptorOptions,
  SpnegoInitiator,
  type SpnegoInitiatorOptions,
  TokenId,
} from '../src/index.js';
import { fixture, NOW, utf8 } from './helpers.js';

const clock = fixedClock(NOW);

function resp(token: Uint8Array | undefined): NegTokenResp {
  const t = decodeSpnegoToken(token!);
  if (t.kind !== 'resp') throw new Error('NegTokenResp expected');
  return t;
}

function ok(step: ContextStep): ContextStep {
  expect(step.error).toBeUndefined();
  return step;
}

function pair(
  initiatorOptions: Partial<SpnegoInitiatorOptions>,
  acceptorOptions: Partial<SpnegoAcceptorOptions> = {},
) {
  const fx = fixture();
  const initiator = new SpnegoInitiator({ credential: fx.ticket(), clock, ...initiatorOptions });
  const acceptor = new SpnegoAcceptor({
    keytab: fx.keytab,
    clock,
    replayCache: new MemoryReplayCache(),
    ...acceptorOptions,
  });
  return { initiator, acceptor };
}

/** Flips a bit in the checksum (last byte) of a MIC token inside a NegTokenResp. */
function tamperMic(token: Uint8Array): Uint8Array {
  const t = resp(token);
  const mic = Uint8Array.from(t.mechListMIC!);
  mic[mic.length - 1]! ^= 1;
  return encodeSpnegoToken({ ...t, mechListMIC: mic });
}

describe('re-negotiation: the acceptor chooses another mechanism than the optimistic one', () => {
  it('[MS krb5, krb5] against an acceptor of krb5 only: optimistic token discarded, krb5 started, MICs both ways', () => {
    const mechTypes = [Oid.msKrb5, Oid.krb5];
    const { initiator, acceptor } = pair({ mechTypes }, { mechTypes: [Oid.krb5] });
    const init = decodeSpnegoToken(ok(initiator.step()).outputToken!);
    if (init.kind !== 'init') throw new Error('init expected');
    expect(decodeKrb5ContextToken(init.mechToken!).mech).toBe(Oid.msKrb5);

    const choice = ok(acceptor.step(encodeSpnegoToken(init)));
    expect(choice.done).toBe(false);
    expect(resp(choice.outputToken)).toEqual({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.krb5,
      responseToken: undefined,
      mechListMIC: undefined,
    });

    const apReq = ok(initiator.step(choice.outputToken));
    expect(apReq.done).toBe(false);
    const apReqResp = resp(apReq.outputToken);
    expect(apReqResp.negState).toBeUndefined();
    expect(apReqResp.mechListMIC).toBeUndefined();
    const krb5Token = decodeKrb5ContextToken(apReqResp.responseToken!);
    expect(krb5Token).toMatchObject({ mech: Oid.krb5, tokenId: TokenId.AP_REQ });

    const apRep = ok(acceptor.step(apReq.outputToken!));
    expect(apRep.done).toBe(false);
    const apRepResp = resp(apRep.outputToken);
    expect(apRepResp.negState).toBe(NegState.acceptIncomplete);
    expect(apRepResp.supportedMech).toBeUndefined();
    expect(decodeKrb5ContextToken(apRepResp.responseToken!).tokenId).toBe(TokenId.AP_REP);
    expect(apRepResp.mechListMIC).toBeDefined();

    // The initiator holds the acceptor's MIC: it is done once its own is sent.
    const mic = ok(initiator.step(apRep.outputToken));
    expect(mic.done).toBe(true);
    expect(resp(mic.outputToken)).toMatchObject({ negState: undefined, responseToken: undefined });
    expect(resp(mic.outputToken).mechListMIC).toBeDefined();

    const completed = ok(acceptor.step(mic.outputToken!));
    expect(completed.done).toBe(true);
    expect(resp(completed.outputToken)).toMatchObject({ negState: NegState.acceptCompleted });

    // The acceptor's last accept-completed (Windows sends one, MIT does not) is still taken.
    const done = ok(initiator.step(completed.outputToken));
    expect(done.done).toBe(true);
    expect(done.outputToken).toBeUndefined();
    expect(done.context).toBe(mic.context);
    const client = done.context!;
    const server = completed.context!;
    expect(client.mech).toBe(Oid.krb5);
    expect(server.mech).toBe(Oid.krb5);
    expect(client.smbSessionKey()).toEqual(server.smbSessionKey());
    // The mechListMICs took their sequence numbers in line: the windows are in step.
    expect(server.unwrap(client.wrap(utf8('c→s'))).supplementary).toBeUndefined();
    expect(client.unwrap(server.wrap(utf8('s→c'))).supplementary).toBeUndefined();
  });

  it.each([
    [
      'IAKerb first (not run here): no optimistic token, the acceptor picks krb5',
      [Oid.iakerb, Oid.krb5],
      {},
      Oid.krb5,
    ],
    [
      'unknown OID first, then MS krb5 and krb5: the acceptor picks by its own preference (krb5)',
      ['1.3.6.1.4.1.311.2.2.30', Oid.msKrb5, Oid.krb5],
      { mechTypes: [Oid.krb5, Oid.msKrb5] },
      Oid.krb5,
    ],
    [
      'the same offer, default acceptor preference (MS krb5 first)',
      ['1.3.6.1.4.1.311.2.2.30', Oid.msKrb5, Oid.krb5],
      {},
      Oid.msKrb5,
    ],
  ])('%s', (_name, mechTypes, acceptorOptions, expected) => {
    const { initiator, acceptor } = pair({ mechTypes }, acceptorOptions);
    const init = decodeSpnegoToken(ok(initiator.step()).outputToken!);
    expect(init).toMatchObject({ kind: 'init', mechTypes, mechToken: undefined });
    let toAcceptor: Uint8Array | undefined = encodeSpnegoToken(init);
    let steps = 0;
    let server: ContextStep | undefined;
    let client: ContextStep | undefined;
    while (toAcceptor !== undefined) {
      server = ok(acceptor.step(toAcceptor));
      if (steps === 0) expect(resp(server.outputToken).supportedMech).toBe(expected);
      client = ok(initiator.step(server.outputToken));
      toAcceptor = client.outputToken;
      steps++;
      expect(steps).toBeLessThan(4);
    }
    expect(client!.done).toBe(true);
    expect(server!.done).toBe(true);
    expect(client!.context!.mech).toBe(expected);
    expect(server!.context!.unwrap(client!.context!.wrap(utf8('x'))).message).toEqual(utf8('x'));
  });

  it('an optimistic AP-REQ under a mechanism the acceptor does not run (IAKerb framing) is discarded', () => {
    const fx = fixture();
    const iakerb = new Krb5Initiator({ credential: fx.ticket(), clock, mech: Oid.iakerb }).step();
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() });
    const r = ok(
      acceptor.step(
        encodeSpnegoToken({
          kind: 'init',
          framed: true,
          mechTypes: [Oid.iakerb, Oid.krb5],
          mechToken: iakerb.outputToken,
        }),
      ),
    );
    expect(r.done).toBe(false);
    expect(acceptor.context).toBeUndefined();
    expect(resp(r.outputToken)).toMatchObject({
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.krb5,
      responseToken: undefined,
    });
  });

  it('without mutual authentication: the initiator sends its MIC with the AP-REQ, the acceptor answers with its own', () => {
    const { initiator, acceptor } = pair(
      { mechTypes: [Oid.msKrb5, Oid.krb5], flags: 0x20 | 0x10 },
      { mechTypes: [Oid.krb5] },
    );
    const choice = ok(acceptor.step(ok(initiator.step()).outputToken!));
    const apReq = ok(initiator.step(choice.outputToken));
    expect(resp(apReq.outputToken).mechListMIC).toBeDefined();
    const completed = ok(acceptor.step(apReq.outputToken!));
    expect(completed.done).toBe(true);
    const r = resp(completed.outputToken);
    expect(r).toMatchObject({ negState: NegState.acceptCompleted, responseToken: undefined });
    expect(r.mechListMIC).toBeDefined();
    const done = ok(initiator.step(completed.outputToken));
    expect(done.done).toBe(true);
    expect(completed.context!.unwrap(done.context!.wrap(utf8('x'))).message).toEqual(utf8('x'));
  });
});

describe('mechListMIC: tampered, missing, and a wrong choice', () => {
  const start = () => {
    const { initiator, acceptor } = pair({ mechTypes: [Oid.msKrb5, Oid.krb5] }, { mechTypes: [Oid.krb5] });
    const choice = ok(acceptor.step(ok(initiator.step()).outputToken!));
    const apReq = ok(initiator.step(choice.outputToken));
    const apRep = ok(acceptor.step(apReq.outputToken!));
    return { initiator, acceptor, apRep: apRep.outputToken! };
  };

  it('a tampered acceptor MIC fails the initiator (GssIntegrityError)', () => {
    const { initiator, apRep } = start();
    expect(initiator.step(tamperMic(apRep)).error).toBeInstanceOf(GssIntegrityError);
  });

  it('a tampered initiator MIC fails the acceptor (GssIntegrityError and a reject token)', () => {
    const { initiator, acceptor, apRep } = start();
    const mic = ok(initiator.step(apRep)).outputToken!;
    const r = acceptor.step(tamperMic(mic));
    expect(r.error).toBeInstanceOf(GssIntegrityError);
    expect(r.done).toBe(false);
    expect(resp(r.outputToken).negState).toBe(NegState.reject);
  });

  it('an initiator MIC over another mech list fails the acceptor (the list is what is protected)', () => {
    const { initiator, acceptor, apRep } = start();
    const mic = resp(ok(initiator.step(apRep)).outputToken);
    const forged = initiator.context!.getMic(encodeMechTypeList([Oid.krb5]));
    expect(acceptor.step(encodeSpnegoToken({ ...mic, mechListMIC: forged })).error).toBeInstanceOf(
      GssIntegrityError,
    );
  });

  it("the acceptor's own MIC reflected back is refused", () => {
    const { initiator, acceptor, apRep } = start();
    const mic = resp(ok(initiator.step(apRep)).outputToken);
    const r = acceptor.step(encodeSpnegoToken({ ...mic, mechListMIC: resp(apRep).mechListMIC }));
    expect(r.error).toBeInstanceOf(GssTokenError);
  });

  it('the acceptor leaves its MIC out after choosing another mechanism: GssTokenError', () => {
    const { initiator, apRep } = start();
    const r = initiator.step(encodeSpnegoToken({ ...resp(apRep), mechListMIC: undefined }));
    expect(r.error).toBeInstanceOf(GssTokenError);
    expect(r.error!.message).toMatch(/mechListMIC/);
  });

  it('the initiator leaves its MIC out: GssTokenError', () => {
    const { acceptor } = start();
    const r = acceptor.step(encodeSpnegoToken({ kind: 'resp', framed: false }));
    expect(r.error).toBeInstanceOf(GssTokenError);
  });

  it('the acceptor chooses a mechanism we did not offer, or sends a token for it at once: GssTokenError', () => {
    const a = pair({ mechTypes: [Oid.msKrb5, Oid.krb5] }).initiator;
    a.step();
    const notOffered = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.iakerb,
    });
    expect(a.step(notOffered).error).toBeInstanceOf(GssTokenError);
    const b = pair({ mechTypes: [Oid.msKrb5, Oid.krb5] }).initiator;
    b.step();
    const withToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.krb5,
      responseToken: utf8('x'),
    });
    expect(b.step(withToken).error).toBeInstanceOf(GssTokenError);
  });
});

describe('mechListMIC in the optimistic case', () => {
  const optimistic = (tamper: boolean) => {
    const fx = fixture();
    const mechTypes = [Oid.krb5, Oid.msKrb5];
    const krb5 = new Krb5Initiator({ credential: fx.ticket(), clock, flags: 0x20 | 0x10 }).step();
    const mic = krb5.context!.getMic(encodeMechTypeList(mechTypes));
    if (tamper) mic[mic.length - 1]! ^= 1;
    const acceptor = new SpnegoAcceptor({ keytab: fx.keytab, clock, replayCache: new MemoryReplayCache() });
    const r = acceptor.step(
      encodeSpnegoToken({
        kind: 'init',
        framed: true,
        mechTypes,
        mechToken: krb5.outputToken,
        mechListMIC: mic,
      }),
    );
    return { r, client: krb5.context!, mechTypes };
  };

  it('the initiator sent one with its token: the acceptor verifies it and answers with its own', () => {
    const { r, client, mechTypes } = optimistic(false);
    expect(r.error).toBeUndefined();
    expect(r.done).toBe(true);
    const t = resp(r.outputToken);
    expect(t).toMatchObject({ negState: NegState.acceptCompleted, supportedMech: Oid.krb5 });
    client.verifyMic(encodeMechTypeList(mechTypes), t.mechListMIC!);
  });

  it('a tampered one: GssIntegrityError and a reject token', () => {
    const { r } = optimistic(true);
    expect(r.error).toBeInstanceOf(GssIntegrityError);
    expect(resp(r.outputToken).negState).toBe(NegState.reject);
  });

  it('our acceptor sends none when the optimistic token was used and none came (as MIT)', () => {
    const { initiator, acceptor } = pair({ mechTypes: [Oid.krb5] });
    const r = ok(acceptor.step(ok(initiator.step()).outputToken!));
    expect(resp(r.outputToken).mechListMIC).toBeUndefined();
  });
});

describe('NegTokenResp late fallback [4] supportedMechs (some Windows versions)', () => {
  // NegTokenResp as those Windows versions send it: the RFC 4178 fields plus [4] MechTypeList.
  const WindowsResp = explicit(
    1,
    sequence(
      {
        negState: optional(explicit(0, enumerated({ min: 0, max: 3 }))),
        supportedMech: optional(explicit(1, objectIdentifier())),
        responseToken: optional(explicit(2, octetString())),
        mechListMIC: optional(explicit(3, octetString())),
        supportedMechs: optional(explicit(4, sequenceOf(objectIdentifier()))),
      },
      { name: 'NegTokenResp' },
    ),
  );
  const withFallback = (r: NegTokenResp, supportedMechs: string[]) =>
    encode(WindowsResp, {
      negState: r.negState,
      supportedMech: r.supportedMech,
      responseToken: r.responseToken,
      mechListMIC: r.mechListMIC,
      supportedMechs,
    });

  it('decodes and is ignored; the re-encoding leaves it out', () => {
    const bytes = withFallback(
      { kind: 'resp', framed: false, negState: NegState.acceptIncomplete, supportedMech: Oid.krb5 },
      [Oid.msKrb5, Oid.krb5],
    );
    expect(decode(WindowsResp, bytes).supportedMechs).toEqual([Oid.msKrb5, Oid.krb5]);
    const t = decodeSpnegoToken(bytes);
    expect(t).toEqual({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: Oid.krb5,
      responseToken: undefined,
      mechListMIC: undefined,
    });
    expect(encodeSpnegoToken(t).length).toBeLessThan(bytes.length);
  });

  it('a malformed [4] (not a MechTypeList) is refused with GssTokenError', () => {
    const bytes = encode(
      explicit(
        1,
        sequence({ negState: explicit(0, enumerated({ min: 0, max: 3 })), x: explicit(4, octetString()) }),
      ),
      { negState: 1, x: utf8('no') },
    );
    expect(() => decodeSpnegoToken(bytes)).toThrow(GssTokenError);
  });

  it('the initiator accepts an AP-REP NegTokenResp that carries it', () => {
    const { initiator, acceptor } = pair({ mechTypes: [Oid.msKrb5, Oid.krb5] });
    const r = ok(acceptor.step(ok(initiator.step()).outputToken!));
    const done = ok(initiator.step(withFallback(resp(r.outputToken), [Oid.msKrb5, Oid.krb5])));
    expect(done.done).toBe(true);
  });
});
