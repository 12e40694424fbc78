/**
 * Message-level behaviour: decodeMessage / peekMessageType dispatch, EncKDCRepPart under
 * both tags, RawTicket and the captured req-body keeping exact bytes, KRB-ERROR e-data,
 * DecodeError paths and offsets.
 */
import { DecodeError, decode, EncodeError, encode } from '@postntlm/der-asn1';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.js';
import { hex, mitVector, toHex, utf8 } from './helpers.js';

const messageVectors = [
  ['encode_krb5_as_req', M.MessageType.AS_REQ, M.AsReq],
  ['encode_krb5_as_rep', M.MessageType.AS_REP, M.AsRep],
  ['encode_krb5_tgs_req', M.MessageType.TGS_REQ, M.TgsReq],
  ['encode_krb5_tgs_rep', M.MessageType.TGS_REP, M.TgsRep],
  ['encode_krb5_ap_req', M.MessageType.AP_REQ, M.ApReq],
  ['encode_krb5_ap_rep', M.MessageType.AP_REP, M.ApRep],
  ['encode_krb5_safe', M.MessageType.KRB_SAFE, M.KrbSafe],
  ['encode_krb5_priv', M.MessageType.KRB_PRIV, M.KrbPriv],
  ['encode_krb5_cred', M.MessageType.KRB_CRED, M.KrbCred],
  ['encode_krb5_error', M.MessageType.KRB_ERROR, M.KrbError],
] as const;

