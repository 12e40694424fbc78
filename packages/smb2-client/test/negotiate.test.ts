import {
  CipherId,
  Dialect,
  GlobalCapabilities,
  HashAlgorithmId,
  type NegotiateResponse,
  PreauthHash,
  SecurityMode,
  SigningAlgorithmId,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { acceptNegotiateResponse, buildNegotiateRequest } from '../src/connection/negotiate.js';
import { SmbProtocolError } from '../src/errors.js';

const base: NegotiateResponse = {
  securityMode: SecurityMode.SIGNING_ENABLED,
  dialectRevision: Dialect.SMB_3_1_1,
  serverGuid: new Uint8Array(16).fill(9),
  capabilities: GlobalCapabilities.LARGE_MTU,
  maxTransactSize: 8 << 20,
  maxReadSize: 8 << 20,
  maxWriteSize: 8 << 20,
  systemTime: 0n,
  serverStartTime: 0n,
  securityBuffer: new Uint8Array(0),
  negotiateContexts: [
    { kind: 'preauthIntegrity', hashAlgorithms: [HashAlgorithmId.SHA_512], salt: new Uint8Array(32) },
    { kind: 'encryption', ciphers: [CipherId.AES_256_GCM] },
    { kind: 'signing', algorithms: [SigningAlgorithmId.AES_GMAC] },
  ],
};

describe('NEGOTIATE', () => {
  it('offers 2.0.2 to 3.1.1 with preauth, GCM-first encryption, GMAC-first signing and the netname', () => {
    const r = buildNegotiateRequest({ requireSigning: true, serverName: 'files.test' });
    expect(r.dialects).toEqual([0x0202, 0x0210, 0x0300, 0x0302, 0x0311]);
    expect(r.securityMode).toBe(SecurityMode.SIGNING_ENABLED | SecurityMode.SIGNING_REQUIRED);
    expect(r.negotiateContexts?.map((c) => c.kind)).toEqual([
      'preauthIntegrity',
      'encryption',
      'signing',
      'netname',
    ]);
    expect(r.negotiateContexts?.[1]).toMatchObject({
      ciphers: [CipherId.AES_128_GCM, CipherId.AES_256_GCM, CipherId.AES_128_CCM, CipherId.AES_256_CCM],
    });
    expect(r.negotiateContexts?.[2]).toMatchObject({
      algorithms: [SigningAlgorithmId.AES_GMAC, SigningAlgorithmId.AES_CMAC, SigningAlgorithmId.HMAC_SHA256],
    });
    const old = buildNegotiateRequest({ requireSigning: false, dialects: [Dialect.SMB_2_1] });
    expect(old).toMatchObject({ dialects: [0x0210], clientStartTime: 0n });
    expect(old.negotiateContexts).toBeUndefined();
    expect(() => buildNegotiateRequest({ requireSigning: true, dialects: [0x0201] })).toThrow(RangeError);
  });

  it('takes the server’s cipher and signing algorithm at 3.1.1', () => {
    const req = buildNegotiateRequest({ requireSigning: true });
    const n = acceptNegotiateResponse(req, base, new PreauthHash());
    expect(n).toMatchObject({
      dialect: 0x0311,
      cipher: CipherId.AES_256_GCM,
      signingAlgorithm: SigningAlgorithmId.AES_GMAC,
    });
    expect(n.preauth).toBeInstanceOf(PreauthHash);
  });

  it('3.0 encrypts with AES-128-CCM when the server has ENCRYPTION; 2.1 signs with HMAC-SHA256', () => {
    const req = buildNegotiateRequest({ requireSigning: true });
    const v30 = acceptNegotiateResponse(
      req,
      {
        ...base,
        dialectRevision: Dialect.SMB_3_0,
        capabilities: GlobalCapabilities.ENCRYPTION,
        negotiateContexts: undefined as never,
      },
      undefined,
    );
    expect(v30).toMatchObject({
      cipher: CipherId.AES_128_CCM,
      signingAlgorithm: SigningAlgorithmId.AES_CMAC,
    });
    const v21 = acceptNegotiateResponse(req, { ...base, dialectRevision: Dialect.SMB_2_1 }, undefined);
    expect(v21).toMatchObject({ cipher: undefined, signingAlgorithm: SigningAlgorithmId.HMAC_SHA256 });
  });

  it('refuses a dialect or cipher it did not offer, and 3.1.1 without SHA-512 preauth', () => {
    const only30 = buildNegotiateRequest({ requireSigning: true, dialects: [Dialect.SMB_3_0] });
    expect(() => acceptNegotiateResponse(only30, base, undefined)).toThrow(SmbProtocolError);
    const req = buildNegotiateRequest({ requireSigning: true });
    expect(() => acceptNegotiateResponse(req, { ...base, dialectRevision: 0x02ff }, undefined)).toThrow(
      SmbProtocolError,
    );
    expect(() =>
      acceptNegotiateResponse(
        req,
        { ...base, negotiateContexts: [{ kind: 'encryption', ciphers: [CipherId.AES_128_GCM] }] },
        undefined,
      ),
    ).toThrow(/PREAUTH/);
    expect(() =>
      acceptNegotiateResponse(
        req,
        {
          ...base,
          negotiateContexts: [base.negotiateContexts?.[0] as never, { kind: 'encryption', ciphers: [9] }],
        },
        undefined,
      ),
    ).toThrow(/cipher 9/);
  });
});
