/** IAKERB-HEADER and IAKERB-FINISHED (draft-ietf-kitten-iakerb §3.1, §3.3) against MIT and Windows bytes. */
import { DecodeError, decode, encode } from '@postntlm/der-asn1';
import { describe, expect, it } from 'vitest';
import { Checksum, IakerbFinished, IakerbHeader } from '../src/index.js';
import { hex, splitToken, toHex, utf8 } from './helpers.js';
import asn1 from './vectors/mit-iakerb-asn1.json' with { type: 'json' };
import discovery from './vectors/mit-realm-discovery.json' with { type: 'json' };

const vector = (name: string): Uint8Array => hex(asn1.vectors.find((v) => v.name === name)!.der_hex);

describe('IAKERB-HEADER', () => {
  it('decodes MIT >= 1.22 (UTF8String realm, cookie) and re-encodes it', () => {
    const der = vector('encode_krb5_iakerb_header');
    const header = decode(IakerbHeader, der);
    expect(header).toEqual({ targetRealm: 'krb5data', realmEncoding: 'utf8', cookie: utf8('krb5data') });
    expect(toHex(encode(IakerbHeader, header))).toBe(toHex(der));
    // utf8 is the default when realmEncoding is left out.
    expect(toHex(encode(IakerbHeader, { targetRealm: 'krb5data', cookie: utf8('krb5data') }))).toBe(
      toHex(der),
    );
  });

  it('decodes and writes the legacy OCTET STRING realm of MIT <= 1.21', () => {
    const legacy = hex('300ca10a04084d49542e54455354'); // as MIT 1.20 sends it (mit-iakerb-tokens)
    const header = decode(IakerbHeader, legacy);
    expect(header).toEqual({ targetRealm: 'MIT.TEST', realmEncoding: 'octet-string' });
    expect(toHex(encode(IakerbHeader, header))).toBe(toHex(legacy));
    // The same header in the draft encoding differs only in the tag of the realm.
    expect(toHex(encode(IakerbHeader, { targetRealm: 'MIT.TEST', realmEncoding: 'utf8' }))).toBe(
      '300ca10a0c084d49542e54455354',
    );
    // Non-ASCII realms go through UTF-8 in both encodings.
    const accented = { targetRealm: 'RÉALM.TEST', realmEncoding: 'octet-string' as const };
    expect(decode(IakerbHeader, encode(IakerbHeader, accented))).toEqual(accented);
  });

  it("keeps Windows' header-flags [3] and realm '.'", () => {
    const der = vector('windows_header_realm_dot_with_flags');
    const header = decode(IakerbHeader, der);
    expect(header).toEqual({
      targetRealm: '.',
      realmEncoding: 'utf8',
      headerFlags: { bytes: Uint8Array.of(0x01, 0, 0, 0), unusedBits: 0 },
    });
    expect(toHex(encode(IakerbHeader, header))).toBe(toHex(der));
  });

  it('reads the realm-discovery tokens of MIT t_iakerb.c', () => {
    const [query, response] = discovery.vectors;
    const q = splitToken(hex(query!.token_hex));
    expect(q.tokId).toBe(0x0501);
    expect(toHex(q.body)).toBe('3004a1020c00');
    expect(decode(IakerbHeader, q.body)).toEqual({ targetRealm: '', realmEncoding: 'utf8' });
    expect(toHex(encode(IakerbHeader, { targetRealm: '' }))).toBe('3004a1020c00');
    const r = splitToken(hex(response!.token_hex));
    expect(decode(IakerbHeader, r.body)).toEqual({ targetRealm: 'KRBTEST.COM', realmEncoding: 'utf8' });
    expect(toHex(encode(IakerbHeader, { targetRealm: 'KRBTEST.COM' }))).toBe(toHex(r.body));
  });

  it('skips unknown trailing elements, as MIT does', () => {
    const withExtra = hex('300fa1030c012ea2020400a404020200ff');
    expect(decode(IakerbHeader, withExtra)).toEqual({
      targetRealm: '.',
      realmEncoding: 'utf8',
      cookie: new Uint8Array(),
    });
  });

  it('rejects malformed headers with a DecodeError', () => {
    for (const bad of [
      '3005a1030c012e00', // trailing byte inside (not an element)
      '3000', // no realm
      '3005a10302012e', // realm is an INTEGER
      '3006a104040280ff', // OCTET STRING realm that is not UTF-8
      '3004a0020c00', // realm under [0]
    ]) {
      expect(() => decode(IakerbHeader, hex(bad)), bad).toThrow(DecodeError);
    }
    try {
      decode(IakerbHeader, hex('3006a104040280ff'));
    } catch (error) {
      expect((error as DecodeError).message).toMatch(/IAKERB-HEADER/);
    }
  });
});

describe('IAKERB-FINISHED', () => {
  it('round-trips the MIT vector', () => {
    const der = vector('encode_krb5_iakerb_finished');
    const finished = decode(IakerbFinished, der);
    expect(finished).toEqual({ iakerbMic: { cksumtype: 1, checksum: utf8('1234') } });
    expect(decode(Checksum, der.subarray(4))).toEqual(finished.iakerbMic);
    expect(toHex(encode(IakerbFinished, finished))).toBe(toHex(der));
  });
});
