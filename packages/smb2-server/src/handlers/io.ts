/**
 * Limits shared by READ and WRITE (MS-SMB2 §3.3.5.2.5): the length within MaxReadSize /
 * MaxWriteSize, and, from 2.1 on, paid for by the CreditCharge (one credit per 64 KiB).
 */
import { Dialect, NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import type { HandlerContext } from './common.js';

export const DEFAULT_MAX_IO = 8 << 20;

export function checkIoLength(ctx: HandlerContext, length: number): void {
  const max = ctx.server.options.maxIoSize ?? DEFAULT_MAX_IO;
  if (length > max) throw new SmbStatusError(NtStatus.INVALID_PARAMETER, `${length} > ${max}`);
  if (ctx.negotiated.dialect >= Dialect.SMB_2_1) {
    const needed = length === 0 ? 1 : Math.ceil(length / 65536);
    if (Math.max(1, ctx.header.creditCharge) < needed)
      throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'CreditCharge too small for the length');
  } else if (length > 65536) {
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, '2.0.2 I/O is at most 64 KiB');
  }
}
