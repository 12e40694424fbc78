/**
 * An AP-REQ whose authenticator has no checksum at all (impacket and other hand-made SMB
 * clients send one): MS-KILE and MIT accept it as "no flags, no channel bindings"; an
 * acceptor that requires channel bindings refuses it; a checksum of another type is refused.
 */
import { fixedClock, seededRandom } from '@postntlm/krb5-client';
import { encrypt, KeyUsage } from '@postntlm/krb5-crypto';
import {
  ApReq,
  Authenticator,
  apOptions,
  decode,
  ErrorCode,
  encode,
  RawTicket,
} from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { GssFlags, GssKerberosError, Krb5Acceptor, MemoryReplayCache } from '../src/index.js';
import { encodeKrb5ContextToken, TokenId } from '../src/rfc4121/context-token.js';
import { fixture, NOW } from './helpers.js';

function apReq(cksum?: { cksumtype: number; checksum: Uint8Array }, mutual = true): Uint8Array {
  const f = fixture();
  const credential = f.ticket();
  const authenticator = encode(Authenticator, {
    authenticatorVno: 5,
    crealm: credential.client.realm,
    cname: credential.client.name,
    ...(cksum === undefined ? {} : { cksum }),
    cusec: 0,
    ctime: new Date(NOW),
    seqNumber: 1,
  });
  const message = encode(ApReq, {
    pvno: 5,
    msgType: 14,
    apOptions: apOptions(mutual ? ['mutualRequired'] : []),
    ticket: decode(RawTicket, credential.ticket),
    authenticator: {
      etype: credential.sessionKey.enctype,
      cipher: encrypt(credential.sessionKey, KeyUsage.AP_REQ_AUTH, authenticator),
    },
  });
  return encodeKrb5ContextToken(TokenId.AP_REQ, message);
}

const acceptor = (channelBindings?: { applicationData: Uint8Array }) =>
  new Krb5Acceptor({
    keytab: fixture().keytab,
    clock: fixedClock(NOW),
    random: seededRandom(9),
    replayCache: new MemoryReplayCache({ windowMs: 600_000 }),
    ...(channelBindings === undefined ? {} : { channelBindings }),
  });

describe('an AP-REQ without a GSS checksum', () => {
  it('is accepted with no flags but those the AP options imply (MS-KILE, as MIT)', () => {
    const step = acceptor().step(apReq());
    expect(step.error).toBeUndefined();
    expect(step.done).toBe(true);
    // mutual-required in the AP options still gets an AP-REP; no delegation, no other flags.
    expect(step.outputToken).toBeDefined();
    expect((step.context?.flags ?? 0) & GssFlags.deleg).toBe(0);
    expect((step.context?.flags ?? 0) & GssFlags.mutual).toBe(GssFlags.mutual);
  });

  it('is refused by an acceptor that requires channel bindings', () => {
    const step = acceptor({ applicationData: new Uint8Array([1, 2, 3]) }).step(apReq());
    expect(step.error).toBeInstanceOf(GssKerberosError);
    expect((step.error as GssKerberosError).code).toBe(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
  });

  it('a checksum of another type than 0x8003 is refused', () => {
    const step = acceptor().step(apReq({ cksumtype: 16, checksum: new Uint8Array(12) }));
    expect((step.error as GssKerberosError).code).toBe(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
  });
});
