import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Captured,
  captured,
  decode,
  encode,
  explicit,
  type Infer,
  int32,
  integer,
  octetString,
  optional,
  raw,
  sequence,
  sequenceOf,
  TagClass,
  tagId,
  utf8String,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, tlv, toHex } from './helpers.js';

describe('raw (ANY)', () => {
  const any = raw();

  it('decodes any element verbatim, as a view into the input', () => {
    for (const der of ['0500', '020105', tlv('30', '020101 0c0141'), 'bf876803020101', '2400']) {
      const input = hex(der);
      const out = decode(any, input);
      expect(toHex(out)).toBe(der);
      expect(out.buffer).toBe(input.buffer);
    }
  });

  it('checks only the header (content is opaque)', () => {
    // A SEQUENCE whose content is a truncated INTEGER: still one well-formed element.
    expect(toHex(decode(any, hex('3003020200')))).toBe('3003020200');
    expectDecodeError(() => decode(any, hex('3004020200')), { reason: /truncated/ });
    expectDecodeError(() => decode(any, hex('3080 0000')), { reason: /indefinite/ });
  });

  it('encodes verbatim after checking it is exactly one element', () => {
    expect(toHex(encode(any, hex('a303020105')))).toBe('a303020105');
    expectEncodeError(() => encode(any, hex('a30302')), { reason: /ANY is not one DER element: truncated/ });
    expectEncodeError(() => encode(any, hex('0500 0500')), { reason: /has bytes after its element/ });
    expectEncodeError(() => encode(any, hex('')), { reason: /not one DER element/ });
    expectEncodeError(() => encode(any, hex('3081 05 0102030405')), { reason: /non-minimal length/ });
    expectEncodeError(() => encode(any, [5, 0] as unknown as Uint8Array), { reason: /must be a Uint8Array/ });
  });

  it('can be restricted to some tags, both ways', () => {
    const open = raw([tagId(TagClass.universal, 16), tagId(TagClass.context, 0)], 'Token');
    expect(open.typeName).toBe('Token');
    expect(toHex(decode(open, hex('3000')))).toBe('3000');
    expect(toHex(decode(open, hex('a0020500')))).toBe('a0020500');
    expectDecodeError(() => decode(open, hex('0500')), { reason: /expected Token, found UNIVERSAL 5/ });
    expectEncodeError(() => encode(open, hex('0500')), {
      reason: /Token has the tag UNIVERSAL 5, not an expected one/,
    });
    expect(toHex(encode(open, hex('a0020500')))).toBe('a0020500');
    // Inside a SEQUENCE, the restriction decides whether an OPTIONAL raw is present.
    const S = sequence({ tok: optional(open), n: integer() });
    expect(decode(S, hex(tlv('30', '020101')))).toEqual({ n: 1 });
    expectDecodeError(() => decode(raw([tagId(TagClass.context, 0)]), hex('a1020500')), {
      reason: /found \[1\]/,
    });
  });

  it('carries an open type (PA-DATA padata-value style) for later decoding', () => {
    const PaData = sequence({ type: explicit(1, int32()), value: explicit(2, octetString()) });
    const Envelope = sequence({ kind: explicit(0, integer()), body: explicit(1, raw()) });
    const inner = encode(PaData, { type: 2, value: hex('0102') });
    const der = encode(Envelope, { kind: 7, body: inner });
    const back = decode(Envelope, der);
    expect(toHex(back.body)).toBe(toHex(inner));
    expect(decode(PaData, back.body)).toEqual({ type: 2, value: hex('0102') });
  });
});

describe('captured', () => {
  const Body = sequence(
    { nonce: explicit(0, integer()), realm: explicit(1, utf8String()) },
    { name: 'Body' },
  );
  const Req = sequence({ vno: explicit(0, integer()), body: explicit(1, captured(Body)) }, { name: 'Req' });

  it('keeps the exact bytes of the element (identifier to end of content)', () => {
    const bodyDer = encode(Body, { nonce: 42, realm: 'R' });
    const der = encode(Req, { vno: 5, body: { value: { nonce: 42, realm: 'R' } } });
    const back = decode(Req, der);
    expect(back.body.value).toEqual({ nonce: 42, realm: 'R' });
    expect(back.body.der).toBeDefined();
    expect(toHex(back.body.der!)).toBe(toHex(bodyDer));
    // It is a view of exactly that slice of the input.
    const at = toHex(der).indexOf(toHex(bodyDer)) / 2;
    expect(back.body.der!.buffer).toBe(der.buffer);
    expect(back.body.der!.byteOffset).toBe(der.byteOffset + at);
    expect(back.body.der!.length).toBe(bodyDer.length);
  });

  it('writes `der` verbatim when given (relaying bytes unchanged)', () => {
    const original = encode(Body, { nonce: 1, realm: 'A' });
    // `value` is ignored when `der` is present: the bytes are what is relayed.
    const der = encode(Req, { vno: 5, body: { value: { nonce: 999, realm: 'ignored' }, der: original } });
    expect(toHex(der)).toBe(tlv('30', 'a003020105', tlv('a1', toHex(original))));
    expect(decode(Req, der).body.value).toEqual({ nonce: 1, realm: 'A' });
    // Round trip of a decoded value gives identical bytes.
    expect(toHex(encode(Req, decode(Req, der)))).toBe(toHex(der));
  });

  it('encodes the value when `der` is absent or undefined', () => {
    const a = encode(Req, { vno: 5, body: { value: { nonce: 1, realm: 'A' } } });
    const b = encode(Req, { vno: 5, body: { value: { nonce: 1, realm: 'A' }, der: undefined } });
    expect(toHex(a)).toBe(toHex(b));
  });

  it('raises EncodeError for a bad `der`', () => {
    const value = { nonce: 1, realm: 'A' };
    expectEncodeError(() => encode(Req, { vno: 5, body: { value, der: hex('3005a003') } }), {
      path: 'Req.body',
      reason: /Body is not one DER element/,
    });
    expectEncodeError(() => encode(Req, { vno: 5, body: { value, der: hex('3000 00') } }), {
      reason: /bytes after its element/,
    });
    expectEncodeError(() => encode(Req, { vno: 5, body: { value, der: hex('3100') } }), {
      reason: /has the tag UNIVERSAL 17, not an expected one/,
    });
    expectEncodeError(() => encode(Req, { vno: 5, body: { value, der: 'nope' as unknown as Uint8Array } }), {
      reason: /must be a Uint8Array/,
    });
    expectEncodeError(() => encode(Req, { vno: 5, body: null as unknown as Captured<typeof value> }), {
      reason: /must be \{ value, der\? \}/,
    });
  });

  it('decodes as strictly as the inner type', () => {
    const bad = hex(tlv('30', 'a003020105', tlv('a1', tlv('30', 'a00402020001', 'a1030c0141'))));
    expectDecodeError(() => decode(Req, bad), { path: 'Req.body.nonce', reason: /non-minimal/ });
  });

  it('captures each element of a SEQUENCE OF separately', () => {
    const list = sequenceOf(captured(integer()));
    const back = decode(list, hex(tlv('30', '020101 02020080')));
    expect(back.map((c) => c.value)).toEqual([1, 128]);
    expect(back.map((c) => toHex(c.der!))).toEqual(['020101', '02020080']);
  });

  it('has the type { value; der? }', () => {
    expectTypeOf<Infer<typeof Req>['body']>().toEqualTypeOf<Captured<{ nonce: number; realm: string }>>();
  });
});
