/**
 * The sparse-file FSCTLs (MS-FSCC §2.3: SET_SPARSE, SET_ZERO_DATA (§2.3.85),
 * QUERY_ALLOCATED_RANGES; semantics and access rules in MS-FSA §2.1.5.9, carried out by
 * the backend: ../backend/sparse.ts). A backend without them: STATUS_INVALID_DEVICE_REQUEST.
 */
import {
  ALLOCATED_RANGE_SIZE,
  allocatedRangeQuery,
  allocatedRanges,
  Command,
  fileZeroDataInformation,
  type IoctlRequest,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import type { Open } from '../core/open.js';
import { type Answer, fail, type HandlerContext, lookupOpen } from './common.js';
import { checkNonNegative, ioctlAnswer, MAX_INT64, needInput } from './fsctl-common.js';

/** A backend without sparse files: the FSCTL is not one this file system knows. */
const unsupported = (): Answer => fail(Command.IOCTL, NtStatus.INVALID_DEVICE_REQUEST);

const empty = new Uint8Array(0);

/**
 * FILE_SET_SPARSE_BUFFER is optional: without it the file becomes sparse; with it, a
 * non-zero first byte sets and zero clears (bytes past the first are ignored, as Windows does).
 */
export async function handleSetSparse(ctx: HandlerContext, req: IoctlRequest): Promise<Answer> {
  const open: Open = lookupOpen(ctx, req.fileId);
  if (open.backend.setSparse === undefined) return unsupported();
  const sparse = req.input.length === 0 || req.input[0] !== 0;
  await open.backend.setSparse(open.handle, sparse);
  return ioctlAnswer(req, empty);
}

/** FileOffset and BeyondFinalZero must not be negative, nor the first past the second. */
export async function handleSetZeroData(ctx: HandlerContext, req: IoctlRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  if (open.backend.zeroData === undefined) return unsupported();
  needInput(req, 16, 'FILE_ZERO_DATA_INFORMATION');
  const z = fileZeroDataInformation.decode(req.input.subarray(0, 16));
  checkNonNegative(z.fileOffset, 'FileOffset');
  checkNonNegative(z.beyondFinalZero, 'BeyondFinalZero');
  if (z.fileOffset > z.beyondFinalZero)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FileOffset is past BeyondFinalZero');
  await open.backend.zeroData(open.handle, z.fileOffset, z.beyondFinalZero);
  return ioctlAnswer(req, empty);
}

/**
 * The ranges that fit MaxOutputResponse: none fitting while some exist is
 * STATUS_BUFFER_TOO_SMALL; some but not all, STATUS_BUFFER_OVERFLOW with those that fit.
 */
export async function handleQueryAllocatedRanges(ctx: HandlerContext, req: IoctlRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  if (open.backend.allocatedRanges === undefined) return unsupported();
  needInput(req, ALLOCATED_RANGE_SIZE, 'FILE_ALLOCATED_RANGE_BUFFER');
  const q = allocatedRangeQuery.decode(req.input.subarray(0, ALLOCATED_RANGE_SIZE));
  checkNonNegative(q.fileOffset, 'FileOffset');
  checkNonNegative(q.length, 'Length');
  if (q.fileOffset + q.length > MAX_INT64)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FileOffset + Length overflows');
  const ranges = await open.backend.allocatedRanges(open.handle, q.fileOffset, q.length);
  const fit = Math.floor(req.maxOutputResponse / ALLOCATED_RANGE_SIZE);
  if (ranges.length > 0 && fit === 0)
    throw new SmbStatusError(NtStatus.BUFFER_TOO_SMALL, 'no room for one FILE_ALLOCATED_RANGE_BUFFER');
  const sent = ranges.slice(0, fit).map((r) => ({ fileOffset: r.offset, length: r.length }));
  const status = sent.length < ranges.length ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS;
  return ioctlAnswer(req, allocatedRanges.encode(sent), status);
}
