/**
 * CHANGE_NOTIFY (MS-SMB2 §3.3.5.19, MS-FSA §2.1.5.10): the first request on a directory open
 * starts a watch (its CompletionFilter, WATCH_TREE and OutputBufferLength hold for the life of
 * the open, as in Windows and Samba); changes are queued on the open between requests. A
 * request with changes queued is answered at once, else it goes async (§3.3.4.2) until the
 * next change. Changes that do not fit the smaller of the request's and the first request's
 * buffer, or too many queued, answer STATUS_NOTIFY_ENUM_DIR ("enumerate the directory
 * again"). Closing the directory (or its tree, session, connection going away) ends waiting
 * requests with STATUS_NOTIFY_CLEANUP, the directory becoming delete-pending (another open
 * deleted it) with STATUS_DELETE_PENDING, a CANCEL with STATUS_CANCELLED.
 */
import {
  ChangeNotifyFlags,
  type ChangeNotifyRequest,
  Command,
  changeNotifyResponse,
  type FileNotifyInformation,
  fitFileNotifyInformation,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import type { ChangeEvent, DirectoryWatcher } from '../backend/notify.js';
import type { Open } from '../core/open.js';
import {
  type Answer,
  type CancelReason,
  fail,
  type HandlerContext,
  lookupOpen,
  ok,
  pending,
} from './common.js';
import { DEFAULT_MAX_IO } from './io.js';

/** Changes queued on one open beyond which only NOTIFY_ENUM_DIR is left to say (Samba: 1000). */
export const MAX_QUEUED_CHANGES = 1000;

interface Waiter {
  readonly limit: number;
  settle(answer: Answer): void;
}

/** The watch of one directory open. */
interface Watch {
  readonly watcher: DirectoryWatcher;
  /** The first request's OutputBufferLength: no response of this watch is larger. */
  readonly maxBufferSize: number;
  changes: FileNotifyInformation[];
  overflowed: boolean;
  readonly waiters: Waiter[];
}

const watches = new WeakMap<Open, Watch>();

export async function handleChangeNotify(ctx: HandlerContext, req: ChangeNotifyRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  const maxTransact = ctx.server.options.maxIoSize ?? DEFAULT_MAX_IO;
  if (req.outputBufferLength > maxTransact)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'OutputBufferLength above MaxTransactSize');
  const watch = watches.get(open) ?? startWatch(open, req);
  if (watch.changes.length > 0 || watch.overflowed) return drain(watch, req.outputBufferLength);
  let resolve: (a: Answer) => void = () => {};
  const result = new Promise<Answer>((r) => {
    resolve = r;
  });
  const w: Waiter = { limit: req.outputBufferLength, settle: (a) => resolve(a) };
  watch.waiters.push(w);
  const cancel = (reason: CancelReason = 'cancel') => {
    const i = watch.waiters.indexOf(w);
    if (i < 0) return;
    watch.waiters.splice(i, 1);
    w.settle(fail(Command.CHANGE_NOTIFY, reason === 'cancel' ? NtStatus.CANCELLED : NtStatus.NOTIFY_CLEANUP));
  };
  return pending(Command.CHANGE_NOTIFY, { result, cancel });
}

function startWatch(open: Open, req: ChangeNotifyRequest): Watch {
  // The backend refuses a file (INVALID_PARAMETER) and an open without FILE_LIST_DIRECTORY.
  const watcher = open.backend.watch(open.handle, {
    recursive: (req.flags & ChangeNotifyFlags.WATCH_TREE) !== 0,
    filter: req.completionFilter,
  });
  const watch: Watch = {
    watcher,
    maxBufferSize: req.outputBufferLength,
    changes: [],
    overflowed: false,
    waiters: [],
  };
  watches.set(open, watch);
  watcher.on('change', (e: ChangeEvent) => onChange(watch, e));
  watcher.on('deletePending', () => {
    for (const w of watch.waiters.splice(0)) w.settle(fail(Command.CHANGE_NOTIFY, NtStatus.DELETE_PENDING));
  });
  watcher.once('close', () => {
    watches.delete(open);
    for (const w of watch.waiters.splice(0)) w.settle(fail(Command.CHANGE_NOTIFY, NtStatus.NOTIFY_CLEANUP));
  });
  return watch;
}

function onChange(watch: Watch, e: ChangeEvent): void {
  if (!watch.overflowed) {
    watch.changes.push({ action: e.action, fileName: e.name });
    if (watch.changes.length > MAX_QUEUED_CHANGES) {
      watch.overflowed = true;
      watch.changes = [];
    }
  }
  const waiter = watch.waiters.shift();
  if (waiter !== undefined) waiter.settle(drain(watch, waiter.limit));
}

/** The queued changes as one response, the queue emptied: NOTIFY_ENUM_DIR when they do not fit. */
function drain(watch: Watch, limit: number): Answer {
  const changes = watch.changes;
  const overflowed = watch.overflowed;
  watch.changes = [];
  watch.overflowed = false;
  const room = Math.min(limit, watch.maxBufferSize);
  if (overflowed || fitFileNotifyInformation(changes, room).count < changes.length)
    return fail(Command.CHANGE_NOTIFY, NtStatus.NOTIFY_ENUM_DIR);
  return ok(changeNotifyResponse, { changes });
}
