/**
 * OPLOCK_BREAK acknowledgment (MS-SMB2 §3.3.5.22.1): the client took the break notification
 * (../core/oplock.ts) and says which level it keeps. As Windows and Samba answer: an open that
 * is not there is STATUS_FILE_CLOSED; one with no break awaiting an acknowledgment (none sent,
 * or a LEVEL_II to NONE break, which is not acknowledged) STATUS_INVALID_OPLOCK_PROTOCOL; a
 * level other than NONE or LEVEL_II STATUS_INVALID_PARAMETER. The response carries the level
 * the open now holds (NONE when the break or the acknowledgment said NONE). No lease is ever
 * granted, so a lease break acknowledgment names no lease: STATUS_OBJECT_NAME_NOT_FOUND
 * (§3.3.5.22.2).
 */
import {
  Command,
  NtStatus,
  type OplockBreakRequest,
  OplockLevel,
  oplockBreakAckResponse,
} from '@postntlm/smb2-protocol';
import { type Answer, fail, type HandlerContext, lookupOpen, ok } from './common.js';

export function handleOplockBreak(ctx: HandlerContext, req: OplockBreakRequest): Answer {
  if (req.kind === 'lease') return fail(Command.OPLOCK_BREAK, NtStatus.OBJECT_NAME_NOT_FOUND);
  const open = lookupOpen(ctx, req.fileId);
  const oplock = open.oplock;
  if (oplock?.breakingTo === undefined) return fail(Command.OPLOCK_BREAK, NtStatus.INVALID_OPLOCK_PROTOCOL);
  if (req.oplockLevel !== OplockLevel.NONE && req.oplockLevel !== OplockLevel.II)
    return fail(Command.OPLOCK_BREAK, NtStatus.INVALID_PARAMETER);
  const level = oplock.acknowledge(req.oplockLevel);
  return ok(oplockBreakAckResponse, { oplockLevel: level, fileId: open.fileId });
}
