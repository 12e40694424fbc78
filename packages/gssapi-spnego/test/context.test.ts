/** In-process initiator ↔ acceptor: establishment, per-message tokens, and the typed rejections of issue 5 line 4. */
import { fixedClock, seededRandom } from '@postntlm/krb5-client';
import { parsePrincipal } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  GssIntegrityError,
  GssKerberosError,
  GssSequenceError,
  GssTokenError,
  Krb5Acceptor,
  Krb5Initiator,
  MemoryReplayCache,
} from '../src/index.js';
import { decodeKrb5ContextToken, TokenId } from '../src/rfc4121/context-token.js';
import { fixture, NOW, utf8 } from './helpers.js';

const clock = fixedClock(NOW);

function establish(fx = fixture(), options: { flags?: number } = {}) {
  const cred = fx.ticket();
  const initiator = new Krb5Initiator({ credential: cred, clock, random: seededRandom(1), ...options });
  const acceptor = new Krb5Acceptor({
    keytab: fx.keytab,
    clock,
    random: seededRandom(2),
    replayCache: new MemoryReplayCache(),
  });
  const first = initiator.step();
  expect(first.error).toBeUndefined();
  const accepted = acceptor.step(first.outputToken!);
  expect(accepted.error).toBeUndefined();
  expect(accepted.done).toBe(true);
  let done = first;
  if (!first.done) done = initiator.step(accepted.outputToken!);
  expect(done.error).toBeUndefined();
  expect(done.done).toBe(true);
  return { init: done.context!, acc: accepted.context!, apReq: first.outputToken!, cred, fx };
}

describe('context establishment', () => {
  it.each([17, 18, 19, 20])('enctype %i: mutual auth, acceptor subkey, SMB session key', (enctype) => {
    const { init, acc } = establish(fixture(enctype));
    expect(init.acceptorSubkey).toBeDefined();
    expect(acc.acceptorSubkey!.bytes).toEqual(init.acceptorSubkey!.bytes);
    expect(acc.initiatorSubkey!.bytes).toEqual(init.initiatorSubkey!.bytes);
    expect(init.smbSessionKey()).toEqual(init.acceptorSubkey!.bytes.subarray(0, 16));
    expect(acc.smbSessionKey()).toEqual(init.smbSessionKey());
    expect(acc.client.name.nameString).toEqual(['alice']);
  });

  it('without mutual auth: one token, no AP-REP, initiator subkey is the context key', () => {
    const { init, acc } = establish(fixture(), { flags: 0x20 | 0x10 });
    expect(init.acceptorSubkey).toBeUndefined();
    expect(acc.acceptorSubkey).toBeUndefined();
    const sealed = init.wrap(utf8('no mutual'));
    expect(acc.unwrap(sealed).message).toEqual(utf8('no mutual'));
  });

  it.each([true, false])('Wrap sealed=%s and MIC in both directions', (seal) => {
    const { init, acc } = establish();
    for (let i = 0; i < 3; i++) {
      const m = utf8(`message ${i}`);
      const a = acc.unwrap(init.wrap(m, { seal }));
      expect(a.message).toEqual(m);
      expect(a.sealed).toBe(seal);
      expect(init.unwrap(acc.wrap(m, { seal, rrc: 28 })).message).toEqual(m);
      expect(acc.verifyMic(m, init.getMic(m)).supplementary).toBeUndefined();
      init.verifyMic(m, acc.getMic(m));
    }
  });

  it('the AP-REQ is framed with the asked mechanism, and accepted under MS krb5 and IAKerb OIDs', () => {
    for (const mech of ['1.2.840.48018.1.2.2', '1.3.6.1.5.2.5']) {
      const fx = fixture();
      const initiator = new Krb5Initiator({ credential: fx.ticket(), clock, mech });
      const acceptor = new Krb5Acceptor({ keytab: fx.keytab, clock });
      const first = initiator.step();
      expect(decodeKrb5ContextToken(first.outputToken!).mech).toBe(mech);
      const reply = acceptor.step(first.outputToken!);
      expect(decodeKrb5ContextToken(reply.outputToken!)).toMatchObject({ mech, tokenId: TokenId.AP_REP });
      expect(initiator.step(reply.outputToken).done).toBe(true);
    }
  });
});

function expectKrbError(result: ReturnType<Krb5Acceptor['step']>, name: string) {
  expect(result.done).toBe(false);
  expect(result.error).toBeInstanceOf(GssKerberosError);
  expect(result.error!.name).toBe(name);
  expect(decodeKrb5ContextToken(result.outputToken!).tokenId).toBe(TokenId.KRB_ERROR);
}

