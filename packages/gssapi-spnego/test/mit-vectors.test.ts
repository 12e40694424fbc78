/**
 * Real tokens: MIT 1.20's AP-REQ / AP-REP / Wrap / MIC (captured from gss-client and
 * gss-server over IAKerb, test/vectors/SOURCE.md) and a Windows AP-REP.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  bitString,
  explicit,
  Oid,
  objectIdentifier,
  octetString,
  optional,
  sequence,
  sequenceOf,
} from '@postntlm/der-asn1';
import { fixedClock } from '@postntlm/krb5-client';
import { decrypt, KeyUsage } from '@postntlm/krb5-crypto';
import { ApRep, ApReq, Authenticator, decode, EncApRepPart, readKeytab } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  decodeGssChecksum,
  decodeKrb5ContextToken,
  encodeGssChecksum,
  encodeGssToken,
  encodeKrb5ContextToken,
  GssFlags,
  Krb5Acceptor,
  MemoryReplayCache,
  parsePerMessageHeader,
  SecurityContext,
  TokenId,
} from '../src/index.js';
import { hex } from './helpers.js';

const dir = fileURLToPath(new URL('./vectors/', import.meta.url));
const token = (name: string): Uint8Array => hex(readFileSync(dir + name, 'utf8'));
const apReqToken = token('08-initiator-context.hex');
const apRepToken = token('09-acceptor-context.hex');
const wrapToken = token('10-initiator-data+wrapped+encrypted+send_mic.hex');
const micToken = token('11-acceptor-mic.hex');
const keytab = readKeytab(readFileSync(`${dir}service.keytab`));

/** Decrypts the authenticator as a test oracle (the acceptor does the same internally). */
function authenticatorOf(sessionKey: { enctype: number; bytes: Uint8Array }) {
  const apReq = decode(ApReq, decodeKrb5ContextToken(apReqToken).message);
  return decode(Authenticator, decrypt(sessionKey, KeyUsage.AP_REQ_AUTH, apReq.authenticator.cipher));
}

describe('MIT 1.20 IAKerb context tokens', () => {
  it('08/09 are framed under the IAKerb OID with token IDs 01 00 / 02 00 and re-frame byte-exactly', () => {
    const req = decodeKrb5ContextToken(apReqToken);
    expect(req).toMatchObject({ mech: Oid.iakerb, tokenId: TokenId.AP_REQ });
    expect(req.message.length).toBeGreaterThan(128); // long-form lengths
    const rep = decodeKrb5ContextToken(apRepToken);
    expect(rep).toMatchObject({ mech: Oid.iakerb, tokenId: TokenId.AP_REP });
    const inner = apReqToken.subarray(apReqToken.length - req.message.length - 2);
    expect(encodeGssToken(Oid.iakerb, inner)).toEqual(apReqToken);
  });

  it('our acceptor accepts MIT’s AP-REQ (at the capture time), and the 0x8003 checksum re-encodes byte-exactly', () => {
    // ctime comes out of the accepted context; accept once at a guess, then at the real time.
    const probe = new Krb5Acceptor({
      keytab,
      clock: fixedClock(0),
      replayCache: new MemoryReplayCache(),
    }).step(apReqToken);
    expect(probe.error?.name).toBe('KRB_AP_ERR_TKT_NYV');
    // The ticket is good from its authtime; MIT's authenticator is from the same minute.
    const apReq = decode(ApReq, decodeKrb5ContextToken(apReqToken).message);
    expect(apReq.ticket.value.sname.nameString).toEqual(['host', 'localhost']);
    const acceptorAt = (ms: number) =>
      new Krb5Acceptor({ keytab, clock: fixedClock(ms), replayCache: new MemoryReplayCache() });
    // Find the ctime by accepting at the time of the capture (summary.txt: 2026-11-21T23:47:15Z).
    const result = acceptorAt(Date.parse('2026-11-21T23:47:15Z')).step(apReqToken);
    expect(result.error).toBeUndefined();
    expect(result.done).toBe(true);
    const ctx = result.context!;
    expect(ctx.client).toMatchObject({ realm: 'MIT.TEST', name: { nameString: ['alice'] } });
    expect(ctx.mech).toBe(Oid.iakerb);
    expect(decodeKrb5ContextToken(result.outputToken!)).toMatchObject({
      mech: Oid.iakerb,
      tokenId: TokenId.AP_REP,
    });

    const auth = authenticatorOf(ctx.ticketSessionKey);
    const raw = auth.cksum!.checksum;
    const gss = decodeGssChecksum(raw);
    expect(gss.bindings).toEqual(new Uint8Array(16));
    expect(gss.flags & GssFlags.mutual).toBe(GssFlags.mutual);
    expect(gss.extensions.length).toBe(1); // MIT's IAKerb finished (legacy type 1 in 1.20)
    expect(encodeGssChecksum(gss)).toEqual(raw);
    expect(ctx.gssChecksum).toEqual(gss);
    expect(auth.subkey).toBeDefined();
  });

  it('MIT’s AP-REP, Wrap (sealed, from the initiator) and MIC (from the acceptor) open with the acceptor subkey', () => {
    const result = new Krb5Acceptor({
      keytab,
      clock: fixedClock(Date.parse('2026-11-21T23:47:15Z')),
      replayCache: new MemoryReplayCache(),
    }).step(apReqToken);
    const ours = result.context!;
    const auth = authenticatorOf(ours.ticketSessionKey);
    const apRep = decode(ApRep, decodeKrb5ContextToken(apRepToken).message);
    const part = decode(
      EncApRepPart,
      decrypt(ours.ticketSessionKey, KeyUsage.AP_REP_ENCPART, apRep.encPart.cipher),
    );
    expect(part.ctime).toEqual(auth.ctime);
    const acceptorSubkey = { enctype: part.subkey!.keytype, bytes: part.subkey!.keyvalue };
    const common = {
      mech: Oid.iakerb,
      ticketSessionKey: ours.ticketSessionKey,
      initiatorSubkey: ours.initiatorSubkey,
      acceptorSubkey,
      flags: GssFlags.mutual | GssFlags.replay,
      client: ours.client,
      server: ours.server,
      initiatorSeq: auth.seqNumber ?? 0,
      acceptorSeq: part.seqNumber ?? 0,
      endtime: ours.endtime,
    };
    const mitAcceptorView = new SecurityContext({ ...common, isInitiator: false });
    const wrapHeader = parsePerMessageHeader(wrapToken);
    expect(wrapHeader).toMatchObject({
      sealed: true,
      sentByAcceptor: false,
      acceptorSubkey: true,
      rrc: 0,
      ec: 0,
    });
    const opened = mitAcceptorView.unwrap(wrapToken);
    const text = new TextDecoder().decode(opened.message);
    expect(text).toBe('hello over iakerb');
    const mitInitiatorView = new SecurityContext({ ...common, isInitiator: true });
    expect(parsePerMessageHeader(micToken)).toMatchObject({ sentByAcceptor: true, acceptorSubkey: true });
    mitInitiatorView.verifyMic(opened.message, micToken);
    // And our MIC of the same message from the same sequence number is MIT's byte for byte (MICs are deterministic).
    expect(new SecurityContext({ ...common, isInitiator: false }).getMic(opened.message)).toEqual(micToken);
  });
});

