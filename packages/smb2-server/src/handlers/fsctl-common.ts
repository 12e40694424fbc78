/** What the FSCTL handlers share: the IOCTL response around an output buffer, and the signed 64-bit checks. */
import { type IoctlRequest, ioctlResponse, NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { type Answer, ok } from './common.js';

/** An SMB2 IOCTL Response (§2.2.32) echoing the request's CtlCode and FileId, with no input. */
export function ioctlAnswer(
  req: IoctlRequest,
  output: Uint8Array,
  status: number = NtStatus.SUCCESS,
): Answer {
  return ok(
    ioctlResponse,
    { ctlCode: req.ctlCode >>> 0, fileId: req.fileId, input: new Uint8Array(0), output, flags: 0 },
    status,
  );
}

/** The largest signed 64-bit value: file offsets are LONGLONGs in MS-FSCC. */
export const MAX_INT64 = (1n << 63n) - 1n;

/** Throws STATUS_INVALID_PARAMETER for a negative LONGLONG (read as unsigned: ≥ 2^63). */
export function checkNonNegative(v: bigint, what: string): void {
  if (v > MAX_INT64) throw new SmbStatusError(NtStatus.INVALID_PARAMETER, `${what} is negative`);
}

/** Throws STATUS_INVALID_PARAMETER when the input buffer is shorter than `size`. */
export function needInput(req: IoctlRequest, size: number, what: string): void {
  if (req.input.length < size)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, `${what} needs ${size} input bytes`);
}
