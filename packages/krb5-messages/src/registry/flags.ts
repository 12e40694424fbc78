import { flagNames, flagsFromNames } from '@postntlm/der-asn1';

/** KDCOptions bit positions, RFC 4120 §5.4.1 (+ RFC 6806 canonicalize, MS-SFU cname-in-addl-tkt). */
export const KdcOptionBits = {
  reserved: 0,
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  allowPostdate: 5,
  postdated: 6,
  unused7: 7,
  renewable: 8,
  unused9: 9,
  unused10: 10,
  optHardwareAuth: 11,
  unused12: 12,
  unused13: 13,
  cnameInAddlTkt: 14,
  canonicalize: 15,
  requestAnonymous: 16,
  disableTransitedCheck: 26,
  renewableOk: 27,
  encTktInSkey: 28,
  renew: 30,
  validate: 31,
} as const;
export type KdcOptionName = keyof typeof KdcOptionBits;

/**
 * TicketFlags bit positions, RFC 4120 §5.3 (+ RFC 6113 enc-pa-rep(15), RFC 6112 anonymous(16):
 * drafts of RFC 6112 used bit 14, which Microsoft uses for S4U2Proxy; MIT's TKT_FLG_ANONYMOUS
 * is 0x00008000, i.e. bit 16).
 */
export const TicketFlagBits = {
  reserved: 0,
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  mayPostdate: 5,
  postdated: 6,
  invalid: 7,
  renewable: 8,
  initial: 9,
  preAuthent: 10,
  hwAuthent: 11,
  transitedPolicyChecked: 12,
  okAsDelegate: 13,
  encPaRep: 15,
  anonymous: 16,
} as const;
export type TicketFlagName = keyof typeof TicketFlagBits;

/**
 * APOptions bit positions, RFC 4120 §5.5.1. (MIT's AP_OPTS_CBT_FLAG, AP_OPTS_ETYPE_NEGOTIATION and
 * AP_OPTS_USE_SUBKEY are library-internal bits, masked off before the AP-REQ is encoded; MS-KILE's
 * channel-binding flag travels in AD-AUTH-DATA-AP-OPTIONS, not here.)
 */
export const ApOptionBits = {
  reserved: 0,
  useSessionKey: 1,
  mutualRequired: 2,
} as const;
export type ApOptionName = keyof typeof ApOptionBits;

/** Names of the set KDCOptions bits of a flags number. */
export const kdcOptionNames = (flags: number): KdcOptionName[] => flagNames(flags, KdcOptionBits);
export const kdcOptions = (names: Iterable<KdcOptionName>): number => flagsFromNames(names, KdcOptionBits);
export const ticketFlagNames = (flags: number): TicketFlagName[] => flagNames(flags, TicketFlagBits);
export const ticketFlags = (names: Iterable<TicketFlagName>): number => flagsFromNames(names, TicketFlagBits);
export const apOptionNames = (flags: number): ApOptionName[] => flagNames(flags, ApOptionBits);
export const apOptions = (names: Iterable<ApOptionName>): number => flagsFromNames(names, ApOptionBits);
