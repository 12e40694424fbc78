/**
 * Shared constants of the file commands (MS-SMB2 §2.2.13–2.2.32, MS-FSCC §2.6, MS-DTYP
 * §2.4.3), the FileId every handle-based command carries, and `flagNames` for logs.
 */
import { SmbEncodeError } from './wire/errors.js';
import type { Reader } from './wire/reader.js';
import type { Writer } from './wire/writer.js';

/** Access mask bits (MS-SMB2 §2.2.13.1.1 and .2; MS-DTYP §2.4.3). Directory aliases share values. */
export const AccessMask = {
  FILE_READ_DATA: 0x00000001,
  FILE_LIST_DIRECTORY: 0x00000001,
  FILE_WRITE_DATA: 0x00000002,
  FILE_ADD_FILE: 0x00000002,
  FILE_APPEND_DATA: 0x00000004,
  FILE_ADD_SUBDIRECTORY: 0x00000004,
  FILE_READ_EA: 0x00000008,
  FILE_WRITE_EA: 0x00000010,
  FILE_EXECUTE: 0x00000020,
  FILE_TRAVERSE: 0x00000020,
  FILE_DELETE_CHILD: 0x00000040,
  FILE_READ_ATTRIBUTES: 0x00000080,
  FILE_WRITE_ATTRIBUTES: 0x00000100,
  DELETE: 0x00010000,
  READ_CONTROL: 0x00020000,
  WRITE_DAC: 0x00040000,
  WRITE_OWNER: 0x00080000,
  SYNCHRONIZE: 0x00100000,
  ACCESS_SYSTEM_SECURITY: 0x01000000,
  MAXIMUM_ALLOWED: 0x02000000,
  GENERIC_ALL: 0x10000000,
  GENERIC_EXECUTE: 0x20000000,
  GENERIC_WRITE: 0x40000000,
  GENERIC_READ: 0x80000000,
  /** Every specific and standard right of a file (0x001F01FF). */
  FILE_ALL_ACCESS: 0x001f01ff,
} as const;

/** ShareAccess (§2.2.13). */
export const ShareAccess = {
  NONE: 0,
  READ: 0x00000001,
  WRITE: 0x00000002,
  DELETE: 0x00000004,
} as const;

/** CreateDisposition (§2.2.13): values, not bits. */
export const CreateDisposition = {
  SUPERSEDE: 0,
  OPEN: 1,
  CREATE: 2,
  OPEN_IF: 3,
  OVERWRITE: 4,
  OVERWRITE_IF: 5,
} as const;

/** CreateOptions (§2.2.13). */
export const CreateOptions = {
  DIRECTORY_FILE: 0x00000001,
  WRITE_THROUGH: 0x00000002,
  SEQUENTIAL_ONLY: 0x00000004,
  NO_INTERMEDIATE_BUFFERING: 0x00000008,
  SYNCHRONOUS_IO_ALERT: 0x00000010,
  SYNCHRONOUS_IO_NONALERT: 0x00000020,
  NON_DIRECTORY_FILE: 0x00000040,
  COMPLETE_IF_OPLOCKED: 0x00000100,
  NO_EA_KNOWLEDGE: 0x00000200,
  OPEN_REMOTE_INSTANCE: 0x00000400,
  RANDOM_ACCESS: 0x00000800,
  DELETE_ON_CLOSE: 0x00001000,
  OPEN_BY_FILE_ID: 0x00002000,
  OPEN_FOR_BACKUP_INTENT: 0x00004000,
  NO_COMPRESSION: 0x00008000,
  OPEN_REQUIRING_OPLOCK: 0x00010000,
  DISALLOW_EXCLUSIVE: 0x00020000,
  RESERVE_OPFILTER: 0x00100000,
  OPEN_REPARSE_POINT: 0x00200000,
  OPEN_NO_RECALL: 0x00400000,
  OPEN_FOR_FREE_SPACE_QUERY: 0x00800000,
} as const;

/** CreateAction of a CREATE response (§2.2.14): values. */
export const CreateAction = {
  SUPERSEDED: 0,
  OPENED: 1,
  CREATED: 2,
  OVERWRITTEN: 3,
} as const;

/** Flags of a CREATE response (§2.2.14). */
export const CreateResponseFlags = {
  REPARSEPOINT: 0x01,
} as const;

/** File attributes (MS-FSCC §2.6). `SPARSE` is an alias of `SPARSE_FILE`. */
export const FileAttributes = {
  READONLY: 0x00000001,
  HIDDEN: 0x00000002,
  SYSTEM: 0x00000004,
  DIRECTORY: 0x00000010,
  ARCHIVE: 0x00000020,
  NORMAL: 0x00000080,
  TEMPORARY: 0x00000100,
  SPARSE_FILE: 0x00000200,
  SPARSE: 0x00000200,
  REPARSE_POINT: 0x00000400,
  COMPRESSED: 0x00000800,
  OFFLINE: 0x00001000,
  NOT_CONTENT_INDEXED: 0x00002000,
  ENCRYPTED: 0x00004000,
  INTEGRITY_STREAM: 0x00008000,
  NO_SCRUB_DATA: 0x00020000,
  RECALL_ON_OPEN: 0x00040000,
  PINNED: 0x00080000,
  UNPINNED: 0x00100000,
  RECALL_ON_DATA_ACCESS: 0x00400000,
} as const;

