/**
 * Replays MIT krb5 1.22.2's initiator tokens (test/vectors/mit-1.22) into our IakerbAcceptor:
 * with a KDC transport that checks each request against the captured acceptor-to-KDC
 * datagram and answers with the captured reply, a clock at the capture time and the
 * captured service key, our acceptor must send MIT's acceptor tokens byte for byte, then
 * accept MIT's AP-REQ (FINISHED verified).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode } from '@postntlm/der-asn1';
import {
  decodeKrb5ContextToken,
  MemoryReplayCache,
  TokenId,
  unwrapToken,
  verifyMicToken,
} from '@postntlm/gssapi-spnego';
import { decrypt, type Key, KeyUsage } from '@postntlm/krb5-crypto';
import {
  ApRep,
  ApReq,
  Authenticator,
  EncApRepPart,
  type KeytabEntry,
  parsePrincipal,
} from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  IakerbAcceptor,
  type IakerbAcceptorOptions,
  IakerbError,
  type KdcTransport,
  peekToken,
} from '../src/index.js';

const MIT = fileURLToPath(new URL('./vectors/mit-1.22/', import.meta.url));
const ENCTYPES = [
  ['aes256-cts-hmac-sha1-96', 18],
  ['aes256-cts-hmac-sha384-192', 20],
] as const;
const REALM = 'KRBTEST.COM';
const SERVICE = 'host/localhost@KRBTEST.COM';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.trim(), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

interface TokenJson {
  readonly file: string;
  readonly role: string;
  readonly ticket?: { session_key: { etype: number; key: string } };
  readonly authenticator?: { subkey: { etype: number; key: string } };
  readonly enc_part?: { acceptor_subkey?: { etype: number; key: string } };
  readonly plaintext?: string;
}

interface Capture {
  readonly initiator: { file: string; bytes: Uint8Array }[];
  readonly acceptor: { file: string; bytes: Uint8Array }[];
  /** [acceptor-to-kdc, kdc-to-acceptor] pairs in order. */
  readonly kdcLeg: [Uint8Array, Uint8Array][];
  readonly json: TokenJson[];
  readonly hostKey: Key;
}