function catchDecodeError(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('decodeMessage / peekMessageType / encodeMessage', () => {
  it.each(messageVectors)('%s dispatches to msg-type %i', (name, type, schema) => {
    const der = mitVector(name);
    expect(M.peekMessageType(der)).toBe(type);
    const message = M.decodeMessage(der);
    expect(message.msgType).toBe(type);
    expect(message.value).toEqual(decode(schema as never, der));
    expect(toHex(M.encodeMessage(message))).toBe(toHex(der));
  });

  it.each([
    ['empty input', ''],
    ['a Ticket [APPLICATION 1]', toHex(mitVector('encode_krb5_ticket'))],
    ['an Authenticator [APPLICATION 2]', toHex(mitVector('encode_krb5_authenticator'))],
    ['an EncTicketPart [APPLICATION 3]', toHex(mitVector('encode_krb5_enc_tkt_part'))],
    ['an EncTGSRepPart [APPLICATION 26]', toHex(mitVector('encode_krb5_enc_kdc_rep_part'))],
    ['an EncAPRepPart [APPLICATION 27]', toHex(mitVector('encode_krb5_ap_rep_enc_part'))],
    ['a bare SEQUENCE', toHex(mitVector('encode_krb5_keyblock'))],
    ['a context tag [10]', 'aa00'],
    ['a primitive [APPLICATION 10]', '4a00'],
    ['[APPLICATION 16] (unassigned)', '7000'],
    ['[PRIVATE 10]', 'ea00'],
    ['a high [APPLICATION 31+]', '7f2a00'],
    ['a TCP-framed AS-REQ (4-byte length first)', `000001e8${toHex(mitVector('encode_krb5_as_req'))}`],
    ['a truncated AS-REP', toHex(mitVector('encode_krb5_as_rep')).slice(0, 100)],
    ['an indefinite length', '6a80'],
  ])('rejects %s', (_what, bytes) => {
    const input = hex(bytes);
    expect(M.peekMessageType(input)).toBeUndefined();
    const error = catchDecodeError(() => M.decodeMessage(input));
    expect(error.offset).toBe(0);
    expect(error.path).toBe('');
  });

  it('rejects non-byte input without a TypeError', () => {
    expect(M.peekMessageType('6a00' as unknown as Uint8Array)).toBeUndefined();
    catchDecodeError(() => M.decodeMessage(null as unknown as Uint8Array));
  });

  it('names the message in errors past the outer tag', () => {
    const der = mitVector('encode_krb5_as_rep');
    const trailing = new Uint8Array([...der, 0]);
    expect(M.peekMessageType(trailing)).toBe(11);
    expect(catchDecodeError(() => M.decodeMessage(trailing)).message).toMatch(/trailing/);
    // An AS-REQ tag holding msg-type 12.
    const asReq = Uint8Array.from(mitVector('encode_krb5_as_req'));
    const at = toHex(asReq).indexOf('a20302010a') / 2;
    asReq[at + 4] = 12;
    const error = catchDecodeError(() => M.decodeMessage(asReq));
    expect(error.path).toBe('AS-REQ.msgType');
    expect(error.offset).toBe(at + 4); // the INTEGER's content octet
  });

  it('refuses to encode an unknown message type', () => {
    const bogus = { msgType: 16, value: {} } as unknown as M.KerberosMessage;
    expect(() => M.encodeMessage(bogus)).toThrow(EncodeError);
    expect(() => M.encodeMessage({ msgType: 11, value: {} } as unknown as M.KerberosMessage)).toThrow(
      EncodeError,
    );
  });
});

describe('DecodeError path and offset inside a message', () => {
  it('points at AS-REP.encPart.cipher', () => {
    const der = Uint8Array.from(mitVector('encode_krb5_as_rep'));
    const at = toHex(der).lastIndexOf('a2170415') / 2 + 2; // the enc-part's cipher OCTET STRING
    der[at] = 0x05;
    const error = catchDecodeError(() => decode(M.AsRep, der));
    expect(error.path).toBe('AS-REP.encPart.cipher');
    expect(error.offset).toBe(at);
    expect(error.message).toBe(
      `AS-REP.encPart.cipher: expected OCTET STRING, found UNIVERSAL 5 (at byte ${at})`,
    );
    expect(catchDecodeError(() => M.decodeMessage(der)).path).toBe('AS-REP.encPart.cipher');
  });

  it('points into the ticket and into SEQUENCE OF items', () => {
    const rep = Uint8Array.from(mitVector('encode_krb5_as_rep'));
    const kvno = toHex(rep).indexOf('a103020105') / 2; // the ticket's enc-part kvno comes first
    rep[kvno + 2] = 0x04; // INTEGER -> OCTET STRING
    expect(catchDecodeError(() => decode(M.AsRep, rep)).path).toBe('AS-REP.ticket.encPart.kvno');

    const req = Uint8Array.from(mitVector('encode_krb5_as_req'));
    const second = toHex(req).lastIndexOf('1b0e415448454e412e4d49542e454455') / 2; // realm of the 2nd ticket
    req[second] = 0x0c; // GeneralString -> UTF8String
    const error = catchDecodeError(() => decode(M.AsReq, req));
    expect(error.path).toBe('AS-REQ.reqBody.additionalTickets[1].realm');
    expect(error.offset).toBe(second);

    const padata = Uint8Array.from(mitVector('encode_krb5_as_req'));
    const type = toHex(padata).indexOf('a10302010d', 20) / 2;
    padata[type + 4] = 0x80; // padata-type 0x80: INTEGER content with the sign bit... still valid (-128)
    expect(decode(M.AsReq, padata).padata?.[0]?.padataType).toBe(-128);
    padata[type + 3] = 0x00; // zero-length INTEGER
    expect(catchDecodeError(() => decode(M.AsReq, padata)).path).toMatch(/^AS-REQ\.padata\[0\]/);
  });

  it('reports a wrong msg-type, pvno and out-of-range values by field', () => {
    const error = Uint8Array.from(mitVector('encode_krb5_error'));
    const pvno = toHex(error).indexOf('a003020105') / 2;
    error[pvno + 4] = 4;
    expect(catchDecodeError(() => decode(M.KrbError, error)).path).toBe('KRB-ERROR.pvno');
    const usec = Uint8Array.from(mitVector('encode_krb5_pa_enc_ts'));
    // pausec 123456 -> 0x0FE240 = 1041984 is more than 999999
    const at = toHex(usec).indexOf('0301e240') / 2;
    usec[at + 1] = 0x0f;
    expect(catchDecodeError(() => decode(M.PaEncTsEnc, usec)).path).toBe('PA-ENC-TS-ENC.pausec');
  });
});

describe('EncKDCRepPart', () => {
  const tgs = mitVector('encode_krb5_enc_kdc_rep_part'); // [APPLICATION 26]
  const as = Uint8Array.from(tgs);
  as[0] = 0x79; // [APPLICATION 25]

  it('accepts [APPLICATION 25] and [26] and re-encodes with the same tag', () => {
    const fromAs = decode(M.EncKdcRepPart, as);
    const fromTgs = decode(M.EncKdcRepPart, tgs);
    expect(fromAs.tag).toBe(25);
    expect(fromTgs.tag).toBe(26);
    const { tag: _a, ...asFields } = fromAs;
    const { tag: _t, ...tgsFields } = fromTgs;
    expect(asFields).toEqual(tgsFields);
    expect(toHex(encode(M.EncKdcRepPart, fromAs))).toBe(toHex(as));
    expect(toHex(encode(M.EncKdcRepPart, fromTgs))).toBe(toHex(tgs));
  });

  it('has fixed-tag variants for each message', () => {
    expect(toHex(encode(M.EncAsRepPart, decode(M.EncTgsRepPart, tgs)))).toBe(toHex(as));
    expect(() => decode(M.EncAsRepPart, tgs)).toThrow(DecodeError);
    expect(() => decode(M.EncTgsRepPart, as)).toThrow(DecodeError);
  });

  it('rejects other application tags', () => {
    const other = Uint8Array.from(tgs);
    other[0] = 0x7b; // [APPLICATION 27]
    expect(catchDecodeError(() => decode(M.EncKdcRepPart, other)).message).toMatch(/EncKDCRepPart/);
  });
});

describe('RawTicket and the captured req-body', () => {
  it('keeps the exact bytes of a ticket, including elements it does not know', () => {
    // The MIT sample ticket with an extra [4] NULL inside the SEQUENCE (skipped: extensible).
    const base = toHex(mitVector('encode_krb5_ticket')); // 615c305a ...
    const body = base.slice(8);
    const extended = hex(`6160305e${body}a4020500`);
    const ticket = decode(M.RawTicket, extended);
    expect(ticket.value).toEqual(decode(M.Ticket, mitVector('encode_krb5_ticket')));
    expect(toHex(ticket.der!)).toBe(toHex(extended));
    // With `der` the ticket goes out verbatim; without it, it is rebuilt from the value.
    expect(toHex(encode(M.RawTicket, ticket))).toBe(toHex(extended));
    expect(toHex(encode(M.RawTicket, { value: ticket.value }))).toBe(base);
    // An AP-REQ relaying it carries the unknown element through.
    const apReq = decode(M.ApReq, mitVector('encode_krb5_ap_req'));
    const relayed = encode(M.ApReq, { ...apReq, ticket });
    expect(toHex(decode(M.ApReq, relayed).ticket.der!)).toBe(toHex(extended));
  });

  it('writes `der` even when the value was changed, and checks that it is a Ticket', () => {
    const ticket = decode(M.RawTicket, mitVector('encode_krb5_ticket'));
    const edited = { ...ticket, value: { ...ticket.value, realm: 'OTHER.REALM' } };
    expect(toHex(encode(M.RawTicket, edited))).toBe(toHex(mitVector('encode_krb5_ticket')));
    expect(() =>
      encode(M.RawTicket, { value: ticket.value, der: mitVector('encode_krb5_keyblock') }),
    ).toThrow(EncodeError);
    expect(() =>
      encode(M.RawTicket, {
        value: ticket.value,
        der: new Uint8Array([...mitVector('encode_krb5_ticket'), 0]),
      }),
    ).toThrow(EncodeError);
  });

  it('keeps the req-body bytes for the PA-TGS-REQ checksum', () => {
    const der = mitVector('encode_krb5_tgs_req');
    const req = decode(M.TgsReq, der);
    expect(toHex(req.reqBody.der!)).toBe(toHex(mitVector('encode_krb5_kdc_req_body')));
    expect(req.reqBody.der!.buffer).toBe(der.buffer); // a view, not a copy
  });
});

describe('KRB-ERROR e-data', () => {
  it('decodes METHOD-DATA', () => {
    const eData = M.decodeErrorData(mitVector('encode_krb5_padata_sequence'));
    expect(eData).toEqual({
      kind: 'method-data',
      value: [
        { padataType: 13, padataValue: utf8('pa-data') },
        { padataType: 13, padataValue: utf8('pa-data') },
      ],
    });
    expect(M.decodeErrorData(hex('3000'))).toEqual({ kind: 'method-data', value: [] });
  });

  it('decodes TYPED-DATA', () => {
    expect(M.decodeErrorData(mitVector('encode_krb5_typed_data'))).toEqual({
      kind: 'typed-data',
      value: [
        { dataType: 13, dataValue: utf8('pa-data') },
        { dataType: 13, dataValue: utf8('pa-data') },
      ],
    });
  });

  it("decodes Windows' KERB-ERROR-DATA with its KERB-EXT-ERROR", () => {
    // data-type 3, data-value = NTSTATUS 0xC000006D (STATUS_LOGON_FAILURE), reserved 0, flags 1 (LE).
    const der = encode(M.KerbErrorData, { dataType: 3, dataValue: hex('6d0000c0 00000000 01000000') });
    const eData = M.decodeErrorData(der);
    expect(eData.kind).toBe('kerb-error-data');
    if (eData.kind !== 'kerb-error-data') return;
    expect(M.kerbExtError(eData.value)).toEqual({ status: 0xc000006d, reserved: 0, flags: 1 });
    expect(M.kerbExtError({ dataType: 2, dataValue: new Uint8Array(12) })).toBeUndefined();
    expect(M.kerbExtError({ dataType: 3, dataValue: new Uint8Array(8) })).toBeUndefined();
    expect(M.kerbExtError({ dataType: 3 })).toBeUndefined();
  });

  it('returns anything else as unknown bytes', () => {
    const error = decode(M.KrbError, mitVector('encode_krb5_error'));
    expect(M.decodeErrorData(error.eData!)).toEqual({ kind: 'unknown', bytes: utf8('krb5data') });
    expect(M.decodeErrorData(new Uint8Array())).toEqual({ kind: 'unknown', bytes: new Uint8Array() });
  });
});

describe('encoding checks', () => {
  it('UInt32 refuses values outside 0..2^32-1 with an EncodeError and a path', () => {
    const data = { etype: 18, kvno: 2 ** 32, cipher: new Uint8Array() };
    try {
      encode(M.EncryptedData, data);
      throw new Error('expected an EncodeError');
    } catch (error) {
      expect(error).toBeInstanceOf(EncodeError);
      expect((error as EncodeError).path).toBe('EncryptedData.kvno');
    }
    expect(() => encode(M.EncryptedData, { ...data, kvno: -1 })).toThrow(EncodeError);
    expect(() => encode(M.EncryptedData, { ...data, kvno: 1.5 })).toThrow(EncodeError);
  });

  it('writes PA-PAC-REQUEST and PA-PAC-OPTIONS as Windows expects', () => {
    expect(toHex(encode(M.PaPacRequest, { includePac: true }))).toBe('3005a0030101ff');
    const options = encode(M.PaPacOptions, { flags: 0x80000000 >>> M.PacOptionBits.claims });
    expect(toHex(options)).toBe('3009a00703050080000000');
    expect(decode(M.PaPacOptions, options)).toEqual({ flags: 0x80000000 });
  });
});
