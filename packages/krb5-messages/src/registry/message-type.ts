import { reverse } from './lookup.js';

/** RFC 4120 §7.5.7 message types (the [APPLICATION n] tag of each message). */
export const MessageType = {
  AS_REQ: 10,
  AS_REP: 11,
  TGS_REQ: 12,
  TGS_REP: 13,
  AP_REQ: 14,
  AP_REP: 15,
  KRB_SAFE: 20,
  KRB_PRIV: 21,
  KRB_CRED: 22,
  KRB_ERROR: 30,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

const names = reverse(MessageType);
/** `AS_REQ` for 10; `undefined` for an unknown type. */
export const messageTypeName = (type: number): string | undefined => names.get(type);