describe('typed rejections', () => {
  it('a replayed AP-REQ: KRB_AP_ERR_REPEAT (and the initiator reads the KRB-ERROR token)', () => {
    const fx = fixture();
    const cache = new MemoryReplayCache();
    const initiator = new Krb5Initiator({ credential: fx.ticket(), clock });
    const apReq = initiator.step().outputToken!;
    expect(new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: cache }).step(apReq).done).toBe(true);
    const again = new Krb5Acceptor({ keytab: fx.keytab, clock, replayCache: cache }).step(apReq);
    expectKrbError(again, 'KRB_AP_ERR_REPEAT');
    const seen = initiator.step(again.outputToken!);
    expect(seen.error).toBeInstanceOf(GssKerberosError);
    expect((seen.error as GssKerberosError).codeName).toBe('KRB_AP_ERR_REPEAT');
  });

  it('the default replay cache is process-wide (a re-read keytab does not reset it)', () => {
    const fx = fixture();
    const apReq = new Krb5Initiator({ credential: fx.ticket(), clock }).step().outputToken!;
    expect(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(apReq).done).toBe(true);
    expectKrbError(new Krb5Acceptor({ keytab: [...fx.keytab], clock }).step(apReq), 'KRB_AP_ERR_REPEAT');
  });

  it('the replay cache forgets after the window and stays bounded', () => {
    const cache = new MemoryReplayCache({ windowMs: 1000, maxEntries: 3 });
    expect(cache.insert('a', 0, 0)).toBe(true);
    expect(cache.insert('a', 0, 500)).toBe(false);
    expect(cache.insert('a', 0, 2000)).toBe(true);
    for (const id of ['b', 'c', 'd', 'e']) cache.insert(id, 2000, 2000);
    expect(cache.size).toBe(3);
  });

  it('a ticket for another service: KRB_AP_ERR_NOT_US', () => {
    const fx = fixture();
    const other = parsePrincipal('cifs/other.example@EXAMPLE.TEST');
    const apReq = new Krb5Initiator({ credential: fx.ticket({ server: other }), clock }).step().outputToken!;
    expectKrbError(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(apReq), 'KRB_AP_ERR_NOT_US');
    const ours = new Krb5Initiator({ credential: fx.ticket(), clock }).step().outputToken!;
    expectKrbError(
      new Krb5Acceptor({ keytab: fx.keytab, clock, principal: 'host/elsewhere@EXAMPLE.TEST' }).step(ours),
      'KRB_AP_ERR_NOT_US',
    );
  });

  it('an unknown kvno: KRB_AP_ERR_BADKEYVER; a wrong key: KRB_AP_ERR_BAD_INTEGRITY', () => {
    const fx = fixture();
    const apReq = new Krb5Initiator({ credential: fx.ticket({ kvno: 9 }), clock }).step().outputToken!;
    expectKrbError(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(apReq), 'KRB_AP_ERR_BADKEYVER');
    const wrong = fixture();
    wrong.keytab[0] = { ...wrong.keytab[0]!, key: { enctype: 18, bytes: new Uint8Array(32).fill(7) } };
    const apReq2 = new Krb5Initiator({ credential: fx.ticket(), clock }).step().outputToken!;
    expectKrbError(
      new Krb5Acceptor({ keytab: wrong.keytab, clock }).step(apReq2),
      'KRB_AP_ERR_BAD_INTEGRITY',
    );
  });

  it('a skewed authenticator: KRB_AP_ERR_SKEW (301 s), accepted at 299 s', () => {
    const fx = fixture();
    const cred = fx.ticket();
    const skewed = new Krb5Initiator({ credential: cred, clock: fixedClock(NOW + 301_000) }).step()
      .outputToken!;
    expectKrbError(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(skewed), 'KRB_AP_ERR_SKEW');
    const close = new Krb5Initiator({ credential: cred, clock: fixedClock(NOW - 299_000) }).step()
      .outputToken!;
    expect(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(close).done).toBe(true);
  });

  it('an expired ticket: KRB_AP_ERR_TKT_EXPIRED; a future one: KRB_AP_ERR_TKT_NYV', () => {
    const fx = fixture();
    const expired = fx.ticket({ authtime: NOW - 7_200_000, endtime: NOW - 600_000 });
    expectKrbError(
      new Krb5Acceptor({ keytab: fx.keytab, clock }).step(
        new Krb5Initiator({ credential: expired, clock }).step().outputToken!,
      ),
      'KRB_AP_ERR_TKT_EXPIRED',
    );
    const future = fx.ticket({ authtime: NOW + 3_600_000 });
    expectKrbError(
      new Krb5Acceptor({ keytab: fx.keytab, clock }).step(
        new Krb5Initiator({ credential: future, clock }).step().outputToken!,
      ),
      'KRB_AP_ERR_TKT_NYV',
    );
  });

  it('truncated or tampered AP-REQ tokens: typed errors, never a TypeError', () => {
    const fx = fixture();
    const apReq = new Krb5Initiator({ credential: fx.ticket(), clock }).step().outputToken!;
    for (const n of [0, 1, 5, 20, apReq.length - 1]) {
      const r = new Krb5Acceptor({ keytab: fx.keytab, clock }).step(apReq.subarray(0, n));
      expect(r.error).toBeInstanceOf(GssTokenError);
    }
    const tampered = apReq.slice();
    tampered[tampered.length - 3]! ^= 1; // inside the authenticator ciphertext
    expectKrbError(new Krb5Acceptor({ keytab: fx.keytab, clock }).step(tampered), 'KRB_AP_ERR_BAD_INTEGRITY');
  });

  it('a tampered AP-REP: KRB_AP_ERR_MUT_FAIL', () => {
    const fx = fixture();
    const initiator = new Krb5Initiator({ credential: fx.ticket(), clock });
    const reply = new Krb5Acceptor({ keytab: fx.keytab, clock })
      .step(initiator.step().outputToken!)
      .outputToken!.slice();
    reply[reply.length - 2]! ^= 0x80;
    expect((initiator.step(reply).error as GssKerberosError).codeName).toBe('KRB_AP_ERR_MUT_FAIL');
  });

  it('tampered, truncated, reflected and replayed Wrap/MIC tokens', () => {
    const { init, acc } = establish();
    const m = utf8('payload');
    const wrapped = init.wrap(m);
    const bad = wrapped.slice();
    bad[20]! ^= 1;
    expect(() => acc.unwrap(bad)).toThrow(GssIntegrityError);
    expect(() => acc.unwrap(wrapped.subarray(0, 10))).toThrow(GssTokenError);
    expect(() => init.unwrap(wrapped)).toThrow(GssTokenError); // its own token reflected
    const mic = init.getMic(m);
    expect(() => acc.verifyMic(utf8('payloaD'), mic)).toThrow(GssIntegrityError);
    expect(acc.unwrap(wrapped).message).toEqual(m);
    expect(() => acc.unwrap(wrapped)).toThrow(GssSequenceError);
    // The next MIC was numbered after the wrap: a gap when the MIC before it never arrives.
    init.getMic(m);
    const later = init.getMic(m);
    expect(() => acc.verifyMic(m, later)).toThrow(expect.objectContaining({ problem: 'gap' }));
  });

  it('per-message tokens before establishment cannot be made: the context exists only when done', () => {
    const fx = fixture();
    const initiator = new Krb5Initiator({ credential: fx.ticket(), clock });
    initiator.step();
    expect(initiator.context).toBeUndefined();
    expect(initiator.step(undefined).error).toBeDefined();
  });
});

