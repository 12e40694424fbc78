/**
 * Key usage numbers (RFC 4120 §7.5.1, RFC 4121 §2 for GSS-API, RFC 6113 §5.4 for FAST,
 * draft-ietf-kitten-iakerb for IAKerb). The usage is mixed into every derived key
 * (RFC 3961 §5.3), so using the wrong one makes decryption fail with an IntegrityError.
 */

export const KeyUsage = {
  /** AS-REQ PA-ENC-TIMESTAMP padata timestamp, encrypted with the client key. */
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  /** AS-REP Ticket and TGS-REP Ticket (includes TGS session key or application session key), service key. */
  KDC_REP_TICKET: 2,
  /** AS-REP encrypted part (includes TGS session key or application session key), client key. */
  AS_REP_ENCPART: 3,
  /** TGS-REQ KDC-REQ-BODY AuthorizationData, TGS session key. */
  TGS_REQ_AD_SESSKEY: 4,
  /** TGS-REQ KDC-REQ-BODY AuthorizationData, TGS authenticator subkey. */
  TGS_REQ_AD_SUBKEY: 5,
  /** TGS-REQ PA-TGS-REQ padata AP-REQ Authenticator cksum, TGS session key. */
  TGS_REQ_AUTH_CKSUM: 6,
  /** TGS-REQ PA-TGS-REQ padata AP-REQ Authenticator (includes TGS authenticator subkey), TGS session key. */
  TGS_REQ_AUTH: 7,
  /** TGS-REP encrypted part (includes application session key), TGS session key. */
  TGS_REP_ENCPART_SESSKEY: 8,
  /** TGS-REP encrypted part (includes application session key), TGS authenticator subkey. */
  TGS_REP_ENCPART_SUBKEY: 9,
  /** AP-REQ Authenticator cksum, application session key. */
  AP_REQ_AUTH_CKSUM: 10,
  /** AP-REQ Authenticator (includes application authenticator subkey), application session key. */
  AP_REQ_AUTH: 11,
  /** AP-REP encrypted part (includes application session subkey), application session key. */
  AP_REP_ENCPART: 12,
  /** KRB-PRIV encrypted part. */
  KRB_PRIV_ENCPART: 13,
  /** KRB-CRED encrypted part. */
  KRB_CRED_ENCPART: 14,
  /** KRB-SAFE cksum. */
  KRB_SAFE_CKSUM: 15,
  /** Application data encryption (RFC 4120 reserved 16; MIT KRB5_KEYUSAGE_APP_DATA_ENCRYPT). */
  APP_DATA_ENCRYPT: 16,
  /** Application data checksum (reserved 17; MIT KRB5_KEYUSAGE_APP_DATA_CKSUM; also [MS-SFU] PA-FOR-USER). */
  APP_DATA_CKSUM: 17,
  /** KRB-ERROR checksum (reserved 18; MIT KRB5_KEYUSAGE_KRB_ERROR_CKSUM). */
  KRB_ERROR_CKSUM: 18,
  /** AD-KDCIssued checksum. */
  AD_KDCISSUED_CKSUM: 19,
  /** AD-MANDATORY-TICKET-EXTENSIONS (MIT KRB5_KEYUSAGE_AD_MTE). */
  AD_MTE: 20,
  /** AD-IN-TICKET-EXTENSIONS (MIT KRB5_KEYUSAGE_AD_ITE). */
  AD_ITE: 21,
  /** GSS-API (RFC 4121): acceptor seal (Wrap with confidentiality, sent by the acceptor). */
  GSS_ACCEPTOR_SEAL: 22,
  /** GSS-API (RFC 4121): acceptor sign (MIC / Wrap without confidentiality). */
  GSS_ACCEPTOR_SIGN: 23,
  /** GSS-API (RFC 4121): initiator seal. */
  GSS_INITIATOR_SEAL: 24,
  /** GSS-API (RFC 4121): initiator sign. */
  GSS_INITIATOR_SIGN: 25,
  /** [MS-SFU] PA-S4U-X509-USER request checksum (MIT; same number as PA_SAM_CHALLENGE_TRACKID). */
  PA_S4U_X509_USER_REQUEST: 26,
  /** [MS-SFU] PA-S4U-X509-USER reply (MIT; same number as PA_SAM_RESPONSE). */
  PA_S4U_X509_USER_REPLY: 27,
  /** IAKERB-FINISHED checksum (draft-ietf-kitten-iakerb KEY_USAGE_FINISHED). */
  IAKERB_FINISHED: 41,
  /** IAKERB-FINISHED as MIT krb5.h defines KRB5_KEYUSAGE_IAKERB_FINISHED (legacy value). */
  IAKERB_FINISHED_MIT_LEGACY: 42,
  /** FAST (RFC 6113): armored request checksum. */
  FAST_REQ_CHKSUM: 50,
  /** FAST: KrbFastArmoredReq enc-fast-req. */
  FAST_ENC: 51,
  /** FAST: KrbFastArmoredRep enc-fast-rep. */
  FAST_REP: 52,
  /** FAST: KrbFastFinished ticket-checksum. */
  FAST_FINISHED: 53,
  /** Encrypted challenge (RFC 6113 §5.4.6), client. */
  ENC_CHALLENGE_CLIENT: 54,
  /** Encrypted challenge, KDC. */
  ENC_CHALLENGE_KDC: 55,
  /** Application use: encryption in protocols that define no usage (RFC 4120 §7.5.1). */
  APPLICATION_ENCRYPT: 1024,
  /** Application use: checksums in protocols that define no usage. */
  APPLICATION_CKSUM: 1025,
} as const;

export type KeyUsageName = keyof typeof KeyUsage;
export type KeyUsageId = (typeof KeyUsage)[KeyUsageName];

const BY_ID: ReadonlyMap<number, KeyUsageName> = (() => {
  const m = new Map<number, KeyUsageName>();
  for (const [name, id] of Object.entries(KeyUsage) as [KeyUsageName, number][]) {
    if (!m.has(id)) m.set(id, name);
  }
  return m;
})();

/** Constant name of a key usage (`AP_REQ_AUTH`), or undefined if the number has no name here. */
export function keyUsageName(usage: number): KeyUsageName | undefined {
  return BY_ID.get(usage);
}

/** Key usage number from its constant name (case-insensitive), or undefined. */
export function keyUsageFromName(name: string): number | undefined {
  if (typeof name !== 'string') return undefined;
  const k = name.trim().toUpperCase();
  return Object.hasOwn(KeyUsage, k) ? KeyUsage[k as KeyUsageName] : undefined;
}
