/** RFC 2743 §3.1 framing, RFC 4121 token IDs, gss-sample framing. */
import { Oid } from '@postntlm/der-asn1';
import { describe, expect, it } from 'vitest';
import {
  decodeGssToken,
  decodeGssTokenPrefix,
  decodeKrb5ContextToken,
  encodeGssSampleFrame,
  encodeGssToken,
  encodeKrb5ContextToken,
  GssSampleFrameReader,
  GssTokenError,
  TokenId,
  tokenIdName,
} from '../src/index.js';
import { hex, toHex } from './helpers.js';

describe('InitialContextToken framing', () => {
  it('short form: 60 len 06 09 <krb5 oid> inner', () => {
    const t = encodeGssToken(Oid.krb5, hex('0100aabb'));
    expect(toHex(t)).toBe('600f06092a864886f712010202' + '0100aabb');
    expect(decodeGssToken(t)).toEqual({ mech: Oid.krb5, inner: hex('0100aabb') });
  });

  it.each([116, 117, 244, 245, 65_530, 70_000])('long-form lengths round-trip (inner %i bytes)', (n) => {
    const inner = new Uint8Array(n).fill(7);
    const t = encodeGssToken(Oid.iakerb, inner);
    const content = n + 8;
    const lenBytes = content < 128 ? 1 : content < 256 ? 2 : content < 65536 ? 3 : 4;
    expect(t.length).toBe(1 + lenBytes + content);
    const d = decodeGssToken(t);
    expect(d.mech).toBe(Oid.iakerb);
    expect(d.inner).toEqual(inner);
  });

  it('the prefix decoder reports trailing bytes; the exact decoder refuses them', () => {
    const t = encodeGssToken(Oid.msKrb5, hex('0200'));
    const withTail = new Uint8Array([...t, 1, 2, 3]);
    const p = decodeGssTokenPrefix(withTail);
    expect(p.length).toBe(t.length);
    expect(p.trailing).toEqual(hex('010203'));
    expect(p.mech).toBe(Oid.msKrb5);
    expect(() => decodeGssToken(withTail)).toThrow(GssTokenError);
  });

  it.each([
    ['empty', ''],
    ['wrong tag', '300b06092a864886f712010202'],
    ['truncated', '600f06092a864886f7120102'],
    ['non-minimal length', '60810b06092a864886f712010202'],
    ['indefinite length', '608006092a864886f71201020200 00'],
    ['no OID', '60020400'],
    ['empty OID', '60020600'],
    ['OID past the end', '600306050a'],
  ])('%s: GssTokenError', (_, h) => {
    expect(() => decodeGssToken(hex(h))).toThrow(GssTokenError);
  });
});

describe('krb5 context tokens', () => {
  it('AP-REQ / AP-REP / KRB-ERROR IDs under krb5, MS krb5 and IAKerb OIDs', () => {
    for (const mech of [Oid.krb5, Oid.msKrb5, Oid.iakerb])
      for (const id of [TokenId.AP_REQ, TokenId.AP_REP, TokenId.KRB_ERROR]) {
        const t = encodeKrb5ContextToken(id, hex('3000'), mech);
        expect(decodeKrb5ContextToken(t)).toEqual({ mech, tokenId: id, message: hex('3000') });
      }
    expect(tokenIdName(0x0504)).toBe('WRAP');
  });

  it('refuses other mechanisms, unknown IDs and missing IDs', () => {
    expect(() => decodeKrb5ContextToken(encodeKrb5ContextToken(0x0100, hex('30'), Oid.spnego))).toThrow(
      /mechanism/,
    );
    expect(() => decodeKrb5ContextToken(encodeKrb5ContextToken(0x0501, hex('30')))).toThrow(/token ID/);
    expect(() => decodeKrb5ContextToken(encodeGssToken(Oid.krb5, hex('01')))).toThrow(/token ID/);
    expect(() => decodeKrb5ContextToken(encodeKrb5ContextToken(0x0100, hex('30')), [Oid.krb5])).not.toThrow();
  });
});

describe('gss-sample framing', () => {
  it('splits frames across arbitrary chunk boundaries', () => {
    const wire = new Uint8Array([
      ...encodeGssSampleFrame(0x11),
      ...encodeGssSampleFrame(0x02, hex('6003060100')),
      ...encodeGssSampleFrame(0x08, new Uint8Array(300).fill(9)),
    ]);
    for (const chunk of [1, 2, 5, 7, 64, wire.length]) {
      const reader = new GssSampleFrameReader();
      const frames = [];
      for (let i = 0; i < wire.length; i += chunk) frames.push(...reader.push(wire.subarray(i, i + chunk)));
      expect(frames.map((f) => [f.flags, f.token.length])).toEqual([
        [0x11, 0],
        [0x02, 5],
        [0x08, 300],
      ]);
      expect(reader.pending).toBe(0);
    }
  });

  it('refuses a frame longer than 1 MiB', () => {
    expect(() => new GssSampleFrameReader().push(hex('02 7fffffff'))).toThrow(GssTokenError);
  });
});
