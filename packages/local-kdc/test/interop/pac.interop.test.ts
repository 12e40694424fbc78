/**
 * MIT krb5 1.20 (libkrb5.so.3 through python3 ctypes, test/interop/mit-pac.py) parses our
 * PACs, lists their buffers, verifies the server and KDC signatures (krb5_pac_verify) and
 * the ticket signature on a ticket we issue (krb5_kdc_verify_ticket).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import { type AuthorizationData, EncTicketPart, encode, Ticket } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { buildPacAuthorizationData, findPac, type PacInput } from '../../src/pac/index.js';

const helper = fileURLToPath(new URL('./mit-pac.py', import.meta.url));
const haveMit = existsSync('/usr/lib/x86_64-linux-gnu/libkrb5.so.3') || existsSync('/usr/lib/libkrb5.so.3');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const key = (enctype: number, fill: number): Key => ({
  enctype,
  bytes: new Uint8Array(enctype === 17 || enctype === 19 ? 16 : 32).fill(fill),
});

interface MitResult {
  parse: string;
  types: number[] | string | null;
  verify: string | null;
  verifyTicket: string | null;
}

function mit(req: object): MitResult {
  return JSON.parse(
    execFileSync('python3', [helper], { input: JSON.stringify(req), encoding: 'utf8' }),
  ) as MitResult;
}

const authtime = new Date('2025-03-04T05:06:07Z');
const input: PacInput = {
  samAccountName: 'alice',
  dnsDomainName: 'EXAMPLE.COM',
  netbiosDomainName: 'EXAMPLE',
  domainSid: 'S-1-5-21-11-22-33',
  userRid: 1001,
  groupRids: [512],
  authTime: authtime,
};

describe.skipIf(!haveMit)('MIT libkrb5 checks our PAC', () => {
  for (const enctype of [17, 18, 19, 20]) {
    it(`enctype ${enctype}: parse, types, krb5_pac_verify, krb5_kdc_verify_ticket`, () => {
      const keys = { server: key(enctype, 3), kdc: key(enctype, 4) };
      const fields = (authorizationData: AuthorizationData) =>
        encode(EncTicketPart, {
          flags: 0x40a10000,
          key: { keytype: 18, keyvalue: new Uint8Array(32).fill(9) },
          crealm: 'EXAMPLE.COM',
          cname: { nameType: 1, nameString: ['alice'] },
          transited: { trType: 1, contents: new Uint8Array(0) },
          authtime,
          starttime: authtime,
          endtime: new Date(authtime.getTime() + 36e6),
          authorizationData,
        });
      const el = buildPacAuthorizationData(input, keys, { encodeEncTicketPart: fields });
      const pac = findPac([el]) ?? new Uint8Array();
      const ticket = encode(Ticket, {
        tktVno: 5,
        realm: 'EXAMPLE.COM',
        sname: { nameType: 2, nameString: ['host', 'svc.example.com'] },
        encPart: {
          etype: enctype,
          kvno: 1,
          cipher: encrypt(keys.server, KeyUsage.KDC_REP_TICKET, fields([el])),
        },
      });
      const r = mit({
        pac: hex(pac),
        authtime: authtime.getTime() / 1000,
        client: 'alice@EXAMPLE.COM',
        server: { enctype, key: hex(keys.server.bytes) },
        kdc: { enctype, key: hex(keys.kdc.bytes) },
        ticket: hex(ticket),
        service: 'host/svc.example.com@EXAMPLE.COM',
      });
      expect(r.parse).toBe('ok');
      expect(r.types).toEqual([1, 10, 12, 17, 18, 6, 7, 16, 19]);
      expect(r.verify).toBe('ok');
      expect(r.verifyTicket).toBe('ok');
    });
  }
  it('MIT rejects a PAC signed with another key', () => {
    const keys = { server: key(18, 3), kdc: key(18, 4) };
    const pac = findPac([buildPacAuthorizationData(input, keys)]) ?? new Uint8Array();
    const r = mit({
      pac: hex(pac),
      authtime: authtime.getTime() / 1000,
      client: 'alice@EXAMPLE.COM',
      server: { enctype: 18, key: hex(key(18, 5).bytes) },
      kdc: { enctype: 18, key: hex(keys.kdc.bytes) },
    });
    expect(r.parse).toBe('ok');
    expect(r.verify).not.toBe('ok');
  });
});
