/** FLUSH (MS-SMB2 §3.3.5.11): fsync through the backend (a pipe: nothing to do). */
import { type FlushRequest, flushResponse } from '@postntlm/smb2-protocol';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { pipeFlush } from './pipe.js';

export async function handleFlush(ctx: HandlerContext, req: FlushRequest): Promise<Answer> {
  if (ctx.tree.ipc) {
    pipeFlush(ctx, req.fileId);
    return ok(flushResponse, {});
  }
  const open = lookupOpen(ctx, req.fileId);
  await open.backend.flush(open.handle);
  return ok(flushResponse, {});
}
