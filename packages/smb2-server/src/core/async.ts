/**
 * Asynchronous operations of one connection (MS-SMB2 §3.3.4.2, §3.3.5.16): the table of
 * requests that answered STATUS_PENDING and will complete later (Connection.AsyncCommandList),
 * and the header rewrites that turn a response into its async form (§2.2.1.1: the
 * SMB2_FLAGS_ASYNC_COMMAND flag and an AsyncId where Reserved and TreeId were).
 */
import { HeaderFlags } from '@postntlm/smb2-protocol';
import type { AsyncWork, CancelReason } from '../handlers/common.js';

/** One pending request: what CANCEL and the cleanups find it by, and how to stop it. */
export interface PendingOperation {
  readonly asyncId: bigint;
  readonly messageId: bigint;
  readonly sessionId: bigint;
  readonly treeId: number;
  readonly work: AsyncWork;
}

/** Connection.AsyncCommandList: the requests gone async and not yet answered. */
export class PendingOperations {
  readonly #byAsyncId = new Map<bigint, PendingOperation>();
  #nextAsyncId = 1n;

  get size(): number {
    return this.#byAsyncId.size;
  }

  /** Registers `work` under a new AsyncId (unique on the connection, never 0). */
  add(request: { messageId: bigint; sessionId: bigint; treeId: number }, work: AsyncWork): PendingOperation {
    const op: PendingOperation = {
      asyncId: this.#nextAsyncId++,
      messageId: request.messageId,
      sessionId: request.sessionId,
      treeId: request.treeId,
      work,
    };
    this.#byAsyncId.set(op.asyncId, op);
    return op;
  }

  /** Forgets `op` (it completed). */
  remove(op: PendingOperation): void {
    this.#byAsyncId.delete(op.asyncId);
  }

  /**
   * The operation a CANCEL names (§3.3.5.16): by AsyncId when the CANCEL is async, else by
   * the MessageId of the request; only one of the CANCEL's own session.
   */
  find(cancel: {
    flags: number;
    asyncId?: bigint;
    messageId: bigint;
    sessionId: bigint;
  }): PendingOperation | undefined {
    let op: PendingOperation | undefined;
    if ((cancel.flags & HeaderFlags.ASYNC_COMMAND) !== 0) {
      op = cancel.asyncId === undefined ? undefined : this.#byAsyncId.get(cancel.asyncId);
    } else {
      for (const o of this.#byAsyncId.values()) if (o.messageId === cancel.messageId) op = o;
    }
    return op?.sessionId === cancel.sessionId ? op : undefined;
  }

  /**
   * Stops every operation `which` selects (all without one) because its session, tree or
   * connection ends ('teardown'); they settle and answer later.
   */
  cancelWhere(
    which: (op: PendingOperation) => boolean = () => true,
    reason: CancelReason = 'teardown',
  ): void {
    for (const op of [...this.#byAsyncId.values()]) if (which(op)) op.work.cancel(reason);
  }
}

// SMB2 header offsets (§2.2.1): Credits, Flags, the AsyncId (async form), Signature.
const CREDITS = 14;
const FLAGS = 16;
const ASYNC_ID = 32;
const SIGNATURE = 48;

/**
 * Rewrites an encoded (single, uncompounded) response into its async form with `asyncId`;
 * the SIGNED flag and signature are cleared (the caller signs again when it must).
 * `credits` replaces the CreditResponse: the final response of an async operation grants
 * none, its interim response granted them (§3.3.4.2, as Windows and Samba do).
 */
export function toAsyncResponse(message: Uint8Array, asyncId: bigint, credits?: number): Uint8Array {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const flags = view.getUint32(FLAGS, true);
  view.setUint32(FLAGS, (flags | HeaderFlags.ASYNC_COMMAND) & ~HeaderFlags.SIGNED, true);
  view.setBigUint64(ASYNC_ID, asyncId, true);
  if (credits !== undefined) view.setUint16(CREDITS, credits, true);
  message.fill(0, SIGNATURE, SIGNATURE + 16);
  return message;
}

/** Whether an encoded message has the SIGNED flag. */
export const isSignedMessage = (message: Uint8Array): boolean =>
  (new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(FLAGS, true) &
    HeaderFlags.SIGNED) !==
  0;
