import { RpcError } from './errors.js';
import { NdrReader, NdrWriter } from './ndr.js';
import type { ShareInfo } from './srvsvc-types.js';

/** NetrShareEnum [in] (MS-SRVS §3.1.4.8). */
export interface ShareEnumRequest {
  readonly serverName: string | null;
  readonly level: number;
  readonly preferredMaximumLength: number;
  /** NULL pointer → null. */
  readonly resumeHandle: number | null;
}

/** Skips a SHARE_INFO_0/1 array a client sent (they normally send a NULL buffer). */
function skipShareArray(r: NdrReader, level: number): void {
  const count = r.conformance(level === 0 ? 4 : 12, 'SHARE_INFO array');
  const pointers: number[] = [];
  for (let i = 0; i < count; i++) {
    pointers.push(r.pointer('shi_netname'));
    if (level === 1) {
      r.u32('shi1_type');
      pointers.push(r.pointer('shi1_remark'));
    }
  }
  for (const p of pointers) if (p !== 0) r.wideString('SHARE_INFO string');
}

/** Reads SHARE_ENUM_STRUCT (Level, union tag, container pointer and its pointees). */
function readShareEnumStruct(r: NdrReader): number {
  const level = r.u32('Level');
  const tag = r.u32('ShareInfo tag');
  if (tag !== level) throw new RpcError('ndr', `SHARE_ENUM_STRUCT level ${level} with union tag ${tag}`);
  if (r.pointer('container') !== 0) {
    r.u32('EntriesRead');
    if (r.pointer('Buffer') !== 0) {
      if (level !== 0 && level !== 1) throw new RpcError('ndr', `level ${level} buffer in a request`);
      skipShareArray(r, level);
    }
  }
  return level;
}

/** The client side of NetrShareEnum [in] (MS-SRVS §3.1.4.8): an empty container of `level`. */
export function encodeShareEnumRequest(request: ShareEnumRequest): Uint8Array {
  const w = new NdrWriter();
  if (request.serverName === null) w.nullPointer();
  else w.referent().wideString(request.serverName);
  // SHARE_ENUM_STRUCT: Level, the union's tag, a container with no entries and a NULL Buffer.
  w.u32(request.level).u32(request.level).referent().u32(0).nullPointer();
  w.u32(request.preferredMaximumLength);
  if (request.resumeHandle === null) w.nullPointer();
  else w.referent().u32(request.resumeHandle);
  return w.finish();
}

export function decodeShareEnumRequest(stub: Uint8Array): ShareEnumRequest {
  const r = new NdrReader(stub);
  const serverName = r.uniqueWideString('ServerName');
  const level = readShareEnumStruct(r);
  const preferredMaximumLength = r.u32('PreferedMaximumLength');
  const resumeHandle = r.pointer('ResumeHandle') === 0 ? null : r.u32('ResumeHandle');
  return { serverName, level, preferredMaximumLength, resumeHandle };
}

/** NetrShareEnum [out]. */
export interface ShareEnumResponse {
  readonly level: number;
  /** The entries returned; null = NULL container (unsupported level / error). */
  readonly shares: readonly ShareInfo[] | null;
  readonly totalEntries: number;
  readonly resumeHandle: number | null;
  readonly status: number;
}

function writeShareArray(w: NdrWriter, level: number, shares: readonly ShareInfo[]): void {
  w.u32(shares.length);
  for (const share of shares) {
    w.referent();
    if (level === 1) w.u32(share.type).referent();
  }
  for (const share of shares) {
    w.wideString(share.name);
    if (level === 1) w.wideString(share.remark);
  }
}

/** `referentBase` only lets tests reproduce another implementation's referent ids. */
export function encodeShareEnumResponse(response: ShareEnumResponse, referentBase?: number): Uint8Array {
  const w = new NdrWriter(referentBase);
  w.u32(response.level).u32(response.level);
  const shares = response.shares;
  if (shares === null || (response.level !== 0 && response.level !== 1)) {
    w.nullPointer();
  } else {
    w.referent().u32(shares.length);
    if (shares.length === 0) w.nullPointer();
    else {
      w.referent();
      writeShareArray(w, response.level, shares);
    }
  }
  w.u32(response.totalEntries);
  if (response.resumeHandle === null) w.nullPointer();
  else w.referent().u32(response.resumeHandle);
  return w.u32(response.status).finish();
}

function readShareArray(r: NdrReader, level: number): ShareInfo[] {
  const count = r.conformance(level === 0 ? 4 : 12, 'SHARE_INFO array');
  const heads: { name: number; type: number; remark: number }[] = [];
  for (let i = 0; i < count; i++) {
    const name = r.pointer('shi_netname');
    const type = level === 1 ? r.u32('shi1_type') : 0;
    const remark = level === 1 ? r.pointer('shi1_remark') : 0;
    heads.push({ name, type, remark });
  }
  return heads.map((h) => {
    const name = h.name === 0 ? '' : r.wideString('shi_netname');
    const remark = h.remark === 0 ? '' : r.wideString('shi1_remark');
    return { name, type: h.type, remark };
  });
}