describe('delegation', () => {
  it('the initiator delegates a TGT as a KRB-CRED; the acceptor decrypts it into a Credential', () => {
    const fx = fixture();
    const tgt = fx.ticket({ server: parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST') });
    const initiator = new Krb5Initiator({ credential: fx.ticket(), clock, delegate: tgt });
    const accepted = new Krb5Acceptor({
      keytab: fx.keytab,
      clock,
      replayCache: new MemoryReplayCache(),
    }).step(initiator.step().outputToken!);
    expect(accepted.error).toBeUndefined();
    const ctx = accepted.context!;
    expect(ctx.flags & 0x01).toBe(0x01);
    const [cred] = ctx.delegatedCredentials!;
    expect(cred!.server.name.nameString).toEqual(['krbtgt', 'EXAMPLE.TEST']);
    expect(cred!.client.name.nameString).toEqual(['alice']);
    expect(cred!.sessionKey.bytes).toEqual(tgt.sessionKey.bytes);
    expect(cred!.ticket).toEqual(tgt.ticket);
    expect(cred!.endtime).toEqual(tgt.endtime);
  });

  it('the deleg flag without a credential to delegate is refused; no delegation means none in the context', () => {
    const fx = fixture();
    expect(() => new Krb5Initiator({ credential: fx.ticket(), flags: 0x03 })).toThrow(RangeError);
    const { acc } = establish(fx);
    expect(acc.delegatedCredentials).toBeUndefined();
  });
});
