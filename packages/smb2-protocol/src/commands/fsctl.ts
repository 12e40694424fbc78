/**
 * FSCTL codes and the typed IOCTL payloads SMB2 defines (MS-SMB2 §2.2.31.1–§2.2.32.5,
 * MS-DFSC §2.2.2–2.2.4): each payload codec turns the Input/Output bytes of an IOCTL into a
 * value and back. Decode failures are `SmbDecodeError`s with offsets inside the payload.
 */
import { writeExact } from '../flags.js';
import { SmbEncodeError } from '../wire/errors.js';
import { Reader, utf16 } from '../wire/reader.js';
import { utf16le, Writer } from '../wire/writer.js';

/** CtlCode values (MS-SMB2 §2.2.31, MS-FSCC §2.3). */
export const Fsctl = {
  DFS_GET_REFERRALS: 0x00060194,
  DFS_GET_REFERRALS_EX: 0x000601b0,
  PIPE_PEEK: 0x0011400c,
  PIPE_WAIT: 0x00110018,
  PIPE_TRANSCEIVE: 0x0011c017,
  SRV_COPYCHUNK: 0x001440f2,
  SRV_COPYCHUNK_WRITE: 0x001480f2,
  SRV_ENUMERATE_SNAPSHOTS: 0x00144064,
  SRV_REQUEST_RESUME_KEY: 0x00140078,
  SRV_READ_HASH: 0x001441bb,
  LMR_REQUEST_RESILIENCY: 0x001401d4,
  QUERY_NETWORK_INTERFACE_INFO: 0x001401fc,
  VALIDATE_NEGOTIATE_INFO: 0x00140204,
  GET_REPARSE_POINT: 0x000900a8,
  SET_REPARSE_POINT: 0x000900a4,
  DELETE_REPARSE_POINT: 0x000900ac,
  GET_COMPRESSION: 0x0009003c,
  SET_COMPRESSION: 0x0009c040,
  SET_SPARSE: 0x000900c4,
  SET_ZERO_DATA: 0x000980c8,
  QUERY_ALLOCATED_RANGES: 0x000940cf,
  CREATE_OR_GET_OBJECT_ID: 0x000900c0,
  FILE_LEVEL_TRIM: 0x00098208,
  OFFLOAD_READ: 0x00094264,
  OFFLOAD_WRITE: 0x00098268,
  DUPLICATE_EXTENTS_TO_FILE: 0x00098344,
  SET_INTEGRITY_INFORMATION: 0x0009c280,
} as const;