/** The client side of NetrShareEnum [out], levels 0 and 1 (tests, tools). */
export function decodeShareEnumResponse(stub: Uint8Array): ShareEnumResponse {
  const r = new NdrReader(stub);
  const level = r.u32('Level');
  const tag = r.u32('ShareInfo tag');
  if (tag !== level) throw new RpcError('ndr', `level ${level} with union tag ${tag}`);
  let shares: ShareInfo[] | null = null;
  if (r.pointer('container') !== 0) {
    if (level !== 0 && level !== 1) throw new RpcError('ndr', `level ${level} container`);
    const entriesRead = r.u32('EntriesRead');
    shares = r.pointer('Buffer') === 0 ? [] : readShareArray(r, level);
    if (shares.length !== entriesRead)
      throw new RpcError('ndr', `EntriesRead ${entriesRead} ≠ ${shares.length}`);
  }
  const totalEntries = r.u32('TotalEntries');
  const resumeHandle = r.pointer('ResumeHandle') === 0 ? null : r.u32('ResumeHandle');
  const status = r.u32('status');
  return { level, shares, totalEntries, resumeHandle, status };
}

/** NetrShareGetInfo [in] (MS-SRVS §3.1.4.10). */
export interface ShareGetInfoRequest {
  readonly serverName: string | null;
  readonly netName: string;
  readonly level: number;
}

export function decodeShareGetInfoRequest(stub: Uint8Array): ShareGetInfoRequest {
  const r = new NdrReader(stub);
  const serverName = r.uniqueWideString('ServerName');
  const netName = r.wideString('NetName');
  return { serverName, netName, level: r.u32('Level') };
}

/** Levels of SHARE_INFO NetrShareGetInfo answers: 0, 1, 501 (flags 0), 1005 (flags). */
export const SHARE_GET_INFO_LEVELS: readonly number[] = [0, 1, 501, 1005];

export interface ShareGetInfoResponse {
  readonly level: number;
  /** null = NULL arm (error). */
  readonly share: ShareInfo | null;
  /** shi501_flags / shi1005_flags. */
  readonly flags?: number;
  readonly status: number;
}

export function encodeShareGetInfoResponse(response: ShareGetInfoResponse): Uint8Array {
  const w = new NdrWriter();
  const { level, share } = response;
  w.u32(level);
  if (share === null || !SHARE_GET_INFO_LEVELS.includes(level)) {
    w.nullPointer();
  } else if (level === 1005) {
    w.referent().u32(response.flags ?? 0);
  } else {
    w.referent().referent();
    if (level !== 0) w.u32(share.type).referent();
    if (level === 501) w.u32(response.flags ?? 0);
    w.wideString(share.name);
    if (level !== 0) w.wideString(share.remark);
  }
  return w.u32(response.status).finish();
}

/** The client side of NetrShareGetInfo [out], levels 0 and 1 (tests, tools). */
export function decodeShareGetInfoResponse(stub: Uint8Array): ShareGetInfoResponse {
  const r = new NdrReader(stub);
  const level = r.u32('tag');
  let share: ShareInfo | null = null;
  if (r.pointer('InfoStruct') !== 0) {
    if (level !== 0 && level !== 1) throw new RpcError('ndr', `level ${level} SHARE_INFO`);
    const namePtr = r.pointer('netname');
    const type = level === 1 ? r.u32('type') : 0;
    const remarkPtr = level === 1 ? r.pointer('remark') : 0;
    const name = namePtr === 0 ? '' : r.wideString('netname');
    const remark = remarkPtr === 0 ? '' : r.wideString('remark');
    share = { name, type, remark };
  }
  return { level, share, status: r.u32('status') };
}

/** NetrServerGetInfo [in] (MS-SRVS §3.1.4.17). */
export interface ServerGetInfoRequest {
  readonly serverName: string | null;
  readonly level: number;
}

export function decodeServerGetInfoRequest(stub: Uint8Array): ServerGetInfoRequest {
  const r = new NdrReader(stub);
  const serverName = r.uniqueWideString('ServerName');
  return { serverName, level: r.u32('Level') };
}

/** SERVER_INFO_100 / 101 (MS-SRVS §2.2.4.40-41). */
export interface ServerInfo {
  readonly platformId: number;
  readonly name: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly type: number;
  readonly comment: string;
}

export function encodeServerGetInfoResponse(
  level: number,
  info: ServerInfo | null,
  status: number,
): Uint8Array {
  const w = new NdrWriter();
  w.u32(level);
  if (info === null || (level !== 100 && level !== 101)) {
    w.nullPointer();
  } else {
    w.referent().u32(info.platformId).referent();
    if (level === 101) w.u32(info.versionMajor).u32(info.versionMinor).u32(info.type).referent();
    w.wideString(info.name);
    if (level === 101) w.wideString(info.comment);
  }
  return w.u32(status).finish();
}