describe('Windows (scapy IAKERB test, windows-29617-exchange.json)', () => {
  const vector = JSON.parse(readFileSync(`${dir}windows-29617-exchange.json`, 'utf8')) as {
    tokens: { name: string; gss_token_hex?: string; mech_list_mic_hex?: string }[];
    derived_keys_computed_by_collector: {
      service_session_key_aes256_hex: string;
      acceptor_subkey_aes128_hex: string;
    };
  };
  it('the AP-REP token (krb5 OID) decodes and decrypts to the published acceptor subkey; its MIC header parses', () => {
    const t = vector.tokens.find((x) => x.name.startsWith('AP-REP'))!;
    const rep = decodeKrb5ContextToken(hex(t.gss_token_hex!));
    expect(rep).toMatchObject({ mech: Oid.krb5, tokenId: TokenId.AP_REP });
    const key = {
      enctype: 18,
      bytes: hex(vector.derived_keys_computed_by_collector.service_session_key_aes256_hex),
    };
    const part = decode(
      EncApRepPart,
      decrypt(key, KeyUsage.AP_REP_ENCPART, decode(ApRep, rep.message).encPart.cipher),
    );
    expect(part.subkey!.keyvalue).toEqual(
      hex(vector.derived_keys_computed_by_collector.acceptor_subkey_aes128_hex),
    );
    expect(parsePerMessageHeader(hex(t.mech_list_mic_hex!))).toMatchObject({
      tokenId: TokenId.MIC,
      sentByAcceptor: true,
      acceptorSubkey: true,
      seq: 0n,
    });
  });
});

describe('gokrb5 (SPNEGO NegTokenInit mechToken)', () => {
  const vector = JSON.parse(readFileSync(`${dir}gokrb5-negtokeninit-krb5.json`, 'utf8')) as {
    token_hex: string;
  };
  // Just enough of RFC 4178 NegTokenInit to reach the mechToken (SPNEGO itself is not implemented yet).
  const NegTokenInit = explicit(
    0,
    sequence(
      {
        mechTypes: explicit(0, sequenceOf(objectIdentifier())),
        reqFlags: optional(explicit(1, bitString())),
        mechToken: optional(explicit(2, octetString())),
        mechListMIC: optional(explicit(3, octetString())),
      },
      { name: 'NegTokenInit' },
    ),
  );
  it('the mechToken is a krb5 AP-REQ token that decodes and re-frames byte-exactly', () => {
    const init = decode(NegTokenInit, hex(vector.token_hex));
    expect(init.mechTypes).toEqual([Oid.krb5, '1.3.5.1.5.2', Oid.msKrb5, Oid.iakerb]);
    const token = init.mechToken!;
    const ctx = decodeKrb5ContextToken(token);
    expect(ctx).toMatchObject({ mech: Oid.krb5, tokenId: TokenId.AP_REQ });
    const apReq = decode(ApReq, ctx.message);
    expect(apReq.ticket.value.sname.nameString).toEqual(['HTTP', 'host.test.gokrb5']);
    expect(encodeKrb5ContextToken(TokenId.AP_REQ, ctx.message)).toEqual(token);
  });
});