/** A codec of one IOCTL Input or Output payload. */
export interface FsctlPayloadCodec<T> {
  readonly name: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

function payload<T>(
  name: string,
  enc: (v: T, w: Writer) => void,
  dec: (r: Reader) => T,
): FsctlPayloadCodec<T> {
  return {
    name,
    encode(v) {
      const w = new Writer(64);
      enc(v, w);
      return w.finish();
    },
    decode(bytes) {
      return dec(new Reader(bytes, 0, bytes.length, name));
    },
  };
}

// --- VALIDATE_NEGOTIATE_INFO (§2.2.31.4, §2.2.32.6) ---

export interface ValidateNegotiateInfoRequest {
  readonly capabilities: number;
  /** The client GUID, 16 bytes. */
  readonly guid: Uint8Array;
  readonly securityMode: number;
  readonly dialects: readonly number[];
}

export interface ValidateNegotiateInfoResponse {
  readonly capabilities: number;
  /** The server GUID, 16 bytes. */
  readonly guid: Uint8Array;
  readonly securityMode: number;
  readonly dialect: number;
}

export const validateNegotiateInfoRequest = payload<ValidateNegotiateInfoRequest>(
  'VALIDATE_NEGOTIATE_INFO Request',
  (v, w) => {
    w.u32(v.capabilities, 'Capabilities');
    writeExact(w, v.guid, 16, 'Guid');
    w.u16(v.securityMode, 'SecurityMode').u16(v.dialects.length, 'DialectCount');
    for (const d of v.dialects) w.u16(d, 'Dialect');
  },
  (r) => {
    const capabilities = r.u32('Capabilities');
    const guid = r.guid('Guid');
    const securityMode = r.u16('SecurityMode');
    const count = r.u16('DialectCount');
    const dialects: number[] = [];
    for (let i = 0; i < count; i++) dialects.push(r.u16('Dialects'));
    return { capabilities, guid, securityMode, dialects };
  },
);

export const validateNegotiateInfoResponse = payload<ValidateNegotiateInfoResponse>(
  'VALIDATE_NEGOTIATE_INFO Response',
  (v, w) => {
    w.u32(v.capabilities, 'Capabilities');
    writeExact(w, v.guid, 16, 'Guid');
    w.u16(v.securityMode, 'SecurityMode').u16(v.dialect, 'Dialect');
  },
  (r) => {
    const capabilities = r.u32('Capabilities');
    const guid = r.guid('Guid');
    const securityMode = r.u16('SecurityMode');
    return { capabilities, guid, securityMode, dialect: r.u16('Dialect') };
  },
);

// --- PIPE_TRANSCEIVE (§2.2.31): the pipe's bytes as they are ---

export const pipeTransceive: FsctlPayloadCodec<Uint8Array> = {
  name: 'PIPE_TRANSCEIVE',
  encode: (v) => v.slice(),
  decode: (b) => b.slice(),
};

// --- QUERY_NETWORK_INTERFACE_INFO (§2.2.32.5) ---

/** NETWORK_INTERFACE_INFO Capability bits. */
export const InterfaceCapability = {
  RSS_CAPABLE: 0x01,
  RDMA_CAPABLE: 0x02,
} as const;

/** SOCKADDR_STORAGE (§2.2.32.5.1): IPv4, IPv6, or another family kept raw (126 bytes). */
export type SockAddr =
  | { readonly family: 'ipv4'; readonly port: number /** 4 bytes. */; readonly address: Uint8Array }
  | {
      readonly family: 'ipv6';
      readonly port: number;
      readonly flowInfo: number;
      /** 16 bytes. */
      readonly address: Uint8Array;
      readonly scopeId: number;
    }
  | { readonly family: number; readonly raw: Uint8Array };

export interface NetworkInterfaceInfo {
  readonly ifIndex: number;
  /** `InterfaceCapability` bits. */
  readonly capability: number;
  /** Bits per second. */
  readonly linkSpeed: bigint;
  readonly sockAddr: SockAddr;
}

const AF_INET = 0x0002;
const AF_INET6 = 0x0017;
const INTERFACE_INFO_SIZE = 152;

/** "a.b.c.d" or eight colon-separated hex groups (not compressed), for logs. */
export function formatSockAddr(a: SockAddr): string {
  if (a.family === 'ipv4') return Array.from(a.address).join('.');
  if (a.family === 'ipv6') {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2)
      groups.push((((a.address[i] ?? 0) << 8) | (a.address[i + 1] ?? 0)).toString(16));
    return groups.join(':');
  }
  return `family 0x${a.family.toString(16)}`;
}

function writeSockAddr(w: Writer, a: SockAddr): void {
  const start = w.pos;
  if (a.family === 'ipv4') {
    // Port and address in network byte order, as in a sockaddr_in.
    w.u16(AF_INET)
      .u8(a.port >>> 8)
      .u8(a.port & 0xff);
    writeExact(w, a.address, 4, 'SockAddr.IPv4Address');
  } else if (a.family === 'ipv6') {
    w.u16(AF_INET6)
      .u8(a.port >>> 8)
      .u8(a.port & 0xff)
      .u32(a.flowInfo, 'SockAddr.FlowInfo');
    writeExact(w, a.address, 16, 'SockAddr.IPv6Address');
    w.u32(a.scopeId, 'SockAddr.ScopeId');
  } else {
    w.u16(a.family, 'SockAddr.Family');
    writeExact(w, a.raw, 126, 'SockAddr.Buffer');
  }
  w.zeros(start + 128 - w.pos);
}

function readSockAddr(r: Reader): SockAddr {
  const start = r.pos;
  const family = r.u16('SockAddr.Family');
  let out: SockAddr;
  if (family === AF_INET) {
    const port = (r.u8('SockAddr.Port') << 8) | r.u8('SockAddr.Port');
    out = { family: 'ipv4', port, address: r.bytesN(4, 'SockAddr.IPv4Address') };
  } else if (family === AF_INET6) {
    const port = (r.u8('SockAddr.Port') << 8) | r.u8('SockAddr.Port');
    const flowInfo = r.u32('SockAddr.FlowInfo');
    const address = r.bytesN(16, 'SockAddr.IPv6Address');
    out = { family: 'ipv6', port, flowInfo, address, scopeId: r.u32('SockAddr.ScopeId') };
  } else {
    out = { family, raw: r.bytesN(126, 'SockAddr.Buffer') };
  }
  r.skip(start + 128 - r.pos, 'SockAddr.Reserved');
  return out;
}

