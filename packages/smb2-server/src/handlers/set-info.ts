/**
 * SET_INFO (MS-SMB2 §3.3.5.21): file classes Basic (times, attributes), EndOfFile,
 * Allocation, Rename (ReplaceIfExists; the target is a share-relative path, RootDirectory
 * must be 0), Disposition, DispositionEx, Position and Mode. Everything else, file-system
 * and security information included, is STATUS_NOT_SUPPORTED / INVALID_INFO_CLASS. A
 * read-only share grants no write access, so every change but Position and Mode fails there.
 */
import {
  AccessMask,
  Command,
  FileInformationClass as F,
  FILE_INFO_CODECS,
  type FileBasicInformation,
  FileDispositionFlags,
  InfoType,
  NtStatus,
  type SetInfoRequest,
  SmbDecodeError,
  setInfoResponse,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { breakLevelIIOplocks } from '../core/oplock-files.js';
import { type Answer, fail, type HandlerContext, lookupOpen, needAccess, ok } from './common.js';

const SUPPORTED: ReadonlySet<number> = new Set([
  F.FileBasicInformation,
  F.FileEndOfFileInformation,
  F.FileAllocationInformation,
  F.FileRenameInformation,
  F.FileDispositionInformation,
  F.FileDispositionInformationEx,
  F.FilePositionInformation,
  F.FileModeInformation,
]);

export async function handleSetInfo(ctx: HandlerContext, req: SetInfoRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  if (
    req.infoType === InfoType.SECURITY ||
    req.infoType === InfoType.QUOTA ||
    req.infoType === InfoType.FILESYSTEM
  )
    return fail(Command.SET_INFO, NtStatus.NOT_SUPPORTED);
  if (req.infoType !== InfoType.FILE) return fail(Command.SET_INFO, NtStatus.INVALID_PARAMETER);
  const codec = FILE_INFO_CODECS.get(req.fileInfoClass);
  if (codec === undefined || !SUPPORTED.has(req.fileInfoClass))
    return fail(Command.SET_INFO, NtStatus.INVALID_INFO_CLASS);
  let value: unknown;
  try {
    value = codec.decode(req.buffer);
  } catch (e) {
    if (e instanceof SmbDecodeError) return fail(Command.SET_INFO, NtStatus.INFO_LENGTH_MISMATCH);
    throw e;
  }
  const { backend, handle } = open;
  switch (req.fileInfoClass) {
    case F.FileBasicInformation: {
      const v = value as FileBasicInformation;
      needAccess(open, AccessMask.FILE_WRITE_ATTRIBUTES, 'SET_INFO Basic');
      await backend.setTimes(handle, {
        creationTime: v.creationTime,
        lastAccessTime: v.lastAccessTime,
        lastWriteTime: v.lastWriteTime,
        changeTime: v.changeTime,
      });
      if (v.fileAttributes !== 0) await backend.setAttributes(handle, v.fileAttributes);
      break;
    }
    case F.FileEndOfFileInformation:
      needAccess(open, AccessMask.FILE_WRITE_DATA, 'SET_INFO EndOfFile');
      breakLevelIIOplocks(open);
      await backend.setEndOfFile(handle, (value as { endOfFile: bigint }).endOfFile);
      break;
    case F.FileAllocationInformation:
      needAccess(open, AccessMask.FILE_WRITE_DATA, 'SET_INFO Allocation');
      breakLevelIIOplocks(open);
      await backend.setAllocationSize(handle, (value as { allocationSize: bigint }).allocationSize);
      break;
    case F.FileRenameInformation: {
      const v = value as { replaceIfExists: boolean; rootDirectory: bigint; fileName: string };
      if (v.rootDirectory !== 0n) return fail(Command.SET_INFO, NtStatus.INVALID_PARAMETER);
      const target = v.fileName.startsWith('\\') ? v.fileName.slice(1) : v.fileName;
      if (target.startsWith(':')) return fail(Command.SET_INFO, NtStatus.NOT_SUPPORTED); // streams
      await backend.rename(handle, target, { replace: v.replaceIfExists });
      break;
    }
    case F.FileDispositionInformation:
      needAccess(open, AccessMask.DELETE, 'SET_INFO Disposition');
      await backend.setDeleteOnClose(handle, (value as { deletePending: boolean }).deletePending);
      break;
    case F.FileDispositionInformationEx: {
      const flags = (value as { flags: number }).flags;
      needAccess(open, AccessMask.DELETE, 'SET_INFO DispositionEx');
      // POSIX semantics (unlink now) are not offered; ON_CLOSE with DELETE is the same as without.
      if (flags & FileDispositionFlags.POSIX_SEMANTICS)
        throw new SmbStatusError(NtStatus.NOT_SUPPORTED, 'POSIX delete semantics');
      await backend.setDeleteOnClose(handle, (flags & FileDispositionFlags.DELETE) !== 0);
      break;
    }
    case F.FilePositionInformation: {
      const pos = (value as { currentByteOffset: bigint }).currentByteOffset;
      if (pos < 0n) return fail(Command.SET_INFO, NtStatus.INVALID_PARAMETER);
      open.position = pos;
      break;
    }
    case F.FileModeInformation: {
      const mode = (value as { mode: number }).mode;
      // Only the buffering and synchronous-I/O bits may be set (MS-FSCC §2.4.26).
      if (mode & ~0x3e) return fail(Command.SET_INFO, NtStatus.INVALID_PARAMETER);
      open.mode = (open.mode & 0x1000) | mode;
      break;
    }
  }
  return ok(setInfoResponse, {});
}