/** (Requested)OplockLevel (§2.2.13, §2.2.14, §2.2.23): values. */
export const OplockLevel = {
  NONE: 0x00,
  II: 0x01,
  EXCLUSIVE: 0x08,
  BATCH: 0x09,
  LEASE: 0xff,
} as const;

/** LeaseState bits (§2.2.13.2.8). */
export const LeaseState = {
  NONE: 0x00,
  READ_CACHING: 0x01,
  HANDLE_CACHING: 0x02,
  WRITE_CACHING: 0x04,
} as const;

/** LeaseFlags of a lease create context (§2.2.13.2.8, §2.2.13.2.10). */
export const LeaseFlags = {
  BREAK_IN_PROGRESS: 0x02,
  PARENT_LEASE_KEY_SET: 0x04,
} as const;

/** Flags of a lease break notification (§2.2.23.2). */
export const LeaseBreakFlags = {
  ACK_REQUIRED: 0x01,
} as const;

/** ImpersonationLevel (§2.2.13): values. */
export const ImpersonationLevel = {
  ANONYMOUS: 0,
  IDENTIFICATION: 1,
  IMPERSONATION: 2,
  DELEGATE: 3,
} as const;

/** Flags of a durable handle v2 request/response context (§2.2.13.2.11). */
export const DurableHandleFlags = {
  PERSISTENT: 0x02,
} as const;

/** CLOSE Flags (§2.2.15). */
export const CloseFlags = {
  POSTQUERY_ATTRIB: 0x0001,
} as const;

/** READ request Flags (§2.2.19) and READ response Flags (§2.2.20, 3.1.1). */
export const ReadFlags = {
  READ_UNBUFFERED: 0x01,
  REQUEST_COMPRESSED: 0x02,
} as const;
export const ReadResponseFlags = {
  RESPONSE_RDMA_TRANSFORM: 0x01,
} as const;

/** WRITE request Flags (§2.2.21). */
export const WriteFlags = {
  WRITE_THROUGH: 0x01,
  WRITE_UNBUFFERED: 0x02,
} as const;

/** Channel of READ/WRITE (§2.2.19): values. */
export const Channel = {
  NONE: 0,
  RDMA_V1: 1,
  RDMA_V1_INVALIDATE: 2,
  RDMA_TRANSFORM: 3,
} as const;

/** LOCK_ELEMENT Flags (§2.2.26.1). */
export const LockFlags = {
  SHARED_LOCK: 0x01,
  EXCLUSIVE_LOCK: 0x02,
  UNLOCK: 0x04,
  FAIL_IMMEDIATELY: 0x10,
} as const;

/** IOCTL Flags (§2.2.31). */
export const IoctlFlags = {
  IS_IOCTL: 0,
  IS_FSCTL: 0x00000001,
} as const;

/**
 * The names of the bits (or the value) of `value` in `table`, joined by `|`, for logs: the
 * first name of each value wins (aliases are skipped), unnamed bits are shown in hex, and
 * 0 is the table's zero name or `0`. Multi-bit entries match only when all their bits are set.
 */
export function flagNames(value: number, table: Readonly<Record<string, number>>): string {
  const v = value >>> 0;
  const seen = new Set<number>();
  const names: string[] = [];
  let covered = 0;
  let zero: string | undefined;
  for (const [name, bits] of Object.entries(table)) {
    if (seen.has(bits)) continue;
    seen.add(bits);
    if (bits === 0) {
      zero ??= name;
      continue;
    }
    if ((v & bits) >>> 0 === bits >>> 0) {
      names.push(name);
      covered = (covered | bits) >>> 0;
    }
  }
  if (v === 0) return zero ?? '0';
  const rest = (v & ~covered) >>> 0;
  if (rest !== 0) names.push(`0x${rest.toString(16).padStart(8, '0')}`);
  return names.join('|');
}

/** The name of a value in a table of values (CreateDisposition, OplockLevel...), else hex. */
export function valueName(value: number, table: Readonly<Record<string, number>>): string {
  for (const [name, v] of Object.entries(table)) if (v === value) return name;
  return `0x${(value >>> 0).toString(16)}`;
}

/** An SMB2_FILEID (§2.2.14.1): 16 bytes on the wire. */
export interface FileId {
  readonly persistent: bigint;
  readonly volatile: bigint;
}

/** All ones: "no file" in IOCTLs on the tree (FSCTL_DFS_GET_REFERRALS, VALIDATE_NEGOTIATE_INFO...), and the related-compound id. */
export const ANY_FILE_ID: FileId = { persistent: 0xffffffffffffffffn, volatile: 0xffffffffffffffffn };

export function readFileId(r: Reader, field = 'FileId'): FileId {
  const persistent = r.u64(`${field}.Persistent`);
  const volatile = r.u64(`${field}.Volatile`);
  return { persistent, volatile };
}

export function writeFileId(w: Writer, id: FileId, field = 'FileId'): void {
  w.u64(id.persistent, `${field}.Persistent`).u64(id.volatile, `${field}.Volatile`);
}

/** Writes `b`, which must be exactly `n` bytes (GUIDs, lease keys, resume keys...). Internal. */
export function writeExact(w: Writer, b: Uint8Array, n: number, field: string): void {
  if (b.length !== n) throw new SmbEncodeError(field, `must be ${n} bytes, got ${b.length}`);
  w.bytes(b);
}
