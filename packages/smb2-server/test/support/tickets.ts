/**
 * Kerberos without a KDC, for in-process server tests: a cifs service key (its keytab for
 * `createSmbServer`) and service tickets made with it, for any client and end time.
 */
import type { Credential } from '@postntlm/krb5-client';
import { encrypt, KeyUsage, randomToKey } from '@postntlm/krb5-crypto';
import {
  EncTicketPart,
  encode,
  type KeytabEntry,
  NameType,
  parsePrincipal,
  Ticket,
  ticketFlags,
} from '@postntlm/krb5-messages';

export const REALM = 'SMB.TEST';
const SERVICE = parsePrincipal(`cifs/files.test@${REALM}`);
const AES256 = 18;

export interface TicketFixture {
  readonly keytab: KeytabEntry[];
  /** A service ticket for `client` (`alice`), valid from a minute ago until `endtime`. */
  ticket(client?: string, endtime?: Date): Credential;
}

export function ticketFixture(): TicketFixture {
  const serviceKey = randomToKey(AES256, crypto.getRandomValues(new Uint8Array(32)));
  const keytab: KeytabEntry[] = [
    { principal: SERVICE, timestamp: new Date(), kvno: 2, key: { enctype: AES256, bytes: serviceKey.bytes } },
  ];
  return {
    keytab,
    ticket(name = 'alice', endtime = new Date(Date.now() + 3_600_000)): Credential {
      const client = parsePrincipal(`${name}@${REALM}`);
      const sessionKey = randomToKey(AES256, crypto.getRandomValues(new Uint8Array(32)));
      const authtime = new Date(Date.now() - 60_000);
      const enc = encode(EncTicketPart, {
        flags: ticketFlags(['forwardable', 'initial', 'preAuthent']),
        key: { keytype: sessionKey.enctype, keyvalue: sessionKey.bytes },
        crealm: client.realm,
        cname: client.name,
        transited: { trType: 1, contents: new Uint8Array(0) },
        authtime,
        endtime,
      });
      const ticket = encode(Ticket, {
        tktVno: 5,
        realm: SERVICE.realm,
        sname: { nameType: NameType.NT_SRV_INST, nameString: SERVICE.name.nameString },
        encPart: { etype: AES256, kvno: 2, cipher: encrypt(serviceKey, KeyUsage.KDC_REP_TICKET, enc) },
      });
      return {
        client,
        server: SERVICE,
        sessionKey,
        authtime,
        starttime: undefined,
        endtime,
        renewTill: undefined,
        flags: 0,
        ticket,
        ticketEnctype: AES256,
        ticketKvno: 2,
        addresses: [],
        kdcTimeOffsetMs: 0,
        keyExpiration: undefined,
        encPartTag: undefined,
      };
    },
  };
}
