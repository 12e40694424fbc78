/**
 * What the sender needs from a KDC's reply: whether it is a KRB-ERROR (RFC 4120 §5.9.1)
 * and with which code, to react to KRB_ERR_RESPONSE_TOO_BIG (52) and
 * KDC_ERR_SVC_UNAVAILABLE (29). The schema and the codes are @postntlm/krb5-messages'.
 */
import { decode, ErrorCode, KrbError } from '@postntlm/krb5-messages';

/** The first byte of a KRB-ERROR: `[APPLICATION 30]`, constructed. */
const KRB_ERROR_TAG = 0x7e;

/** The fields of a KRB-ERROR the sender and its errors report. */
export interface KrbErrorSummary {
  readonly errorCode: number;
  readonly realm: string;
  readonly eText: string | undefined;
}

/** The error code, realm and e-text of a KRB-ERROR reply; undefined for anything else. */
export function summarizeKrbError(reply: Uint8Array): KrbErrorSummary | undefined {
  if (reply.length < 2 || reply[0] !== KRB_ERROR_TAG) return undefined;
  let value: KrbError;
  try {
    value = decode(KrbError, reply, { maxLength: 1024 * 1024 });
  } catch {
    return undefined;
  }
  return { errorCode: value.errorCode, realm: value.realm, eText: value.eText };
}

/** The error code of a KRB-ERROR reply, undefined if the reply is not one. */
export function krbErrorCode(reply: Uint8Array): number | undefined {
  return summarizeKrbError(reply)?.errorCode;
}

/** The default `isResponseTooBig`: a KRB-ERROR with KRB_ERR_RESPONSE_TOO_BIG (52). */
export function isResponseTooBig(reply: Uint8Array): boolean {
  return krbErrorCode(reply) === ErrorCode.KRB_ERR_RESPONSE_TOO_BIG;
}
