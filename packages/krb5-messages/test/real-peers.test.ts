/**
 * Real-peer vectors: the Kerberos messages inside MIT krb5 1.20's IAKerb tokens
 * (gss-client -iakerb <-> gss-server -iakerb, test/vectors/mit-iakerb-tokens) and the
 * server tokens of a Windows IAKerb acceptor (test/vectors/windows-29617-exchange.json).
 * Every message decodes and re-encodes byte for byte; the MIT chain is then decrypted with
 * keys from the published passwords (alice, krbtgt, host) to check every encrypted part.
 */
import { createHash } from 'node:crypto';
import { decode, encode } from '@postntlm/der-asn1';
import { cf2, decrypt, type Key, randomToKey, stringToKey, verifyChecksum } from '@postntlm/krb5-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as M from '../src/index.js';
import { hex, readHexVector, splitIakerbProxy, splitToken, toHex, utf8 } from './helpers.js';
import windows from './vectors/windows-29617-exchange.json' with { type: 'json' };

const IAKERB_OID = '2b0601050205';
const KRB5_OID = '2a864886f712010202';

// --- MIT 1.20 --------------------------------------------------------------------------------
const mitFiles = {
  asReq1: '02-initiator-context.hex',
  preauthRequired: '03-acceptor-context.hex',
  asReq2: '04-initiator-context.hex',
  asRep: '05-acceptor-context.hex',
  tgsReq: '06-initiator-context.hex',
  tgsRep: '07-acceptor-context.hex',
  apReq: '08-initiator-context.hex',
  apRep: '09-acceptor-context.hex',
} as const;
type MitName = keyof typeof mitFiles;

const expectedType: Record<MitName, M.MessageType> = {
  asReq1: M.MessageType.AS_REQ,
  preauthRequired: M.MessageType.KRB_ERROR,
  asReq2: M.MessageType.AS_REQ,
  asRep: M.MessageType.AS_REP,
  tgsReq: M.MessageType.TGS_REQ,
  tgsRep: M.MessageType.TGS_REP,
  apReq: M.MessageType.AP_REQ,
  apRep: M.MessageType.AP_REP,
};

/** The Kerberos message bytes of a captured token, checking the GSS / IAKerb framing around them. */
function mitMessage(name: MitName): Uint8Array {
  const token = splitToken(readHexVector(`mit-iakerb-tokens/${mitFiles[name]}`));
  if (name === 'apReq' || name === 'apRep') {
    // RFC 4121 §4.1 KRB_AP_REQ (01 00) / KRB_AP_REP (02 00) under the IAKerb mech OID.
    expect(token.oid && toHex(token.oid)).toBe(IAKERB_OID);
    expect(token.tokId).toBe(name === 'apReq' ? 0x0100 : 0x0200);
    return token.body;
  }
  expect(token.tokId).toBe(0x0501); // IAKERB_PROXY
  expect(token.oid === undefined ? undefined : toHex(token.oid)).toBe(
    name === 'asReq1' ? IAKERB_OID : undefined,
  );
  const { header, headerDer, message } = splitIakerbProxy(token.body);
  // MIT <= 1.21 sends the realm as an OCTET STRING and no cookie.
  expect(header).toEqual({ targetRealm: 'MIT.TEST', realmEncoding: 'octet-string' });
  expect(toHex(encode(M.IakerbHeader, header))).toBe(toHex(headerDer));
  return message;
}

type MessageValue<T> = Extract<M.KerberosMessage, { msgType: T }>['value'];

function decodeAs<T extends M.KerberosMessage['msgType']>(bytes: Uint8Array, type: T): MessageValue<T> {
  const message = M.decodeMessage(bytes);
  expect(message.msgType).toBe(type);
  return message.value as unknown as MessageValue<T>;
}

/** MIT's KRB5_TRACE key digest: the first two bytes of the key's SHA-1 (src/lib/krb5/os/trace.c). */
const traceHash = (key: Uint8Array): string => createHash('sha1').update(key).digest('hex').slice(0, 4);

const principal = (...names: string[]) => expect.objectContaining({ nameString: names });

