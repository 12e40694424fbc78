/**
 * Golden vectors (test/vectors/, see SOURCE.md): every IAKerb token MIT krb5 1.22.2 sent in
 * both directions, MIT's realm-discovery arrays, the Windows acceptor's tokens and MIT's
 * ASN.1 reference encodings decode and re-encode byte for byte; the FINISHED checksum we
 * compute over the captured transcript equals the one in MIT's AP-REQ.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, encode, Oid } from '@postntlm/der-asn1';
import {
  decodeGssChecksum,
  decodeSpnegoToken,
  type GssChecksum,
  Krb5Acceptor,
} from '@postntlm/gssapi-spnego';
import { decrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import { ApReq, Authenticator, IakerbFinished, IakerbHeader } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  checkFinished,
  DIALECTS,
  decodeProxyToken,
  encodeProxyToken,
  finishedChecksum,
  IAKERB_OID,
  IakerbError,
  kerberosMessageType,
  krbErrorCodeOf,
  peekToken,
  Transcript,
  WINDOWS_HEADER_FLAGS,
} from '../src/index.js';

const VECTORS = fileURLToPath(new URL('./vectors/', import.meta.url));
const MIT = `${VECTORS}mit-1.22/`;
const ENCTYPES = [
  ['aes256-cts-hmac-sha1-96', 18, 16],
  ['aes256-cts-hmac-sha384-192', 20, 20],
] as const;
const SCENARIOS = [
  '1-as-via-proxy',
  '2-realm-discovery',
  '3-tgs-only-existing-tgt',
  '4-negative-acceptor-without-iakerb',
  '5-cached-service-ticket',
] as const;
const WITH_FINISHED = ['1-as-via-proxy', '2-realm-discovery', '3-tgs-only-existing-tgt'] as const;

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.trim(), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const text = new TextEncoder();

interface TokenJson {
  readonly file: string;
  readonly direction: 'initiator' | 'acceptor';
  readonly hex: string;
  readonly role: string;
  readonly framed?: boolean;
  readonly tok_id?: string;
  readonly iakerb_header?: { realm: string; realm_tag: number; cookie: string | null; header_der: string };
  readonly kerberos_message?: { type: string; error_code?: number };
  readonly kerberos_message_hex?: string;
  readonly authenticator?: { subkey: { etype: number; key: string } };
  readonly ticket?: { session_key: { etype: number; key: string } };
  readonly gss_checksum_8003?: { exts: { type: number; length: number; data: string }[] };
}

interface ExchangeJson {
  readonly scenario: string;
  readonly enctype: number;
  readonly tokens: TokenJson[];
  readonly finished: null | {
    cksumtype?: number;
    checksum?: string;
    subkey?: string;
    finished_der?: string;
    transcript_files?: string[];
    transcript_hex?: string;
  };
}

interface WireToken {
  readonly file: string;
  readonly direction: 'initiator' | 'acceptor';
  readonly bytes: Uint8Array;
  readonly json: TokenJson;
}

function scenario(enctypeDir: string, name: string) {
  const dir = `${MIT}${enctypeDir}/${name}/`;
  const exchange = JSON.parse(readFileSync(`${dir}exchange.json`, 'utf8')) as ExchangeJson;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort();
  const tokens: WireToken[] = files.map((file) => {
    const json = exchange.tokens.find((t) => t.file === file);
    if (json === undefined) throw new Error(`${file} is not in exchange.json`);
    return {
      file,
      direction: file.includes('-initiator-') ? 'initiator' : 'acceptor',
      bytes: hex(readFileSync(`${dir}${file}`, 'utf8')),
      json,
    };
  });
  let kdcLeg: { file: string; bytes: Uint8Array }[] = [];
  try {
    kdcLeg = readdirSync(`${dir}kdc-leg`)
      .sort()
      .map((file) => ({ file, bytes: hex(readFileSync(`${dir}kdc-leg/${file}`, 'utf8')) }));
  } catch {
    // scenarios 4 and 5 have no KDC leg
  }
  return { exchange, tokens, kdcLeg };
}

/** The gss-sample control messages are empty: not GSS tokens. */
const gssTokens = (tokens: readonly WireToken[]) => tokens.filter((t) => t.bytes.length > 0);

