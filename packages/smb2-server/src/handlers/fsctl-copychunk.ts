/**
 * FSCTL_SRV_COPYCHUNK and FSCTL_SRV_COPYCHUNK_WRITE (MS-SMB2 §3.3.5.15.6): copies ranges of
 * the open a resume key names (./fsctl-resume-key.ts) into the IOCTL's open, through the
 * backends (../backend/copy.ts), in order, stopping at the first failure.
 *
 * Order of checks (§3.3.5.15.6): the source key (STATUS_OBJECT_NAME_NOT_FOUND); a
 * MaxOutputResponse below SRV_COPYCHUNK_RESPONSE (STATUS_INVALID_PARAMETER); a request over
 * the server's limits — more than 256 chunks, a chunk of 0 or more than 1 MiB, more than
 * 16 MiB in all, or a short buffer — STATUS_INVALID_PARAMETER with the limits in the response
 * (§3.3.5.15.6.2); then access: the target needs FILE_WRITE_DATA, and FILE_READ_DATA too for
 * FSCTL_SRV_COPYCHUNK; the source needs FILE_READ_DATA or FILE_EXECUTE (as Windows allows).
 * Any failure while copying answers its status with the response counting the chunks done.
 */
import {
  AccessMask,
  type CopyChunkResponse,
  copyChunkRequest,
  copyChunkResponse,
  Fsctl,
  type IoctlRequest,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { CopyError, copyRanges } from '../backend/copy.js';
import { SmbStatusError } from '../backend/index.js';
import { type Answer, type HandlerContext, lookupOpen } from './common.js';
import { ioctlAnswer } from './fsctl-common.js';
import { openOfResumeKey } from './fsctl-resume-key.js';

/** ServerSideCopyMaxNumberofChunks, ServerSideCopyMaxChunkSize, ServerSideCopyMaxDataSize (§3.3.3). */
export const COPYCHUNK_LIMITS = { maxChunks: 256, maxChunkSize: 1 << 20, maxDataSize: 16 << 20 } as const;

const RESPONSE_SIZE = 12;
const HEADER_SIZE = 32;
const CHUNK_SIZE = 24;

function respond(req: IoctlRequest, r: CopyChunkResponse, status: number = NtStatus.SUCCESS): Answer {
  return ioctlAnswer(req, copyChunkResponse.encode(r), status);
}

/** §3.3.5.15.6.2: the limits, in the fields that otherwise count what was written. */
function overLimits(req: IoctlRequest): Answer {
  return respond(
    req,
    {
      chunksWritten: COPYCHUNK_LIMITS.maxChunks,
      chunkBytesWritten: COPYCHUNK_LIMITS.maxChunkSize,
      totalBytesWritten: COPYCHUNK_LIMITS.maxDataSize,
    },
    NtStatus.INVALID_PARAMETER,
  );
}

function withinLimits(input: Uint8Array): boolean {
  if (input.length < HEADER_SIZE) return false;
  const count = new DataView(input.buffer, input.byteOffset, input.length).getUint32(24, true);
  if (count > COPYCHUNK_LIMITS.maxChunks || input.length < HEADER_SIZE + count * CHUNK_SIZE) return false;
  let total = 0;
  for (const c of copyChunkRequest.decode(input).chunks) {
    if (c.length === 0 || c.length > COPYCHUNK_LIMITS.maxChunkSize) return false;
    total += c.length;
  }
  return total <= COPYCHUNK_LIMITS.maxDataSize;
}

export async function handleCopyChunk(ctx: HandlerContext, req: IoctlRequest): Promise<Answer> {
  const target = lookupOpen(ctx, req.fileId);
  const source = req.input.length >= 24 ? openOfResumeKey(ctx, req.input.subarray(0, 24)) : undefined;
  if (req.input.length >= 24 && source === undefined)
    throw new SmbStatusError(NtStatus.OBJECT_NAME_NOT_FOUND, 'no open has this resume key');
  if (req.maxOutputResponse < RESPONSE_SIZE)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'MaxOutputResponse below SRV_COPYCHUNK_RESPONSE');
  if (source === undefined || !withinLimits(req.input)) return overLimits(req);

  const wantTarget =
    req.ctlCode >>> 0 === Fsctl.SRV_COPYCHUNK
      ? AccessMask.FILE_WRITE_DATA | AccessMask.FILE_READ_DATA
      : AccessMask.FILE_WRITE_DATA;
  if ((target.grantedAccess & wantTarget) !== wantTarget)
    throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'the copychunk target lacks access');
  if ((source.grantedAccess & (AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) === 0)
    throw new SmbStatusError(NtStatus.ACCESS_DENIED, 'the copychunk source lacks read access');

  const { chunks } = copyChunkRequest.decode(req.input);
  try {
    const done = await copyRanges(
      { backend: source.backend, handle: source.handle },
      { backend: target.backend, handle: target.handle },
      chunks,
    );
    return respond(req, { ...done, chunkBytesWritten: 0 });
  } catch (e) {
    if (!(e instanceof CopyError)) throw e;
    return respond(req, { ...e.progress, chunkBytesWritten: 0 }, e.status);
  }
}
