import { DecodeError, EncodeError } from '@postntlm/der-asn1';
import { IntegrityError } from '@postntlm/krb5-crypto';
import { encode, type KrbError, MethodData, PaDataType, TypedData } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  ExchangePolicyError,
  hintForErrorCode,
  KerberosError,
  Krb5ClientError,
  MalformedMessageError,
  PasswordIncorrectError,
  ReplyVerificationError,
} from '../../src/errors.js';
import { decodeErrorData, kerberosErrorOf, toClientError } from '../../src/exchange/kdc-common.js';

const base: KrbError = {
  pvno: 5,
  msgType: 30,
  stime: new Date('2026-01-15T12:00:00Z'),
  susec: 123456,
  errorCode: 37,
  realm: 'EXAMPLE.COM',
  sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.COM'] },
};

describe('KerberosError', () => {
  it('carries the code, its RFC name as `name`, e-text, server time and a hint', () => {
    const e = new KerberosError(
      { ...base, eText: 'Clock skew too great', ctime: new Date('2026-01-15T13:00:00Z'), cusec: 5000 },
      { requestRealm: 'EXAMPLE.COM' },
    );
    expect(e).toBeInstanceOf(Krb5ClientError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KRB_AP_ERR_SKEW');
    expect(e.code).toBe(37);
    expect(e.category).toBe('peer');
    expect(e.serverTime.toISOString()).toBe('2026-01-15T12:00:00.123Z');
    expect(e.clientTime!.toISOString()).toBe('2026-01-15T13:00:00.005Z');
    expect(e.message).toBe(
      `KDC of EXAMPLE.COM answered KRB_AP_ERR_SKEW (37): Clock skew too great: "Clock skew too great" (hint: ${hintForErrorCode(37)})`,
    );
    expect(String(e)).toMatch(/^KRB_AP_ERR_SKEW: KDC of EXAMPLE.COM/);
  });

  it('names unknown codes KRB_ERR_<n> and has no hint for them', () => {
    const e = new KerberosError({ ...base, errorCode: 4242 });
    expect(e.name).toBe('KRB_ERR_4242');
    expect(e.hint).toBeUndefined();
    expect(e.message).toContain('unknown Kerberos error 4242');
  });

  it('decodes e-data as METHOD-DATA, TYPED-DATA or keeps it raw', () => {
    const method = encode(MethodData, [
      { padataType: PaDataType.PA_ENC_TIMESTAMP, padataValue: new Uint8Array() },
    ]);
    const e = kerberosErrorOf({ ...base, errorCode: 25, eData: method }, 'EXAMPLE.COM');
    expect(e.eData).toMatchObject({ kind: 'method-data' });
    expect(e.padata.map((p) => p.padataType)).toEqual([2]);
    const typed = encode(TypedData, [{ dataType: 1, dataValue: new Uint8Array([1]) }]);
    expect(decodeErrorData(typed)).toMatchObject({ kind: 'typed-data', entries: [{ dataType: 1 }] });
    expect(decodeErrorData(new Uint8Array([9, 9]))).toEqual({ kind: 'raw', bytes: new Uint8Array([9, 9]) });
    expect(decodeErrorData(undefined)).toBeUndefined();
    expect(new KerberosError(base).padata).toEqual([]);
  });

  it('has hints for the codes clients meet most', () => {
    for (const code of [6, 7, 14, 18, 23, 24, 25, 31, 32, 37, 41, 50, 52, 60, 68]) {
      expect(hintForErrorCode(code), `code ${code}`).toEqual(expect.any(String));
    }
  });
});

describe('the other errors', () => {
  it('each has its category, name and hint', () => {
    const p = new PasswordIncorrectError('alice@R', { cause: new IntegrityError('bad') });
    expect(p).toMatchObject({ name: 'PasswordIncorrectError', category: 'integrity' });
    expect(p.cause).toBeInstanceOf(IntegrityError);
    const r = new ReplyVerificationError('nonce', 'x');
    expect(r).toMatchObject({ name: 'ReplyVerificationError', category: 'integrity', check: 'nonce' });
    expect(r.message).toBe('KDC reply rejected (nonce): x');
    const m = new MalformedMessageError('y', { path: 'AS-REP.x' });
    expect(m).toMatchObject({ category: 'malformed', path: 'AS-REP.x' });
    expect(m.hint).toBeDefined();
    expect(new ExchangePolicyError('referral-loop', 'z')).toMatchObject({
      category: 'policy',
      reason: 'referral-loop',
    });
  });

  it('toClientError maps decode, encode and crypto errors and rethrows bugs', () => {
    const d = toClientError(new DecodeError('truncated', 3, ['AS-REP', 'encPart']), 'AS exchange');
    expect(d).toBeInstanceOf(MalformedMessageError);
    expect((d as MalformedMessageError).path).toBe('AS-REP.encPart');
    expect(toClientError(new EncodeError('bad'), 'AS exchange').category).toBe('policy');
    expect(toClientError(new IntegrityError('bad'), 'AS exchange').category).toBe('policy');
    const same = new ExchangePolicyError('no-key', 'k');
    expect(toClientError(same, 'x')).toBe(same);
    expect(() => toClientError(new TypeError('bug'), 'x')).toThrow(TypeError);
  });
});