describe('MIT krb5 1.20 IAKerb exchange', () => {
  it.each(Object.keys(mitFiles) as MitName[])('%s decodes and re-encodes byte for byte', (name) => {
    const bytes = mitMessage(name);
    expect(M.peekMessageType(bytes)).toBe(expectedType[name]);
    const message = M.decodeMessage(bytes);
    expect(message.msgType).toBe(expectedType[name]);
    expect(toHex(M.encodeMessage(message))).toBe(toHex(bytes));
  });

  it('reads the fields of each message', () => {
    const asReq1 = decodeAs(mitMessage('asReq1'), 10);
    // MIT 1.20 asks for a freshness token (RFC 8070) and encrypted padata (RFC 6806 §11).
    expect(asReq1.padata).toEqual([
      { padataType: M.PaDataType.PA_AS_FRESHNESS, padataValue: new Uint8Array() },
      { padataType: M.PaDataType.PA_REQ_ENC_PA_REP, padataValue: new Uint8Array() },
    ]);
    expect(asReq1.reqBody.value).toMatchObject({
      realm: 'MIT.TEST',
      cname: { nameType: 1, nameString: ['alice'] },
      sname: { nameType: 2, nameString: ['krbtgt', 'MIT.TEST'] },
      etype: [18, 17, 20, 19],
    });
    expect(M.kdcOptionNames(asReq1.reqBody.value.kdcOptions)).toEqual(['forwardable', 'renewableOk']);

    const error = decodeAs(mitMessage('preauthRequired'), 30);
    expect(error.errorCode).toBe(M.ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    expect(M.describeErrorCode(error.errorCode)).toBe(
      'KDC_ERR_PREAUTH_REQUIRED (25): Additional pre-authentication required',
    );
    expect(error.sname).toEqual({ nameType: 2, nameString: ['krbtgt', 'MIT.TEST'] });
    const eData = M.decodeErrorData(error.eData!);
    expect(eData.kind).toBe('method-data');
    if (eData.kind !== 'method-data') return;
    // MIT 1.20 offers FAST, ETYPE-INFO2, ENC-TIMESTAMP and a cookie (trace: "136, 19, 2, 133").
    expect(eData.value.map((p) => M.paDataTypeName(p.padataType))).toEqual([
      'PA_FX_FAST',
      'PA_ETYPE_INFO2',
      'PA_ENC_TIMESTAMP',
      'PA_FX_COOKIE',
    ]);
    const etypeInfo = decode(M.EtypeInfo2, eData.value[1]!.padataValue);
    expect(etypeInfo[0]).toEqual({ etype: 18, salt: 'MIT.TESTalice' });
    expect(eData.value[3]!.padataValue).toEqual(utf8('MIT'));

    const asReq2 = decodeAs(mitMessage('asReq2'), 10);
    expect(asReq2.padata?.map((p) => M.paDataTypeName(p.padataType))).toEqual([
      'PA_FX_COOKIE',
      'PA_ENC_TIMESTAMP',
      'PA_AS_FRESHNESS',
      'PA_REQ_ENC_PA_REP',
    ]);
    expect(asReq2.padata?.[0]?.padataValue).toEqual(utf8('MIT'));

    const asRep = decodeAs(mitMessage('asRep'), 11);
    expect(asRep).toMatchObject({ crealm: 'MIT.TEST', cname: principal('alice'), encPart: { etype: 18 } });
    expect(asRep.ticket.value).toMatchObject({ realm: 'MIT.TEST', sname: principal('krbtgt', 'MIT.TEST') });

    const tgsRep = decodeAs(mitMessage('tgsRep'), 13);
    expect(tgsRep.ticket.value.sname).toEqual({ nameType: 3, nameString: ['host', 'localhost'] });
  });

  describe('decrypted with the keys of passwords.txt', () => {
    let alice: Key;
    let krbtgt: Key;
    let host: Key;
    beforeAll(async () => {
      alice = await stringToKey(18, 'alice-Passw0rd', 'MIT.TESTalice');
      krbtgt = await stringToKey(18, 'krbtgt-Passw0rd', 'MIT.TESTkrbtgtMIT.TEST');
      host = await stringToKey(18, 'host-Passw0rd', 'MIT.TESThostlocalhost');
    });

    it('walks AS, TGS and AP from one key to the next', () => {
      // AS-REQ PA-ENC-TIMESTAMP (usage 1): the plaintext is in client-iakerb.trace.
      const asReq2 = decodeAs(mitMessage('asReq2'), 10);
      const encTs = decode(M.EncryptedData, asReq2.padata![1]!.padataValue);
      const tsPlain = decrypt(alice, 1, encTs.cipher);
      expect(toHex(tsPlain)).toBe('301aa011180f32303236313132313233343731345aa105020303fb41');
      expect(decode(M.PaEncTsEnc, tsPlain)).toEqual({
        patimestamp: new Date('2026-11-21T23:47:14Z'),
        pausec: 260929,
      });

      // AS-REP enc-part (usage 3): MIT tags it [APPLICATION 26], omits starttime.
      const asRep = decodeAs(mitMessage('asRep'), 11);
      const asPlain = decrypt(alice, 3, asRep.encPart.cipher);
      expect(asPlain[0]).toBe(0x7a);
      const asPart = decode(M.EncKdcRepPart, asPlain);
      expect(asPart.tag).toBe(26);
      expect(asPart.starttime).toBeUndefined();
      expect(asPart.nonce).toBe(asReq2.reqBody.value.nonce);
      expect(asPart).toMatchObject({ srealm: 'MIT.TEST', sname: principal('krbtgt', 'MIT.TEST') });
      expect(M.ticketFlagNames(asPart.flags)).toEqual(
        expect.arrayContaining(['forwardable', 'initial', 'preAuthent']),
      );
      expect(toHex(encode(M.EncKdcRepPart, asPart))).toBe(toHex(asPlain));
      const tgtSessionKey = randomToKey(asPart.key.keytype, asPart.key.keyvalue);
      expect(traceHash(asPart.key.keyvalue)).toBe('2b14'); // trace: "session key is: aes256-cts/2B14"

      // The TGT (usage 2, krbtgt key) holds the same session key.
      const tgt = decode(M.EncTicketPart, decrypt(krbtgt, 2, asRep.ticket.value.encPart.cipher));
      expect(tgt.key).toEqual(asPart.key);
      expect(tgt).toMatchObject({ crealm: 'MIT.TEST', cname: principal('alice') });

      // TGS-REQ: the AP-REQ in PA-TGS-REQ relays the TGT byte for byte; its authenticator
      // (usage 7) checksums the req-body exactly as sent (usage 6).
      const tgsReq = decodeAs(mitMessage('tgsReq'), 12);
      const paTgsReq = tgsReq.padata!.find((p) => p.padataType === M.PaDataType.PA_TGS_REQ)!;
      const apReqInTgs = decode(M.ApReq, paTgsReq.padataValue);
      expect(toHex(apReqInTgs.ticket.der!)).toBe(toHex(asRep.ticket.der!));
      const tgsAuth = decode(M.Authenticator, decrypt(tgtSessionKey, 7, apReqInTgs.authenticator.cipher));
      expect(tgsAuth).toMatchObject({ crealm: 'MIT.TEST', cname: principal('alice') });
      expect(
        verifyChecksum(
          tgtSessionKey,
          6,
          tgsReq.reqBody.der!,
          tgsAuth.cksum!.checksum,
          tgsAuth.cksum!.cksumtype,
        ),
      ).toBe(true);
      expect(tgsReq.reqBody.value.sname).toEqual({ nameType: 3, nameString: ['host', 'localhost'] });

      // MIT armors the TGS exchange with FAST (RFC 6113 §5.4.1.1 implicit TGS armor): armor key
      // = KRB-FX-CF2(subkey, TGT session key, "subkeyarmor", "ticketarmor").
      const subkey = randomToKey(tgsAuth.subkey!.keytype, tgsAuth.subkey!.keyvalue);
      expect(traceHash(subkey.bytes)).toBe('7cbe'); // trace: "Generated subkey for TGS request: aes256-cts/7CBE"
      const armorKey = cf2(subkey, tgtSessionKey, 'subkeyarmor', 'ticketarmor');
      const paFast = tgsReq.padata!.find((p) => p.padataType === M.PaDataType.PA_FX_FAST)!;
      const fastRequest = decode(M.PaFxFastRequest, paFast.padataValue);
      expect(fastRequest.type).toBe('armoredData');
      const armored = fastRequest.value;
      expect(armored.armor).toBeUndefined(); // implicit armor in a TGS-REQ
      // req-checksum (usage 50) covers the AP-REQ of PA-TGS-REQ (§5.4.2).
      expect(
        verifyChecksum(
          armorKey,
          50,
          paTgsReq.padataValue,
          armored.reqChecksum.checksum,
          armored.reqChecksum.cksumtype,
        ),
      ).toBe(true);
      const fastReq = decode(M.KrbFastReq, decrypt(armorKey, 51, armored.encFastReq.cipher));
      expect(fastReq.reqBody.sname).toEqual({ nameType: 3, nameString: ['host', 'localhost'] });
      expect(fastReq.reqBody.nonce).toBe(tgsReq.reqBody.value.nonce);

      // TGS-REP: the FAST reply (usage 52) holds the strengthen key; the enc-part is under the
      // reply key KRB-FX-CF2(strengthen-key, subkey, "strengthenkey", "replykey") with usage 9.
      const tgsRep = decodeAs(mitMessage('tgsRep'), 13);
      const fastReply = decode(
        M.PaFxFastReply,
        tgsRep.padata!.find((p) => p.padataType === 136)!.padataValue,
      );
      const fastResponse = decode(
        M.KrbFastResponse,
        decrypt(armorKey, 52, fastReply.value.encFastRep.cipher),
      );
      expect(fastResponse.nonce).toBe(tgsReq.reqBody.value.nonce);
      expect(fastResponse.finished).toMatchObject({ crealm: 'MIT.TEST', cname: principal('alice') });
      // KrbFastFinished.ticket-checksum (usage 53) covers the ticket exactly as received.
      const finished = fastResponse.finished!;
      expect(
        verifyChecksum(
          armorKey,
          53,
          tgsRep.ticket.der!,
          finished.ticketChecksum.checksum,
          finished.ticketChecksum.cksumtype,
        ),
      ).toBe(true);
      const strengthen = fastResponse.strengthenKey!;
      const replyKey = cf2(
        randomToKey(strengthen.keytype, strengthen.keyvalue),
        subkey,
        'strengthenkey',
        'replykey',
      );
      expect(traceHash(replyKey.bytes)).toBe('1b3f'); // trace: "FAST reply key: aes256-cts/1B3F"
      const tgsPart = decode(M.EncKdcRepPart, decrypt(replyKey, 9, tgsRep.encPart.cipher));
      expect(tgsPart.tag).toBe(26);
      expect(tgsPart.nonce).toBe(tgsReq.reqBody.value.nonce);
      expect(traceHash(tgsPart.key.keyvalue)).toBe('5415'); // trace: "with session key aes256-cts/5415"
      const serviceKey = randomToKey(tgsPart.key.keytype, tgsPart.key.keyvalue);

      // AP-REQ: the service ticket relayed as issued, its enc-part under the host key; it
      // carries MIT's PAC inside AD-IF-RELEVANT.
      const apReq = decodeAs(mitMessage('apReq'), 14);
      expect(toHex(apReq.ticket.der!)).toBe(toHex(tgsRep.ticket.der!));
      const serviceTicket = decode(M.EncTicketPart, decrypt(host, 2, apReq.ticket.value.encPart.cipher));
      expect(serviceTicket.key).toEqual(tgsPart.key);
      const ifRelevant = serviceTicket.authorizationData!.find(
        (ad) => ad.adType === M.AuthDataType.AD_IF_RELEVANT,
      )!;
      expect(decode(M.AdIfRelevant, ifRelevant.adData).map((ad) => M.authDataTypeName(ad.adType))).toContain(
        'AD_WIN2K_PAC',
      );
      expect(M.apOptionNames(apReq.apOptions)).toEqual(['mutualRequired']);
      const auth = decode(M.Authenticator, decrypt(serviceKey, 11, apReq.authenticator.cipher));
      expect(auth.cksum?.cksumtype).toBe(0x8003); // RFC 4121 §4.1.1 GSS checksum

      // AP-REP (usage 12) echoes the authenticator's time.
      const apRep = decodeAs(mitMessage('apRep'), 15);
      const repPart = decode(M.EncApRepPart, decrypt(serviceKey, 12, apRep.encPart.cipher));
      expect(repPart.ctime).toEqual(auth.ctime);
      expect(repPart.cusec).toBe(auth.cusec);
    });
  });
});

// --- Windows ---------------------------------------------------------------------------------
describe('Windows IAKerb acceptor (scapy test data)', () => {
  const tokens = windows.tokens;
  const keys = windows.derived_keys_computed_by_collector;

  it.each(tokens.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const token = splitToken(hex(t.gss_token_hex));
    const bytes = hex(t.kerberos_message_hex);
    if (token.tokId === 0x0501) {
      expect(toHex(token.oid!)).toBe(IAKERB_OID);
      const { header, headerDer, message } = splitIakerbProxy(token.body);
      expect(toHex(headerDer)).toBe(t.iakerb_header_hex);
      // Realm "." and Microsoft's header-flags [3], kept so that they re-encode.
      expect(header).toEqual({
        targetRealm: '.',
        realmEncoding: 'utf8',
        headerFlags: { bytes: Uint8Array.of(1, 0, 0, 0), unusedBits: 0 },
      });
      expect(toHex(encode(M.IakerbHeader, header))).toBe(t.iakerb_header_hex);
      expect(toHex(message)).toBe(toHex(bytes));
    } else {
      expect(toHex(token.oid!)).toBe(KRB5_OID);
      expect(token.tokId).toBe(0x0200);
      expect(toHex(token.body)).toBe(toHex(bytes));
    }
    const message = M.decodeMessage(bytes);
    expect(toHex(M.encodeMessage(message))).toBe(toHex(bytes));
  });

  it('reads the KRB-ERROR e-data as METHOD-DATA', () => {
    const error = decodeAs(hex(tokens[0]!.kerberos_message_hex), 30);
    expect(error).toMatchObject({ errorCode: 25, realm: 'WIN25H2INS', susec: 522855 });
    const eData = M.decodeErrorData(error.eData!);
    if (eData.kind !== 'method-data') throw new Error(`e-data is ${eData.kind}`);
    expect(eData.value.map((p) => p.padataType)).toEqual([19, 111, 2, 16, 15]);
    expect(decode(M.EtypeInfo2, eData.value[0]!.padataValue)).toEqual([
      { etype: 18, salt: 'WIN25H2INSAdministrator' },
      { etype: 17, salt: 'WIN25H2INSAdministrator' },
    ]);
  });

  it('decrypts the AS-REP enc-part: Windows tags it [APPLICATION 25] and adds encrypted-pa-data', () => {
    const asRep = decodeAs(hex(tokens[1]!.kerberos_message_hex), 11);
    const userKey = randomToKey(18, hex(keys.user_key_aes256_hex));
    const plain = decrypt(userKey, 3, asRep.encPart.cipher);
    expect(toHex(plain)).toBe(keys.as_rep_enc_part_plaintext_hex);
    const part = decode(M.EncKdcRepPart, plain);
    expect(part.tag).toBe(25);
    expect(toHex(part.key.keyvalue)).toBe(keys.tgt_session_key_aes256_hex);
    expect(part.sname).toEqual({ nameType: 2, nameString: ['krbtgt', 'WIN25H2INS'] });
    expect(part.encryptedPaData?.map((p) => p.padataType)).toEqual([M.PaDataType.PA_SUPPORTED_ENCTYPES]);
    expect(toHex(encode(M.EncKdcRepPart, part))).toBe(keys.as_rep_enc_part_plaintext_hex);
    // Re-tagged as MIT does, the same part encodes with [APPLICATION 26].
    expect(encode(M.EncKdcRepPart, { ...part, tag: 26 })[0]).toBe(0x7a);
  });

  it('decodes the TGS-REP and AP-REP plaintexts', () => {
    const tgsPart = decode(M.EncKdcRepPart, hex(keys.tgs_rep_enc_part_plaintext_hex));
    expect(tgsPart.tag).toBe(26);
    expect(toHex(tgsPart.key.keyvalue)).toBe(keys.service_session_key_aes256_hex);
    expect(toHex(encode(M.EncKdcRepPart, tgsPart))).toBe(keys.tgs_rep_enc_part_plaintext_hex);

    const apRep = decodeAs(hex(tokens[3]!.kerberos_message_hex), 15);
    const serviceKey = randomToKey(18, hex(keys.service_session_key_aes256_hex));
    const plain = decrypt(serviceKey, 12, apRep.encPart.cipher);
    expect(toHex(plain)).toBe(keys.ap_rep_enc_part_plaintext_hex);
    expect(decode(M.EncApRepPart, plain)).toEqual({
      ctime: new Date('2026-07-24T13:40:35Z'),
      cusec: 0,
      subkey: { keytype: 17, keyvalue: hex(keys.acceptor_subkey_aes128_hex) },
      seqNumber: 837135677,
    });
  });
});
