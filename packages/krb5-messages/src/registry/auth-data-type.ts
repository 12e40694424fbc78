import { reverse } from './lookup.js';

/**
 * Authorization-data types (RFC 4120 §7.5.4 and the IANA "Kerberos Authorization Data Types"
 * registry): RFC 4120 containers, RFC 6113 FAST, RFC 7751 CAMMAC, RFC 8129 indicators,
 * MS-PAC / MS-KILE Windows types.
 */
export const AuthDataType = {
  AD_IF_RELEVANT: 1,
  AD_INTENDED_FOR_SERVER: 2,
  AD_INTENDED_FOR_APPLICATION_CLASS: 3,
  AD_KDC_ISSUED: 4,
  AD_AND_OR: 5,
  AD_MANDATORY_TICKET_EXTENSIONS: 6,
  AD_IN_TICKET_EXTENSIONS: 7,
  AD_MANDATORY_FOR_KDC: 8,
  AD_INITIAL_VERIFIED_CAS: 9,
  OSF_DCE: 64,
  SESAME: 65,
  AD_OSF_DCE_PKI_CERTID: 66,
  AD_FX_FAST_ARMOR: 71,
  AD_FX_FAST_USED: 72,
  AD_CAMMAC: 96,
  AD_AUTHENTICATION_INDICATOR: 97,
  AD_WIN2K_PAC: 128,
  AD_ETYPE_NEGOTIATION: 129,
  KERB_AUTH_DATA_TOKEN_RESTRICTIONS: 141,
  KERB_LOCAL: 142,
  AD_AUTH_DATA_AP_OPTIONS: 143,
  KERB_AD_TARGET_PRINCIPAL: 144,
} as const;
export type AuthDataType = (typeof AuthDataType)[keyof typeof AuthDataType];

const names = reverse(AuthDataType);
/** `AD_IF_RELEVANT` for 1; `undefined` for an unknown type. */
export const authDataTypeName = (type: number): string | undefined => names.get(type);
