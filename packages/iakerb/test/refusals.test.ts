/** What the acceptor and initiator refuse, and how: every refusal is a typed IakerbError. */
import { createSocket } from 'node:dgram';
import { decode } from '@postntlm/der-asn1';
import { GssChecksumExtensionType, Krb5Initiator } from '@postntlm/gssapi-spnego';
import { KrbError } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  decodeProxyToken,
  encodeProxyToken,
  engineTransport,
  IAKERB_OID,
  IakerbAcceptor,
  type IakerbAcceptorOptions,
  IakerbError,
  IakerbInitiator,
  type IakerbInitiatorOptions,
  type KdcTransport,
  networkTransport,
} from '../src/index.js';
import { PASSWORD, SERVICE, type TestRealm, testRealm } from './helpers.js';

const udp = (port: number) => ({
  kind: 'host' as const,
  transport: 'udp' as const,
  host: '127.0.0.1',
  port,
  spec: `udp/127.0.0.1:${port}`,
});

function iakerbError(e: unknown, code: string): IakerbError {
  expect(e).toBeInstanceOf(IakerbError);
  expect((e as IakerbError).code).toBe(code);
  return e as IakerbError;
}

/** Runs the flow until the initiator has its service ticket and produced the AP-REQ; returns both sides. */
async function upToApReq(
  r: TestRealm,
  acceptorOptions: Partial<IakerbAcceptorOptions> = {},
  initiatorOptions: Partial<IakerbInitiatorOptions> = {},
) {
  const initiator = new IakerbInitiator({
    client: `alice@${r.realm}`,
    credentials: { password: PASSWORD },
    server: SERVICE,
    ...initiatorOptions,
  });
  const acceptor = new IakerbAcceptor({
    realm: r.realm,
    kdc: engineTransport(r.kdc),
    keytab: r.keytab,
    ...acceptorOptions,
  });
  let step = await initiator.step();
  while (step.outputToken !== undefined && initiator.serviceTicket === undefined) {
    const reply = await acceptor.step(step.outputToken);
    if (reply.error) throw reply.error;
    step = await initiator.step(reply.outputToken);
    if (step.error) throw step.error;
  }
  return { initiator, acceptor, apReq: step.outputToken as Uint8Array };
}

function apReqWith(initiator: IakerbInitiator, extensions: { type: number; data: Uint8Array }[]): Uint8Array {
  const step = new Krb5Initiator({
    credential: initiator.serviceTicket!,
    mech: IAKERB_OID,
    extensions,
  }).step();
  return step.outputToken as Uint8Array;
}

describe('the allow-list', () => {
  it('answers KRB-ERROR 85 for a realm it does not serve and sends nothing there', async () => {
    const r = await testRealm();
    const other = createSocket('udp4');
    const received: Buffer[] = [];
    other.on('message', (m) => received.push(m));
    await new Promise<void>((resolve) => other.bind(0, '127.0.0.1', resolve));
    const port = other.address().port;
    try {
      const acceptor = new IakerbAcceptor({
        realm: r.realm,
        keytab: r.keytab,
        kdc: networkTransport({
          kdcs: { 'OTHER.TEST': [{ address: udp(port), source: 'config' }] },
        }),
      });
      const initiator = new IakerbInitiator({
        client: 'alice@OTHER.TEST',
        credentials: { password: PASSWORD },
        server: SERVICE,
      });
      const first = await initiator.step();
      const reply = await acceptor.step(first.outputToken as Uint8Array);
      expect(reply.error).toBeUndefined();
      const token = decodeProxyToken(reply.outputToken as Uint8Array);
      const error = decode(KrbError, token.message);
      expect(error.errorCode).toBe(85);
      expect(token.header.targetRealm).toBe('OTHER.TEST');
      const last = await initiator.step(reply.outputToken);
      iakerbError(last.error, 'kdc-not-found');
      await new Promise((res) => setTimeout(res, 100));
      expect(received).toHaveLength(0);
    } finally {
      other.close();
    }
  });

  it('KRB-ERROR 86 when the KDC does not answer in time', async () => {
    const r = await testRealm();
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const acceptor = new IakerbAcceptor({
        realm: r.realm,
        keytab: r.keytab,
        kdcTimeoutMs: 300,
        kdc: networkTransport({
          kdcs: { [r.realm]: [{ address: udp(silent.address().port), source: 'config' }] },
          perTryTimeoutMs: 100,
        }),
      });
      const initiator = new IakerbInitiator({
        client: `alice@${r.realm}`,
        credentials: { password: PASSWORD },
        server: SERVICE,
      });
      const reply = await acceptor.step((await initiator.step()).outputToken as Uint8Array);
      expect(decode(KrbError, decodeProxyToken(reply.outputToken as Uint8Array).message).errorCode).toBe(86);
      iakerbError((await initiator.step(reply.outputToken)).error, 'kdc-no-response');
    } finally {
      silent.close();
    }
  });
});

