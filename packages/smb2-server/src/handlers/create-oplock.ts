/**
 * The oplock side of CREATE (MS-SMB2 §3.3.5.9 "Oplock acquisition"; the rules are
 * ../core/oplock-acquire.ts): the breaks a new open sends before it opens, the async wait for
 * them (§3.3.4.2: until the holders acknowledge, close, or the break times out; a CANCEL ends
 * it with STATUS_CANCELLED), and the oplock the new open is granted.
 */
import {
  AccessMask,
  Command,
  type CreateRequest,
  LeaseState,
  NtStatus,
  OplockLevel,
} from '@postntlm/smb2-protocol';
import { joinSmbPath, mapGenericAccess, parseSmbPath, type ShareBackend } from '../backend/index.js';
import type { Open } from '../core/open.js';
import { DEFAULT_OPLOCK_BREAK_TIMEOUT_MS, Oplock } from '../core/oplock.js';
import { breakForOpen, grantedLevel, type OpenIntent, overwrites } from '../core/oplock-acquire.js';
import { fileOpensOf } from '../core/oplock-files.js';
import { type Answer, type AsyncWork, fail, type HandlerContext, statusOf } from './common.js';

/**
 * Starts the breaks the CREATE needs (run again after each wait: a new holder may have come)
 * and returns what to wait for; empty when the file may be opened now.
 */
export function oplockBreaks(
  backend: ShareBackend,
  req: CreateRequest,
  desiredAccess: number,
  disposition: number,
): () => Promise<Promise<void>[]> {
  const intent = openIntent(req, desiredAccess, disposition);
  return async () => {
    if (intent === undefined) return [];
    const others = fileOpensOf(backend).atPath(intent.path);
    // A delete-pending file fails the open (STATUS_DELETE_PENDING) with no break, as on Windows.
    if (others.some(cachesWrites) && (await isDeletePending(others))) return [];
    return breakForOpen(others, intent);
  };
}

/**
 * Registers the new open with its file's other opens and grants it the oplock it asked for,
 * as far as they allow; returns the level for the CREATE response. Without a way to send a
 * break (ctx.sendOplockBreak), none.
 */
export function grantOplock(
  ctx: HandlerContext,
  open: Open,
  fileKey: bigint,
  requested: number,
  disposition: number,
): number {
  const files = fileOpensOf(open.backend);
  const others = files.ofFile(fileKey);
  files.add(open, fileKey);
  const send = ctx.sendOplockBreak;
  if (send === undefined) return OplockLevel.NONE;
  const level = grantedLevel(requested, others, {
    access: open.grantedAccess | (overwrites(disposition) ? AccessMask.FILE_WRITE_DATA : 0),
    isDirectory: open.isDirectory,
  });
  if (level !== OplockLevel.NONE) {
    const timeout = ctx.server.limits?.oplockBreakTimeoutMs ?? DEFAULT_OPLOCK_BREAK_TIMEOUT_MS;
    open.oplock = new Oplock(level, (to) => send(open, to), timeout);
    files.granted(open);
  }
  return level;
}

/** An open whose oplock caches writes or its handle (BATCH, EXCLUSIVE): what a new open may break. */
const cachesWrites = (o: Open): boolean => (o.oplock?.caching ?? 0) > LeaseState.READ_CACHING;

async function isDeletePending(opens: readonly Open[]): Promise<boolean> {
  const first = opens[0];
  if (first === undefined) return false;
  try {
    return (await first.backend.stat(first.handle)).deletePending;
  } catch {
    return false;
  }
}

/** The path and rights a CREATE asks for, as the oplock checks see them; undefined if malformed (the backend refuses it). */
function openIntent(
  req: CreateRequest,
  desiredAccess: number,
  disposition: number,
): (OpenIntent & { path: string }) | undefined {
  try {
    const path = joinSmbPath(parseSmbPath(req.name).components);
    const access =
      mapGenericAccess(desiredAccess) | (overwrites(disposition) ? AccessMask.FILE_WRITE_DATA : 0);
    return { path, access, shareAccess: req.shareAccess, disposition };
  } catch {
    return undefined;
  }
}

/**
 * A CREATE that waits for oplock breaks (§3.3.4.2 async): once they are over, the checks run
 * again (a new holder may have come), then the file is opened.
 */
export function afterBreaks(
  first: Promise<void>[],
  again: () => Promise<Promise<void>[]>,
  open: () => Promise<Answer>,
): AsyncWork {
  let stop: () => void = () => {};
  const stopped = new Promise<'stopped'>((resolve) => {
    stop = () => resolve('stopped');
  });
  const result = (async (): Promise<Answer> => {
    for (let waits = first; waits.length > 0; waits = await again()) {
      const done = await Promise.race([Promise.all(waits).then(() => 'done' as const), stopped]);
      if (done === 'stopped') return fail(Command.CREATE, NtStatus.CANCELLED);
    }
    try {
      return await open();
    } catch (e) {
      return fail(Command.CREATE, statusOf(e));
    }
  })();
  return { result, cancel: () => stop() };
}
