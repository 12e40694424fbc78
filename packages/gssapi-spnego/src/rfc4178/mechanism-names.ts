/**
 * Short display names of the SPNEGO mechanisms peers offer, for traces and audit logs: the
 * names Windows and Wireshark use, so a log line reads the same as a capture.
 */
import { Oid } from '@postntlm/der-asn1';

const NAMES: ReadonlyMap<string, string> = new Map([
  [Oid.msKrb5, 'MS-KRB5'],
  [Oid.krb5, 'KRB5'],
  [Oid.iakerb, 'IAKERB'],
  [Oid.krb5User2User, 'KRB5-U2U'],
  [Oid.ntlmssp, 'NTLMSSP'],
  [Oid.negoex, 'NEGOEX'],
]);

/** `'1.3.6.1.5.2.5'` → `'IAKERB'`; `undefined` for a mechanism without a short name. */
export function mechanismName(oid: string): string | undefined {
  return NAMES.get(oid);
}
