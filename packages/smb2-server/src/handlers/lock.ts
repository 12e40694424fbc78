/**
 * LOCK (MS-SMB2 §3.3.5.14): byte-range locks through the backend. A request is either all
 * unlocks (the first element says which) or all locks:
 * - unlocks are done in order; the first element that is not a plain UNLOCK stops them with
 *   STATUS_INVALID_PARAMETER, the first range not held with STATUS_RANGE_NOT_LOCKED (the
 *   ones before stay unlocked);
 * - locks are checked before any is taken (§3.3.5.14.2: several elements must all carry
 *   FAIL_IMMEDIATELY, no element may carry UNLOCK); a failing element releases the ones this
 *   request took; a conflict is STATUS_LOCK_NOT_GRANTED (SMB2 never answers
 *   FILE_LOCK_CONFLICT to a LOCK, MS-SMB2 §3.3.5.14.2 / smbtorture smb2.lock.errorcode);
 * - a single lock without FAIL_IMMEDIATELY that conflicts waits (the request goes async,
 *   §3.3.4.2) until the range is free, CANCEL (STATUS_CANCELLED) or the end of its handle,
 *   tree, session or connection (STATUS_RANGE_NOT_LOCKED, as Windows and Samba answer).
 * Lock sequence numbers (§3.3.5.14) apply only to resilient, durable or persistent opens and
 * to multichannel connections; this server has none of them, so they are ignored.
 */
import {
  Command,
  type LockElement,
  LockFlags,
  type LockRequest,
  lockResponse,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import type { Open } from '../core/open.js';
import { breakLevelIIOplocks } from '../core/oplock-files.js';
import {
  type Answer,
  type CancelReason,
  fail,
  type HandlerContext,
  lookupOpen,
  ok,
  pending,
  statusOf,
} from './common.js';

const { SHARED_LOCK, EXCLUSIVE_LOCK, UNLOCK, FAIL_IMMEDIATELY } = LockFlags;
const LOCK_NOW = new Set<number>([SHARED_LOCK | FAIL_IMMEDIATELY, EXCLUSIVE_LOCK | FAIL_IMMEDIATELY]);
const LOCK_BLOCKING = new Set<number>([SHARED_LOCK, EXCLUSIVE_LOCK]);

export async function handleLock(ctx: HandlerContext, req: LockRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  const first = req.locks[0];
  if (first === undefined) return fail(Command.LOCK, NtStatus.INVALID_PARAMETER);
  if (first.flags === UNLOCK) return unlockAll(open, req.locks);
  breakLevelIIOplocks(open);
  const blocking = LOCK_BLOCKING.has(first.flags);
  if (blocking ? req.locks.length > 1 : !req.locks.every((l) => LOCK_NOW.has(l.flags)))
    return fail(Command.LOCK, NtStatus.INVALID_PARAMETER);
  if (blocking) return lockOrWait(open, first);
  await lockAll(open, req.locks);
  return ok(lockResponse, {});
}

/** UNLOCK elements in order, stopping at the first bad one (§3.3.5.14.1). */
async function unlockAll(open: Open, locks: readonly LockElement[]): Promise<Answer> {
  for (const l of locks) {
    if (l.flags !== UNLOCK) return fail(Command.LOCK, NtStatus.INVALID_PARAMETER);
    await open.backend.unlock(open.handle, l.offset, l.length);
  }
  return ok(lockResponse, {});
}

/** Takes every lock or none. */
async function lockAll(open: Open, locks: readonly LockElement[]): Promise<void> {
  const taken: LockElement[] = [];
  try {
    for (const l of locks) {
      await open.backend.lock(open.handle, l.offset, l.length, {
        exclusive: (l.flags & EXCLUSIVE_LOCK) !== 0,
      });
      taken.push(l);
    }
  } catch (e) {
    for (const l of taken.reverse())
      await open.backend.unlock(open.handle, l.offset, l.length).catch(() => {});
    throw e;
  }
}

/** A blocking lock: granted now, or pending until it can be (§3.3.5.14.2, §3.3.4.2). */
async function lockOrWait(open: Open, l: LockElement): Promise<Answer> {
  const exclusive = (l.flags & EXCLUSIVE_LOCK) !== 0;
  try {
    await open.backend.lock(open.handle, l.offset, l.length, { exclusive });
    return ok(lockResponse, {});
  } catch (e) {
    if (!(e instanceof SmbStatusError) || e.status !== NtStatus.LOCK_NOT_GRANTED) throw e;
  }
  const abort = new AbortController();
  let why: CancelReason = 'cancel';
  const result = open.backend
    .lock(open.handle, l.offset, l.length, { exclusive, wait: true, signal: abort.signal })
    .then(
      () => ok(lockResponse, {}),
      (e: unknown) => {
        const status = statusOf(e);
        // Its handle closed, or its tree, session or connection went, while the lock waited:
        // Windows and Samba answer RANGE_NOT_LOCKED; only a CANCEL gets CANCELLED.
        const gone = status === NtStatus.FILE_CLOSED || (status === NtStatus.CANCELLED && why === 'teardown');
        return fail(Command.LOCK, gone ? NtStatus.RANGE_NOT_LOCKED : status);
      },
    );
  const cancel = (reason: CancelReason = 'cancel') => {
    if (abort.signal.aborted) return;
    why = reason;
    abort.abort();
  };
  return pending(Command.LOCK, { result, cancel });
}
