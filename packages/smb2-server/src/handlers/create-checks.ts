/**
 * The checks of a CREATE request that come before any file is looked at (MS-SMB2 §3.3.5.9,
 * MS-FSA §2.1.5.1), with the statuses Windows answers (smbtorture smb2.create gentest).
 */
import { AccessMask, CreateOptions, NtStatus } from '@postntlm/smb2-protocol';

/** CreateOptions bits no valid request carries (MS-FSA §2.1.5.1: outside FILE_VALID_OPTION_FLAGS). */
const INVALID_OPTIONS = 0xff000000;
/** FILE_CREATE_TREE_CONNECTION: not an SMB2 thing. */
const CREATE_TREE_CONNECTION = 0x00000080;
/**
 * Options this server does not offer, answered STATUS_NOT_SUPPORTED as Windows does:
 * opening by file id (§3.3.5.9: when not supported), FILE_RESERVE_OPFILTER and
 * FILE_CREATE_TREE_CONNECTION.
 */
const UNSUPPORTED_OPTIONS =
  CreateOptions.OPEN_BY_FILE_ID | CreateOptions.RESERVE_OPFILTER | CREATE_TREE_CONNECTION;
/**
 * FileAttributes a CREATE may not ask for (MS-FSA §2.1.5.1): the volume-label bit (0x8),
 * FILE_ATTRIBUTE_DEVICE (0x40), FILE_ATTRIBUTE_INTEGRITY_STREAM (0x8000) and every bit
 * above 0xFFFF.
 */
const INVALID_ATTRIBUTES = 0xffff8048;
/**
 * DesiredAccess bits that are no right at all: the reserved specific bits 9–15, the
 * reserved standard bits 21–23 and bits 26–27 (MS-DTYP §2.4.3). Asking for one is
 * STATUS_ACCESS_DENIED (as Windows answers).
 */
const VALID_ACCESS =
  AccessMask.FILE_ALL_ACCESS |
  AccessMask.ACCESS_SYSTEM_SECURITY |
  AccessMask.MAXIMUM_ALLOWED |
  AccessMask.GENERIC_ALL |
  AccessMask.GENERIC_EXECUTE |
  AccessMask.GENERIC_WRITE |
  AccessMask.GENERIC_READ;

export interface CreateParameters {
  readonly createOptions: number;
  readonly fileAttributes: number;
  readonly desiredAccess: number;
}

/** The NTSTATUS a request with these parameters fails with, or undefined when they are valid. */
export function invalidCreateParameters(req: CreateParameters): number | undefined {
  const options = req.createOptions >>> 0;
  if (options & INVALID_OPTIONS) return NtStatus.INVALID_PARAMETER;
  if (options & UNSUPPORTED_OPTIONS) return NtStatus.NOT_SUPPORTED;
  // The access check comes first: Windows denies a reserved access bit even with bad attributes.
  if ((req.desiredAccess >>> 0) & ~VALID_ACCESS) return NtStatus.ACCESS_DENIED;
  if ((req.fileAttributes >>> 0) & INVALID_ATTRIBUTES) return NtStatus.INVALID_PARAMETER;
  return undefined;
}
