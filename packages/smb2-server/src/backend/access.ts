/**
 * Access masks and share modes (MS-FSA §2.1.5.1.2 "share access check"): generic-right
 * mapping, and whether a new open conflicts with the opens already on a file.
 */
import { AccessMask, NtStatus, ShareAccess } from '@postntlm/smb2-protocol';
import { SmbStatusError } from './errors.js';

/** FILE_GENERIC_READ / WRITE / EXECUTE (MS-DTYP §2.4.3 generic mapping for files). */
export const FILE_GENERIC_READ = 0x00120089;
export const FILE_GENERIC_WRITE = 0x00120116;
export const FILE_GENERIC_EXECUTE = 0x001200a0;

const READ_LIKE = AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE;
const WRITE_LIKE = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA;
/** Rights that need the data (an open fd for reading or writing): the rest are metadata. */
export const DATA_READ = AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE;
export const DATA_WRITE = WRITE_LIKE;

/**
 * The specific rights of `desired`: GENERIC_* mapped, MAXIMUM_ALLOWED as FILE_ALL_ACCESS
 * (the POSIX permission check happens when the file is opened), ACCESS_SYSTEM_SECURITY refused.
 */
export function mapGenericAccess(desired: number): number {
  let m = desired >>> 0;
  if (m & AccessMask.ACCESS_SYSTEM_SECURITY) {
    throw new SmbStatusError(NtStatus.PRIVILEGE_NOT_HELD, 'ACCESS_SYSTEM_SECURITY');
  }
  if (m & AccessMask.GENERIC_READ) m |= FILE_GENERIC_READ;
  if (m & AccessMask.GENERIC_WRITE) m |= FILE_GENERIC_WRITE;
  if (m & AccessMask.GENERIC_EXECUTE) m |= FILE_GENERIC_EXECUTE;
  if (m & (AccessMask.GENERIC_ALL | AccessMask.MAXIMUM_ALLOWED)) m |= AccessMask.FILE_ALL_ACCESS;
  return (m & AccessMask.FILE_ALL_ACCESS) >>> 0;
}

/** What an existing open holds, for the share check. */
export interface ShareEntry {
  readonly grantedAccess: number;
  readonly shareAccess: number;
}

/**
 * MS-FSA §2.1.5.1.2: the new open (access, share) conflicts with an existing open when it
 * wants read/execute, write/append or delete that the existing open does not share, or
 * when the existing open holds such a right that the new open does not share. Opens with
 * none of those rights (attributes, synchronize, READ_CONTROL...) neither conflict nor
 * restrict: like IoCheckShareAccess, their share mode is not counted.
 */
export function shareConflict(existing: ShareEntry, access: number, shareAccess: number): boolean {
  const wantsAny = (access & (READ_LIKE | WRITE_LIKE | AccessMask.DELETE)) !== 0;
  const holdsAny = (existing.grantedAccess & (READ_LIKE | WRITE_LIKE | AccessMask.DELETE)) !== 0;
  if (!wantsAny || !holdsAny) return false;
  const wanted = (bits: number, share: number) =>
    (access & bits) !== 0 && (existing.shareAccess & share) === 0;
  const held = (bits: number, share: number) =>
    (existing.grantedAccess & bits) !== 0 && (shareAccess & share) === 0;
  return (
    wanted(READ_LIKE, ShareAccess.READ) ||
    wanted(WRITE_LIKE, ShareAccess.WRITE) ||
    wanted(AccessMask.DELETE, ShareAccess.DELETE) ||
    held(READ_LIKE, ShareAccess.READ) ||
    held(WRITE_LIKE, ShareAccess.WRITE) ||
    held(AccessMask.DELETE, ShareAccess.DELETE)
  );
}

/** Throws STATUS_SHARING_VIOLATION when any of `opens` conflicts. */
export function checkShareAccess(opens: Iterable<ShareEntry>, access: number, shareAccess: number): void {
  for (const o of opens) {
    if (shareConflict(o, access, shareAccess)) {
      throw new SmbStatusError(NtStatus.SHARING_VIOLATION, 'the file is open with a conflicting share mode');
    }
  }
}

/** Throws STATUS_ACCESS_DENIED unless `granted` has one of `needed`. */
export function requireAccess(granted: number, needed: number, what: string): void {
  if ((granted & needed) === 0)
    throw new SmbStatusError(NtStatus.ACCESS_DENIED, `${what} needs access 0x${needed.toString(16)}`);
}
