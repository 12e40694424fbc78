/**
 * What every command handler shares: the `Answer` a handler returns (status, body, codec),
 * the `HandlerContext` the connection passes in (session, tree, the negotiated values, the
 * related-compound FileId), and the mapping of exceptions to NTSTATUS.
 */
import {
  type BodyCodec,
  errorResponseFor,
  type FileId,
  NtStatus,
  type Smb2Header,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { isAnyFileId, Open } from '../core/open.js';
import type { ServerContext } from '../core/server-context.js';
import type { Negotiated, Session, Tree } from '../core/session.js';

/** A handler's answer: a status, and a body with its codec (the ERROR body for failures). */
export interface Answer {
  readonly status: number;
  readonly codec: BodyCodec<unknown>;
  readonly body: unknown;
  /** Sign with this session even if the request was not signed (final SESSION_SETUP). */
  readonly signWith?: Session | undefined;
  /** The TreeId of the response (TREE_CONNECT's new tree). */
  readonly treeId?: number;
  /** The FileId a CREATE produced (for related compounds). */
  readonly fileId?: FileId;
  /**
   * The request goes on asynchronously (MS-SMB2 §3.3.4.2): the connection answers
   * STATUS_PENDING now, and `work.result` later under the same AsyncId.
   */
  readonly async?: AsyncWork;
  /**
   * A READ's data (also `body.data`) when it sits `READ_RESPONSE_HEADROOM` bytes into an
   * ArrayBuffer that holds nothing else (handlers/read.ts): the connection then writes the frame
   * header, SMB2 header and READ fields into that headroom and sends the data without a copy.
   */
  readonly bulk?: Uint8Array;
}

/**
 * Why a pending operation is stopped: a CANCEL request (§3.3.5.16), or the end of its
 * session, tree or connection (the operation may answer differently: a LOCK then answers
 * STATUS_RANGE_NOT_LOCKED, as Windows and Samba do, rather than STATUS_CANCELLED).
 */
export type CancelReason = 'cancel' | 'teardown';

/** An operation that completes later: a blocking LOCK, a CHANGE_NOTIFY. */
export interface AsyncWork {
  /** The final answer; settles after `cancel()` too, never rejects. */
  readonly result: Promise<Answer>;
  /** Settle `result` soon (default reason: 'cancel'). Idempotent; no-op once settled. */
  cancel(reason?: CancelReason): void;
}

/** The interim answer of an operation that goes async; its final answer is `work.result`. */
export const pending = (command: number, work: AsyncWork): Answer => ({
  ...fail(command, NtStatus.PENDING),
  async: work,
});

export const fail = (command: number, status: number, errorData = new Uint8Array(0)): Answer => ({
  status,
  codec: errorResponseFor(command) as BodyCodec<unknown>,
  body: { errorData, errorContexts: [] },
});

export const ok = <T>(codec: BodyCodec<T>, body: T, status: number = NtStatus.SUCCESS): Answer => ({
  status,
  codec: codec as BodyCodec<unknown>,
  body,
});

/** Everything a file-command handler may use. */
export interface HandlerContext {
  readonly server: ServerContext;
  readonly negotiated: Negotiated;
  readonly header: Smb2Header;
  readonly session: Session;
  readonly tree: Tree;
  /** The FileId of the previous CREATE of a related compound (for an all-0xFF FileId). */
  readonly relatedFileId: FileId | undefined;
  /** Drops the connection (a failed FSCTL_VALIDATE_NEGOTIATE_INFO). */
  disconnect(): void;
  /**
   * Sends an OPLOCK_BREAK notification for `open` (of this session) to `level` on this
   * connection (MS-SMB2 §3.3.4.6). Without it, CREATE grants no oplock.
   */
  readonly sendOplockBreak?: (open: Open, level: number) => void;
}

/**
 * The file open a request names; STATUS_FILE_CLOSED when there is none (§3.3.5.2.x),
 * STATUS_INVALID_DEVICE_REQUEST when it is a named pipe.
 */
export function lookupOpen(ctx: HandlerContext, id: FileId): Open {
  const real = isAnyFileId(id) && ctx.relatedFileId !== undefined ? ctx.relatedFileId : id;
  const open = ctx.session.opens.getAny(real, ctx.tree.id);
  if (open === undefined) throw new SmbStatusError(NtStatus.FILE_CLOSED, 'no such open');
  // A named pipe (IPC$) does not do what the file commands ask.
  if (!(open instanceof Open)) throw new SmbStatusError(NtStatus.INVALID_DEVICE_REQUEST, 'a pipe');
  return open;
}

/** Throws STATUS_ACCESS_DENIED unless the open was granted one of `bits`. */
export function needAccess(open: Open, bits: number, what: string): void {
  if ((open.grantedAccess & bits) === 0)
    throw new SmbStatusError(NtStatus.ACCESS_DENIED, `${what} needs access 0x${bits.toString(16)}`);
}

/** The NTSTATUS an exception stands for: its own for `SmbStatusError`, INTERNAL_ERROR otherwise. */
export function statusOf(e: unknown): number {
  if (e instanceof SmbStatusError) return e.status;
  return NtStatus.INTERNAL_ERROR;
}
