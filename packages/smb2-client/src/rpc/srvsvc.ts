/**
 * Share listing (MS-SRVS §3.1.4.8 NetrShareEnum, level 1) over `\PIPE\srvsvc` on IPC$: what
 * `smbclient -L` and `net view` do.
 */
import {
  decodeShareEnumResponse,
  encodeShareEnumRequest,
  NET_STATUS,
  RpcError,
  SRVSVC_MAX_PREFERRED_LENGTH,
  SRVSVC_OPNUM,
  SRVSVC_SYNTAX,
  STYPE,
} from '@postntlm/smb2-protocol';
import type { TreeContext } from '../tree/context.js';
import { RpcPipeClient } from './pipe.js';

/** One share of `listShares()`. */
export interface ShareEntry {
  readonly name: string;
  /** `disk`, `printer`, `device`, `ipc` (the low bits of shi1_type). */
  readonly type: 'disk' | 'printer' | 'device' | 'ipc' | 'unknown';
  /** STYPE_SPECIAL: an administrative share (IPC$, C$). */
  readonly special: boolean;
  readonly remark: string;
}

const TYPES: readonly ShareEntry['type'][] = ['disk', 'printer', 'device', 'ipc'];

/** NetrShareEnum level 1 on an IPC$ tree. */
export async function enumerateShares(
  ipc: TreeContext,
  serverName: string,
  signal?: AbortSignal,
): Promise<ShareEntry[]> {
  const pipe = await RpcPipeClient.open(ipc, 'srvsvc', SRVSVC_SYNTAX, signal);
  try {
    const stub = await pipe.call(
      SRVSVC_OPNUM.netrShareEnum,
      encodeShareEnumRequest({
        serverName: `\\\\${serverName}`,
        level: 1,
        preferredMaximumLength: SRVSVC_MAX_PREFERRED_LENGTH,
        resumeHandle: 0,
      }),
      signal,
    );
    const response = decodeShareEnumResponse(stub);
    if (response.status !== NET_STATUS.success || response.shares === null)
      throw new RpcError('protocol', `NetrShareEnum failed with NET_API_STATUS ${response.status}`);
    return response.shares.map((s) => ({
      name: s.name,
      type: TYPES[s.type & 0xff] ?? 'unknown',
      special: (s.type & STYPE.special) !== 0,
      remark: s.remark,
    }));
  } finally {
    await pipe.close().catch(() => undefined);
  }
}
