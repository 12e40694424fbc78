/** The README example, run against real bytes (MIT 1.20 replies, the MIT keytab and ccache fixtures). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  AsReq,
  decode,
  decodeMessage,
  describeErrorCode,
  encode,
  findKey,
  kdcOptions,
  NameType,
  parsePrincipal,
  readCcache,
  readKeytab,
  Ticket,
} from '../src/index.js';
import { readHexVector, splitIakerbProxy, splitToken } from './helpers.js';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const kdcReply = (file: string) =>
  splitIakerbProxy(splitToken(readHexVector(`mit-iakerb-tokens/${file}`)).body).message;

it('runs the README example', () => {
  const asReq = encode(AsReq, {
    pvno: 5,
    msgType: 10,
    reqBody: {
      value: {
        kdcOptions: kdcOptions(['forwardable', 'canonicalize']),
        realm: 'EXAMPLE.COM',
        nonce: 42,
        etype: [18, 17],
        cname: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] },
        sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', 'EXAMPLE.COM'] },
        till: new Date('2037-01-01T00:00:00Z'),
      },
    },
  });
  expect(asReq[0]).toBe(0x6a);
  expect(decode(AsReq, asReq).reqBody.value.kdcOptions).toBe(0x40010000);

  const error = decodeMessage(kdcReply('03-acceptor-context.hex'));
  expect(error.msgType).toBe(30);
  if (error.msgType === 30) {
    expect(describeErrorCode(error.value.errorCode)).toBe(
      'KDC_ERR_PREAUTH_REQUIRED (25): Additional pre-authentication required',
    );
  }
  const reply = decodeMessage(kdcReply('05-acceptor-context.hex'));
  expect(reply.msgType).toBe(11);
  if (reply.msgType === 11) {
    expect(reply.value.cname.nameString).toEqual(['alice']);
    expect(reply.value.encPart.etype).toBe(18);
  }

  const key = findKey(
    readKeytab(fixture('./keytab/fixtures/mit-service.keytab')),
    parsePrincipal('host/localhost@MIT.TEST'),
  );
  expect(key?.key.enctype).toBeTypeOf('number');
  const tgt = readCcache(fixture('./ccache/fixtures/mit-v4.ccache')).credentials[0];
  expect(tgt?.server.name.nameString).toEqual(['krbtgt', 'MIT.TEST']);
  // The cached ticket is the Ticket's DER, as the messages carry it.
  expect(decode(Ticket, tgt!.ticket).sname.nameString).toEqual(['krbtgt', 'MIT.TEST']);
});
