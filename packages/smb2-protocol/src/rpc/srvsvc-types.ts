/** SRVSVC values (MS-SRVS §2.2.2, §2.2.4). */

/** shi1_type (MS-SRVS §2.2.2.4). */
export const STYPE = {
  diskTree: 0x00000000,
  printQueue: 0x00000001,
  device: 0x00000002,
  ipc: 0x00000003,
  temporary: 0x40000000,
  special: 0x80000000,
} as const;
export const STYPE_DISKTREE = STYPE.diskTree;
/** IPC$ as Windows and Samba report it: STYPE_IPC | STYPE_SPECIAL. */
export const STYPE_IPC = (STYPE.ipc | STYPE.special) >>> 0;

/** NET_API_STATUS values the SRVSVC methods here return. */
export const NET_STATUS = {
  success: 0,
  accessDenied: 5,
  invalidParameter: 87,
  invalidLevel: 124,
  moreData: 234,
  netNameNotFound: 2310,
} as const;

/** PreferedMaximumLength meaning "no limit". */
export const MAX_PREFERRED_LENGTH = 0xffffffff;

/** SRVSVC opnums implemented here. */
export const SRVSVC_OPNUM = {
  netrShareEnum: 15,
  netrShareGetInfo: 16,
  netrServerGetInfo: 21,
} as const;

/** One share as SHARE_INFO_0/1 describe it. */
export interface ShareInfo {
  readonly name: string;
  /** {@link STYPE_DISKTREE}, {@link STYPE_IPC}, ... */
  readonly type: number;
  readonly remark: string;
}
