/** RFC 4120 §5.3: Ticket and EncTicketPart. */
import { application, captured, explicit, type Infer, integer, optional } from '@postntlm/der-asn1';
import {
  AuthorizationData,
  EncryptedData,
  EncryptionKey,
  HostAddresses,
  KerberosFlags,
  KerberosTime,
  krbSequence,
  PrincipalName,
  Realm,
  TransitedEncoding,
} from './basic.js';

/** pvno / tkt-vno / authenticator-vno: INTEGER (5). */
export const Pvno = integer({ min: 5, max: 5 });

/** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] EncryptedData }. */
export const Ticket = application(
  1,
  krbSequence('Ticket', {
    tktVno: explicit(0, Pvno),
    realm: explicit(1, Realm),
    sname: explicit(2, PrincipalName),
    encPart: explicit(3, EncryptedData),
  }),
  'Ticket',
);
export type Ticket = Infer<typeof Ticket>;

/**
 * A Ticket together with its exact DER bytes: clients relay tickets they cannot decrypt,
 * and the bytes must reach the service unchanged (set `der` to write them verbatim).
 */
export const RawTicket = captured(Ticket);
export type RawTicket = Infer<typeof RawTicket>;

/** EncTicketPart ::= [APPLICATION 3] SEQUENCE { flags [0] ... authorization-data [10] OPTIONAL }. */
export const EncTicketPart = application(
  3,
  krbSequence('EncTicketPart', {
    flags: explicit(0, KerberosFlags),
    key: explicit(1, EncryptionKey),
    crealm: explicit(2, Realm),
    cname: explicit(3, PrincipalName),
    transited: explicit(4, TransitedEncoding),
    authtime: explicit(5, KerberosTime),
    starttime: optional(explicit(6, KerberosTime)),
    endtime: explicit(7, KerberosTime),
    renewTill: optional(explicit(8, KerberosTime)),
    caddr: optional(explicit(9, HostAddresses)),
    authorizationData: optional(explicit(10, AuthorizationData)),
  }),
  'EncTicketPart',
);
export type EncTicketPart = Infer<typeof EncTicketPart>;
