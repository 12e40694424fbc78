import { describe, expect, it } from 'vitest';
import {
  application,
  DecodeError,
  decode,
  encode,
  explicit,
  generalString,
  int32,
  kerberosFlags,
  kerberosTime,
  octetString,
  optional,
  sequence,
  sequenceOf,
  uint32,
} from '../src/index.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => Number.parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const EncryptedData = sequence(
  { etype: explicit(0, int32()), kvno: optional(explicit(1, uint32())), cipher: explicit(2, octetString()) },
  { name: 'EncryptedData' },
);
const PrincipalName = sequence({ nameType: explicit(0, int32()), nameString: explicit(1, sequenceOf(generalString())) });
const Ticket = application(
  1,
  sequence({
    tktVno: explicit(0, int32()),
    realm: explicit(1, generalString()),
    sname: explicit(2, PrincipalName),
    encPart: explicit(3, EncryptedData),
  }),
  'Ticket',
);

describe('smoke', () => {
  it('round-trips MIT ticket', () => {
    const der = hex(
      '615c305aa003020105a1101b0e415448454e412e4d49542e454455a21a3018a003020101a111300f1b066866747361691b056578747261a3253023a003020100a103020105a2171b156b726241534e2e312074657374206d657373616765'.replace(
        'a2171b15',
        'a2170415',
      ),
    );
    const value = decode(Ticket, der);
    expect(value.realm).toBe('ATHENA.MIT.EDU');
    expect(value.sname.nameString).toEqual(['hftsai', 'extra']);
    expect(value.encPart.kvno).toBe(5);
    expect(toHex(encode(Ticket, value))).toBe(toHex(der));
  });
  it('gives a path', () => {
    const bad = hex('3009a003020100a2020401');
    expect(() => decode(EncryptedData, bad)).toThrow(DecodeError);
    try {
      decode(EncryptedData, bad);
    } catch (e) {
      expect((e as DecodeError).path).toBe('EncryptedData.cipher');
      expect((e as DecodeError).offset).toBe(9);
    }
  });
  it('flags and time', () => {
    const F = kerberosFlags();
    expect(toHex(encode(F, 0xfedcba98))).toBe('030500fedcba98');
    const T = kerberosTime();
    const d = decode(T, hex('180f31393934303631303036303331375a'));
    expect(d.toISOString()).toBe('1994-06-10T06:03:17.000Z');
  });
});
