/** The connection engine over a scripted in-memory transport. */
import {
  CipherId,
  Command,
  decodeFrame,
  decryptMessage,
  echoRequest,
  echoResponse,
  encryptMessage,
  HeaderFlags,
  isTransformFrame,
  NtStatus,
  SigningAlgorithmId,
  sessionSetupRequest,
  sessionSetupResponse,
  signMessage,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { type SessionSecurity, SmbConnection } from '../src/connection/connection.js';
import { SmbConnectionError, SmbError, SmbIntegrityError, SmbProtocolError } from '../src/errors.js';
import { encodeResponse, FakeTransport, responseHeader } from './support/fake-transport.js';

const echo = { codec: echoRequest, body: {}, responseCodec: echoResponse } as const;
const KEY = new Uint8Array(16).fill(7);
const C2S = new Uint8Array(16).fill(1);
const S2C = new Uint8Array(16).fill(2);

function signed(extra: Partial<SessionSecurity> = {}): SessionSecurity {
  return {
    signingKey: KEY,
    signingAlgorithm: SigningAlgorithmId.AES_CMAC,
    encryptionKey: C2S,
    decryptionKey: S2C,
    cipher: CipherId.AES_128_GCM,
    sign: true,
    encryptAll: false,
    ...extra,
  };
}

function setup(): { t: FakeTransport; c: SmbConnection } {
  const t = new FakeTransport();
  const c = new SmbConnection(t, { timeoutMs: 0 });
  return { t, c };
}

/** Answers the request in frame `i` with `status` (an ECHO body, or an ERROR body for errors). */
function answer(t: FakeTransport, i: number, extra: Parameters<typeof responseHeader>[1] = {}): Uint8Array {
  const req = t.messages(i)[0]?.header;
  if (req === undefined) throw new Error('no request');
  return encodeResponse(responseHeader(req, extra), echoResponse, {});
}

describe('SmbConnection', () => {
  it('frames a request and matches responses by MessageId, out of order and split across chunks', async () => {
    const { t, c } = setup();
    c.credits.grant(9, 0);
    const a = c.send(echo);
    const b = c.send(echo);
    await t.written(2);
    expect(t.messages(0)[0]?.header.messageId).toBe(0n);
    expect(t.messages(1)[0]?.header.messageId).toBe(1n);
    t.deliver(answer(t, 1), 7);
    t.deliver(answer(t, 0), 3);
    expect((await a).header.messageId).toBe(0n);
    expect((await b).header.messageId).toBe(1n);
  });

  it('over a framed transport, takes each delivered chunk as one whole frame body', async () => {
    // What connectTcp's in-place reads hand over: frames already cut, the Direct TCP header off.
    const t = Object.assign(new FakeTransport(), { framed: true });
    const c = new SmbConnection(t, { timeoutMs: 0 });
    c.credits.grant(9, 0);
    const a = c.send(echo);
    const b = c.send(echo);
    await t.written(2);
    t.events?.data(answer(t, 1));
    t.events?.data(answer(t, 0));
    expect((await a).header.messageId).toBe(0n);
    expect((await b).header.messageId).toBe(1n);
  });

  it('an interim STATUS_PENDING grants credits and the final response settles the request', async () => {
    const { t, c } = setup();
    const p = c.send(echo);
    await t.written(1);
    const before = c.credits.available;
    t.deliver(
      answer(t, 0, {
        status: NtStatus.PENDING,
        flags: HeaderFlags.SERVER_TO_REDIR | HeaderFlags.ASYNC_COMMAND,
        asyncId: 42n,
        credits: 5,
      }),
    );
    expect(c.credits.available).toBe(before + 5);
    t.deliver(
      answer(t, 0, {
        flags: HeaderFlags.SERVER_TO_REDIR | HeaderFlags.ASYNC_COMMAND,
        asyncId: 42n,
        credits: 0,
      }),
    );
    expect((await p).status).toBe(NtStatus.SUCCESS);
  });

  it('aborting an async request sends CANCEL with its AsyncId and rejects at once', async () => {
    const { t, c } = setup();
    const controller = new AbortController();
    const p = c.send({ ...echo, signal: controller.signal });
    await t.written(1);
    t.deliver(
      answer(t, 0, {
        status: NtStatus.PENDING,
        flags: HeaderFlags.SERVER_TO_REDIR | HeaderFlags.ASYNC_COMMAND,
        asyncId: 77n,
      }),
    );
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await t.written(2);
    const cancel = decodeFrame(t.frames[1] as Uint8Array)[0]?.header;
    expect(cancel).toMatchObject({ command: Command.CANCEL, messageId: 0n, asyncId: 77n, credits: 0 });
    expect((cancel?.flags ?? 0) & HeaderFlags.ASYNC_COMMAND).not.toBe(0);
    // The late final response only returns credits.
    t.deliver(answer(t, 0, { status: 0xc0000120, credits: 3 }));
  });

  it('call() turns an error status into SmbError with the NTSTATUS name', async () => {
    const { t, c } = setup();
    const p = c.call(echo, 'ping');
    await t.written(1);
    t.deliver(answer(t, 0, { status: NtStatus.ACCESS_DENIED }));
    const e = (await p.catch((x: unknown) => x)) as SmbError;
    expect(e).toBeInstanceOf(SmbError);
    expect(e.code).toBe('STATUS_ACCESS_DENIED');
    expect(e.message).toBe('ping (ECHO): STATUS_ACCESS_DENIED');
  });

  it('signs requests of a signing session and verifies responses; a bad or missing signature rejects', async () => {
    const { t, c } = setup();
    c.credits.grant(9, 0);
    c.setSession(5n, signed());
    const good = c.send({ ...echo, sessionId: 5n });
    const tampered = c.send({ ...echo, sessionId: 5n });
    const unsigned = c.send({ ...echo, sessionId: 5n });
    await t.written(3);
    const req = t.messages(0)[0]?.header;
    expect((req?.flags ?? 0) & HeaderFlags.SIGNED).not.toBe(0);
    const ok = answer(t, 0);
    signMessage(ok, KEY, SigningAlgorithmId.AES_CMAC);
    t.deliver(ok);
    const bad = answer(t, 1);
    signMessage(bad, KEY, SigningAlgorithmId.AES_CMAC);
    bad[66] = (bad[66] as number) ^ 1;
    t.deliver(bad);
    t.deliver(answer(t, 2));
    expect((await good).status).toBe(0);
    await expect(tampered).rejects.toBeInstanceOf(SmbIntegrityError);
    await expect(unsigned).rejects.toBeInstanceOf(SmbIntegrityError);
  });

  it('encrypts requests of an encrypting session and decrypts transform responses', async () => {
    const { t, c } = setup();
    c.setSession(9n, signed({ encryptAll: true }));
    const p = c.send({ ...echo, sessionId: 9n });
    await t.written(1);
    const frame = t.frames[0] as Uint8Array;
    expect(isTransformFrame(frame)).toBe(true);
    const plain = decryptMessage(frame, C2S, CipherId.AES_128_GCM);
    const req = decodeFrame(plain)[0]?.header;
    if (req === undefined) throw new Error('no request');
    const res = encodeResponse(responseHeader(req), echoResponse, {});
    t.deliver(encryptMessage({ cipher: CipherId.AES_128_GCM, key: S2C, sessionId: 9n, message: res }));
    expect((await p).encrypted).toBe(true);
  });

  it('an unencrypted response to an encrypted request is refused', async () => {
    const { t, c } = setup();
    c.setSession(9n, signed({ encryptAll: true }));
    const p = c.send({ ...echo, sessionId: 9n });
    await t.written(1);
    const req = decodeFrame(decryptMessage(t.frames[0] as Uint8Array, C2S, CipherId.AES_128_GCM))[0]?.header;
    if (req === undefined) throw new Error('no request');
    t.deliver(encodeResponse(responseHeader(req), echoResponse, {}));
    await expect(p).rejects.toBeInstanceOf(SmbIntegrityError);
  });

  it('when the transport dies, every pending request and later ones reject with SmbConnectionError', async () => {
    const { t, c } = setup();
    c.credits.grant(9, 0);
    const pending = [c.send(echo), c.send(echo), c.send(echo)];
    await t.written(3);
    t.close();
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(SmbConnectionError);
    await expect(c.send(echo)).rejects.toBeInstanceOf(SmbConnectionError);
    expect(c.closed).toBe(true);
  });

  it('a garbage frame ends the connection with SmbProtocolError', async () => {
    const { t, c } = setup();
    const p = c.send(echo);
    await t.written(1);
    t.deliver(Uint8Array.of(1, 2, 3, 4, 5));
    await expect(p).rejects.toBeInstanceOf(SmbProtocolError);
    expect(t.closed).toBe(true);
  });

  it('a request without an answer times out with SmbConnectionError', async () => {
    const t = new FakeTransport();
    const c = new SmbConnection(t, { timeoutMs: 20 });
    await expect(c.send(echo)).rejects.toThrow(/within 20 ms/);
  });

  it('compounds related requests in one frame, each signed over itself and its padding', async () => {
    const { t, c } = setup();
    c.credits.grant(9, 0);
    c.setSession(5n, signed());
    const promises = await c.compound([
      { ...echo, sessionId: 5n },
      { ...echo, sessionId: 5n },
    ]);
    await t.written(1);
    const msgs = t.messages(0);
    expect(msgs).toHaveLength(2);
    expect((msgs[1]?.header.flags ?? 0) & HeaderFlags.RELATED_OPERATIONS).not.toBe(0);
    for (const [i, m] of msgs.entries()) {
      const res = encodeResponse(responseHeader(m.header), echoResponse, {});
      signMessage(res, KEY, SigningAlgorithmId.AES_CMAC);
      t.deliver(res);
      expect((await promises[i])?.status).toBe(0);
    }
  });

  it('STATUS_NETWORK_SESSION_EXPIRED runs the re-authenticator once and sends the request again', async () => {
    const { t, c } = setup();
    c.credits.grant(9, 0);
    c.setSession(5n, signed({ sign: false }));
    let reauths = 0;
    c.setReauthenticator(5n, async () => {
      reauths++;
    });
    const p = c.call({ ...echo, sessionId: 5n });
    await t.written(1);
    t.deliver(answer(t, 0, { status: NtStatus.NETWORK_SESSION_EXPIRED }));
    await t.written(2);
    t.deliver(answer(t, 1));
    expect((await p).status).toBe(0);
    expect(reauths).toBe(1);
  });

  it('a re-authentication leg (MORE_PROCESSING_REQUIRED) may come unsigned; its request is signed', async () => {
    const { t, c } = setup();
    c.setSession(5n, signed({ sign: false, encryptAll: true }));
    const p = c.send({
      codec: sessionSetupRequest,
      body: {
        flags: 0,
        securityMode: 1,
        capabilities: 0,
        channel: 0,
        securityBuffer: Uint8Array.of(1),
        previousSessionId: 0n,
      },
      responseCodec: sessionSetupResponse,
      sessionId: 5n,
    });
    await t.written(1);
    const req = t.messages(0)[0]?.header;
    if (req === undefined) throw new Error('no request');
    // Signed (never encrypted), even in an encrypting session that does not sign otherwise.
    expect(isTransformFrame(t.frames[0] as Uint8Array)).toBe(false);
    expect(req.flags & HeaderFlags.SIGNED).toBe(HeaderFlags.SIGNED);
    t.deliver(
      encodeResponse(
        responseHeader(req, { status: NtStatus.MORE_PROCESSING_REQUIRED }),
        sessionSetupResponse,
        {
          sessionFlags: 0,
          securityBuffer: Uint8Array.of(2),
        },
      ),
    );
    expect((await p).status).toBe(NtStatus.MORE_PROCESSING_REQUIRED);
  });
});