describe.each(ENCTYPES)('MIT 1.22.2 captures, %s', (enctypeDir, etype, cksumtype) => {
  describe.each(SCENARIOS)('%s', (name) => {
    const { exchange, tokens, kdcLeg } = scenario(enctypeDir, name);

    it('the .hex files are the tokens of exchange.json', () => {
      expect(exchange.enctype).toBe(etype);
      for (const t of tokens) expect(toHex(t.bytes)).toBe(t.json.hex);
    });

    it('every proxy token decodes and re-encodes byte for byte', () => {
      const proxies = gssTokens(tokens).filter((t) => t.json.role === 'IAKERB_PROXY');
      if (name !== '5-cached-service-ticket') expect(proxies.length).toBeGreaterThan(0);
      for (const t of proxies) {
        expect(peekToken(t.bytes)).toEqual({ kind: 'proxy', mech: IAKERB_OID });
        const token = decodeProxyToken(t.bytes);
        const h = t.json.iakerb_header!;
        // Every MIT 1.22 token is framed, realm as UTF8String, no cookie, no header-flags.
        expect(token.framed).toBe(true);
        expect(h.realm_tag).toBe(0x0c);
        expect(token.header).toEqual({ targetRealm: h.realm, realmEncoding: 'utf8' });
        expect(h.cookie).toBeNull();
        expect(token.header.cookie).toBeUndefined();
        expect(token.header.headerFlags).toBeUndefined();
        expect(toHex(encode(IakerbHeader, token.header))).toBe(h.header_der);
        expect(toHex(token.message)).toBe(t.json.kerberos_message_hex);
        const messageType = kerberosMessageType(token.message);
        const expected = t.json.kerberos_message!.type.toLowerCase();
        expect(messageType).toBe(expected === '(empty)' ? 'realm-discovery' : expected);
        if (messageType === 'krb-error')
          expect(krbErrorCodeOf(token.message)).toBe(t.json.kerberos_message!.error_code);
        expect(toHex(encodeProxyToken(token.header, token.message, token.framed))).toBe(t.json.hex);
        // The bare form is the framed one without the RFC 2743 header, and decodes the same.
        const bare = encodeProxyToken(token.header, token.message, false);
        expect(toHex(t.bytes).endsWith(toHex(bare))).toBe(true);
        expect(decodeProxyToken(bare)).toEqual({ ...token, framed: false });
      }
    });

    it('each proxied message is the datagram the acceptor exchanged with the KDC', () => {
      const messages = gssTokens(tokens)
        .filter((t) => t.json.role === 'IAKERB_PROXY')
        .map((t) => decodeProxyToken(t.bytes).message)
        .filter((m) => m.length > 0);
      // Scenario 4's acceptor refused the first token: it never reached the KDC.
      if (name === '4-negative-acceptor-without-iakerb') expect(kdcLeg).toEqual([]);
      else expect(kdcLeg.map((k) => toHex(k.bytes))).toEqual(messages.map(toHex));
      for (const [i, k] of kdcLeg.entries()) {
        expect(k.file).toContain(i % 2 === 0 ? 'acceptor-to-kdc' : 'kdc-to-acceptor');
      }
    });

    it('AP-REQ, AP-REP and per-message tokens: kinds and mechanisms', () => {
      for (const t of gssTokens(tokens)) {
        const peek = peekToken(t.bytes);
        if (t.json.role.startsWith('AP-REQ')) expect(peek).toEqual({ kind: 'ap-req', mech: IAKERB_OID });
        else if (t.json.role === 'AP-REP') expect(peek).toEqual({ kind: 'ap-rep', mech: IAKERB_OID });
        else if (t.json.role.startsWith('RFC 4121')) {
          // Bare CFX tokens (05 04 Wrap, 04 04 MIC): no framing, not proxy tokens.
          expect(peek).toEqual({ kind: 'other', mech: undefined });
          expect(() => decodeProxyToken(t.bytes)).toThrow(IakerbError);
        } else expect(t.json.role).toBe('IAKERB_PROXY');
        if (t.json.role !== 'IAKERB_PROXY') {
          expect(() => decodeProxyToken(t.bytes)).toThrow(IakerbError);
        }
      }
    });

    if (name === '4-negative-acceptor-without-iakerb') {
      it('negative case: a plain krb5 acceptor (no IAKerb) refuses the first token and sends nothing, as MIT did', () => {
        // MIT's gss-server without -iakerb answered GSS_S_NO_CRED and closed the connection:
        // no error token, no KDC traffic. Our Krb5Acceptor (no IAKerb proxy) likewise refuses
        // the 05 01 token without an output token.
        const [first] = gssTokens(tokens);
        expect(first?.direction).toBe('initiator');
        const step = new Krb5Acceptor({ keytab: [] }).step(first!.bytes);
        expect(step.done).toBe(false);
        expect(step.error).toBeDefined();
        expect(step.outputToken).toBeUndefined();
        expect(kdcLeg).toEqual([]);
        // The token itself is an ordinary IAKerb AS-REQ, the same shape as scenario 1's first.
        expect(kerberosMessageType(decodeProxyToken(first!.bytes).message)).toBe('as-req');
      });
    }

    if ((WITH_FINISHED as readonly string[]).includes(name)) {
      describe('IAKERB-FINISHED', () => {
        const proxies = gssTokens(tokens).filter((t) => t.json.role === 'IAKERB_PROXY');
        const apReq = tokens.find((t) => t.json.role.startsWith('AP-REQ'))!;
        const fin = exchange.finished!;
        const subkey: Key = { enctype: etype, bytes: hex(fin.subkey!) };
        const transcriptOf = (list: readonly Uint8Array[]) => {
          const t = new Transcript();
          for (const b of list) t.add(b);
          return t;
        };
        // The 0x8003 checksum, decrypted from the captured AP-REQ with the ticket session key.
        const gssChecksum = (): GssChecksum => {
          const sessionKey = apReq.json.ticket!.session_key;
          const inner = apReqOfToken(apReq.bytes);
          const req = decode(ApReq, inner);
          const auth = decode(
            Authenticator,
            decrypt(
              { enctype: sessionKey.etype, bytes: hex(sessionKey.key) },
              KeyUsage.AP_REQ_AUTH,
              req.authenticator.cipher,
            ),
          );
          expect(toHex(auth.subkey!.keyvalue)).toBe(fin.subkey);
          return decodeGssChecksum(auth.cksum!.checksum);
        };

        it('the transcript is every proxy token of both directions in wire order', () => {
          expect(proxies.map((t) => t.file)).toEqual(fin.transcript_files);
          expect(toHex(transcriptOf(proxies.map((t) => t.bytes)).bytes())).toBe(fin.transcript_hex);
          expect(proxies.some((t) => t.direction === 'acceptor')).toBe(true);
        });

        it("finishedChecksum(subkey, transcript, 41) equals MIT's checksum in the AP-REQ", () => {
          const transcript = concat(proxies.map((t) => t.bytes));
          const mic = finishedChecksum(subkey, transcript, KeyUsage.IAKERB_FINISHED);
          expect(mic.cksumtype).toBe(cksumtype);
          expect(mic.cksumtype).toBe(fin.cksumtype);
          expect(toHex(mic.checksum)).toBe(fin.checksum);
          expect(toHex(encode(IakerbFinished, { iakerbMic: mic }))).toBe(fin.finished_der);
          const ext = gssChecksum().extensions;
          expect(ext.map((e) => [e.type, toHex(e.data)])).toEqual([[2, fin.finished_der]]);
          // Not usage 42 (MIT <= 1.21's number).
          expect(toHex(finishedChecksum(subkey, transcript, 42).checksum)).not.toBe(fin.checksum);
        });

        it('checkFinished accepts it, and rejects a changed bit, a missing token and usage 42', () => {
          const checksum = gssChecksum();
          const list = proxies.map((t) => t.bytes);
          expect(() =>
            checkFinished(checksum, subkey, transcriptOf(list), DIALECTS.draft, true),
          ).not.toThrow();
          const code = (f: () => void) => {
            try {
              f();
            } catch (e) {
              expect(e).toBeInstanceOf(IakerbError);
              return (e as IakerbError).code;
            }
            return 'accepted';
          };
          for (let i = 0; i < list.length; i++) {
            // One bit flipped in token i (in the middle of it, and in its last byte).
            for (const at of [list[i]!.length >> 1, list[i]!.length - 1]) {
              const changed = list.map((b) => b.slice());
              const token = changed[i]!;
              token[at] = token[at]! ^ 0x01;
              expect(
                code(() => checkFinished(checksum, subkey, transcriptOf(changed), DIALECTS.draft, true)),
              ).toBe('finished-invalid');
            }
            // Token i missing.
            const missing = list.filter((_, j) => j !== i);
            expect(
              code(() => checkFinished(checksum, subkey, transcriptOf(missing), DIALECTS.draft, true)),
            ).toBe('finished-invalid');
          }
          // Tokens swapped (order matters).
          if (list.length >= 2) {
            const swapped = [list[1]!, list[0]!, ...list.slice(2)];
            expect(
              code(() => checkFinished(checksum, subkey, transcriptOf(swapped), DIALECTS.draft, true)),
            ).toBe('finished-invalid');
          }
          // Usage 42 instead of 41.
          const usage42 = { ...DIALECTS.draft, finishedUsage: KeyUsage.IAKERB_FINISHED_MIT_LEGACY };
          expect(code(() => checkFinished(checksum, subkey, transcriptOf(list), usage42, true))).toBe(
            'finished-invalid',
          );
          // Another key.
          const otherKey: Key = { enctype: etype, bytes: subkey.bytes.map((b) => b ^ 0xff) };
          expect(
            code(() => checkFinished(checksum, otherKey, transcriptOf(list), DIALECTS.draft, true)),
          ).toBe('finished-invalid');
          // No subkey.
          expect(
            code(() => checkFinished(checksum, undefined, transcriptOf(list), DIALECTS.draft, true)),
          ).toBe('finished-invalid');
          // Present although no proxy token was exchanged.
          expect(code(() => checkFinished(checksum, subkey, new Transcript(), DIALECTS.draft, true))).toBe(
            'finished-invalid',
          );
          // Absent although proxy tokens were exchanged: missing when required, fine otherwise.
          const without: GssChecksum = { ...checksum, extensions: [] };
          expect(code(() => checkFinished(without, subkey, transcriptOf(list), DIALECTS.draft, true))).toBe(
            'finished-missing',
          );
          expect(code(() => checkFinished(without, subkey, transcriptOf(list), DIALECTS.draft, false))).toBe(
            'accepted',
          );
          // The legacy dialect looks for extension type 1 and finds none.
          expect(
            code(() => checkFinished(checksum, subkey, transcriptOf(list), DIALECTS['mit-legacy'], true)),
          ).toBe('finished-missing');
        });
      });
    }

    if (name === '5-cached-service-ticket') {
      it('no proxy token, and no FINISHED extension in the AP-REQ', () => {
        const apReq = gssTokens(tokens).find((t) => t.json.role.startsWith('AP-REQ'))!;
        expect(gssTokens(tokens).filter((t) => t.json.role === 'IAKERB_PROXY')).toEqual([]);
        expect(apReq.json.gss_checksum_8003?.exts).toEqual([]);
        expect(exchange.finished ?? {}).toEqual({});
      });
    }
  });
});

