import { Oid } from '@postntlm/der-asn1';
import { describe, expect, it } from 'vitest';
import { mechanismName } from '../src/index.js';

describe('mechanismName', () => {
  it('names the mechanisms peers offer, as Windows and Wireshark do', () => {
    expect(mechanismName(Oid.msKrb5)).toBe('MS-KRB5');
    expect(mechanismName(Oid.krb5)).toBe('KRB5');
    expect(mechanismName(Oid.iakerb)).toBe('IAKERB');
    expect(mechanismName(Oid.ntlmssp)).toBe('NTLMSSP');
    expect(mechanismName('1.3.6.1.4.1.311.2.2.30')).toBe('NEGOEX');
  });

  it('gives undefined for anything else, SPNEGO itself included', () => {
    expect(mechanismName(Oid.spnego)).toBeUndefined();
    expect(mechanismName('1.2.3.4')).toBeUndefined();
    expect(mechanismName('')).toBeUndefined();
  });
});
