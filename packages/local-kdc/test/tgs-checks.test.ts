import { createAsExchange, fixedClock, runExchange, seededRandom } from '@postntlm/krb5-client';
import { decrypt, KeyUsage } from '@postntlm/krb5-crypto';
import { decode, decodeMessage, EncKdcRepPart, ErrorCode } from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CraftOptions, craftTgsReq } from './crafted.js';
import { PASSWORDS, REALM, sender, T0, testKdc } from './helpers.js';

type Tgt = Awaited<ReturnType<typeof runExchange>>;
let tgt: Tgt;

beforeAll(async () => {
  const { kdc } = await testKdc();
  tgt = await runExchange(
    createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: PASSWORDS.alice },
      options: { etypes: [18] },
      clock: fixedClock(T0),
      random: seededRandom(1),
    }),
    sender(kdc),
  );
});

async function send(options: CraftOptions) {
  const { kdc } = await testKdc();
  const reply = await kdc.handle(craftTgsReq(tgt, T0, options), { transport: 'memory' });
  if (reply === null) throw new Error('dropped');
  return decodeMessage(reply);
}

async function code(options: CraftOptions): Promise<number> {
  const m = await send(options);
  if (m.msgType !== 30) throw new Error(`message type ${m.msgType}`);
  return m.value.errorCode;
}

describe('TGS-REQ checks (RFC 4120 §3.3.2, §7.2.2) on hand-built requests', () => {
  it('accepts a well-formed request; the enc-part is under the session key (usage 8) without a subkey', async () => {
    const m = await send({});
    if (m.msgType !== 13) throw new Error(`message type ${m.msgType}`);
    const part = decode(
      EncKdcRepPart,
      decrypt(tgt.sessionKey, KeyUsage.TGS_REP_ENCPART_SESSKEY, m.value.encPart.cipher),
    );
    expect(part.tag).toBe(26);
    expect(part.nonce).toBe(12345);
  });

  it('uses the authenticator subkey (usage 9) when there is one', async () => {
    const m = await send({ subkey: true });
    if (m.msgType !== 13) throw new Error(`message type ${m.msgType}`);
    const subkey = { enctype: 18, bytes: new Uint8Array(32).fill(7) };
    expect(
      decode(EncKdcRepPart, decrypt(subkey, KeyUsage.TGS_REP_ENCPART_SUBKEY, m.value.encPart.cipher)).nonce,
    ).toBe(12345);
  });

  it('refuses a request without a req-body checksum: KRB_AP_ERR_INAPP_CKSUM (as MIT)', async () => {
    expect(await code({ checksum: 'none' })).toBe(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
  });

  it('refuses an unkeyed checksum: KRB_AP_ERR_INAPP_CKSUM', async () => {
    expect(await code({ checksum: 'unkeyed' })).toBe(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
  });

  it('refuses a checksum over other bytes: KRB_AP_ERR_BAD_INTEGRITY', async () => {
    expect(await code({ checksum: 'wrong' })).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
  });

  it('refuses a tampered TGT: KRB_AP_ERR_BAD_INTEGRITY', async () => {
    expect(await code({ tamperTicket: true })).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
  });

  it('refuses an authenticator outside the skew: KRB_AP_ERR_SKEW', async () => {
    expect(await code({ ctimeMs: T0 - 301_000 })).toBe(ErrorCode.KRB_AP_ERR_SKEW);
  });

  it('refuses a request without PA-TGS-REQ: KDC_ERR_PADATA_TYPE_NOSUPP', async () => {
    expect(await code({ padata: [] })).toBe(ErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP);
  });

  it('refuses a forwardable request from a non-forwardable TGT, and user-to-user: KDC_ERR_BADOPTION', async () => {
    expect(await code({ body: { kdcOptions: 0x40000000 } })).toBe(ErrorCode.KDC_ERR_BADOPTION);
    expect(await code({ body: { kdcOptions: 0x00000008 } })).toBe(ErrorCode.KDC_ERR_BADOPTION);
  });

  it('refuses an etype list the server has no key for: KDC_ERR_ETYPE_NOSUPP', async () => {
    expect(await code({ body: { etype: [23, 3] } })).toBe(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
  });

  it('refuses an authenticator for another client: KRB_AP_ERR_BADMATCH', async () => {
    expect(await code({ authCname: 'bob' })).toBe(ErrorCode.KRB_AP_ERR_BADMATCH);
  });

  it('refuses a TGT of another realm (KRB_AP_ERR_NOT_US) or an unknown kvno (KRB_AP_ERR_BADKEYVER)', async () => {
    expect(await code({ ticket: { realm: 'OTHER.TEST' } })).toBe(ErrorCode.KRB_AP_ERR_NOT_US);
    expect(await code({ ticket: { kvno: 9 } })).toBe(ErrorCode.KRB_AP_ERR_BADKEYVER);
  });

  it('refuses RENEW of a non-renewable TGT (KDC_ERR_BADOPTION) and a till in the past (KDC_ERR_NEVER_VALID)', async () => {
    expect(await code({ body: { kdcOptions: 0x00000002 } })).toBe(ErrorCode.KDC_ERR_BADOPTION);
    expect(await code({ body: { till: new Date(Math.floor(T0 / 1000) * 1000 - 3600_000) } })).toBe(
      ErrorCode.KDC_ERR_NEVER_VALID,
    );
  });

  it('refuses a service of another realm: KDC_ERR_S_PRINCIPAL_UNKNOWN', async () => {
    expect(await code({ body: { realm: 'OTHER.TEST' } })).toBe(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
  });
});
