/**
 * Acceptance (issue 3, line 2): TGS exchanges against MIT krb5kdc 1.20 with our TGT, for
 * cifs/localhost and sha2svc/localhost (SHA-2 keys only); each ticket's enc-part decrypts
 * (key usage 2) with the key our keytab reader finds in MIT's service.keytab. Also renewal.
 */
import { useMitKdc } from '@postntlm/interop';
import { decrypt, KeyUsage } from '@postntlm/krb5-crypto';
import {
  decode,
  EncTicketPart,
  findKey,
  type KeytabEntry,
  kdcOptionNames,
  NameType,
  RawTicket,
  TgsReq,
  ticketFlagNames,
} from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket, renewCredential } from '../../src/client.js';
import type { Krb5Config } from '../../src/config/index.js';
import type { Credential, KdcExchange, TgsExchange } from '../../src/exchange/index.js';
import { kdcConfig, kdcLogMark, kdcLogSince, keytab } from './helpers.js';

const kdc = useMitKdc();
let config: Krb5Config;
let tgt: Credential;
let serviceKeytab: KeytabEntry[];
beforeAll(async () => {
  config = await kdcConfig(kdc());
  serviceKeytab = await keytab(kdc().files.serviceKeytab);
  tgt = await getInitialCredentials({
    client: 'alice',
    config,
    credentials: { password: kdc().passwords.alice! },
    options: { renewable: true },
  });
});

/** Decrypts a ticket's enc-part with the service key from MIT's service.keytab (usage 2). */
function openTicket(credential: Credential) {
  const ticket = decode(RawTicket, credential.ticket).value;
  const entry = findKey(serviceKeytab, credential.server, { enctype: ticket.encPart.etype });
  expect(entry, `service.keytab has a ${ticket.encPart.etype} key for the server`).toBeDefined();
  expect(entry!.kvno).toBe(ticket.encPart.kvno);
  return decode(EncTicketPart, decrypt(entry!.key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
}

describe('TGS-REQ to MIT with our TGT', () => {
  it.each([
    // service, ticket enctype (the service's first key), session key enctype: MIT picks
    // the session key from our list (aes256-sha1 first) even for a service that has only
    // SHA-2 keys (MIT assumes every service supports AES-SHA1 session keys).
    ['cifs/localhost', 18, 18],
    ['sha2svc/localhost', 20, 18],
  ] as const)(
    '%s: MIT issues the ticket and it opens with the service.keytab key',
    async (service, tktEtype, skEtype) => {
      const k = kdc();
      const exchanges: KdcExchange[] = [];
      const mark = await kdcLogMark(k);
      const ticket = await getServiceTicket({
        tgt,
        server: service,
        config,
        onExchange: (e) => exchanges.push(e),
      });
      const tgs = exchanges[0] as TgsExchange;
      expect(tgs.kdcErrors).toEqual([]);
      expect(tgs.messages).toHaveLength(2);
      const req = decode(TgsReq, tgs.messages[0]!.bytes);
      expect(req.reqBody.value.sname).toEqual({
        nameType: NameType.NT_SRV_HST,
        nameString: service.split('/'),
      });
      // forwardable and renewable because the TGT is, as MIT's kvno asks
      expect(kdcOptionNames(req.reqBody.value.kdcOptions)).toEqual([
        'forwardable',
        'renewable',
        'canonicalize',
      ]);

      const log = await kdcLogSince(k, mark);
      const issue = log.filter((l) => l.includes('TGS_REQ') && l.includes('ISSUE'));
      expect(issue).toHaveLength(1);
      expect(issue[0]).toContain(`alice@MIT.TEST for ${service}@MIT.TEST`);
      expect(issue[0]).toMatch(new RegExp(`tkt=[^,]*\\(${tktEtype}\\)`));

      expect(ticket.server).toMatchObject({ realm: 'MIT.TEST', name: { nameString: service.split('/') } });
      expect(ticket.client).toEqual(tgt.client);
      expect(ticket.ticketEnctype).toBe(tktEtype);
      expect(ticket.sessionKey.enctype).toBe(skEtype);
      expect(ticket.encPartTag).toBe(26);
      // MIT leaves starttime out when it equals the authtime (a TGS-REQ in the same second as
      // the AS exchange), else sends the TGS time: on a loaded machine the second may turn over.
      if (ticket.starttime !== undefined) {
        expect(ticket.starttime.getTime()).toBeGreaterThan(tgt.authtime.getTime());
        expect(ticket.starttime.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
      expect(ticket.authtime).toEqual(tgt.authtime);

      const part = openTicket(ticket);
      expect(part.crealm).toBe('MIT.TEST');
      expect(part.cname.nameString).toEqual(['alice']);
      expect(part.key).toEqual({ keytype: ticket.sessionKey.enctype, keyvalue: ticket.sessionKey.bytes });
      expect(part.endtime).toEqual(ticket.endtime);
      expect(ticketFlagNames(part.flags)).toEqual(expect.arrayContaining(['forwardable', 'preAuthent']));
    },
  );

  it('renews the TGT (RENEW): MIT re-issues it with the same renew-till', async () => {
    const k = kdc();
    // MIT refuses to renew a ticket in its first second (its new start must be later).
    await new Promise((r) => setTimeout(r, 1100));
    const mark = await kdcLogMark(k);
    const renewed = await renewCredential(tgt, { config });
    const log = await kdcLogSince(k, mark);
    expect(
      log.some(
        (l) => l.includes('TGS_REQ') && l.includes('ISSUE') && l.includes('for krbtgt/MIT.TEST@MIT.TEST'),
      ),
    ).toBe(true);
    expect(renewed.server).toEqual(tgt.server);
    expect(renewed.renewTill).toEqual(tgt.renewTill);
    expect(renewed.authtime).toEqual(tgt.authtime);
    expect(renewed.starttime!.getTime()).toBeGreaterThan(tgt.authtime.getTime());
    expect(renewed.sessionKey.bytes).not.toEqual(tgt.sessionKey.bytes);
  });

  it('an unknown service: MIT answers KDC_ERR_S_PRINCIPAL_UNKNOWN', async () => {
    await expect(getServiceTicket({ tgt, server: 'cifs/nowhere.mit.test', config })).rejects.toMatchObject({
      name: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
      code: 7,
      eText: 'LOOKING_UP_SERVER',
    });
  });
});
