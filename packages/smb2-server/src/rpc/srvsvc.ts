import { SRVSVC_SYNTAX } from './constants.js';
import type { RpcInterface, RpcInvokeResult } from './interface.js';
import {
  decodeServerGetInfoRequest,
  decodeShareEnumRequest,
  decodeShareGetInfoRequest,
  encodeServerGetInfoResponse,
  encodeShareEnumResponse,
  encodeShareGetInfoResponse,
  SHARE_GET_INFO_LEVELS,
} from './srvsvc-ndr.js';
import { MAX_PREFERRED_LENGTH, NET_STATUS, type ShareInfo, SRVSVC_OPNUM } from './srvsvc-types.js';

export interface SrvsvcOptions {
  /** NetBIOS/DNS name reported by NetrServerGetInfo (sv10x_name). */
  readonly serverName: string;
  /** The shares to report, IPC$ included (type {@link STYPE_IPC}); asked on every call. */
  readonly shares: () => readonly ShareInfo[];
  /** sv101_comment. Default ''. */
  readonly comment?: string;
}

/** PLATFORM_ID_NT */
const PLATFORM_ID_NT = 500;
/** SV_TYPE_WORKSTATION | SV_TYPE_SERVER | SV_TYPE_SERVER_NT */
const SERVER_TYPE = 0x00008003;

/** Rough NDR size of one entry, for PreferedMaximumLength. */
function entrySize(level: number, share: ShareInfo): number {
  const name = 12 + 2 * (share.name.length + 1);
  return level === 0 ? 4 + name : 12 + name + 12 + 2 * (share.remark.length + 1);
}

function shareEnum(options: SrvsvcOptions, stub: Uint8Array): Uint8Array {
  const request = decodeShareEnumRequest(stub);
  const { level, resumeHandle } = request;
  if (level !== 0 && level !== 1) {
    return encodeShareEnumResponse({
      level,
      shares: null,
      totalEntries: 0,
      resumeHandle,
      status: NET_STATUS.invalidLevel,
    });
  }
  const all = options.shares();
  const start = Math.min(resumeHandle ?? 0, all.length);
  const rest = all.slice(start);
  let returned = rest;
  if (request.preferredMaximumLength !== MAX_PREFERRED_LENGTH) {
    let budget = request.preferredMaximumLength;
    let count = 0;
    for (const share of rest) {
      budget -= entrySize(level, share);
      if (budget < 0 && count > 0) break;
      count++;
    }
    returned = rest.slice(0, count);
  }
  const more = returned.length < rest.length;
  return encodeShareEnumResponse({
    level,
    shares: returned,
    totalEntries: rest.length,
    resumeHandle: resumeHandle === null ? null : more ? start + returned.length : 0,
    status: more ? NET_STATUS.moreData : NET_STATUS.success,
  });
}

function shareGetInfo(options: SrvsvcOptions, stub: Uint8Array): Uint8Array {
  const { netName, level } = decodeShareGetInfoRequest(stub);
  if (!SHARE_GET_INFO_LEVELS.includes(level)) {
    return encodeShareGetInfoResponse({ level, share: null, status: NET_STATUS.invalidLevel });
  }
  const wanted = netName.toLowerCase();
  const share = options.shares().find((s) => s.name.toLowerCase() === wanted) ?? null;
  const status = share === null ? NET_STATUS.netNameNotFound : NET_STATUS.success;
  return encodeShareGetInfoResponse({ level, share, flags: 0, status });
}

function serverGetInfo(options: SrvsvcOptions, stub: Uint8Array): Uint8Array {
  const { level } = decodeServerGetInfoRequest(stub);
  if (level !== 100 && level !== 101)
    return encodeServerGetInfoResponse(level, null, NET_STATUS.invalidLevel);
  const info = {
    platformId: PLATFORM_ID_NT,
    name: options.serverName,
    versionMajor: 10,
    versionMinor: 0,
    type: SERVER_TYPE,
    comment: options.comment ?? '',
  };
  return encodeServerGetInfoResponse(level, info, NET_STATUS.success);
}

/**
 * The SRVSVC interface (MS-SRVS): NetrShareEnum (15), NetrShareGetInfo (16) and
 * NetrServerGetInfo (21); every other opnum faults with nca_s_op_rng_error.
 */
export function srvsvcInterface(options: SrvsvcOptions): RpcInterface {
  return {
    name: 'srvsvc',
    syntax: SRVSVC_SYNTAX,
    invoke(opnum: number, stub: Uint8Array): RpcInvokeResult {
      switch (opnum) {
        case SRVSVC_OPNUM.netrShareEnum:
          return { stub: shareEnum(options, stub) };
        case SRVSVC_OPNUM.netrShareGetInfo:
          return { stub: shareGetInfo(options, stub) };
        case SRVSVC_OPNUM.netrServerGetInfo:
          return { stub: serverGetInfo(options, stub) };
        default:
          return { opnumOutOfRange: true };
      }
    },
  };
}