describe('limits', () => {
  it('refuses the 27th proxied message of a context', async () => {
    const r = await testRealm();
    let sent = 0;
    const kdc: KdcTransport = {
      async send(realm, request, options) {
        sent += 1;
        return engineTransport(r.kdc).send(realm, request, options);
      },
    };
    const acceptor = new IakerbAcceptor({ realm: r.realm, kdc, keytab: r.keytab });
    const asReq = (
      await new IakerbInitiator({
        client: `alice@${r.realm}`,
        credentials: { password: PASSWORD },
        server: SERVICE,
      }).step()
    ).outputToken as Uint8Array;
    for (let i = 0; i < 26; i++) expect((await acceptor.step(asReq)).error).toBeUndefined();
    iakerbError((await acceptor.step(asReq)).error, 'too-many-messages');
    expect(sent).toBe(26);
    iakerbError((await acceptor.step(asReq)).error, 'state');
  });

  it('refuses oversize, truncated, empty and foreign tokens with typed errors', async () => {
    const r = await testRealm();
    const asReq = (
      await new IakerbInitiator({
        client: `alice@${r.realm}`,
        credentials: { password: PASSWORD },
        server: SERVICE,
      }).step()
    ).outputToken as Uint8Array;
    const fresh = () =>
      new IakerbAcceptor({
        realm: r.realm,
        kdc: engineTransport(r.kdc),
        keytab: r.keytab,
        maxTokenBytes: 4096,
      });
    iakerbError((await fresh().step(new Uint8Array(5000))).error, 'malformed-token');
    iakerbError((await fresh().step(asReq.subarray(0, asReq.length - 1))).error, 'malformed-token');
    iakerbError((await fresh().step(new Uint8Array(0))).error, 'malformed-token');
    iakerbError((await fresh().step(Uint8Array.of(0x60, 0x03, 0x06, 0x01, 0x00))).error, 'malformed-token');
    // a realm without a message, and a message that is not a KDC request
    const header = { targetRealm: r.realm };
    iakerbError(
      (await fresh().step(encodeProxyToken(header, new Uint8Array(0), true))).error,
      'malformed-token',
    );
    iakerbError(
      (await fresh().step(encodeProxyToken(header, Uint8Array.of(0x30, 0x00), true))).error,
      'unexpected-token',
    );
    // draft: later tokens must be framed too
    const acceptor = fresh();
    const discovery = encodeProxyToken({ targetRealm: '' }, new Uint8Array(0), true);
    expect((await acceptor.step(discovery)).error).toBeUndefined();
    iakerbError((await acceptor.step(encodeProxyToken(header, asReq, false))).error, 'malformed-token');
    expect(() => decodeProxyToken(Uint8Array.of(5, 1, 0x30))).toThrow(IakerbError);
  });
});

describe('FINISHED', () => {
  it('strict (default): a missing FINISHED is refused after proxying', async () => {
    const r = await testRealm();
    const { initiator, acceptor } = await upToApReq(r);
    iakerbError((await acceptor.step(apReqWith(initiator, []))).error, 'finished-missing');
    expect(acceptor.context).toBeUndefined();
  });

  it('a forged FINISHED is refused, also when FINISHED is optional', async () => {
    const r = await testRealm();
    for (const requireFinished of [true, false] as const) {
      const { initiator, acceptor } = await upToApReq(r, { requireFinished });
      const forged = new Uint8Array(27);
      forged.set([0x30, 0x19, 0xa1, 0x17, 0x30, 0x15, 0xa0, 0x03, 0x02, 0x01, 0x10, 0xa1, 0x0e, 0x04, 0x0c]);
      const step = await acceptor.step(
        apReqWith(initiator, [{ type: GssChecksumExtensionType.iakerbFinished, data: forged }]),
      );
      iakerbError(step.error, 'finished-invalid');
    }
  });

  it('FINISHED of another transcript (a token changed by the proxy) is refused', async () => {
    const r = await testRealm();
    const { initiator, acceptor, apReq } = await upToApReq(r);
    // A second acceptor that saw one token fewer cannot accept the same AP-REQ.
    const other = await upToApReq(r);
    iakerbError((await other.acceptor.step(apReq)).error, 'finished-invalid');
    const ok = await acceptor.step(apReq);
    expect(ok.done).toBe(true);
    expect(initiator.serviceTicket).toBeDefined();
  });

  it('requireFinished: false or except-windows accept an AP-REQ without FINISHED', async () => {
    const r = await testRealm();
    const lax = await upToApReq(r, { requireFinished: false });
    expect((await lax.acceptor.step(apReqWith(lax.initiator, []))).done).toBe(true);
    const win = await upToApReq(r, { requireFinished: 'except-windows' }, { dialect: 'windows' });
    const plain = new Krb5Initiator({ credential: win.initiator.serviceTicket! }).step()
      .outputToken as Uint8Array;
    expect((await win.acceptor.step(plain)).done).toBe(true);
    expect(win.acceptor.dialect).toBe('windows');
  });
});
