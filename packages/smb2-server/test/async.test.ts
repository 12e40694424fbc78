/**
 * The async-operation table (CANCEL lookup by AsyncId or MessageId, per session; cleanups)
 * and the rewrite of a response into its async form (MS-SMB2 §2.2.1.1, §3.3.4.2).
 */
import {
  Command,
  echoResponse,
  encodeMessage,
  HeaderFlags,
  NtStatus,
  Reader,
  readHeader,
  type Smb2Header,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { isSignedMessage, PendingOperations, toAsyncResponse } from '../src/core/async.js';
import { type Answer, type AsyncWork, fail, pending } from '../src/handlers/common.js';

function work(): AsyncWork & { cancelled: number; reasons: (string | undefined)[] } {
  let resolve: (a: Answer) => void = () => {};
  const w = {
    cancelled: 0,
    result: new Promise<Answer>((r) => {
      resolve = r;
    }),
    reasons: [] as (string | undefined)[],
    cancel: (reason?: string) => {
      w.reasons.push(reason);
      w.cancelled++;
      resolve(fail(Command.LOCK, NtStatus.CANCELLED));
    },
  };
  return w;
}

describe('PendingOperations', () => {
  it('allocates distinct non-zero AsyncIds; CANCEL finds by AsyncId or MessageId, in its session only', () => {
    const table = new PendingOperations();
    const a = table.add({ messageId: 5n, sessionId: 1n, treeId: 1 }, work());
    const b = table.add({ messageId: 6n, sessionId: 2n, treeId: 1 }, work());
    expect(a.asyncId).not.toBe(0n);
    expect(b.asyncId).not.toBe(a.asyncId);
    expect(table.size).toBe(2);
    const async = HeaderFlags.ASYNC_COMMAND;
    expect(table.find({ flags: async, asyncId: a.asyncId, messageId: 99n, sessionId: 1n })).toBe(a);
    expect(table.find({ flags: async, asyncId: a.asyncId, messageId: 5n, sessionId: 2n })).toBeUndefined();
    expect(table.find({ flags: async, messageId: 5n, sessionId: 1n })).toBeUndefined();
    expect(table.find({ flags: 0, messageId: 6n, sessionId: 2n })).toBe(b);
    expect(table.find({ flags: 0, messageId: 6n, sessionId: 1n })).toBeUndefined();
    expect(table.find({ flags: 0, messageId: 7n, sessionId: 2n })).toBeUndefined();
    table.remove(a);
    expect(table.find({ flags: async, asyncId: a.asyncId, messageId: 5n, sessionId: 1n })).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('cancelWhere cancels the selected operations, or all', async () => {
    const table = new PendingOperations();
    const w1 = work();
    const w2 = work();
    const w3 = work();
    table.add({ messageId: 1n, sessionId: 1n, treeId: 1 }, w1);
    table.add({ messageId: 2n, sessionId: 1n, treeId: 2 }, w2);
    table.add({ messageId: 3n, sessionId: 2n, treeId: 1 }, w3);
    table.cancelWhere((op) => op.sessionId === 1n && op.treeId === 2);
    expect([w1.cancelled, w2.cancelled, w3.cancelled]).toEqual([0, 1, 0]);
    expect((await w2.result).status).toBe(NtStatus.CANCELLED);
    table.cancelWhere();
    expect([w1.cancelled, w2.cancelled, w3.cancelled]).toEqual([1, 2, 1]);
    // The end of a session, tree or connection is a teardown, not a CANCEL.
    expect(w1.reasons).toEqual(['teardown']);
  });
});

describe('toAsyncResponse', () => {
  const request: Smb2Header = {
    creditCharge: 1,
    status: NtStatus.PENDING,
    command: Command.ECHO,
    credits: 7,
    flags: HeaderFlags.SERVER_TO_REDIR | HeaderFlags.SIGNED,
    nextCommand: 0,
    messageId: 42n,
    reserved: 0,
    treeId: 3,
    sessionId: 9n,
    signature: new Uint8Array(16).fill(0xaa),
  };

  it('sets ASYNC_COMMAND and the AsyncId, clears the signature, keeps the rest', () => {
    const bytes = encodeMessage(request, echoResponse, {});
    expect(isSignedMessage(bytes)).toBe(true);
    toAsyncResponse(bytes, 0x1122334455n);
    const h = readHeader(new Reader(bytes));
    expect(h.flags & HeaderFlags.ASYNC_COMMAND).not.toBe(0);
    expect(isSignedMessage(bytes)).toBe(false);
    expect(h.asyncId).toBe(0x1122334455n);
    expect(h.messageId).toBe(42n);
    expect(h.sessionId).toBe(9n);
    expect(h.credits).toBe(7);
    expect(h.status).toBe(NtStatus.PENDING);
    expect([...h.signature].every((b) => b === 0)).toBe(true);
  });

  it('replaces the credits of a final response', () => {
    const bytes = encodeMessage({ ...request, status: 0 }, echoResponse, {});
    const h = readHeader(new Reader(toAsyncResponse(bytes, 1n, 0)));
    expect(h.credits).toBe(0);
    expect(h.asyncId).toBe(1n);
  });

  it('pending() is a STATUS_PENDING answer carrying its work', () => {
    const w = work();
    const a = pending(Command.LOCK, w);
    expect(a.status).toBe(NtStatus.PENDING);
    expect(a.async).toBe(w);
  });
});
