/** Numbers of the IAKerb protocol (draft-ietf-kitten-iakerb-03, MIT krb5 1.22). */
import { Oid } from '@postntlm/der-asn1';

/** The IAKerb mechanism, 1.3.6.1.5.2.5. */
export const IAKERB_OID: string = Oid.iakerb;

/** Token ID of a proxied KDC message (IAKERB_PROXY, `05 01` on the wire). */
export const TOKEN_ID_PROXY = 0x0501;

/** KRB-ERROR codes the draft adds, sent by the acceptor instead of a KDC reply. */
export const IakerbErrorCode = {
  /** KRB_AP_ERR_IAKERB_KDC_NOT_FOUND: the proxy could not find a KDC (or may not use one) for the realm. */
  KDC_NOT_FOUND: 85,
  /** KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE: the KDC did not answer the proxy. */
  KDC_NO_RESPONSE: 86,
} as const;

/** Proxied messages per context before the acceptor refuses (MIT: 16 + 10 referral hops). */
export const MAX_PROXY_MESSAGES = 26;

/** Largest token either side accepts by default (a KDC reply with a PAC fits easily). */
export const DEFAULT_MAX_TOKEN_BYTES = 64 * 1024;
