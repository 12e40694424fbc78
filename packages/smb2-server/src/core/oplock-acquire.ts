/**
 * Oplock acquisition (MS-SMB2 §3.3.5.9 "Oplock acquisition", MS-FSA §2.1.5.17 "Server
 * Requests an Oplock" and §2.1.4.12 "Check Oplock Break" on open), as Windows and Samba
 * behave:
 * - before a new open, each other open's oplock is looked at: with a sharing violation only
 *   handle caching (BATCH) is broken, to LEVEL_II, and waited for (the holder may close);
 *   otherwise write caching (BATCH, EXCLUSIVE) is broken to LEVEL_II and waited for, and an
 *   overwrite (SUPERSEDE, OVERWRITE, OVERWRITE_IF) breaks every oplock to NONE; a LEVEL_II
 *   oplock is broken to NONE with no wait. An open that only reads or writes attributes (a
 *   "stat open") breaks nothing;
 * - an overwriting disposition counts as FILE_WRITE_DATA (it is no stat open);
 * - the new open is granted what it asked for, less write caching when another open holds
 *   an oplock or more than attribute rights (BATCH and EXCLUSIVE then become LEVEL_II), and
 *   no oplock when another open still holds handle caching or the file is a directory.
 */
import { AccessMask, CreateDisposition, LeaseState, OplockLevel } from '@postntlm/smb2-protocol';
import { shareConflict } from '../backend/index.js';
import type { Open } from './open.js';
import { cachingOf, levelOf } from './oplock.js';

const { READ_CACHING: R, WRITE_CACHING: W, HANDLE_CACHING: H } = LeaseState;

/** Rights of an open that does not touch the data (Samba's is_oplock_stat_open). */
const STAT_OPEN_RIGHTS =
  AccessMask.FILE_READ_ATTRIBUTES | AccessMask.FILE_WRITE_ATTRIBUTES | AccessMask.SYNCHRONIZE;

export const isStatOpen = (access: number): boolean =>
  (access & STAT_OPEN_RIGHTS) !== 0 && (access & ~STAT_OPEN_RIGHTS) === 0;

/** What the new open asks for. */
export interface OpenIntent {
  /** Specific rights (generic ones mapped). */
  readonly access: number;
  readonly shareAccess: number;
  readonly disposition: number;
}

/** SUPERSEDE, OVERWRITE and OVERWRITE_IF write the file whatever the rights asked for. */
export const overwrites = (disposition: number): boolean =>
  disposition === CreateDisposition.SUPERSEDE ||
  disposition === CreateDisposition.OVERWRITE ||
  disposition === CreateDisposition.OVERWRITE_IF;

/**
 * Starts the breaks a new open of a file that `others` have open needs, and returns what it
 * must wait for before it opens (empty: open now).
 */
export function breakForOpen(others: readonly Open[], intent: OpenIntent): Promise<void>[] {
  if (isStatOpen(intent.access)) return [];
  const sharingViolation = others.some((o) => shareConflict(o.handle, intent.access, intent.shareAccess));
  const delayMask = sharingViolation ? H : W;
  const overwrite = overwrites(intent.disposition) && !sharingViolation;
  const waits: Promise<void>[] = [];
  for (const o of others) {
    const oplock = o.oplock;
    if (oplock === undefined) continue;
    const held = oplock.caching;
    if (held === 0) continue;
    let keep = held & ~delayMask;
    // Oplocks break only to LEVEL_II (read caching) or NONE.
    keep &= R;
    if (overwrite) keep = 0;
    if ((held & ~keep) === 0) continue;
    if ((held & delayMask) !== 0) waits.push(oplock.breakTo(levelOf(keep)));
    else if (oplock.breakingTo !== undefined) waits.push(oplock.breakTo(levelOf(keep)));
    else oplock.breakLevelIIToNone();
  }
  return waits;
}

/** The oplock level a new open gets (after the breaks it waited for), per the rules above. */
export function grantedLevel(
  requested: number,
  others: readonly Open[],
  intent: { readonly access: number; readonly isDirectory: boolean },
): number {
  if (intent.isDirectory) return OplockLevel.NONE;
  let granted = cachingOf(requested);
  if (granted === 0) return OplockLevel.NONE;
  // A stat open breaks nothing, and gets an oplock only on a file nobody else has open.
  if (isStatOpen(intent.access)) return others.length === 0 ? levelOf(granted) : OplockLevel.NONE;
  // Write caching only for the one open of the file (stat opens aside).
  const held = (o: Open) => o.oplock?.level ?? OplockLevel.NONE;
  if (others.some((o) => held(o) !== OplockLevel.NONE || !isStatOpen(o.grantedAccess))) granted &= ~W;
  // Another open still caching its handle (a break that timed out to it) leaves none.
  if (others.some((o) => (cachingOf(held(o)) & H) !== 0)) return OplockLevel.NONE;
  return levelOf(granted);
}
