/** In-process fixtures: a service keytab and service tickets built with it (no KDC). */
import type { Credential } from '@postntlm/krb5-client';
import { encrypt, type Key, KeyUsage, randomToKey } from '@postntlm/krb5-crypto';
import {
  EncTicketPart,
  encode,
  type KeytabEntry,
  NameType,
  type Principal,
  parsePrincipal,
  Ticket,
  ticketFlags,
} from '@postntlm/krb5-messages';

export const hex = (s: string): Uint8Array =>
  Uint8Array.from(Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const SERVICE = parsePrincipal('host/server.example@EXAMPLE.TEST');
export const CLIENT = parsePrincipal('alice@EXAMPLE.TEST');

const fill = (n: number, b: number): Uint8Array => new Uint8Array(n).fill(b);

export interface Fixture {
  readonly serviceKey: Key;
  readonly keytab: KeytabEntry[];
  ticket(options?: TicketOptions): Credential;
}

export interface TicketOptions {
  readonly client?: Principal;
  readonly server?: Principal;
  readonly authtime?: number;
  readonly endtime?: number;
  readonly kvno?: number;
  readonly sessionEnctype?: number;
}

let counter = 1;

/** A service with an aes256 key (kvno 3) and tickets for it. */
export function fixture(enctype = 18): Fixture {
  const serviceKey = randomToKey(enctype, fill(enctype === 17 || enctype === 19 ? 16 : 32, 0x42));
  const keytab: KeytabEntry[] = [
    { principal: SERVICE, timestamp: new Date(NOW), kvno: 3, key: { enctype, bytes: serviceKey.bytes } },
  ];
  return {
    serviceKey,
    keytab,
    ticket(options: TicketOptions = {}): Credential {
      const client = options.client ?? CLIENT;
      const server = options.server ?? SERVICE;
      const sessionEnctype = options.sessionEnctype ?? enctype;
      const sessionKey = randomToKey(
        sessionEnctype,
        fill(sessionEnctype === 17 || sessionEnctype === 19 ? 16 : 32, counter++ & 0xff),
      );
      const authtime = new Date(options.authtime ?? NOW - 60_000);
      const endtime = new Date(options.endtime ?? NOW + 36_000_000);
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
        realm: server.realm,
        sname: { nameType: NameType.NT_SRV_INST, nameString: server.name.nameString },
        encPart: {
          etype: enctype,
          kvno: options.kvno ?? 3,
          cipher: encrypt(serviceKey, KeyUsage.KDC_REP_TICKET, enc),
        },
      });
      return {
        client,
        server,
        sessionKey,
        authtime,
        starttime: undefined,
        endtime,
        renewTill: undefined,
        flags: 0,
        ticket,
        ticketEnctype: enctype,
        ticketKvno: options.kvno ?? 3,
        addresses: [],
        kdcTimeOffsetMs: 0,
        keyExpiration: undefined,
        encPartTag: undefined,
      };
    },
  };
}
