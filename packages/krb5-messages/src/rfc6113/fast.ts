/** RFC 6113 (FAST) §5.4 and §6.5: armored requests and replies, encrypted challenge. */
import { choice, explicit, type Infer, octetString, optional, sequenceOf } from '@postntlm/der-asn1';
import {
  Checksum,
  EncryptedData,
  EncryptionKey,
  Int32,
  KerberosFlags,
  KerberosTime,
  krbSequence,
  Microseconds,
  PaData,
  PrincipalName,
  Realm,
  UInt32,
} from '../rfc4120/basic.js';
import { KdcReqBody } from '../rfc4120/kdc.js';

/** KrbFastArmor ::= SEQUENCE { armor-type [0] Int32, armor-value [1] OCTET STRING, ... }. */
export const KrbFastArmor = krbSequence('KrbFastArmor', {
  armorType: explicit(0, Int32),
  armorValue: explicit(1, octetString()),
});

/** KrbFastArmoredReq ::= SEQUENCE { armor [0] OPTIONAL, req-checksum [1] Checksum, enc-fast-req [2] EncryptedData, ... }. */
export const KrbFastArmoredReq = krbSequence('KrbFastArmoredReq', {
  armor: optional(explicit(0, KrbFastArmor)),
  reqChecksum: explicit(1, Checksum),
  encFastReq: explicit(2, EncryptedData),
});
export type KrbFastArmoredReq = Infer<typeof KrbFastArmoredReq>;

/** PA-FX-FAST-REQUEST ::= CHOICE { armored-data [0] KrbFastArmoredReq, ... }. */
export const PaFxFastRequest = choice({ armoredData: explicit(0, KrbFastArmoredReq) }, 'PA-FX-FAST-REQUEST');

/** KrbFastReq ::= SEQUENCE { fast-options [0] FastOptions, padata [1] SEQUENCE OF PA-DATA, req-body [2] KDC-REQ-BODY, ... }. */
export const KrbFastReq = krbSequence('KrbFastReq', {
  fastOptions: explicit(0, KerberosFlags),
  padata: explicit(1, sequenceOf(PaData)),
  reqBody: explicit(2, KdcReqBody),
});
export type KrbFastReq = Infer<typeof KrbFastReq>;

/** KrbFastArmoredRep ::= SEQUENCE { enc-fast-rep [0] EncryptedData, ... }. */
export const KrbFastArmoredRep = krbSequence('KrbFastArmoredRep', {
  encFastRep: explicit(0, EncryptedData),
});

/** PA-FX-FAST-REPLY ::= CHOICE { armored-data [0] KrbFastArmoredRep, ... }. */
export const PaFxFastReply = choice({ armoredData: explicit(0, KrbFastArmoredRep) }, 'PA-FX-FAST-REPLY');

/** KrbFastFinished ::= SEQUENCE { timestamp [0], usec [1], crealm [2], cname [3], ticket-checksum [4], ... }. */
export const KrbFastFinished = krbSequence('KrbFastFinished', {
  timestamp: explicit(0, KerberosTime),
  usec: explicit(1, Microseconds),
  crealm: explicit(2, Realm),
  cname: explicit(3, PrincipalName),
  ticketChecksum: explicit(4, Checksum),
});

/** KrbFastResponse ::= SEQUENCE { padata [0], strengthen-key [1] OPTIONAL, finished [2] OPTIONAL, nonce [3] UInt32, ... }. */
export const KrbFastResponse = krbSequence('KrbFastResponse', {
  padata: explicit(0, sequenceOf(PaData)),
  strengthenKey: optional(explicit(1, EncryptionKey)),
  finished: optional(explicit(2, KrbFastFinished)),
  nonce: explicit(3, UInt32),
});
export type KrbFastResponse = Infer<typeof KrbFastResponse>;

/** PA-ENCRYPTED-CHALLENGE ::= EncryptedData (of PA-ENC-TS-ENC), §5.4.6. */
export const PaEncryptedChallenge = EncryptedData;

/** Armor types, RFC 6113 §5.4.1 (FX_FAST_ARMOR_AP_REQUEST: an AP-REQ armor ticket). */
export const FastArmorType = {
  FX_FAST_ARMOR_AP_REQUEST: 1,
} as const;

/** FastOptions bit positions, RFC 6113 §5.4.1 (bits 0-15 critical, 16-31 not). */
export const FastOptionBits = {
  reserved: 0,
  hideClientNames: 1,
  kdcFollowReferrals: 16,
} as const;

export type KrbFastArmor = Infer<typeof KrbFastArmor>;
export type KrbFastArmoredRep = Infer<typeof KrbFastArmoredRep>;
export type KrbFastFinished = Infer<typeof KrbFastFinished>;
export type PaFxFastRequest = Infer<typeof PaFxFastRequest>;
export type PaFxFastReply = Infer<typeof PaFxFastReply>;
