/** Hand-built TGS-REQs, for what our client never sends (no checksum, a wrong one, a tampered ticket). */
import type { Credential } from '@postntlm/krb5-client';
import { encrypt, getEnctype, KeyUsage, makeChecksum } from '@postntlm/krb5-crypto';
import {
  ApReq,
  Authenticator,
  decode,
  encode,
  type KdcReqBody,
  KdcReqBody as KdcReqBodySchema,
  type PaData,
  RawTicket,
  TgsReq,
} from '@postntlm/krb5-messages';

export interface CraftOptions {
  readonly body?: Partial<KdcReqBody>;
  readonly checksum?: 'good' | 'none' | 'wrong' | 'unkeyed';
  readonly ctimeMs?: number;
  readonly tamperTicket?: boolean;
  readonly subkey?: boolean;
  readonly padata?: PaData[];
  /** Replace fields of the header ticket (not its encrypted part). */
  readonly ticket?: { realm?: string; kvno?: number };
  /** Client name in the authenticator. */
  readonly authCname?: string;
}

export function craftTgsReq(tgt: Credential, nowMs: number, options: CraftOptions = {}): Uint8Array {
  const body: KdcReqBody = {
    kdcOptions: 0,
    realm: tgt.server.realm,
    sname: { nameType: 3, nameString: ['cifs', 'host.test'] },
    till: new Date(Math.floor(nowMs / 1000) * 1000 + 3600_000),
    nonce: 12345,
    etype: [18, 17, 20, 19],
    ...options.body,
  };
  const bodyDer = encode(KdcReqBodySchema, body);
  const session = tgt.sessionKey;
  const ctime = options.ctimeMs ?? nowMs;
  const mode = options.checksum ?? 'good';
  const cksum =
    mode === 'none'
      ? undefined
      : mode === 'unkeyed'
        ? { cksumtype: 7, checksum: makeChecksum(null, KeyUsage.TGS_REQ_AUTH_CKSUM, bodyDer, 7) }
        : {
            cksumtype: getEnctype(session.enctype).checksumType,
            checksum: makeChecksum(
              session,
              KeyUsage.TGS_REQ_AUTH_CKSUM,
              mode === 'wrong' ? bodyDer.subarray(1) : bodyDer,
            ),
          };
  const auth = encode(Authenticator, {
    authenticatorVno: 5,
    crealm: tgt.client.realm,
    cname:
      options.authCname === undefined ? tgt.client.name : { nameType: 1, nameString: [options.authCname] },
    ...(cksum === undefined ? {} : { cksum }),
    cusec: (ctime % 1000) * 1000,
    ctime: new Date(Math.floor(ctime / 1000) * 1000),
    ...(options.subkey === true
      ? { subkey: { keytype: session.enctype, keyvalue: new Uint8Array(session.bytes.length).fill(7) } }
      : {}),
  });
  const ticket = decode(RawTicket, tgt.ticket);
  let raw = ticket;
  if (options.tamperTicket === true) {
    const cipher = ticket.value.encPart.cipher.slice();
    cipher[cipher.length - 1] = (cipher[cipher.length - 1] ?? 0) ^ 1;
    raw = { value: { ...ticket.value, encPart: { ...ticket.value.encPart, cipher } } };
  }
  if (options.ticket !== undefined) {
    const v = raw.value;
    raw = {
      value: {
        ...v,
        realm: options.ticket.realm ?? v.realm,
        encPart: { ...v.encPart, kvno: options.ticket.kvno ?? v.encPart.kvno },
      },
    };
  }
  const ap = encode(ApReq, {
    pvno: 5,
    msgType: 14,
    apOptions: 0,
    ticket: raw,
    authenticator: { etype: session.enctype, cipher: encrypt(session, KeyUsage.TGS_REQ_AUTH, auth) },
  });
  return encode(TgsReq, {
    pvno: 5,
    msgType: 12,
    padata: options.padata ?? [{ padataType: 1, padataValue: ap }],
    reqBody: { value: body, der: bodyDer },
  });
}
