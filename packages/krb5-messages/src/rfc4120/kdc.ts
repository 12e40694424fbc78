/** RFC 4120 §5.4: KDC-REQ, KDC-REP and their encrypted parts. */
import {
  application,
  captured,
  choice,
  explicit,
  type Infer,
  integer,
  mapped,
  optional,
  sequenceOf,
} from '@postntlm/der-asn1';
import {
  EncryptedData,
  EncryptionKey,
  HostAddresses,
  Int32,
  KerberosFlags,
  KerberosTime,
  krbSequence,
  LastReq,
  PaData,
  PrincipalName,
  Realm,
  UInt32,
} from './basic.js';
import { Pvno, RawTicket } from './ticket.js';

/** KDC-REQ-BODY, §5.4.1. */
export const KdcReqBody = krbSequence('KDC-REQ-BODY', {
  kdcOptions: explicit(0, KerberosFlags),
  cname: optional(explicit(1, PrincipalName)),
  realm: explicit(2, Realm),
  sname: optional(explicit(3, PrincipalName)),
  from: optional(explicit(4, KerberosTime)),
  till: explicit(5, KerberosTime),
  rtime: optional(explicit(6, KerberosTime)),
  nonce: explicit(7, UInt32),
  etype: explicit(8, sequenceOf(Int32)),
  addresses: optional(explicit(9, HostAddresses)),
  encAuthorizationData: optional(explicit(10, EncryptedData)),
  additionalTickets: optional(explicit(11, sequenceOf(RawTicket))),
});
export type KdcReqBody = Infer<typeof KdcReqBody>;

const kdcReq = (name: string, msgType: number) =>
  krbSequence(name, {
    pvno: explicit(1, Pvno),
    msgType: explicit(2, integer({ min: msgType, max: msgType })),
    padata: optional(explicit(3, sequenceOf(PaData))),
    // The checksum in PA-TGS-REQ and FAST covers the req-body exactly as sent (§7.2.2).
    reqBody: explicit(4, captured(KdcReqBody)),
  });

/** AS-REQ ::= [APPLICATION 10] KDC-REQ (msg-type 10). */
export const AsReq = application(10, kdcReq('AS-REQ', 10), 'AS-REQ');
/** TGS-REQ ::= [APPLICATION 12] KDC-REQ (msg-type 12). */
export const TgsReq = application(12, kdcReq('TGS-REQ', 12), 'TGS-REQ');
export type KdcReq = Infer<typeof AsReq>;

const kdcRep = (name: string, msgType: number) =>
  krbSequence(name, {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: msgType, max: msgType })),
    padata: optional(explicit(2, sequenceOf(PaData))),
    crealm: explicit(3, Realm),
    cname: explicit(4, PrincipalName),
    ticket: explicit(5, RawTicket),
    encPart: explicit(6, EncryptedData),
  });

/** AS-REP ::= [APPLICATION 11] KDC-REP (msg-type 11). */
export const AsRep = application(11, kdcRep('AS-REP', 11), 'AS-REP');
/** TGS-REP ::= [APPLICATION 13] KDC-REP (msg-type 13). */
export const TgsRep = application(13, kdcRep('TGS-REP', 13), 'TGS-REP');
export type KdcRep = Infer<typeof AsRep>;

/** EncKDCRepPart, §5.4.2 (encrypted-pa-data [12] from RFC 6806 §11). */
export const EncKdcRepPartBody = krbSequence('EncKDCRepPart', {
  key: explicit(0, EncryptionKey),
  lastReq: explicit(1, LastReq),
  nonce: explicit(2, UInt32),
  keyExpiration: optional(explicit(3, KerberosTime)),
  flags: explicit(4, KerberosFlags),
  authtime: explicit(5, KerberosTime),
  starttime: optional(explicit(6, KerberosTime)),
  endtime: explicit(7, KerberosTime),
  renewTill: optional(explicit(8, KerberosTime)),
  srealm: explicit(9, Realm),
  sname: explicit(10, PrincipalName),
  caddr: optional(explicit(11, HostAddresses)),
  encryptedPaData: optional(explicit(12, sequenceOf(PaData))),
});
export type EncKdcRepPart = Infer<typeof EncKdcRepPartBody>;

/** EncASRepPart ::= [APPLICATION 25] EncKDCRepPart. */
export const EncAsRepPart = application(25, EncKdcRepPartBody, 'EncASRepPart');
/** EncTGSRepPart ::= [APPLICATION 26] EncKDCRepPart. */
export const EncTgsRepPart = application(26, EncKdcRepPartBody, 'EncTGSRepPart');

/**
 * The decrypted enc-part of an AS-REP or TGS-REP under either tag: MIT tags its AS-REP
 * enc-part [APPLICATION 26] (EncTGSRepPart), and RFC 4120 §5.4.2 tells clients to accept
 * both. `tag` says which one came.
 */
export const EncKdcRepPart = mapped(choice({ as: EncAsRepPart, tgs: EncTgsRepPart }, 'EncKDCRepPart'), {
  name: 'EncKDCRepPart',
  decode: (wire): EncKdcRepPart & { readonly tag: 25 | 26 } => ({
    ...wire.value,
    tag: wire.type === 'as' ? 25 : 26,
  }),
  encode: (value: EncKdcRepPart & { readonly tag: 25 | 26 }) => {
    const { tag, ...part } = value;
    return tag === 25 ? { type: 'as' as const, value: part } : { type: 'tgs' as const, value: part };
  },
});
