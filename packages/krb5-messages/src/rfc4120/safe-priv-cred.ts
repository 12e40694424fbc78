/** RFC 4120 §5.6-5.8: KRB-SAFE, KRB-PRIV, KRB-CRED and their parts. */
import {
  application,
  explicit,
  type Infer,
  integer,
  octetString,
  optional,
  sequenceOf,
} from '@postntlm/der-asn1';
import {
  Checksum,
  EncryptedData,
  EncryptionKey,
  HostAddress,
  HostAddresses,
  KerberosFlags,
  KerberosTime,
  krbSequence,
  Microseconds,
  PrincipalName,
  Realm,
  UInt32,
} from './basic.js';
import { Pvno, RawTicket } from './ticket.js';

/** KRB-SAFE-BODY, §5.6.1. */
export const KrbSafeBody = krbSequence('KRB-SAFE-BODY', {
  userData: explicit(0, octetString()),
  timestamp: optional(explicit(1, KerberosTime)),
  usec: optional(explicit(2, Microseconds)),
  seqNumber: optional(explicit(3, UInt32)),
  sAddress: explicit(4, HostAddress),
  rAddress: optional(explicit(5, HostAddress)),
});

/** KRB-SAFE ::= [APPLICATION 20] SEQUENCE { pvno [0], msg-type [1], safe-body [2], cksum [3] }. */
export const KrbSafe = application(
  20,
  krbSequence('KRB-SAFE', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 20, max: 20 })),
    safeBody: explicit(2, KrbSafeBody),
    cksum: explicit(3, Checksum),
  }),
  'KRB-SAFE',
);
export type KrbSafe = Infer<typeof KrbSafe>;

/** KRB-PRIV ::= [APPLICATION 21] SEQUENCE { pvno [0], msg-type [1], enc-part [3] } (there is no [2]). */
export const KrbPriv = application(
  21,
  krbSequence('KRB-PRIV', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 21, max: 21 })),
    encPart: explicit(3, EncryptedData),
  }),
  'KRB-PRIV',
);
export type KrbPriv = Infer<typeof KrbPriv>;

/** EncKrbPrivPart ::= [APPLICATION 28] SEQUENCE { user-data [0] ... r-address [5] OPTIONAL }, §5.7.1. */
export const EncKrbPrivPart = application(
  28,
  krbSequence('EncKrbPrivPart', {
    userData: explicit(0, octetString()),
    timestamp: optional(explicit(1, KerberosTime)),
    usec: optional(explicit(2, Microseconds)),
    seqNumber: optional(explicit(3, UInt32)),
    sAddress: explicit(4, HostAddress),
    rAddress: optional(explicit(5, HostAddress)),
  }),
  'EncKrbPrivPart',
);

/** KRB-CRED ::= [APPLICATION 22] SEQUENCE { pvno [0], msg-type [1], tickets [2], enc-part [3] }, §5.8.1. */
export const KrbCred = application(
  22,
  krbSequence('KRB-CRED', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 22, max: 22 })),
    tickets: explicit(2, sequenceOf(RawTicket)),
    encPart: explicit(3, EncryptedData),
  }),
  'KRB-CRED',
);
export type KrbCred = Infer<typeof KrbCred>;

/** KrbCredInfo, §5.8.1. */
export const KrbCredInfo = krbSequence('KrbCredInfo', {
  key: explicit(0, EncryptionKey),
  prealm: optional(explicit(1, Realm)),
  pname: optional(explicit(2, PrincipalName)),
  flags: optional(explicit(3, KerberosFlags)),
  authtime: optional(explicit(4, KerberosTime)),
  starttime: optional(explicit(5, KerberosTime)),
  endtime: optional(explicit(6, KerberosTime)),
  renewTill: optional(explicit(7, KerberosTime)),
  srealm: optional(explicit(8, Realm)),
  sname: optional(explicit(9, PrincipalName)),
  caddr: optional(explicit(10, HostAddresses)),
});

/** EncKrbCredPart ::= [APPLICATION 29] SEQUENCE { ticket-info [0] ... r-address [5] OPTIONAL }. */
export const EncKrbCredPart = application(
  29,
  krbSequence('EncKrbCredPart', {
    ticketInfo: explicit(0, sequenceOf(KrbCredInfo)),
    nonce: optional(explicit(1, UInt32)),
    timestamp: optional(explicit(2, KerberosTime)),
    usec: optional(explicit(3, Microseconds)),
    sAddress: optional(explicit(4, HostAddress)),
    rAddress: optional(explicit(5, HostAddress)),
  }),
  'EncKrbCredPart',
);
export type EncKrbCredPart = Infer<typeof EncKrbCredPart>;
