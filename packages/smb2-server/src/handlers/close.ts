/**
 * CLOSE (MS-SMB2 §3.3.5.10): closes the open; with POSTQUERY_ATTRIB, the attributes just
 * before closing. Pipes: ./pipe.ts; the quota index: ./quota-file.ts.
 */
import { CloseFlags, type CloseRequest, closeResponse } from '@postntlm/smb2-protocol';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { pipeClose } from './pipe.js';
import { findQuotaOpen, quotaIndexClose } from './quota-file.js';

export async function handleClose(ctx: HandlerContext, req: CloseRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeClose(ctx, req);
  const quota = findQuotaOpen(ctx, req.fileId);
  if (quota !== undefined) return quotaIndexClose(ctx, quota, req.flags);
  const open = lookupOpen(ctx, req.fileId);
  const info = await ctx.session.opens.close(open);
  const post = (req.flags & CloseFlags.POSTQUERY_ATTRIB) !== 0;
  return ok(closeResponse, {
    flags: post ? CloseFlags.POSTQUERY_ATTRIB : 0,
    creationTime: post ? info.creationTime : 0n,
    lastAccessTime: post ? info.lastAccessTime : 0n,
    lastWriteTime: post ? info.lastWriteTime : 0n,
    changeTime: post ? info.changeTime : 0n,
    allocationSize: post ? info.allocationSize : 0n,
    endOfFile: post ? info.endOfFile : 0n,
    fileAttributes: post ? info.attributes : 0,
  });
}