/** The AP-REQ of an IAKerb-framed 01 00 token. */
function apReqOfToken(bytes: Uint8Array): Uint8Array {
  // 60 len 06 06 2B0601050205 01 00 AP-REQ
  const lengthBytes = bytes[1]! < 0x80 ? 0 : bytes[1]! & 0x7f;
  const start = 2 + lengthBytes + 8;
  expect(toHex(bytes.subarray(start - 8, start))).toBe('06062b0601050205');
  expect(toHex(bytes.subarray(start, start + 2))).toBe('0100');
  return bytes.subarray(start + 2);
}

describe('MIT t_iakerb.c realm discovery (mit-realm-discovery.json)', () => {
  const json = JSON.parse(readFileSync(`${VECTORS}mit-realm-discovery.json`, 'utf8')) as {
    vectors: { name: string; token_hex: string }[];
  };
  const vector = (name: string) => hex(json.vectors.find((v) => v.name === name)!.token_hex);

  it('the query: empty UTF8String realm, no cookie, no message, framed', () => {
    const bytes = vector('realm_query');
    const token = decodeProxyToken(bytes);
    expect(token).toEqual({
      header: { targetRealm: '', realmEncoding: 'utf8' },
      message: new Uint8Array(0),
      framed: true,
    });
    expect(kerberosMessageType(token.message)).toBe('realm-discovery');
    expect(toHex(encodeProxyToken({ targetRealm: '', realmEncoding: 'utf8' }, new Uint8Array(0), true))).toBe(
      toHex(bytes),
    );
  });

  it('the response: KRBTEST.COM, no message', () => {
    const bytes = vector('realm_response');
    const token = decodeProxyToken(bytes);
    expect(token).toEqual({
      header: { targetRealm: 'KRBTEST.COM', realmEncoding: 'utf8' },
      message: new Uint8Array(0),
      framed: true,
    });
    expect(toHex(encodeProxyToken(token.header, token.message, true))).toBe(toHex(bytes));
  });

  it('the 1.22.2 captures carry the same two tokens', () => {
    for (const [dir] of ENCTYPES) {
      const { tokens } = scenario(dir, '2-realm-discovery');
      const [query, response] = gssTokens(tokens);
      expect(toHex(query!.bytes)).toBe(toHex(vector('realm_query')));
      expect(toHex(response!.bytes)).toBe(toHex(vector('realm_response')));
    }
  });
});

