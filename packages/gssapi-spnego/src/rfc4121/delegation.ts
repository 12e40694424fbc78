/**
 * Delegation (RFC 4121 §4.1.1 DlgOpt/Deleg): the initiator forwards a TGT to the acceptor as
 * a KRB-CRED (RFC 4120 §5.8) inside the 0x8003 checksum, its EncKrbCredPart encrypted with
 * key usage 14 under the authenticator subkey (what MIT's krb5_mk_ncred uses once a send
 * subkey exists). The acceptor decrypts with the subkey, and with the ticket session key
 * when that fails (what Windows and older MIT initiators use).
 */
import type { Credential } from '@postntlm/krb5-client';
import { decrypt, encrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import { EncKrbCredPart, ErrorCode, encode, KrbCred, RawTicket } from '@postntlm/krb5-messages';
import { GssKerberosError } from '../errors.js';
import { decodeKrb, keyOf } from './common.js';

/** Builds the KRB-CRED carrying `credential` (a forwarded TGT) under `key`. */
export function encodeDelegation(credential: Credential, key: Key): Uint8Array {
  const info = encode(EncKrbCredPart, {
    ticketInfo: [
      {
        key: { keytype: credential.sessionKey.enctype, keyvalue: credential.sessionKey.bytes },
        prealm: credential.client.realm,
        pname: credential.client.name,
        flags: credential.flags,
        authtime: credential.authtime,
        starttime: credential.starttime,
        endtime: credential.endtime,
        renewTill: credential.renewTill,
        srealm: credential.server.realm,
        sname: credential.server.name,
      },
    ],
  });
  return encode(KrbCred, {
    pvno: 5,
    msgType: 22,
    tickets: [decodeKrb(RawTicket, credential.ticket, 'Ticket')],
    encPart: { etype: key.enctype, cipher: encrypt(key, KeyUsage.KRB_CRED_ENCPART, info) },
  });
}

/**
 * Opens a delegated KRB-CRED: one `Credential` per ticket (the forwarded TGT, usually one).
 * `GssKerberosError` (KRB_AP_ERR_BAD_INTEGRITY) when it decrypts under none of `keys`.
 */
export function decodeDelegation(krbCred: Uint8Array, keys: readonly (Key | undefined)[]): Credential[] {
  const cred = decodeKrb(KrbCred, krbCred, 'KRB-CRED');
  let plain: Uint8Array | undefined;
  for (const key of keys) {
    if (key === undefined || key.enctype !== cred.encPart.etype) continue;
    try {
      plain = decrypt(key, KeyUsage.KRB_CRED_ENCPART, cred.encPart.cipher);
      break;
    } catch {
      // try the next key
    }
  }
  if (plain === undefined)
    throw new GssKerberosError(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, 'the delegated KRB-CRED does not decrypt');
  const part = decodeKrb(EncKrbCredPart, plain, 'EncKrbCredPart');
  if (part.ticketInfo.length !== cred.tickets.length)
    throw new GssKerberosError(
      ErrorCode.KRB_AP_ERR_MODIFIED,
      'KRB-CRED: ticket-info and tickets differ in number',
    );
  return cred.tickets.map((ticket, i): Credential => {
    const info = part.ticketInfo[i]!;
    const t = ticket.value;
    return {
      client: { realm: info.prealm ?? '', name: info.pname ?? { nameType: 0, nameString: [] } },
      server: { realm: info.srealm ?? t.realm, name: info.sname ?? t.sname },
      sessionKey: keyOf(info.key),
      authtime: info.authtime ?? info.starttime ?? new Date(0),
      starttime: info.starttime,
      endtime: info.endtime ?? new Date(0),
      renewTill: info.renewTill,
      flags: info.flags ?? 0,
      ticket: ticket.der!.slice(),
      ticketEnctype: t.encPart.etype,
      ticketKvno: t.encPart.kvno,
      addresses: info.caddr ?? [],
      kdcTimeOffsetMs: 0,
      keyExpiration: undefined,
      encPartTag: undefined,
    };
  });
}
