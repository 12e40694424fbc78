/**
 * WRITE (MS-SMB2 §3.3.5.13): bounded by MaxWriteSize and the CreditCharge. The offset is
 * signed: all 0xFF is not "write at the end" over SMB2 but STATUS_INVALID_PARAMETER, as
 * Windows and Samba answer (the backend's range check). Pipes: ./pipe.ts.
 */
import { type WriteRequest, writeResponse } from '@postntlm/smb2-protocol';
import { breakLevelIIOplocks } from '../core/oplock-files.js';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { checkIoLength } from './io.js';
import { pipeWrite } from './pipe.js';

export async function handleWrite(ctx: HandlerContext, req: WriteRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeWrite(ctx, req);
  const open = lookupOpen(ctx, req.fileId);
  checkIoLength(ctx, req.data.length);
  breakLevelIIOplocks(open);
  const count = await open.backend.write(open.handle, req.offset, req.data);
  return ok(writeResponse, { count, remaining: 0 });
}