/** The list a server returns: 152-byte entries chained by Next. */
export const networkInterfaceInfo = payload<readonly NetworkInterfaceInfo[]>(
  'NETWORK_INTERFACE_INFO',
  (list, w) => {
    list.forEach((n, i) => {
      w.u32(i < list.length - 1 ? INTERFACE_INFO_SIZE : 0).u32(n.ifIndex, 'IfIndex');
      w.u32(n.capability, 'Capability').u32(0).u64(n.linkSpeed, 'LinkSpeed');
      writeSockAddr(w, n.sockAddr);
    });
  },
  (r) => {
    const out: NetworkInterfaceInfo[] = [];
    if (r.remaining === 0) return out;
    for (let at = 0; ; ) {
      r.seek(at, 'Next');
      const next = r.u32('Next');
      const ifIndex = r.u32('IfIndex');
      const capability = r.u32('Capability');
      r.skip(4, 'Reserved');
      const linkSpeed = r.u64('LinkSpeed');
      out.push({ ifIndex, capability, linkSpeed, sockAddr: readSockAddr(r) });
      if (next === 0) return out;
      if (next < INTERFACE_INFO_SIZE) r.fail('Next', `${next} overlaps the entry`, at);
      at += next;
    }
  },
);

// --- SRV_REQUEST_RESUME_KEY (§2.2.32.3) ---

export interface ResumeKeyResponse {
  /** 24 bytes, opaque: the SourceKey of a later copychunk. */
  readonly resumeKey: Uint8Array;
  /** Reserved (ContextLength bytes, normally none). */
  readonly context: Uint8Array;
}

export const resumeKeyResponse = payload<ResumeKeyResponse>(
  'SRV_REQUEST_RESUME_KEY Response',
  (v, w) => {
    writeExact(w, v.resumeKey, 24, 'ResumeKey');
    w.u32(v.context.length).bytes(v.context);
  },
  (r) => {
    const resumeKey = r.bytesN(24, 'ResumeKey');
    const length = r.u32('ContextLength');
    return { resumeKey, context: r.bytesN(length, 'Context') };
  },
);

// --- SRV_COPYCHUNK / _WRITE (§2.2.31.1, §2.2.32.1) ---

export interface CopyChunk {
  readonly sourceOffset: bigint;
  readonly targetOffset: bigint;
  readonly length: number;
}

export interface CopyChunkRequest {
  /** The 24-byte resume key of the source. */
  readonly sourceKey: Uint8Array;
  readonly chunks: readonly CopyChunk[];
}

export interface CopyChunkResponse {
  readonly chunksWritten: number;
  readonly chunkBytesWritten: number;
  readonly totalBytesWritten: number;
}

export const copyChunkRequest = payload<CopyChunkRequest>(
  'SRV_COPYCHUNK_COPY',
  (v, w) => {
    writeExact(w, v.sourceKey, 24, 'SourceKey');
    w.u32(v.chunks.length).u32(0);
    for (const c of v.chunks) {
      w.u64(c.sourceOffset, 'SourceOffset')
        .u64(c.targetOffset, 'TargetOffset')
        .u32(c.length, 'Length')
        .u32(0);
    }
  },
  (r) => {
    const sourceKey = r.bytesN(24, 'SourceKey');
    const at = r.pos;
    const count = r.u32('ChunkCount');
    r.skip(4, 'Reserved');
    if (r.remaining < count * 24) r.fail('ChunkCount', `${count} chunks need ${count * 24} bytes`, at);
    const chunks: CopyChunk[] = [];
    for (let i = 0; i < count; i++) {
      const sourceOffset = r.u64('SourceOffset');
      const targetOffset = r.u64('TargetOffset');
      const length = r.u32('Length');
      r.skip(4, 'Reserved');
      chunks.push({ sourceOffset, targetOffset, length });
    }
    return { sourceKey, chunks };
  },
);

export const copyChunkResponse = payload<CopyChunkResponse>(
  'SRV_COPYCHUNK_RESPONSE',
  (v, w) => {
    w.u32(v.chunksWritten, 'ChunksWritten').u32(v.chunkBytesWritten, 'ChunkBytesWritten');
    w.u32(v.totalBytesWritten, 'TotalBytesWritten');
  },
  (r) => ({
    chunksWritten: r.u32('ChunksWritten'),
    chunkBytesWritten: r.u32('ChunkBytesWritten'),
    totalBytesWritten: r.u32('TotalBytesWritten'),
  }),
);

// --- DFS_GET_REFERRALS (MS-DFSC §2.2.2, §2.2.4) ---

export interface DfsReferralRequest {
  /** Highest referral version understood (3 or 4 today). */
  readonly maxReferralLevel: number;
  /** `\server\share[\path]`, sent zero-terminated. */
  readonly requestFileName: string;
}

/** RESP_GET_DFS_REFERRAL's header; the referral entries (versions 1–4) are left raw. */
export interface DfsReferralResponse {
  readonly pathConsumed: number;
  readonly numberOfReferrals: number;
  readonly referralHeaderFlags: number;
  /** The entries and the string buffer after them. */
  readonly referrals: Uint8Array;
}

