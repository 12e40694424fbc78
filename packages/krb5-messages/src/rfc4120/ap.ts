/** RFC 4120 §5.5: AP-REQ, Authenticator, AP-REP, EncAPRepPart. */
import { application, explicit, type Infer, integer, optional } from '@postntlm/der-asn1';
import {
  AuthorizationData,
  Checksum,
  EncryptedData,
  EncryptionKey,
  KerberosFlags,
  KerberosTime,
  krbSequence,
  Microseconds,
  PrincipalName,
  Realm,
  UInt32,
} from './basic.js';
import { Pvno, RawTicket } from './ticket.js';

/** AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4] }. */
export const ApReq = application(
  14,
  krbSequence('AP-REQ', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 14, max: 14 })),
    apOptions: explicit(2, KerberosFlags),
    ticket: explicit(3, RawTicket),
    authenticator: explicit(4, EncryptedData),
  }),
  'AP-REQ',
);
export type ApReq = Infer<typeof ApReq>;

/** Authenticator ::= [APPLICATION 2] SEQUENCE { authenticator-vno [0] ... authorization-data [8] OPTIONAL }. */
export const Authenticator = application(
  2,
  krbSequence('Authenticator', {
    authenticatorVno: explicit(0, Pvno),
    crealm: explicit(1, Realm),
    cname: explicit(2, PrincipalName),
    cksum: optional(explicit(3, Checksum)),
    cusec: explicit(4, Microseconds),
    ctime: explicit(5, KerberosTime),
    subkey: optional(explicit(6, EncryptionKey)),
    seqNumber: optional(explicit(7, UInt32)),
    authorizationData: optional(explicit(8, AuthorizationData)),
  }),
  'Authenticator',
);
export type Authenticator = Infer<typeof Authenticator>;

/** AP-REP ::= [APPLICATION 15] SEQUENCE { pvno [0], msg-type [1], enc-part [2] EncryptedData }. */
export const ApRep = application(
  15,
  krbSequence('AP-REP', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 15, max: 15 })),
    encPart: explicit(2, EncryptedData),
  }),
  'AP-REP',
);
export type ApRep = Infer<typeof ApRep>;

/** EncAPRepPart ::= [APPLICATION 27] SEQUENCE { ctime [0], cusec [1], subkey [2] OPTIONAL, seq-number [3] OPTIONAL }. */
export const EncApRepPart = application(
  27,
  krbSequence('EncAPRepPart', {
    ctime: explicit(0, KerberosTime),
    cusec: explicit(1, Microseconds),
    subkey: optional(explicit(2, EncryptionKey)),
    seqNumber: optional(explicit(3, UInt32)),
  }),
  'EncAPRepPart',
);
export type EncApRepPart = Infer<typeof EncApRepPart>;
