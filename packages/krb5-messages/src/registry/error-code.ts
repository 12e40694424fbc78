/**
 * KRB-ERROR error codes: RFC 4120 §7.5.9, RFC 4556 (PKINIT), RFC 6113 (FAST), RFC 8636,
 * and IAKerb's 85/86 (draft-ietf-kitten-iakerb §3.2). Each has its RFC name and the short
 * text MIT prints, for messages that a person can act on.
 */
const table = {
  KDC_ERR_NONE: [0, 'No error'],
  KDC_ERR_NAME_EXP: [1, "Client's entry in database has expired"],
  KDC_ERR_SERVICE_EXP: [2, "Server's entry in database has expired"],
  KDC_ERR_BAD_PVNO: [3, 'Requested protocol version number not supported'],
  KDC_ERR_C_OLD_MAST_KVNO: [4, "Client's key encrypted in old master key"],
  KDC_ERR_S_OLD_MAST_KVNO: [5, "Server's key encrypted in old master key"],
  KDC_ERR_C_PRINCIPAL_UNKNOWN: [6, 'Client not found in Kerberos database'],
  KDC_ERR_S_PRINCIPAL_UNKNOWN: [7, 'Server not found in Kerberos database'],
  KDC_ERR_PRINCIPAL_NOT_UNIQUE: [8, 'Multiple principal entries in database'],
  KDC_ERR_NULL_KEY: [9, 'The client or server has a null key'],
  KDC_ERR_CANNOT_POSTDATE: [10, 'Ticket not eligible for postdating'],
  KDC_ERR_NEVER_VALID: [11, 'Requested effective lifetime is negative or too short'],
  KDC_ERR_POLICY: [12, 'KDC policy rejects request'],
  KDC_ERR_BADOPTION: [13, 'KDC cannot accommodate requested option'],
  KDC_ERR_ETYPE_NOSUPP: [14, 'KDC has no support for encryption type'],
  KDC_ERR_SUMTYPE_NOSUPP: [15, 'KDC has no support for checksum type'],
  KDC_ERR_PADATA_TYPE_NOSUPP: [16, 'KDC has no support for padata type'],
  KDC_ERR_TRTYPE_NOSUPP: [17, 'KDC has no support for transited type'],
  KDC_ERR_CLIENT_REVOKED: [18, "Client's credentials have been revoked"],
  KDC_ERR_SERVICE_REVOKED: [19, 'Credentials for server have been revoked'],
  KDC_ERR_TGT_REVOKED: [20, 'TGT has been revoked'],
  KDC_ERR_CLIENT_NOTYET: [21, 'Client not yet valid; try again later'],
  KDC_ERR_SERVICE_NOTYET: [22, 'Server not yet valid; try again later'],
  KDC_ERR_KEY_EXPIRED: [23, 'Password has expired; change password to reset'],
  KDC_ERR_PREAUTH_FAILED: [24, 'Pre-authentication information was invalid'],
  KDC_ERR_PREAUTH_REQUIRED: [25, 'Additional pre-authentication required'],
  KDC_ERR_SERVER_NOMATCH: [26, "Requested server and ticket don't match"],
  KDC_ERR_MUST_USE_USER2USER: [27, 'Server principal valid for user2user only'],
  KDC_ERR_PATH_NOT_ACCEPTED: [28, 'KDC policy rejects transited path'],
  KDC_ERR_SVC_UNAVAILABLE: [29, 'A service is not available'],
  KRB_AP_ERR_BAD_INTEGRITY: [31, 'Integrity check on decrypted field failed'],
  KRB_AP_ERR_TKT_EXPIRED: [32, 'Ticket expired'],
  KRB_AP_ERR_TKT_NYV: [33, 'Ticket not yet valid'],
  KRB_AP_ERR_REPEAT: [34, 'Request is a replay'],
  KRB_AP_ERR_NOT_US: [35, "The ticket isn't for us"],
  KRB_AP_ERR_BADMATCH: [36, "Ticket and authenticator don't match"],
  KRB_AP_ERR_SKEW: [37, 'Clock skew too great'],
  KRB_AP_ERR_BADADDR: [38, 'Incorrect net address'],
  KRB_AP_ERR_BADVERSION: [39, 'Protocol version mismatch'],
  KRB_AP_ERR_MSG_TYPE: [40, 'Invalid message type'],
  KRB_AP_ERR_MODIFIED: [41, 'Message stream modified'],
  KRB_AP_ERR_BADORDER: [42, 'Message out of order'],
  KRB_AP_ERR_BADKEYVER: [44, 'Specified version of key is not available'],
  KRB_AP_ERR_NOKEY: [45, 'Service key not available'],
  KRB_AP_ERR_MUT_FAIL: [46, 'Mutual authentication failed'],
  KRB_AP_ERR_BADDIRECTION: [47, 'Incorrect message direction'],
  KRB_AP_ERR_METHOD: [48, 'Alternative authentication method required'],
  KRB_AP_ERR_BADSEQ: [49, 'Incorrect sequence number in message'],
  KRB_AP_ERR_INAPP_CKSUM: [50, 'Inappropriate type of checksum in message'],
  KRB_AP_PATH_NOT_ACCEPTED: [51, 'Policy rejects transited path'],
  KRB_ERR_RESPONSE_TOO_BIG: [52, 'Response too big for UDP; retry with TCP'],
  KRB_ERR_GENERIC: [60, 'Generic error (see e-text)'],
  KRB_ERR_FIELD_TOOLONG: [61, 'Field is too long for this implementation'],
  KDC_ERROR_CLIENT_NOT_TRUSTED: [62, 'Client not trusted'],
  KDC_ERROR_KDC_NOT_TRUSTED: [63, 'KDC not trusted'],
  KDC_ERROR_INVALID_SIG: [64, 'Invalid signature'],
  KDC_ERR_KEY_TOO_WEAK: [65, 'Key parameters not accepted'],
  KDC_ERR_CERTIFICATE_MISMATCH: [66, 'Certificate mismatch'],
  KRB_AP_ERR_NO_TGT: [67, 'No ticket granting ticket'],
  KDC_ERR_WRONG_REALM: [68, 'Realm not local to KDC'],
  KRB_AP_ERR_USER_TO_USER_REQUIRED: [69, 'User to user required'],
  KDC_ERR_CANT_VERIFY_CERTIFICATE: [70, "Can't verify certificate"],
  KDC_ERR_INVALID_CERTIFICATE: [71, 'Invalid certificate'],
  KDC_ERR_REVOKED_CERTIFICATE: [72, 'Revoked certificate'],
  KDC_ERR_REVOCATION_STATUS_UNKNOWN: [73, 'Revocation status unknown'],
  KDC_ERR_REVOCATION_STATUS_UNAVAILABLE: [74, 'Revocation status unavailable'],
  KDC_ERR_CLIENT_NAME_MISMATCH: [75, 'Client name mismatch'],
  KDC_ERR_KDC_NAME_MISMATCH: [76, 'KDC name mismatch'],
  KDC_ERR_INCONSISTENT_KEY_PURPOSE: [77, 'Inconsistent key purpose'],
  KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED: [78, 'Digest in certificate not accepted'],
  KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED: [79, 'Checksum must be included'],
  KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED: [80, 'Digest in signed-data not accepted'],
  KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED: [81, 'Public key encryption not supported'],
  KRB_AP_ERR_IAKERB_KDC_NOT_FOUND: [85, 'The IAKERB proxy could not find a KDC'],
  KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE: [86, 'The KDC did not respond to the IAKERB proxy'],
  KDC_ERR_PREAUTH_EXPIRED: [90, 'Pre-authentication data has expired'],
  KDC_ERR_MORE_PREAUTH_DATA_REQUIRED: [91, 'More pre-authentication data is required'],
  KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET: [92, 'Bad pre-authentication set'],
  KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS: [93, 'Unknown critical FAST options'],
  KDC_ERR_NO_ACCEPTABLE_KDF: [100, 'No acceptable KDF offered'],
} as const satisfies Record<string, readonly [number, string]>;

type Table = typeof table;
export type ErrorCodeName = keyof Table;

/** Error codes by RFC name: `ErrorCode.KDC_ERR_PREAUTH_REQUIRED === 25`. */
export const ErrorCode = Object.fromEntries(Object.entries(table).map(([name, [code]]) => [name, code])) as {
  readonly [K in ErrorCodeName]: Table[K][0];
};
export type ErrorCode = (typeof ErrorCode)[ErrorCodeName];

const byCode = new Map<number, { name: ErrorCodeName; text: string }>(
  Object.entries(table).map(([name, [code, text]]) => [code, { name: name as ErrorCodeName, text }]),
);

/** `KDC_ERR_PREAUTH_FAILED` for 24; `undefined` for a code not in the table. */
export const errorCodeName = (code: number): ErrorCodeName | undefined => byCode.get(code)?.name;

/** A one-line description: `KDC_ERR_PREAUTH_FAILED (24): Pre-authentication information was invalid`. */
export function describeErrorCode(code: number): string {
  const entry = byCode.get(code);
  return entry === undefined ? `unknown Kerberos error ${code}` : `${entry.name} (${code}): ${entry.text}`;
}
