import {
  type ChangeNotifyResponse,
  Command,
  CompletionFilter,
  CreateOptions,
  type CreateResponse,
  cancelRequest,
  changeNotifyRequest,
  createRequest,
  echoRequest,
  FileAction,
  type FileId,
  HeaderFlags,
  LockFlags,
  lockRequest,
  logoffRequest,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { connectionFixture } from './support/connection-fixture.js';
import { createRequestFor } from './support/create-request.js';

const { server, connected: loggedOnWithTree } = connectionFixture('smb2-async-test-');

/** A connected client with a session and a tree of `share`. */
async function connected(port: number) {
  const { c, session, ids } = await loggedOnWithTree(port);
  const open = async (name: string, directory = false): Promise<FileId> => {
    const r = await c.request(
      Command.CREATE,
      createRequest,
      createRequestFor(name, { createOptions: directory ? CreateOptions.DIRECTORY_FILE : 0 }),
      ids,
    );
    expect(r.header.status).toBe(NtStatus.SUCCESS);
    return (r.body as CreateResponse).fileId;
  };
  const lockMessage = (fileId: FileId, flags: number, messageId?: bigint) =>
    c.message(
      Command.LOCK,
      lockRequest,
      { lockSequenceNumber: 0, lockSequenceIndex: 0, fileId, locks: [{ offset: 0n, length: 10n, flags }] },
      { ...ids, ...(messageId === undefined ? {} : { messageId }) },
    );
  const lock = async (fileId: FileId, flags: number) => (await c.sendFrame([lockMessage(fileId, flags)]))[0];
  return { c, session, ids, open, lockMessage, lock };
}

const { EXCLUSIVE_LOCK: X, UNLOCK: U, FAIL_IMMEDIATELY: F } = LockFlags;
const isAsync = (flags: number) => (flags & HeaderFlags.ASYNC_COMMAND) !== 0;

describe('async operations', () => {
  it('a blocking LOCK answers later: async header, its MessageId, signed, no credits', async () => {
    const port = await server();
    const a = await connected(port);
    const b = await connected(port);
    const fa = await a.open('lock.bin');
    const fb = await b.open('lock.bin');
    expect((await a.lock(fa, X))?.header.status).toBe(NtStatus.SUCCESS);
    const creditsBefore = b.c.credits;
    const message = b.lockMessage(fb, X);
    const messageId = new DataView(message.buffer, message.byteOffset).getBigUint64(24, true);
    const waiting = b.c.sendFrame([message]);
    // The interim response granted the credits (the test client counts it, then skips it).
    await new Promise((r) => setTimeout(r, 50));
    expect(b.c.credits).toBeGreaterThan(creditsBefore);
    const creditsAfterInterim = b.c.credits;
    expect((await a.lock(fa, U))?.header.status).toBe(NtStatus.SUCCESS);
    const [final] = await waiting;
    expect(final?.header.status).toBe(NtStatus.SUCCESS);
    expect(final?.header.messageId).toBe(messageId);
    expect(isAsync(final?.header.flags ?? 0)).toBe(true);
    expect(final?.header.asyncId).toBeGreaterThan(0n);
    expect((final?.header.flags ?? 0) & HeaderFlags.SIGNED).not.toBe(0);
    expect(b.c.credits).toBe(creditsAfterInterim);
    // b holds the lock now.
    expect((await a.lock(fa, X | F))?.header.status).toBe(NtStatus.LOCK_NOT_GRANTED);
  });

  it('CANCEL by MessageId ends a pending LOCK with STATUS_CANCELLED; CANCEL has no response', async () => {
    const port = await server();
    const a = await connected(port);
    const fa = await a.open('cancel.bin');
    const fa2 = await a.open('cancel.bin');
    await a.lock(fa, X);
    const message = a.lockMessage(fa2, X);
    const messageId = new DataView(message.buffer, message.byteOffset).getBigUint64(24, true);
    void a.c.sendFrame([message]);
    await new Promise((r) => setTimeout(r, 20));
    // The CANCEL carries the MessageId of the request it cancels; the answer is the LOCK's.
    const [cancelled] = await a.c.sendFrame([
      a.c.message(Command.CANCEL, cancelRequest, {}, { ...a.ids, messageId }),
    ]);
    expect(cancelled?.header.command).toBe(Command.LOCK);
    expect(cancelled?.header.status).toBe(NtStatus.CANCELLED);
    // The connection goes on.
    expect((await a.c.request(Command.ECHO, echoRequest, {}, a.ids)).header.status).toBe(NtStatus.SUCCESS);
  });

  it('a request that would go async in the middle of a compound fails with INTERNAL_ERROR', async () => {
    const port = await server();
    const a = await connected(port);
    const fa = await a.open('compound.bin');
    const fa2 = await a.open('compound.bin');
    await a.lock(fa, X);
    const [lock, echo] = await a.c.sendFrame([
      a.lockMessage(fa2, X),
      a.c.message(Command.ECHO, echoRequest, {}, a.ids),
    ]);
    expect(lock?.header.status).toBe(NtStatus.INTERNAL_ERROR);
    expect(echo?.header.status).toBe(NtStatus.SUCCESS);
    // Nothing was left waiting: after the unlock, another open takes the range at once.
    await a.lock(fa, U);
    expect((await a.lock(fa2, X | F))?.header.status).toBe(NtStatus.SUCCESS);
  });

  it('LOGOFF ends its pending locks (RANGE_NOT_LOCKED); a dropped connection leaves none', async () => {
    const port = await server();
    const holder = await connected(port);
    const fh = await holder.open('logoff.bin');
    await holder.lock(fh, X);

    const w = await connected(port);
    const fw = await w.open('logoff.bin');
    const waiting = w.c.sendFrame([w.lockMessage(fw, X)]);
    await new Promise((r) => setTimeout(r, 20));
    const logoff = await w.c.request(Command.LOGOFF, logoffRequest, {}, { sessionId: w.session.id });
    expect(logoff.header.status).toBe(NtStatus.SUCCESS);
    expect((await waiting)[0]?.header.status).toBe(NtStatus.RANGE_NOT_LOCKED);

    const gone = await connected(port);
    const fg = await gone.open('logoff.bin');
    void gone.c.sendFrame([gone.lockMessage(fg, X)]);
    await new Promise((r) => setTimeout(r, 20));
    gone.c.close();
    await gone.c.closed;
    await new Promise((r) => setTimeout(r, 50));
    // Neither waiter took the range when it was freed.
    await holder.lock(fh, U);
    const third = await connected(port);
    expect((await third.lock(await third.open('logoff.bin'), X | F))?.header.status).toBe(NtStatus.SUCCESS);
  });

  it('CHANGE_NOTIFY completes when another connection creates a file', async () => {
    const port = await server();
    const a = await connected(port);
    const b = await connected(port);
    const d = await a.open('watched', true);
    const waiting = a.c.sendFrame([
      a.c.message(
        Command.CHANGE_NOTIFY,
        changeNotifyRequest,
        { flags: 0, outputBufferLength: 4096, fileId: d, completionFilter: CompletionFilter.FILE_NAME },
        a.ids,
      ),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    await b.open('watched\\new.txt');
    const [notify] = await waiting;
    expect(notify?.header.status).toBe(NtStatus.SUCCESS);
    expect(isAsync(notify?.header.flags ?? 0)).toBe(true);
    expect((notify?.body as ChangeNotifyResponse | undefined)?.changes).toEqual([
      { action: FileAction.ADDED, fileName: 'new.txt' },
    ]);
  });
});
