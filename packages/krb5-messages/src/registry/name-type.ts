import { reverse } from './lookup.js';

/** RFC 4120 §6.2 name types, plus RFC 6806 enterprise and RFC 8062 well-known names. */
export const NameType = {
  NT_UNKNOWN: 0,
  NT_PRINCIPAL: 1,
  NT_SRV_INST: 2,
  NT_SRV_HST: 3,
  NT_SRV_XHST: 4,
  NT_UID: 5,
  NT_X500_PRINCIPAL: 6,
  NT_SMTP_NAME: 7,
  NT_ENTERPRISE: 10,
  NT_WELLKNOWN: 11,
  NT_MS_PRINCIPAL: -128,
} as const;
export type NameType = (typeof NameType)[keyof typeof NameType];

const names = reverse(NameType);
/** `NT_PRINCIPAL` for 1; `undefined` for an unknown type. */
export const nameTypeName = (type: number): string | undefined => names.get(type);
