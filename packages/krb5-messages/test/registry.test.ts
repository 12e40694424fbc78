/** Registries: error codes, flag bits, message / name / pa-data / auth-data / address types. */
import { EncodeError } from '@postntlm/der-asn1';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.js';

describe('error codes (RFC 4120 §7.5.9 and later RFCs)', () => {
  it('maps names to numbers and back, with text', () => {
    expect(M.ErrorCode.KDC_ERR_PREAUTH_REQUIRED).toBe(25);
    expect(M.ErrorCode.KRB_AP_ERR_SKEW).toBe(37);
    expect(M.ErrorCode.KDC_ERR_WRONG_REALM).toBe(68);
    expect(M.ErrorCode.KDC_ERR_MORE_PREAUTH_DATA_REQUIRED).toBe(91);
    expect(M.ErrorCode.KRB_AP_ERR_IAKERB_KDC_NOT_FOUND).toBe(85);
    expect(M.errorCodeName(24)).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(M.errorCodeName(0)).toBe('KDC_ERR_NONE');
    expect(M.errorCodeName(30)).toBeUndefined(); // 30 is unassigned
    expect(M.describeErrorCode(37)).toBe('KRB_AP_ERR_SKEW (37): Clock skew too great');
    expect(M.describeErrorCode(12345)).toBe('unknown Kerberos error 12345');
  });

  it('has one name per code, every one named KDC_ / KRB_', () => {
    const entries = Object.entries(M.ErrorCode);
    expect(entries.length).toBeGreaterThanOrEqual(80);
    expect(new Set(entries.map(([, code]) => code)).size).toBe(entries.length);
    for (const [name, code] of entries) {
      expect(name).toMatch(/^(KDC|KRB)_/);
      expect(M.errorCodeName(code)).toBe(name);
      expect(M.describeErrorCode(code)).toMatch(new RegExp(`^${name} \\(${code}\\): .+`));
    }
  });
});

describe('flags ↔ names', () => {
  // MIT krb5.hin: KDC_OPT_*, TKT_FLG_*, AP_OPTS_* as 32-bit masks (bit n is 0x80000000 >>> n).
  const mitKdcOptions: Record<M.KdcOptionName, number> = {
    reserved: 0x80000000,
    forwardable: 0x40000000,
    forwarded: 0x20000000,
    proxiable: 0x10000000,
    proxy: 0x08000000,
    allowPostdate: 0x04000000,
    postdated: 0x02000000,
    unused7: 0x01000000,
    renewable: 0x00800000,
    unused9: 0x00400000,
    unused10: 0x00200000,
    optHardwareAuth: 0x00100000,
    unused12: 0x00080000,
    unused13: 0x00040000,
    cnameInAddlTkt: 0x00020000,
    canonicalize: 0x00010000,
    requestAnonymous: 0x00008000,
    disableTransitedCheck: 0x00000020,
    renewableOk: 0x00000010,
    encTktInSkey: 0x00000008,
    renew: 0x00000002,
    validate: 0x00000001,
  };
  const mitTicketFlags: Record<M.TicketFlagName, number> = {
    reserved: 0x80000000,
    forwardable: 0x40000000,
    forwarded: 0x20000000,
    proxiable: 0x10000000,
    proxy: 0x08000000,
    mayPostdate: 0x04000000,
    postdated: 0x02000000,
    invalid: 0x01000000,
    renewable: 0x00800000,
    initial: 0x00400000,
    preAuthent: 0x00200000,
    hwAuthent: 0x00100000,
    transitedPolicyChecked: 0x00080000,
    okAsDelegate: 0x00040000,
    encPaRep: 0x00010000,
    anonymous: 0x00008000,
  };
  const mitApOptions: Record<M.ApOptionName, number> = {
    reserved: 0x80000000,
    useSessionKey: 0x40000000,
    mutualRequired: 0x20000000,
  };

  it('KDCOptions match MIT KDC_OPT_*', () => {
    for (const [name, mask] of Object.entries(mitKdcOptions) as [M.KdcOptionName, number][]) {
      expect(M.kdcOptions([name]), name).toBe(mask);
      expect(M.kdcOptionNames(mask)).toEqual([name]);
    }
  });

  it('TicketFlags match MIT TKT_FLG_* (anonymous is bit 16, enc-pa-rep bit 15)', () => {
    for (const [name, mask] of Object.entries(mitTicketFlags) as [M.TicketFlagName, number][]) {
      expect(M.ticketFlags([name]), name).toBe(mask);
      expect(M.ticketFlagNames(mask)).toEqual([name]);
    }
  });

  it('APOptions match MIT AP_OPTS_*', () => {
    for (const [name, mask] of Object.entries(mitApOptions) as [M.ApOptionName, number][]) {
      expect(M.apOptions([name])).toBe(mask);
      expect(M.apOptionNames(mask)).toEqual([name]);
    }
  });

  it('combines names and ignores unnamed bits when naming', () => {
    const flags = M.kdcOptions(['forwardable', 'renewable', 'canonicalize', 'renewableOk']);
    expect(flags).toBe(0x40810010);
    expect(M.kdcOptionNames(flags)).toEqual(['forwardable', 'renewable', 'canonicalize', 'renewableOk']);
    expect(M.kdcOptionNames(0)).toEqual([]);
    expect(M.ticketFlagNames(0x00000001)).toEqual([]);
    expect(M.apOptionNames(0xffffffff)).toEqual(['reserved', 'useSessionKey', 'mutualRequired']);
  });

  it('rejects unknown names with an EncodeError', () => {
    expect(() => M.kdcOptions(['forwardable', 'bogus' as M.KdcOptionName])).toThrow(EncodeError);
    expect(() => M.ticketFlags(['toString' as M.TicketFlagName])).toThrow(EncodeError);
  });
});

