import {
  AccessMask,
  Command,
  createRequest,
  echoRequest,
  HeaderFlags,
  logoffRequest,
  NtStatus,
  treeConnectRequest,
  treeDisconnectRequest,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import type { SmbServerLimits } from '../src/core/options.js';
import { connectionFixture } from './support/connection-fixture.js';
import { createRequestFor } from './support/create-request.js';

const fixture = connectionFixture('smb2-conn-test-');
const { tickets, client, loggedOn } = fixture;

const server = (limits?: SmbServerLimits, encryptAll = false): Promise<number> =>
  fixture.server({
    ...(limits === undefined ? {} : { limits }),
    ...(encryptAll ? { encryptAll } : {}),
  });

const isSigned = (m: { header: { flags: number } }) => (m.header.flags & HeaderFlags.SIGNED) !== 0;

const createBody = (name: string) => createRequestFor(name, { desiredAccess: AccessMask.GENERIC_READ });

describe('credits', () => {
  it('NEGOTIATE grants 1; a successful SESSION_SETUP up to 8192 outstanding', async () => {
    const c = await client(await server());
    await c.negotiate();
    expect(c.credits).toBe(1);
    await c.sessionSetup(tickets.ticket());
    // The client asked for 64 each time: 1 + 64 granted, one used by SESSION_SETUP.
    expect(c.credits).toBe(65);
  });

  it('a MessageId used twice drops the connection', async () => {
    const { c, session } = await loggedOn(await server());
    const id = c.takeMessageId();
    await c.request(Command.ECHO, echoRequest, {}, { sessionId: session.id, messageId: id });
    c.sendFrame([c.message(Command.ECHO, echoRequest, {}, { sessionId: session.id, messageId: id })]);
    await c.closed;
    expect(c.isClosed).toBe(true);
  });

  it('a MessageId past the credits granted drops the connection', async () => {
    const { c, session } = await loggedOn(await server());
    c.sendFrame([c.message(Command.ECHO, echoRequest, {}, { sessionId: session.id, messageId: 10_000n })]);
    await c.closed;
    expect(c.isClosed).toBe(true);
  });

  it('a compound grants its credits in its last response', async () => {
    const { c, session } = await loggedOn(await server());
    const before = c.credits;
    const replies = await c.sendFrame([
      c.message(Command.ECHO, echoRequest, {}, { sessionId: session.id, credits: 3 }),
      c.message(Command.ECHO, echoRequest, {}, { sessionId: session.id, credits: 4 }),
    ]);
    expect(replies.map((r) => r.header.credits)).toEqual([0, 7]);
    expect(replies.every(isSigned)).toBe(true);
    expect(c.credits - before).toBe(7);
  });
});

describe('sessions', () => {
  it('after LOGOFF its SessionId is USER_SESSION_DELETED, the request signature echoed', async () => {
    const { c, session } = await loggedOn(await server());
    const off = await c.request(Command.LOGOFF, logoffRequest, {}, { sessionId: session.id });
    expect(off.header.status).toBe(NtStatus.SUCCESS);
    expect(isSigned(off)).toBe(true);
    const message = c.message(
      Command.LOGOFF,
      logoffRequest,
      {},
      { sessionId: session.id, signWith: session.keys },
    );
    const [again] = await c.sendFrame([message]);
    expect(again?.header.status).toBe(NtStatus.USER_SESSION_DELETED);
    expect(isSigned(again as { header: { flags: number } })).toBe(true);
    expect(again?.header.signature).toEqual(message.subarray(48, 64));
    // The connection stays up.
    expect((await c.request(Command.ECHO, echoRequest, {})).header.status).toBe(NtStatus.SUCCESS);
  });

  it('an unknown SessionId is USER_SESSION_DELETED for TREE_CONNECT and TREE_DISCONNECT', async () => {
    const { c, session } = await loggedOn(await server());
    const tc = await c.treeConnect(session.id + 2n);
    expect(tc.header.status).toBe(NtStatus.USER_SESSION_DELETED);
    const treeId = (await c.treeConnect(session.id)).header.treeId ?? 0;
    const td = await c.request(
      Command.TREE_DISCONNECT,
      treeDisconnectRequest,
      {},
      {
        sessionId: session.id + 2n,
        treeId,
        signWith: session.keys,
      },
    );
    expect(td.header.status).toBe(NtStatus.USER_SESSION_DELETED);
    const ok = await c.request(
      Command.TREE_DISCONNECT,
      treeDisconnectRequest,
      {},
      { sessionId: session.id, treeId },
    );
    expect(ok.header.status).toBe(NtStatus.SUCCESS);
  });

  it('re-authentication keeps the session, its trees and its keys', async () => {
    const { c, session } = await loggedOn(await server());
    const tc = await c.treeConnect(session.id);
    expect(tc.header.status).toBe(NtStatus.SUCCESS);
    const treeId = tc.header.treeId ?? 0;
    const reauth = await c.sessionSetup(tickets.ticket(), { sessionId: session.id });
    expect(reauth.response.header.status).toBe(NtStatus.SUCCESS);
    expect(reauth.response.header.sessionId).toBe(session.id);
    expect(isSigned(reauth.response)).toBe(true);
    const create = await c.request(Command.CREATE, createRequest, createBody(''), {
      sessionId: session.id,
      treeId,
    });
    expect(create.header.status).toBe(NtStatus.SUCCESS);
  });

  it('re-authentication as another principal is refused and ends the session', async () => {
    const { c, session } = await loggedOn(await server());
    const r = await c.sessionSetup(tickets.ticket('bob'), { sessionId: session.id });
    expect(r.response.header.status).toBe(NtStatus.ACCESS_DENIED);
    expect((await c.treeConnect(session.id)).header.status).toBe(NtStatus.USER_SESSION_DELETED);
  });

  it('a new session with PreviousSessionId ends the same principal’s old one, on another connection too', async () => {
    const port = await server();
    const first = await loggedOn(port);
    const second = await client(port);
    await second.negotiate();
    const r = await second.sessionSetup(tickets.ticket(), { previousSessionId: first.session.id });
    expect(r.response.header.status).toBe(NtStatus.SUCCESS);
    expect((await first.c.treeConnect(first.session.id)).header.status).toBe(NtStatus.USER_SESSION_DELETED);
    // The same connection: the old session goes, the new one works.
    const third = await second.sessionSetup(tickets.ticket(), { previousSessionId: r.session?.id ?? 0n });
    expect((await second.treeConnect(r.session?.id ?? 0n)).header.status).toBe(NtStatus.USER_SESSION_DELETED);
    expect((await second.treeConnect(third.session?.id ?? 0n)).header.status).toBe(NtStatus.SUCCESS);
  });

  it('PreviousSessionId of another principal leaves that session alone', async () => {
    const port = await server();
    const alice = await loggedOn(port, 'alice');
    const bob = await client(port);
    await bob.negotiate();
    await bob.sessionSetup(tickets.ticket('bob'), { previousSessionId: alice.session.id });
    expect((await alice.c.treeConnect(alice.session.id)).header.status).toBe(NtStatus.SUCCESS);
  });

  it('expires at the ticket’s end: NETWORK_SESSION_EXPIRED until re-authenticated; ECHO and LOGOFF still work', async () => {
    const c = await client(await server());
    await c.negotiate();
    const { session } = await c.sessionSetup(tickets.ticket('alice', new Date(Date.now() + 1200)));
    if (session === undefined) throw new Error('no session');
    expect((await c.treeConnect(session.id)).header.status).toBe(NtStatus.SUCCESS);
    await new Promise((r) => setTimeout(r, 1300));
    const expired = await c.treeConnect(session.id);
    expect(expired.header.status).toBe(NtStatus.NETWORK_SESSION_EXPIRED);
    expect(isSigned(expired)).toBe(true);
    expect((await c.request(Command.ECHO, echoRequest, {}, { sessionId: session.id })).header.status).toBe(
      NtStatus.SUCCESS,
    );
    const reauth = await c.sessionSetup(tickets.ticket(), { sessionId: session.id });
    expect(reauth.response.header.status).toBe(NtStatus.SUCCESS);
    expect((await c.treeConnect(session.id)).header.status).toBe(NtStatus.SUCCESS);
    expect(
      (await c.request(Command.LOGOFF, logoffRequest, {}, { sessionId: session.id })).header.status,
    ).toBe(NtStatus.SUCCESS);
  });

  it('a related request first in a compound (no session before it) is INVALID_PARAMETER', async () => {
    const { c, session } = await loggedOn(await server());
    const [first, second] = await c.sendFrame([
      c.message(
        Command.ECHO,
        echoRequest,
        {},
        { sessionId: session.id, flags: HeaderFlags.RELATED_OPERATIONS },
      ),
      c.message(Command.ECHO, echoRequest, {}, { sessionId: session.id }),
    ]);
    expect(first?.header.status).toBe(NtStatus.INVALID_PARAMETER);
    expect(second?.header.status).toBe(NtStatus.SUCCESS);
  });
});

describe('encryptAll', () => {
  it('answers SESSION_SETUP in the clear, then refuses unencrypted requests and encrypts its answers', async () => {
    const c = await client(await server(undefined, true));
    await c.negotiate(true);
    const { response, session } = await c.sessionSetup(tickets.ticket());
    expect(response.header.status).toBe(NtStatus.SUCCESS);
    expect(c.encryptedFrames).toBe(0);
    if (session === undefined) throw new Error('no session');
    const plain = await c.treeConnect(session.id);
    expect(plain.header.status).toBe(NtStatus.ACCESS_DENIED);
    const sealed = await c.request(
      Command.TREE_CONNECT,
      treeConnectRequest,
      { flags: 0, path: '\\\\files.test\\share' },
      { sessionId: session.id, encrypt: true },
    );
    expect(sealed.header.status).toBe(NtStatus.SUCCESS);
    expect(c.encryptedFrames).toBeGreaterThanOrEqual(1);
    // Encrypted, so not signed as well (§3.3.4.1.1; Samba does the same): no flag, no signature.
    expect(isSigned(sealed)).toBe(false);
    expect(sealed.header.signature.every((b) => b === 0)).toBe(true);
  });

  it('refuses TREE_CONNECT (share and IPC$) to a client that negotiated no encryption', async () => {
    const c = await client(await server(undefined, true));
    await c.negotiate(false);
    const { response, session } = await c.sessionSetup(tickets.ticket());
    expect(response.header.status).toBe(NtStatus.SUCCESS);
    if (session === undefined) throw new Error('no session');
    expect((await c.treeConnect(session.id)).header.status).toBe(NtStatus.ACCESS_DENIED);
    const ipc = await c.request(
      Command.TREE_CONNECT,
      treeConnectRequest,
      { flags: 0, path: '\\\\files.test\\IPC$' },
      { sessionId: session.id },
    );
    expect(ipc.header.status).toBe(NtStatus.ACCESS_DENIED);
  });
});

describe('limits', () => {
  it('maxConnections: a connection past the limit is closed at once', async () => {
    const port = await server({ maxConnections: 1 });
    const a = await client(port);
    expect((await a.negotiate()).header.status).toBe(NtStatus.SUCCESS);
    const b = await client(port);
    await b.closed;
    expect(b.isClosed).toBe(true);
  });

  it('maxSessionsPerConnection: one session more is REQUEST_NOT_ACCEPTED', async () => {
    const { c } = await loggedOn(await server({ maxSessionsPerConnection: 1 }));
    const r = await c.sessionSetup(tickets.ticket());
    expect(r.response.header.status).toBe(NtStatus.REQUEST_NOT_ACCEPTED);
  });

  it('maxOpensPerSession: one open more is INSUFFICIENT_RESOURCES', async () => {
    const { c, session } = await loggedOn(await server({ maxOpensPerSession: 1 }));
    const treeId = (await c.treeConnect(session.id)).header.treeId ?? 0;
    const one = await c.request(Command.CREATE, createRequest, createBody(''), {
      sessionId: session.id,
      treeId,
    });
    expect(one.header.status).toBe(NtStatus.SUCCESS);
    const two = await c.request(Command.CREATE, createRequest, createBody(''), {
      sessionId: session.id,
      treeId,
    });
    expect(two.header.status).toBe(NtStatus.INSUFFICIENT_RESOURCES);
  });

  it('authTimeoutMs: a connection that does not authenticate is closed', async () => {
    const c = await client(await server({ authTimeoutMs: 200 }));
    await c.negotiate();
    await c.closed;
    expect(c.isClosed).toBe(true);
  });

  it('idleTimeoutMs: an authenticated connection that sends nothing (and holds no open) is closed', async () => {
    const { c } = await loggedOn(await server({ idleTimeoutMs: 300 }));
    const t0 = Date.now();
    await c.closed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
});