describe('Windows build 29617 acceptor tokens (windows-29617-exchange.json, from scapy)', () => {
  const json = JSON.parse(readFileSync(`${VECTORS}windows-29617-exchange.json`, 'utf8')) as {
    tokens: {
      spnego_token_hex: string;
      gss_token_hex: string;
      gss_mech_oid: string;
      gss_tok_id_hex: string;
      iakerb_header_hex?: string;
      kerberos_message_hex: string;
      mech_list_mic_hex?: string;
    }[];
  };
  const proxies = json.tokens.slice(0, 3);

  it('realm ".", header-flags 01000000 kept and re-emitted, KRB-ERROR 25 / AS-REP / TGS-REP inside', () => {
    const types: string[] = [];
    for (const t of proxies) {
      const bytes = hex(t.gss_token_hex);
      expect(t.gss_mech_oid).toBe(IAKERB_OID);
      expect(peekToken(bytes)).toEqual({ kind: 'proxy', mech: IAKERB_OID });
      const token = decodeProxyToken(bytes);
      expect(token.framed).toBe(true);
      expect(token.header.targetRealm).toBe('.');
      expect(token.header.realmEncoding).toBe('utf8');
      expect(token.header.cookie).toBeUndefined();
      expect(token.header.headerFlags).toEqual({ bytes: Uint8Array.of(1, 0, 0, 0), unusedBits: 0 });
      expect(token.header.headerFlags).toEqual(WINDOWS_HEADER_FLAGS);
      expect(toHex(encode(IakerbHeader, token.header))).toBe(t.iakerb_header_hex);
      expect(toHex(token.message)).toBe(t.kerberos_message_hex);
      expect(toHex(encodeProxyToken(token.header, token.message, true))).toBe(t.gss_token_hex);
      // Our acceptor's Windows header is byte-identical.
      expect(
        toHex(
          encodeProxyToken(
            { targetRealm: '.', realmEncoding: 'utf8', headerFlags: WINDOWS_HEADER_FLAGS },
            token.message,
            true,
          ),
        ),
      ).toBe(t.gss_token_hex);
      types.push(kerberosMessageType(token.message));
    }
    expect(types).toEqual(['krb-error', 'as-rep', 'tgs-rep']);
    expect(krbErrorCodeOf(decodeProxyToken(hex(proxies[0]!.gss_token_hex)).message)).toBe(25);
  });

  it('the GSS tokens are the SPNEGO responseTokens', () => {
    for (const t of json.tokens) {
      const spnego = decodeSpnegoToken(hex(t.spnego_token_hex));
      expect(spnego.kind).toBe('resp');
      if (spnego.kind !== 'resp') continue;
      expect(toHex(spnego.responseToken!)).toBe(t.gss_token_hex);
      if (t.mech_list_mic_hex !== undefined) expect(toHex(spnego.mechListMIC!)).toBe(t.mech_list_mic_hex);
    }
  });

  it('the AP-REP comes under the krb5 OID (not IAKerb) and is no proxy token', () => {
    const t = json.tokens[3]!;
    const bytes = hex(t.gss_token_hex);
    expect(t.gss_tok_id_hex).toBe('0200');
    expect(peekToken(bytes)).toEqual({ kind: 'ap-rep', mech: Oid.krb5 });
    expect(() => decodeProxyToken(bytes)).toThrow(IakerbError);
  });
});

