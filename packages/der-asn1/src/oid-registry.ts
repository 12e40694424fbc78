/**
 * Object identifiers of the mechanisms PostNTLM speaks or must recognise. NTLMSSP and
 * NEGOEX are here so they can be named (and refused, and audited), never so they can be used.
 */
export const Oid = {
  /** SPNEGO, RFC 4178. */
  spnego: '1.3.6.1.5.5.2',
  /** Kerberos 5 GSS-API mechanism, RFC 1964 / RFC 4121. */
  krb5: '1.2.840.113554.1.2.2',
  /** The Kerberos OID as Microsoft first (mis)encoded it; Windows and Samba still offer it first. */
  msKrb5: '1.2.840.48018.1.2.2',
  /** IAKerb, draft-ietf-kitten-iakerb. */
  iakerb: '1.3.6.1.5.2.5',
  /** Kerberos user-to-user, RFC 4121 / draft-swift-win2k-krb-user2user. */
  krb5User2User: '1.2.840.113554.1.2.2.3',
  /** Microsoft NTLM Security Support Provider (recognised only). */
  ntlmssp: '1.3.6.1.4.1.311.2.2.10',
  /** Microsoft NEGOEX, MS-NEGOEX (recognised only). */
  negoex: '1.3.6.1.4.1.311.2.2.30',
  /** GSS_C_NT_HOSTBASED_SERVICE, RFC 2743 §4.1. */
  gssHostBasedService: '1.2.840.113554.1.2.1.4',
  /** GSS_KRB5_NT_PRINCIPAL_NAME, RFC 1964 §2.1.1. */
  krb5PrincipalName: '1.2.840.113554.1.2.2.1',
  /** id-pkinit-san, RFC 4556 (for PKINIT certificates). */
  pkinitSan: '1.3.6.1.5.2.2',
} as const;

export type OidName = keyof typeof Oid;
export type KnownOid = (typeof Oid)[OidName];

const namesByOid = new Map<string, OidName>(Object.entries(Oid).map(([name, oid]) => [oid, name as OidName]));

/** The registry name of an OID (`'iakerb'`), or `undefined` for an unknown one. */
export function oidName(oid: string): OidName | undefined {
  return namesByOid.get(oid);
}
