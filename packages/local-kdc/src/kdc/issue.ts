/** Building tickets and KDC-REP messages (RFC 4120 §5.3, §5.4.2) and KRB-ERRORs (§5.9.1). */
import type { Key } from '@postntlm/krb5-crypto';
import { encrypt, KeyUsage } from '@postntlm/krb5-crypto';
import {
  AsRep,
  type AuthorizationData,
  EncKdcRepPart,
  EncTicketPart,
  encode,
  type HostAddress,
  KrbError,
  NameType,
  type PaData,
  type PrincipalName,
  TgsRep,
} from '@postntlm/krb5-messages';
import { buildPacAuthorizationData } from '../pac/build.js';
import type { PrincipalKey } from '../store/principal-store.js';
import type { FailureFields } from './failure.js';
import { type TicketPac, withoutPac } from './pac-issue.js';

/** Whole seconds (KerberosTime has no fraction). */
export const seconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

export interface TicketContents {
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly serverKey: PrincipalKey;
  readonly flags: number;
  readonly sessionKey: Key;
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly authtime: Date;
  readonly starttime: Date;
  readonly endtime: Date;
  readonly renewTill?: Date | undefined;
  readonly caddr?: HostAddress[] | undefined;
  readonly authorizationData?: AuthorizationData | undefined;
  /** Put a (fresh) PAC first in the authorization data; any PAC in `authorizationData` is dropped. */
  readonly pac?: TicketPac | undefined;
}

export interface ReplyContents extends TicketContents {
  readonly kind: 'as' | 'tgs';
  readonly encPartTag: 25 | 26;
  readonly nonce: number;
  readonly replyKey: Key;
  /** kvno of the reply key (AS: the client's long-term key); omitted for session keys and subkeys. */
  readonly replyKvno?: number | undefined;
  readonly replyUsage: number;
  readonly padata?: PaData[] | undefined;
  /** Client name in the KDC-REP (may differ from the ticket's when canonicalizing). */
  readonly repCname: PrincipalName;
}

/**
 * Encrypts the EncTicketPart under the server key (key usage 2) and returns the Ticket
 * value, which the KDC-REP encodes in place (no separate DER copy of the ticket).
 */
function makeTicket(t: TicketContents) {
  const encode1 = (authorizationData: AuthorizationData) =>
    encode(EncTicketPart, {
      flags: t.flags >>> 0,
      key: { keytype: t.sessionKey.enctype, keyvalue: t.sessionKey.bytes },
      crealm: t.crealm,
      cname: t.cname,
      transited: { trType: 1, contents: new Uint8Array(0) },
      authtime: t.authtime,
      starttime: t.starttime,
      endtime: t.endtime,
      ...(t.renewTill === undefined ? {} : { renewTill: t.renewTill }),
      ...(t.caddr === undefined || t.caddr.length === 0 ? {} : { caddr: t.caddr }),
      ...(authorizationData.length === 0 ? {} : { authorizationData }),
    });
  let encTicket: Uint8Array;
  if (t.pac === undefined) encTicket = encode1(t.authorizationData ?? []);
  else {
    // MS-PAC §2.8: the ticket signature covers this very EncTicketPart, so the PAC is signed
    // against the encoder that then produces the ticket.
    const rest = withoutPac(t.authorizationData);
    const pac = buildPacAuthorizationData(
      t.pac.input,
      t.pac.keys,
      t.pac.service ? { encodeEncTicketPart: encode1, otherAuthorizationData: rest } : undefined,
    );
    encTicket = encode1([pac, ...rest]);
  }
  const value = {
    tktVno: 5,
    realm: t.realm,
    sname: t.sname,
    encPart: {
      etype: t.serverKey.key.enctype,
      kvno: t.serverKey.kvno,
      cipher: encrypt(t.serverKey.key, KeyUsage.KDC_REP_TICKET, encTicket),
    },
  };
  encTicket.fill(0); // it holds the session key
  return { value };
}

/** An encoded AS-REP or TGS-REP and what it issued (for the audit log). */
export interface IssuedReply {
  readonly reply: Uint8Array;
  readonly issued: ReplyContents;
}

/** An AS-REP or TGS-REP with a fresh ticket. */
export function makeReply(r: ReplyContents): IssuedReply {
  return { reply: encodeReply(r), issued: r };
}

function encodeReply(r: ReplyContents): Uint8Array {
  const ticket = makeTicket(r);
  const part = encode(EncKdcRepPart, {
    tag: r.encPartTag,
    key: { keytype: r.sessionKey.enctype, keyvalue: r.sessionKey.bytes },
    lastReq: [{ lrType: 0, lrValue: r.authtime }],
    nonce: r.nonce,
    flags: r.flags >>> 0,
    authtime: r.authtime,
    starttime: r.starttime,
    endtime: r.endtime,
    ...(r.renewTill === undefined ? {} : { renewTill: r.renewTill }),
    srealm: r.realm,
    sname: r.sname,
    ...(r.caddr === undefined || r.caddr.length === 0 ? {} : { caddr: r.caddr }),
  });
  const rep = {
    pvno: 5,
    msgType: r.kind === 'as' ? 11 : 13,
    ...(r.padata === undefined ? {} : { padata: r.padata }),
    crealm: r.crealm,
    cname: r.repCname,
    ticket,
    encPart: {
      etype: r.replyKey.enctype,
      ...(r.replyKvno === undefined ? {} : { kvno: r.replyKvno }),
      cipher: encrypt(r.replyKey, r.replyUsage, part),
    },
  };
  part.fill(0); // it holds the session key
  return r.kind === 'as' ? encode(AsRep, rep) : encode(TgsRep, rep);
}

/** A KRB-ERROR with the fields MIT's clients print from: stime/susec, realm, sname, crealm/cname, e-text, e-data. */
export function makeError(
  nowMs: number,
  realm: string,
  code: number,
  sname: PrincipalName | undefined,
  fields: FailureFields,
): Uint8Array {
  const stime = seconds(nowMs);
  return encode(KrbError, {
    pvno: 5,
    msgType: 30,
    stime,
    susec: Math.max(0, Math.min(999999, Math.floor((nowMs - stime.getTime()) * 1000))),
    errorCode: code,
    ...(fields.cname === undefined ? {} : { crealm: fields.crealm ?? realm, cname: fields.cname }),
    realm,
    sname: sname ?? { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', realm] },
    ...(fields.eText === undefined ? {} : { eText: fields.eText }),
    ...(fields.eData === undefined ? {} : { eData: fields.eData }),
  });
}
