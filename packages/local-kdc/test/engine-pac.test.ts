/** The PAC in issued tickets (policy issuePac): present, signed and checked where MS-PAC says; absent where it must be. */
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  fixedClock,
  KerberosError,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { decrypt, encrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import { decode, EncTicketPart, ErrorCode, encode, RawTicket, Ticket } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { createKdc, MemoryPrincipalStore } from '../src/index.js';
import { findPac, parsePac, signPacAuthorizationData, verifyTicketPac } from '../src/pac/index.js';
import { rejection, sender, T0 } from './helpers.js';

const REALM = 'PACREALM.TEST';
const clock = fixedClock(T0);

async function realm(issuePac: boolean) {
  const random = seededRandom(11);
  const store = new MemoryPrincipalStore(REALM, { domainSid: 'S-1-5-21-1-2-3' });
  await store.addPrincipal(`krbtgt/${REALM}`, { randomKey: true, random: (n) => random.bytes(n) });
  await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
  await store.addPrincipal('host/files.test', { randomKey: true, random: (n) => random.bytes(n) });
  await store.addPrincipal('cifs/files.test', {
    randomKey: true,
    random: (n) => random.bytes(n),
    attributes: { noAuthDataRequired: true },
  });
  const kdc = createKdc({ realm: REALM, store, clock, random: seededRandom(5), policy: { issuePac } });
  const key = async (name: string): Promise<Key> => {
    const entry = await store.get({ realm: REALM, name: { nameType: 1, nameString: name.split('/') } });
    const k = entry?.keys.find((x) => x.key.enctype === 20);
    if (k === undefined) throw new Error(`no key for ${name}`);
    return k.key;
  };
  return { store, kdc, key };
}

function part(credential: Credential, key: Key): Uint8Array {
  const ticket = decode(RawTicket, credential.ticket).value;
  return decrypt(key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher);
}

async function tgtOf(kdc: ReturnType<typeof createKdc>, requestPac?: boolean): Promise<Credential> {
  return runExchange(
    createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: 'alice-Passw0rd' },
      clock,
      random: seededRandom(1),
      options: { renewable: true, ...(requestPac === undefined ? {} : { requestPac }) },
    }),
    sender(kdc),
  );
}

describe('PAC issuing', () => {
  it('is off by default: no authorization data at all', async () => {
    const { kdc, key } = await realm(false);
    const tgt = await tgtOf(kdc);
    expect(decode(EncTicketPart, part(tgt, await key(`krbtgt/${REALM}`))).authorizationData).toBeUndefined();
  });

  it('puts a signed PAC in the TGT and a PAC with ticket signatures in service tickets', async () => {
    const { kdc, key, store } = await realm(true);
    const krbtgt = await key(`krbtgt/${REALM}`);
    const tgt = await tgtOf(kdc);
    const tgtPac = verifyTicketPac(part(tgt, krbtgt), {
      server: krbtgt,
      kdc: krbtgt,
      client: { name: 'alice', authtime: tgt.authtime },
    });
    const alice = await store.get({ realm: REALM, name: { nameType: 1, nameString: ['alice'] } });
    expect(tgtPac.logonInfo?.userId).toBe(alice?.attributes.rid);
    expect(tgtPac.logonInfo?.effectiveName).toBe('alice');

    const service = await runExchange(
      createTgsExchange({ tgt, server: `host/files.test@${REALM}`, clock, random: seededRandom(2) }),
      sender(kdc),
    );
    const host = await key('host/files.test');
    const pac = verifyTicketPac(part(service, host), {
      server: host,
      kdc: krbtgt,
      requireTicketSignatures: true,
      client: { name: 'alice', authtime: tgt.authtime },
    });
    expect(pac.logonInfo?.logonDomainId).toBeDefined();
  });

  it('leaves the PAC out for noAuthDataRequired servers and when the client declines it', async () => {
    const { kdc, key } = await realm(true);
    const tgt = await tgtOf(kdc);
    const cifs = await runExchange(
      createTgsExchange({ tgt, server: `cifs/files.test@${REALM}`, clock, random: seededRandom(3) }),
      sender(kdc),
    );
    expect(decode(EncTicketPart, part(cifs, await key('cifs/files.test'))).authorizationData).toBeUndefined();
    const declined = await tgtOf(kdc, false);
    expect(
      findPac(decode(EncTicketPart, part(declined, await key(`krbtgt/${REALM}`))).authorizationData),
    ).toBe(undefined);
  });

  it('re-signs the PAC of a renewed TGT', async () => {
    const { kdc, key } = await realm(true);
    const krbtgt = await key(`krbtgt/${REALM}`);
    const tgt = await tgtOf(kdc);
    const renewed = await runExchange(
      createTgsExchange({
        tgt,
        options: { renew: true },
        clock: fixedClock(T0 + 3_600_000),
        random: seededRandom(4),
      }),
      sender(kdc),
    );
    const bytes = findPac(decode(EncTicketPart, part(renewed, krbtgt)).authorizationData);
    expect(bytes).toBeDefined();
    verifyTicketPac(part(renewed, krbtgt), { server: krbtgt, kdc: krbtgt });
    expect(parsePac(bytes as Uint8Array).logonInfo?.effectiveName).toBe('alice');
  });

  it('refuses a TGT whose PAC another key signed (KRB_AP_ERR_MODIFIED)', async () => {
    const { kdc, key } = await realm(true);
    const krbtgt = await key(`krbtgt/${REALM}`);
    const tgt = await tgtOf(kdc);
    // Re-sign the TGT's PAC under a key the KDC does not have, and seal the ticket again
    // under the real krbtgt key: everything decrypts, only the PAC signatures are wrong.
    const enc = decode(EncTicketPart, part(tgt, krbtgt));
    const pac = parsePac(findPac(enc.authorizationData) as Uint8Array);
    const wrong: Key = { enctype: 20, bytes: new Uint8Array(32).fill(7) };
    const forgedPart = encode(EncTicketPart, {
      ...enc,
      authorizationData: [signPacAuthorizationData(pac.buffers, { server: wrong, kdc: wrong })],
    });
    const ticket = decode(RawTicket, tgt.ticket).value;
    const forged = encode(Ticket, {
      ...ticket,
      encPart: { ...ticket.encPart, cipher: encrypt(krbtgt, KeyUsage.KDC_REP_TICKET, forgedPart) },
    });
    const e = await rejection(
      runExchange(
        createTgsExchange({
          tgt: { ...tgt, ticket: forged },
          server: `host/files.test@${REALM}`,
          clock,
          random: seededRandom(6),
        }),
        sender(kdc),
      ),
    );
    expect(e).toBeInstanceOf(KerberosError);
    expect((e as KerberosError).code).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
  });
});
