/**
 * LOCK (MS-SMB2 §3.3.5.14): byte-range locks through the backend. Shared and exclusive
 * locks, FAIL_IMMEDIATELY, unlocks; the elements of a request are all lock requests or all
 * unlocks, and a failing lock releases the ones this request took. Blocking locks (no
 * FAIL_IMMEDIATELY) are not queued yet: a conflict answers STATUS_LOCK_NOT_GRANTED at once
 * (no STATUS_PENDING / async completion).
 */
import { Command, LockFlags, type LockRequest, lockResponse, NtStatus } from '@postntlm/smb2-protocol';
import { type Answer, fail, type HandlerContext, lookupOpen, ok } from './common.js';

const { SHARED_LOCK, EXCLUSIVE_LOCK, UNLOCK, FAIL_IMMEDIATELY } = LockFlags;

export async function handleLock(ctx: HandlerContext, req: LockRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  if (req.locks.length === 0) return fail(Command.LOCK, NtStatus.INVALID_PARAMETER);
  const unlocking = (req.locks[0]!.flags & UNLOCK) !== 0;
  for (const l of req.locks) {
    const valid = unlocking
      ? l.flags === UNLOCK
      : l.flags === SHARED_LOCK ||
        l.flags === EXCLUSIVE_LOCK ||
        l.flags === (SHARED_LOCK | FAIL_IMMEDIATELY) ||
        l.flags === (EXCLUSIVE_LOCK | FAIL_IMMEDIATELY);
    if (!valid) return fail(Command.LOCK, NtStatus.INVALID_PARAMETER);
  }
  if (unlocking) {
    for (const l of req.locks) await open.backend.unlock(open.handle, l.offset, l.length);
    return ok(lockResponse, {});
  }
  const taken: (typeof req.locks)[number][] = [];
  try {
    for (const l of req.locks) {
      await open.backend.lock(open.handle, l.offset, l.length, {
        exclusive: (l.flags & EXCLUSIVE_LOCK) !== 0,
        wait: false,
      });
      taken.push(l);
    }
  } catch (e) {
    for (const l of taken.reverse())
      await open.backend.unlock(open.handle, l.offset, l.length).catch(() => {});
    throw e;
  }
  return ok(lockResponse, {});
}
