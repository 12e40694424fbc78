/**
 * The backend's one error type, `SmbStatusError`, carrying the NTSTATUS the protocol core
 * puts in the response, and the mapping of Node `errno` codes to NTSTATUS.
 */
import { NtStatus, ntStatusName } from '@postntlm/smb2-protocol';

/** An operation failed with `status` (an NTSTATUS from `NtStatus`). */
export class SmbStatusError extends Error {
  override readonly name = 'SmbStatusError';
  readonly status: number;
  constructor(status: number, message?: string) {
    super(message ? `${ntStatusName(status)}: ${message}` : ntStatusName(status));
    this.status = status >>> 0;
  }
}

/** True when `e` is a `SmbStatusError`, optionally with `status`. */
export function isSmbStatusError(e: unknown, status?: number): e is SmbStatusError {
  return e instanceof SmbStatusError && (status === undefined || e.status === status >>> 0);
}

/** Where a failing path component sat: the last one (a name) or one before it (a path). */
export type ErrnoContext = 'name' | 'path';

const ERRNO: Readonly<Record<string, number>> = {
  EEXIST: NtStatus.OBJECT_NAME_COLLISION,
  EACCES: NtStatus.ACCESS_DENIED,
  EPERM: NtStatus.ACCESS_DENIED,
  // O_NOFOLLOW met a symbolic link: symlinks are never followed (see resolver.ts).
  ELOOP: NtStatus.ACCESS_DENIED,
  EISDIR: NtStatus.FILE_IS_A_DIRECTORY,
  ENOTEMPTY: NtStatus.DIRECTORY_NOT_EMPTY,
  ENOSPC: NtStatus.DISK_FULL,
  EFBIG: NtStatus.DISK_FULL,
  EDQUOT: NtStatus.QUOTA_EXCEEDED,
  ENAMETOOLONG: NtStatus.OBJECT_NAME_INVALID,
  EROFS: NtStatus.MEDIA_WRITE_PROTECTED,
  EMFILE: NtStatus.TOO_MANY_OPENED_FILES,
  ENFILE: NtStatus.INSUFFICIENT_RESOURCES,
  ENOMEM: NtStatus.NO_MEMORY,
  EXDEV: NtStatus.NOT_SAME_DEVICE,
  EBUSY: NtStatus.SHARING_VIOLATION,
  ETXTBSY: NtStatus.SHARING_VIOLATION,
  EBADF: NtStatus.INVALID_HANDLE,
  EINVAL: NtStatus.INVALID_PARAMETER,
  EIO: NtStatus.DATA_ERROR,
  ENXIO: NtStatus.NO_SUCH_DEVICE,
  ENODEV: NtStatus.NO_SUCH_DEVICE,
};

/**
 * The NTSTATUS for a Node system error. ENOENT and ENOTDIR depend on where they happened:
 * on the last component they are STATUS_OBJECT_NAME_NOT_FOUND / STATUS_NOT_A_DIRECTORY,
 * on an intermediate one STATUS_OBJECT_PATH_NOT_FOUND (MS-FSA §2.1.5.1).
 */
export function errnoToStatus(e: unknown, where: ErrnoContext = 'name'): number {
  if (e instanceof SmbStatusError) return e.status;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT')
    return where === 'name' ? NtStatus.OBJECT_NAME_NOT_FOUND : NtStatus.OBJECT_PATH_NOT_FOUND;
  if (code === 'ENOTDIR') return where === 'name' ? NtStatus.NOT_A_DIRECTORY : NtStatus.OBJECT_PATH_NOT_FOUND;
  return (code ? ERRNO[code] : undefined) ?? NtStatus.UNSUCCESSFUL;
}

/** `e` as a `SmbStatusError` (already one, or mapped from errno). */
export function toSmbError(e: unknown, where: ErrnoContext = 'name'): SmbStatusError {
  if (e instanceof SmbStatusError) return e;
  return new SmbStatusError(errnoToStatus(e, where), (e as Error | null)?.message ?? String(e));
}
