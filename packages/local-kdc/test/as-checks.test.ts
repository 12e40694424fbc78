import { AsReq, decodeMessage, ErrorCode, encode, type KdcReqBody } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { REALM, T0, testKdc } from './helpers.js';

const T = Math.floor(T0 / 1000) * 1000;

async function code(body: Partial<KdcReqBody>): Promise<number> {
  const { kdc } = await testKdc();
  const request = encode(AsReq, {
    pvno: 5,
    msgType: 10,
    reqBody: {
      value: {
        kdcOptions: 0,
        cname: { nameType: 1, nameString: ['nopre'] },
        realm: REALM,
        sname: { nameType: 2, nameString: ['krbtgt', REALM] },
        till: new Date(T + 3600_000),
        nonce: 1,
        etype: [18],
        ...body,
      },
    },
  });
  const reply = await kdc.handle(request, { transport: 'memory' });
  if (reply === null) throw new Error('dropped');
  const m = decodeMessage(reply);
  return m.msgType === 30 ? m.value.errorCode : 0;
}

describe('AS-REQ checks on hand-built requests', () => {
  it('issues a ticket without pre-authentication to a principal that does not require it', async () => {
    expect(await code({})).toBe(0);
  });

  it('refuses postdating (KDC_ERR_CANNOT_POSTDATE), TGS options (KDC_ERR_BADOPTION), a till in the past (KDC_ERR_NEVER_VALID)', async () => {
    expect(await code({ kdcOptions: 0x02000000 })).toBe(ErrorCode.KDC_ERR_CANNOT_POSTDATE);
    expect(await code({ from: new Date(T + 3600_000), till: new Date(T + 7200_000) })).toBe(
      ErrorCode.KDC_ERR_CANNOT_POSTDATE,
    );
    expect(await code({ kdcOptions: 0x00000002 })).toBe(ErrorCode.KDC_ERR_BADOPTION);
    expect(await code({ till: new Date(T - 60_000) })).toBe(ErrorCode.KDC_ERR_NEVER_VALID);
  });

  it('refuses a request without cname or sname, or for a user as server', async () => {
    expect(await code({ cname: undefined })).toBe(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
    expect(await code({ sname: undefined })).toBe(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    expect(await code({ sname: { nameType: 1, nameString: ['bob'] } })).toBe(
      ErrorCode.KDC_ERR_MUST_USE_USER2USER,
    );
    expect(await code({ realm: 'OTHER.TEST' })).toBe(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
  });

  it('issues an initial service ticket (kinit -S) and treats till 0 (19700101000000Z) as "no limit"', async () => {
    expect(await code({ sname: { nameType: 3, nameString: ['cifs', 'host.test'] } })).toBe(0);
    expect(await code({ till: new Date(0) })).toBe(0);
  });

  it('refuses RC4-only requests by default (AES only): KDC_ERR_ETYPE_NOSUPP', async () => {
    expect(await code({ etype: [23] })).toBe(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
  });
});