describe("MIT's IAKERB ASN.1 reference encodings (mit-iakerb-asn1.json)", () => {
  const json = JSON.parse(readFileSync(`${VECTORS}mit-iakerb-asn1.json`, 'utf8')) as {
    vectors: { name: string; der_hex: string }[];
  };
  const der = (name: string) => hex(json.vectors.find((v) => v.name === name)!.der_hex);

  it('has the three cases this test knows', () => {
    expect(json.vectors.map((v) => v.name)).toEqual([
      'encode_krb5_iakerb_header',
      'encode_krb5_iakerb_finished',
      'windows_header_realm_dot_with_flags',
    ]);
  });

  it('encode_krb5_iakerb_header: realm and cookie "krb5data"', () => {
    const bytes = der('encode_krb5_iakerb_header');
    const header = decode(IakerbHeader, bytes);
    expect(header).toEqual({
      targetRealm: 'krb5data',
      realmEncoding: 'utf8',
      cookie: text.encode('krb5data'),
    });
    expect(toHex(encode(IakerbHeader, header))).toBe(toHex(bytes));
    // In a proxy token, the cookie survives decoding and re-encoding (framed and bare).
    for (const framed of [true, false]) {
      const message = hex('6a0130');
      const token = encodeProxyToken(header, message, framed);
      expect(toHex(token)).toContain(toHex(bytes) + toHex(message));
      const back = decodeProxyToken(token);
      expect(back).toEqual({ header, message, framed });
      expect(toHex(encodeProxyToken(back.header, back.message, back.framed))).toBe(toHex(token));
    }
  });

  it('encode_krb5_iakerb_finished: cksumtype 1, checksum "1234"', () => {
    const bytes = der('encode_krb5_iakerb_finished');
    const finished = decode(IakerbFinished, bytes);
    expect(finished.iakerbMic.cksumtype).toBe(1);
    expect(finished.iakerbMic.checksum).toEqual(text.encode('1234'));
    expect(toHex(encode(IakerbFinished, finished))).toBe(toHex(bytes));
  });

  it('windows_header_realm_dot_with_flags: the header our Windows-dialect acceptor sends', () => {
    const bytes = der('windows_header_realm_dot_with_flags');
    const header = decode(IakerbHeader, bytes);
    expect(header).toEqual({ targetRealm: '.', realmEncoding: 'utf8', headerFlags: WINDOWS_HEADER_FLAGS });
    expect(
      toHex(
        encode(IakerbHeader, { targetRealm: '.', realmEncoding: 'utf8', headerFlags: WINDOWS_HEADER_FLAGS }),
      ),
    ).toBe(toHex(bytes));
  });
});
