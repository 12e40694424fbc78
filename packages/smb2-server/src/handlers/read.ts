/** READ (MS-SMB2 §3.3.5.12): bounded by MaxReadSize and the CreditCharge; STATUS_END_OF_FILE at the end; pipes: ./pipe.ts. */
import { NtStatus, type ReadRequest, readResponse } from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { checkIoLength } from './io.js';
import { pipeRead } from './pipe.js';

export async function handleRead(ctx: HandlerContext, req: ReadRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeRead(ctx, req);
  const open = lookupOpen(ctx, req.fileId);
  checkIoLength(ctx, req.length);
  const data = await open.backend.read(open.handle, req.offset, req.length);
  if (data.length < req.minimumCount) throw new SmbStatusError(NtStatus.END_OF_FILE, 'short of MinimumCount');
  return ok(readResponse, { dataRemaining: 0, flags: 0, data });
}