describe('number registries', () => {
  it('message types are the [APPLICATION n] tags', () => {
    expect(M.MessageType).toEqual({
      AS_REQ: 10,
      AS_REP: 11,
      TGS_REQ: 12,
      TGS_REP: 13,
      AP_REQ: 14,
      AP_REP: 15,
      KRB_SAFE: 20,
      KRB_PRIV: 21,
      KRB_CRED: 22,
      KRB_ERROR: 30,
    });
    expect(M.messageTypeName(30)).toBe('KRB_ERROR');
    expect(M.messageTypeName(16)).toBeUndefined();
  });

  it('name, pa-data, auth-data and address types have reverse lookups', () => {
    expect(M.nameTypeName(M.NameType.NT_SRV_INST)).toBe('NT_SRV_INST');
    expect(M.nameTypeName(10)).toBe('NT_ENTERPRISE');
    expect(M.nameTypeName(-128)).toBe('NT_MS_PRINCIPAL');
    expect(M.nameTypeName(99)).toBeUndefined();
    expect(M.paDataTypeName(2)).toBe('PA_ENC_TIMESTAMP');
    expect(M.paDataTypeName(136)).toBe('PA_FX_FAST');
    expect(M.paDataTypeName(151)).toBe('PA_SPAKE');
    expect(M.paDataTypeName(167)).toBe('PA_PAC_OPTIONS');
    expect(M.paDataTypeName(9999)).toBeUndefined();
    expect(M.authDataTypeName(1)).toBe('AD_IF_RELEVANT');
    expect(M.authDataTypeName(128)).toBe('AD_WIN2K_PAC');
    expect(M.authDataTypeName(96)).toBe('AD_CAMMAC');
    expect(M.addressTypeName(2)).toBe('IPV4');
    expect(M.addressTypeName(24)).toBe('IPV6');
    expect(M.addressTypeName(1)).toBeUndefined();
  });

  it('pa-data types are unique numbers', () => {
    for (const table of [M.PaDataType, M.AuthDataType, M.AddressType, M.NameType, M.MessageType]) {
      const values = Object.values(table);
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) expect(Number.isInteger(value)).toBe(true);
    }
  });
});
