/**
 * READ (MS-SMB2 §3.3.5.12): bounded by MaxReadSize and the CreditCharge; STATUS_END_OF_FILE
 * at the end or when fewer than MinimumCount bytes are there. A read moves the open's
 * FilePositionInformation to its end, as Samba does (writes do not; Windows moves neither).
 * Pipes: ./pipe.ts.
 *
 * The data is read straight into a buffer with `READ_RESPONSE_HEADROOM` free bytes before it
 * (`readIntoFrame`), so that the connection can build the whole frame around it in place.
 */

import type { FramePool } from '@postntlm/smb2-protocol';
import { NtStatus, type ReadRequest, readResponse } from '@postntlm/smb2-protocol';
import { type OpenHandle, type ShareBackend, SmbStatusError } from '../backend/index.js';
import { type Answer, type HandlerContext, lookupOpen, ok } from './common.js';
import { checkIoLength } from './io.js';
import { pipeRead } from './pipe.js';

/**
 * Free bytes in front of the data a READ answers with: the Direct TCP length (4), the SMB2
 * header (64) and the READ response's fixed part (16), whose DataOffset is 0x50. The data is
 * a view at this offset of an ArrayBuffer holding nothing else, so a connection may write the
 * frame's first bytes in place and send `new Uint8Array(data.buffer, data.byteOffset -
 * READ_RESPONSE_HEADROOM, READ_RESPONSE_HEADROOM + data.length)` without copying the data.
 */
export const READ_RESPONSE_HEADROOM = 4 + 64 + 16;

/**
 * Reads up to `length` bytes at `offset`; `framed` when they sit after `READ_RESPONSE_HEADROOM`
 * free bytes of a buffer of their own (the backend has `readInto`).
 */
export async function readIntoFrame(
  backend: ShareBackend,
  handle: OpenHandle,
  offset: bigint,
  length: number,
  pool?: FramePool,
): Promise<{ data: Uint8Array; framed: boolean }> {
  if (backend.readInto === undefined)
    return { data: await backend.read(handle, offset, length), framed: false };
  // The frame's alone: from the server's pool (taken back once the response is sent), else
  // fresh and not zero-filled (only the bytes read are handed out).
  const size = READ_RESPONSE_HEADROOM + length;
  const frame = pool?.allocate(size) ?? Buffer.allocUnsafeSlow(size);
  const data = frame.subarray(READ_RESPONSE_HEADROOM);
  let got: number;
  try {
    got = await backend.readInto(handle, offset, data);
  } catch (e) {
    pool?.release(frame);
    throw e;
  }
  return { data: data.subarray(0, got), framed: true };
}

export async function handleRead(ctx: HandlerContext, req: ReadRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeRead(ctx, req);
  const open = lookupOpen(ctx, req.fileId);
  checkIoLength(ctx, req.length);
  const pool = ctx.server.framePool;
  const { data, framed } = await readIntoFrame(open.backend, open.handle, req.offset, req.length, pool);
  if (data.length < req.minimumCount) {
    if (framed) pool?.release(data);
    throw new SmbStatusError(NtStatus.END_OF_FILE, 'short of MinimumCount');
  }
  if (data.length > 0) open.position = req.offset + BigInt(data.length);
  const answer = ok(readResponse, { dataRemaining: 0, flags: 0, data });
  return framed && data.length > 0 ? { ...answer, bulk: data } : answer;
}
