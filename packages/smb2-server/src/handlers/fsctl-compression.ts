/**
 * FSCTL_GET_COMPRESSION and FSCTL_SET_COMPRESSION (MS-FSCC §2.3; MS-FSA
 * §2.1.5.9) on a file system without compression (FILE_FILE_COMPRESSION is
 * not reported): every file is COMPRESSION_FORMAT_NONE, setting NONE succeeds and changes
 * nothing, DEFAULT or LZNT1 is STATUS_NOT_SUPPORTED (as Windows Server 2016 on ReFS answers),
 * any other value STATUS_INVALID_PARAMETER.
 */
import {
  AccessMask,
  CompressionFormat,
  compressionState,
  type IoctlRequest,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { type Answer, type HandlerContext, lookupOpen, needAccess } from './common.js';
import { ioctlAnswer, needInput } from './fsctl-common.js';

const STATE_SIZE = 2;

export function handleGetCompression(ctx: HandlerContext, req: IoctlRequest): Answer {
  lookupOpen(ctx, req.fileId);
  if (req.maxOutputResponse < STATE_SIZE)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'MaxOutputResponse below COMPRESSION_STATE');
  return ioctlAnswer(req, compressionState.encode(CompressionFormat.NONE));
}

export function handleSetCompression(ctx: HandlerContext, req: IoctlRequest): Answer {
  const open = lookupOpen(ctx, req.fileId);
  needInput(req, STATE_SIZE, 'COMPRESSION_STATE');
  // MS-FSA FSCTL_SET_COMPRESSION: FILE_WRITE_DATA or FILE_WRITE_ATTRIBUTES.
  needAccess(open, AccessMask.FILE_WRITE_DATA | AccessMask.FILE_WRITE_ATTRIBUTES, 'FSCTL_SET_COMPRESSION');
  const format = compressionState.decode(req.input.subarray(0, STATE_SIZE));
  if (format === CompressionFormat.NONE) return ioctlAnswer(req, new Uint8Array(0));
  if (format === CompressionFormat.DEFAULT || format === CompressionFormat.LZNT1)
    throw new SmbStatusError(NtStatus.NOT_SUPPORTED, 'the file system does not compress');
  throw new SmbStatusError(NtStatus.INVALID_PARAMETER, `CompressionState 0x${format.toString(16)}`);
}