function load(enctypeDir: string, scenario: string, etype: number): Capture {
  const dir = `${MIT}${enctypeDir}/${scenario}/`;
  const read = (file: string) => hex(readFileSync(`${dir}${file}`, 'utf8'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort();
  // Context tokens only: the gss-sample control messages are empty; the bare RFC 4121
  // per-message tokens come after establishment.
  const context = files.filter((f) => f.includes('-context'));
  const kdcFiles = (() => {
    try {
      return readdirSync(`${dir}kdc-leg`).sort();
    } catch {
      return [];
    }
  })();
  const kdcLeg: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < kdcFiles.length; i += 2) {
    expect(kdcFiles[i]).toMatch(/acceptor-to-kdc/);
    expect(kdcFiles[i + 1]).toMatch(/kdc-to-acceptor/);
    kdcLeg.push([read(`kdc-leg/${kdcFiles[i]}`), read(`kdc-leg/${kdcFiles[i + 1]}`)]);
  }
  const keys = readFileSync(`${dir}keys.txt`, 'utf8');
  const host =
    /principal host\/localhost@KRBTEST\.COM\n(?:.*\n)*?\s+etype\s+(\d+).*\n\s+kvno\s+(\d+)\n\s+key\s+([0-9a-f]+)/.exec(
      keys,
    );
  if (host === null) throw new Error('no host/localhost key in keys.txt');
  expect(Number(host[1])).toBe(etype);
  expect(Number(host[2])).toBe(1);
  return {
    initiator: context.filter((f) => f.includes('-initiator-')).map((file) => ({ file, bytes: read(file) })),
    acceptor: context.filter((f) => f.includes('-acceptor-')).map((file) => ({ file, bytes: read(file) })),
    kdcLeg,
    json: (JSON.parse(readFileSync(`${dir}exchange.json`, 'utf8')) as { tokens: TokenJson[] }).tokens,
    hostKey: { enctype: etype, bytes: hex(host[3]!) },
  };
}

const perMessage = (enctypeDir: string, scenario: string) => {
  const dir = `${MIT}${enctypeDir}/${scenario}/`;
  const files = readdirSync(dir);
  const read = (re: RegExp) => hex(readFileSync(`${dir}${files.find((f) => re.test(f))!}`, 'utf8'));
  return { wrap: read(/-initiator-data\+wrapped/), mic: read(/-acceptor-mic\.hex$/) };
};

/** The AP-REQ's ticket session key (from exchange.json) and authenticator (decrypted with it). */
function authenticatorOf(capture: Capture, apReqBytes: Uint8Array) {
  const json = capture.json.find((t) => t.role.startsWith('AP-REQ'))!;
  const sessionKey: Key = {
    enctype: json.ticket!.session_key.etype,
    bytes: hex(json.ticket!.session_key.key),
  };
  const token = decodeKrb5ContextToken(apReqBytes);
  expect(token.tokenId).toBe(TokenId.AP_REQ);
  const apReq = decode(ApReq, token.message);
  const auth = decode(Authenticator, decrypt(sessionKey, KeyUsage.AP_REQ_AUTH, apReq.authenticator.cipher));
  expect(toHex(auth.subkey!.keyvalue)).toBe(json.authenticator!.subkey.key);
  return { sessionKey, auth, ctimeMs: auth.ctime.getTime() + Math.floor(auth.cusec / 1000) };
}

/** Answers each request with the captured reply, after checking it is the captured request. */
function replayTransport(kdcLeg: readonly [Uint8Array, Uint8Array][]) {
  const seen: string[] = [];
  let next = 0;
  const transport: KdcTransport = {
    async send(realm, request) {
      seen.push(realm);
      const pair = kdcLeg[next++];
      if (pair === undefined) throw new Error(`unexpected KDC request #${next}`);
      expect(realm).toBe(REALM);
      expect(toHex(request)).toBe(toHex(pair[0]));
      return pair[1].slice();
    },
  };
  return { transport, seen, used: () => next };
}

function acceptorFor(
  capture: Capture,
  clockMs: number,
  kdc: KdcTransport,
  extra: Partial<IakerbAcceptorOptions> = {},
) {
  const keytab: KeytabEntry[] = [
    {
      principal: parsePrincipal(SERVICE),
      timestamp: new Date(0),
      kvno: 1,
      key: { enctype: capture.hostKey.enctype, bytes: capture.hostKey.bytes },
    },
  ];
  return new IakerbAcceptor({
    realm: REALM,
    kdc,
    keytab,
    principal: SERVICE,
    clock: { now: () => clockMs },
    replayCache: new MemoryReplayCache(),
    ...extra,
  });
}

describe.each(ENCTYPES)('replay of MIT 1.22.2 into IakerbAcceptor, %s', (enctypeDir, etype) => {
  describe.each(['1-as-via-proxy', '2-realm-discovery', '3-tgs-only-existing-tgt'])('%s', (scenario) => {
    const capture = load(enctypeDir, scenario, etype);
    const apReqBytes = capture.initiator.at(-1)!.bytes;
    const { sessionKey, auth, ctimeMs } = authenticatorOf(capture, apReqBytes);

    it("sends MIT's acceptor tokens byte for byte and accepts MIT's AP-REQ with FINISHED", async () => {
      const kdc = replayTransport(capture.kdcLeg);
      const acceptor = acceptorFor(capture, ctimeMs, kdc.transport);
      // Every initiator context token but the last is a proxy token answered by the next acceptor token.
      expect(capture.initiator.length).toBe(capture.acceptor.length);
      for (const [i, token] of capture.initiator.entries()) {
        const step = await acceptor.step(token.bytes);
        expect(step.error).toBeUndefined();
        if (i < capture.initiator.length - 1) {
          expect(peekToken(token.bytes).kind).toBe('proxy');
          expect(step.done).toBe(false);
          expect(toHex(step.outputToken!)).toBe(toHex(capture.acceptor[i]!.bytes));
        } else {
          expect(peekToken(token.bytes).kind).toBe('ap-req');
          expect(step.done).toBe(true);
          expect(peekToken(step.outputToken!)).toEqual({ kind: 'ap-rep', mech: '1.3.6.1.5.2.5' });
          // Our AP-REP: for MIT's authenticator, with a fresh acceptor subkey of the same enctype.
          const apRep = decode(ApRep, decodeKrb5ContextToken(step.outputToken!).message);
          const enc = decode(
            EncApRepPart,
            decrypt(sessionKey, KeyUsage.AP_REP_ENCPART, apRep.encPart.cipher),
          );
          expect(enc.ctime.getTime()).toBe(auth.ctime.getTime());
          expect(enc.cusec).toBe(auth.cusec);
          expect(enc.subkey?.keytype).toBe(etype);
        }
      }
      expect(kdc.used()).toBe(capture.kdcLeg.length);
      expect(acceptor.dialect).toBe('draft');
      expect(acceptor.proxyTokens).toBe(2 * (capture.initiator.length - 1));
      const context = acceptor.context!;
      expect(acceptor.client).toEqual(context.client);
      expect(context.client.realm).toBe(REALM);
      expect(context.client.name.nameString).toEqual(['user']);
      expect(context.server.name.nameString).toEqual(['host', 'localhost']);
      // FINISHED was there (extension 2), and verified: requireFinished defaults to true.
      expect(context.gssChecksum?.extensions.map((e) => e.type)).toEqual([2]);
    });

    it('refuses the same AP-REQ when the transcript differs (none, one pair short, a KDC reply changed)', async () => {
      // No proxy token at all: FINISHED present although nothing was proxied.
      const alone = await acceptorFor(capture, ctimeMs, replayTransport([]).transport).step(apReqBytes);
      expect(alone.done).toBe(false);
      expect((alone.error as IakerbError).code).toBe('finished-invalid');
      // Only the first exchange proxied (when there was more than one): FINISHED does not match.
      if (capture.initiator.length > 2) {
        const acceptor = acceptorFor(capture, ctimeMs, replayTransport(capture.kdcLeg).transport);
        const first = await acceptor.step(capture.initiator[0]!.bytes);
        expect(toHex(first.outputToken!)).toBe(toHex(capture.acceptor[0]!.bytes));
        const short = await acceptor.step(apReqBytes);
        expect(short.done).toBe(false);
        expect(short.error).toBeInstanceOf(IakerbError);
        expect((short.error as IakerbError).code).toBe('finished-invalid');
      }
      // The last KDC reply altered by one bit on its way: the acceptor's token (and so the
      // transcript) differs from what MIT's initiator saw.
      const altered = capture.kdcLeg.map(([req, rep], i): [Uint8Array, Uint8Array] => {
        if (i < capture.kdcLeg.length - 1) return [req, rep];
        const changed = rep.slice();
        changed[changed.length - 1] = changed[changed.length - 1]! ^ 0x01;
        return [req, changed];
      });
      const acceptor = acceptorFor(capture, ctimeMs, replayTransport(altered).transport);
      for (const token of capture.initiator.slice(0, -1))
        expect((await acceptor.step(token.bytes)).error).toBeUndefined();
      const step = await acceptor.step(apReqBytes);
      expect(step.done).toBe(false);
      expect((step.error as IakerbError).code).toBe('finished-invalid');
    });

    it("MIT's Wrap and MIC tokens check with MIT's acceptor subkey (from the captured AP-REP)", () => {
      const apRep = decode(ApRep, decodeKrb5ContextToken(capture.acceptor.at(-1)!.bytes).message);
      const enc = decode(EncApRepPart, decrypt(sessionKey, KeyUsage.AP_REP_ENCPART, apRep.encPart.cipher));
      const json = capture.json.find((t) => t.role === 'AP-REP')!;
      expect(toHex(enc.subkey!.keyvalue)).toBe(json.enc_part!.acceptor_subkey!.key);
      const mitSubkey: Key = { enctype: enc.subkey!.keytype, bytes: enc.subkey!.keyvalue };
      const { wrap, mic } = perMessage(enctypeDir, scenario);
      const unwrapped = unwrapToken(mitSubkey, wrap);
      expect(new TextDecoder().decode(unwrapped.message)).toBe('hello iakerb');
      expect(unwrapped.header.acceptorSubkey).toBe(true);
      expect(unwrapped.header.sentByAcceptor).toBe(false);
      const header = verifyMicToken(mitSubkey, mic, unwrapped.message);
      expect(header.sentByAcceptor).toBe(true);
      // The initiator chose its own subkey; the Wrap token is under the acceptor's.
      expect(() =>
        unwrapToken(
          { enctype: etype, bytes: hex(json.enc_part!.acceptor_subkey!.key).map((b) => b ^ 1) },
          wrap,
        ),
      ).toThrow();
    });
  });

  describe('5-cached-service-ticket', () => {
    const capture = load(enctypeDir, '5-cached-service-ticket', etype);

    it('no proxy tokens: the AP-REQ without FINISHED is accepted', async () => {
      expect(capture.initiator.length).toBe(1);
      expect(capture.kdcLeg).toEqual([]);
      const apReqBytes = capture.initiator[0]!.bytes;
      const { ctimeMs } = authenticatorOf(capture, apReqBytes);
      const kdc = replayTransport([]);
      const acceptor = acceptorFor(capture, ctimeMs, kdc.transport);
      const step = await acceptor.step(apReqBytes);
      expect(step.error).toBeUndefined();
      expect(step.done).toBe(true);
      expect(peekToken(step.outputToken!).kind).toBe('ap-rep');
      expect(acceptor.proxyTokens).toBe(0);
      expect(kdc.used()).toBe(0);
      expect(acceptor.context?.client.name.nameString).toEqual(['user']);
      expect(acceptor.context?.client.realm).toBe(REALM);
      expect(acceptor.context?.gssChecksum?.extensions).toEqual([]);
    });

    it("MIT's Wrap and MIC tokens check with MIT's acceptor subkey", () => {
      const json = capture.json.find((t) => t.role === 'AP-REP')!;
      const { sessionKey } = authenticatorOf(capture, capture.initiator[0]!.bytes);
      const apRep = decode(ApRep, decodeKrb5ContextToken(capture.acceptor[0]!.bytes).message);
      const enc = decode(EncApRepPart, decrypt(sessionKey, KeyUsage.AP_REP_ENCPART, apRep.encPart.cipher));
      expect(toHex(enc.subkey!.keyvalue)).toBe(json.enc_part!.acceptor_subkey!.key);
      const mitSubkey: Key = { enctype: enc.subkey!.keytype, bytes: enc.subkey!.keyvalue };
      const { wrap, mic } = perMessage(enctypeDir, '5-cached-service-ticket');
      const message = unwrapToken(mitSubkey, wrap).message;
      expect(new TextDecoder().decode(message)).toBe('hello iakerb');
      expect(verifyMicToken(mitSubkey, mic, message).sentByAcceptor).toBe(true);
    });
  });

  describe('4-negative-acceptor-without-iakerb', () => {
    // MIT's gss-server without -iakerb refused this token with GSS_S_NO_CRED (no token back,
    // no KDC traffic); the capture therefore has no acceptor token and no KDC leg to replay.
    // It is the same first token as scenario 1 (byte-identical but for the AS-REQ's random
    // nonce and till): an IAKerb acceptor forwards it to the KDC.
    const capture = load(enctypeDir, '4-negative-acceptor-without-iakerb', etype);

    it('our IAKerb acceptor forwards the refused token to the KDC; a KDC that does not answer gives KRB-ERROR 86', async () => {
      expect(capture.acceptor).toEqual([]);
      expect(capture.kdcLeg).toEqual([]);
      const requests: Uint8Array[] = [];
      const acceptor = acceptorFor(capture, Date.UTC(2026, 10, 21, 23, 58), {
        async send(realm, request) {
          expect(realm).toBe(REALM);
          requests.push(request);
          throw new IakerbError('kdc-no-response', 'no KDC in this test');
        },
      });
      const step = await acceptor.step(capture.initiator[0]!.bytes);
      expect(step.error).toBeUndefined();
      expect(requests.length).toBe(1);
      expect(requests[0]![0]).toBe(0x6a);
      expect(peekToken(step.outputToken!).kind).toBe('proxy');
    });
  });
});
