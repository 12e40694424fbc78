import { reverse } from './lookup.js';

/** HostAddress address types, RFC 4120 §7.5.3 (+ RFC 4120 §8.1 directional). */
export const AddressType = {
  IPV4: 2,
  DIRECTIONAL: 3,
  CHAOSNET: 5,
  XNS: 6,
  ISO: 7,
  DECNET_PHASE_IV: 12,
  APPLETALK_DDP: 16,
  NETBIOS: 20,
  IPV6: 24,
} as const;
export type AddressType = (typeof AddressType)[keyof typeof AddressType];

const names = reverse(AddressType);
/** `IPV4` for 2; `undefined` for an unknown type. */
export const addressTypeName = (type: number): string | undefined => names.get(type);
