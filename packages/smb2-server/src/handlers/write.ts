/**
 * WRITE (MS-SMB2 §3.3.5.13): bounded by MaxWriteSize and the CreditCharge; an offset of all
 * 0xFF appends (FILE_APPEND_DATA opens, MS-FSA §2.1.5.3). Pipes: ./pipe.ts.
 */
import { type WriteRequest, writeResponse } from '@postntlm/smb2-protocol';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { checkIoLength } from './io.js';
import { pipeWrite } from './pipe.js';

export async function handleWrite(ctx: HandlerContext, req: WriteRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeWrite(ctx, req);
  const open = lookupOpen(ctx, req.fileId);
  checkIoLength(ctx, req.data.length);
  let offset = req.offset;
  if (offset === 0xffffffffffffffffn) offset = (await open.backend.stat(open.handle)).endOfFile;
  const count = await open.backend.write(open.handle, offset, req.data);
  return ok(writeResponse, { count, remaining: 0 });
}