export const dfsReferralRequest = payload<DfsReferralRequest>(
  'REQ_GET_DFS_REFERRAL',
  (v, w) => {
    if (v.requestFileName.includes('\0'))
      throw new SmbEncodeError('RequestFileName', 'contains a zero character');
    w.u16(v.maxReferralLevel, 'MaxReferralLevel').bytes(utf16le(v.requestFileName)).u16(0);
  },
  (r) => {
    const maxReferralLevel = r.u16('MaxReferralLevel');
    const start = r.pos;
    let end = -1;
    for (let i = start; i + 1 < r.end; i += 2) {
      if (r.bytes[i] === 0 && r.bytes[i + 1] === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) r.fail('RequestFileName', 'no zero terminator');
    const requestFileName = utf16(r.bytesN(end - start, 'RequestFileName'), r, 'RequestFileName');
    r.skip(2, 'RequestFileName terminator');
    return { maxReferralLevel, requestFileName };
  },
);

export const dfsReferralResponse = payload<DfsReferralResponse>(
  'RESP_GET_DFS_REFERRAL',
  (v, w) => {
    w.u16(v.pathConsumed, 'PathConsumed').u16(v.numberOfReferrals, 'NumberOfReferrals');
    w.u32(v.referralHeaderFlags, 'ReferralHeaderFlags').bytes(v.referrals);
  },
  (r) => {
    const pathConsumed = r.u16('PathConsumed');
    const numberOfReferrals = r.u16('NumberOfReferrals');
    const referralHeaderFlags = r.u32('ReferralHeaderFlags');
    return {
      pathConsumed,
      numberOfReferrals,
      referralHeaderFlags,
      referrals: r.bytesN(r.remaining, 'ReferralEntries'),
    };
  },
);

// --- FSCTL_SET_ZERO_DATA (MS-FSCC §2.3.85 FILE_ZERO_DATA_INFORMATION) ---

export interface FileZeroDataInformation {
  /** First byte to zero (a signed 64-bit value on the wire: ≥ 2^63 is negative). */
  readonly fileOffset: bigint;
  /** The byte after the last one to zero. */
  readonly beyondFinalZero: bigint;
}

export const fileZeroDataInformation = payload<FileZeroDataInformation>(
  'FILE_ZERO_DATA_INFORMATION',
  (v, w) => {
    w.u64(v.fileOffset, 'FileOffset').u64(v.beyondFinalZero, 'BeyondFinalZero');
  },
  (r) => ({ fileOffset: r.u64('FileOffset'), beyondFinalZero: r.u64('BeyondFinalZero') }),
);

// --- FSCTL_QUERY_ALLOCATED_RANGES (MS-FSCC §2.3, FILE_ALLOCATED_RANGE_BUFFER) ---

export interface FileAllocatedRange {
  /** Signed 64-bit on the wire. */
  readonly fileOffset: bigint;
  readonly length: bigint;
}

/** The size of one FILE_ALLOCATED_RANGE_BUFFER. */
export const ALLOCATED_RANGE_SIZE = 16;

/** The request: one range to query (bytes past the first 16 are ignored, as Windows does). */
export const allocatedRangeQuery = payload<FileAllocatedRange>(
  'FILE_ALLOCATED_RANGE_BUFFER',
  (v, w) => {
    w.u64(v.fileOffset, 'FileOffset').u64(v.length, 'Length');
  },
  (r) => ({ fileOffset: r.u64('FileOffset'), length: r.u64('Length') }),
);

/** The response: an array of FILE_ALLOCATED_RANGE_BUFFERs, nothing else. */
export const allocatedRanges = payload<readonly FileAllocatedRange[]>(
  'FILE_ALLOCATED_RANGE_BUFFER array',
  (list, w) => {
    for (const x of list) w.u64(x.fileOffset, 'FileOffset').u64(x.length, 'Length');
  },
  (r) => {
    if (r.remaining % ALLOCATED_RANGE_SIZE !== 0)
      r.fail('Ranges', `${r.remaining} bytes is not a whole number of ranges`);
    const out: FileAllocatedRange[] = [];
    while (r.remaining > 0) out.push({ fileOffset: r.u64('FileOffset'), length: r.u64('Length') });
    return out;
  },
);

// --- FSCTL_GET_COMPRESSION / FSCTL_SET_COMPRESSION (MS-FSCC §2.3, COMPRESSION_STATE) ---

/** CompressionState values. */
export const CompressionFormat = {
  NONE: 0x0000,
  DEFAULT: 0x0001,
  LZNT1: 0x0002,
} as const;

export const compressionState = payload<number>(
  'COMPRESSION_STATE',
  (v, w) => {
    w.u16(v, 'CompressionState');
  },
  (r) => r.u16('CompressionState'),
);
