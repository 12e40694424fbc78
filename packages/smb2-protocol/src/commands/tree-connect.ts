/** SMB2 TREE_CONNECT request and response (MS-SMB2 §2.2.9, §2.2.9.1, §2.2.9.2, §2.2.10). */
import type { BodyCodec } from '../codec.js';
import { Command, HEADER_SIZE } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';
import { utf16 } from '../wire/reader.js';
import { utf16le } from '../wire/writer.js';

/** Request Flags (3.1.1; Reserved before). */
export const TreeConnectFlags = {
  CLUSTER_RECONNECT: 0x0001,
  REDIRECT_TO_OWNER: 0x0002,
  EXTENSION_PRESENT: 0x0004,
} as const;

/** Tree connect context types (§2.2.9.2). */
export const TreeConnectContextType = {
  RESERVED: 0x0000,
  REMOTED_IDENTITY: 0x0001,
} as const;

/** ShareType (§2.2.10). */
export const ShareType = { DISK: 0x01, PIPE: 0x02, PRINT: 0x03 } as const;

/** ShareFlags (§2.2.10); the caching policy is the 0x30 field (`CACHING_MASK`). */
export const ShareFlags = {
  MANUAL_CACHING: 0x00000000,
  AUTO_CACHING: 0x00000010,
  VDO_CACHING: 0x00000020,
  NO_CACHING: 0x00000030,
  CACHING_MASK: 0x00000030,
  DFS: 0x00000001,
  DFS_ROOT: 0x00000002,
  RESTRICT_EXCLUSIVE_OPENS: 0x00000100,
  FORCE_SHARED_DELETE: 0x00000200,
  ALLOW_NAMESPACE_CACHING: 0x00000400,
  ACCESS_BASED_DIRECTORY_ENUM: 0x00000800,
  FORCE_LEVELII_OPLOCK: 0x00001000,
  ENABLE_HASH_V1: 0x00002000,
  ENABLE_HASH_V2: 0x00004000,
  ENCRYPT_DATA: 0x00008000,
  IDENTITY_REMOTING: 0x00040000,
  COMPRESS_DATA: 0x00100000,
  ISOLATED_TRANSPORT: 0x00200000,
} as const;

/** Share Capabilities (§2.2.10). */
export const ShareCapabilities = {
  DFS: 0x00000008,
  CONTINUOUS_AVAILABILITY: 0x00000010,
  SCALEOUT: 0x00000020,
  CLUSTER: 0x00000040,
  ASYMMETRIC: 0x00000080,
  REDIRECT_TO_OWNER: 0x00000100,
} as const;

/** A tree connect context (§2.2.9.2), kept as bytes (the remoted identity one is not decoded). */
export interface TreeConnectContext {
  readonly type: number;
  readonly data: Uint8Array;
}

export interface TreeConnectRequest {
  /** `TreeConnectFlags`; EXTENSION_PRESENT is set on encode when `contexts` is given. */
  readonly flags: number;
  /** `\\server\share`. */
  readonly path: string;
  /**
   * The tree connect request extension's contexts (§2.2.9.1): present exactly when
   * EXTENSION_PRESENT is set. In the extension, PathOffset points at its PathName and
   * TreeConnectContextOffset counts from the start of the TREE_CONNECT request body (the
   * StructureSize field); the contexts are 8-byte aligned.
   */
  readonly contexts?: readonly TreeConnectContext[];
}

export interface TreeConnectResponse {
  /** `ShareType`. */
  readonly shareType: number;
  /** `ShareFlags`. */
  readonly shareFlags: number;
  /** `ShareCapabilities`. */
  readonly capabilities: number;
  /** The access mask the user has on the share. */
  readonly maximalAccess: number;
}

const REQUEST = 'TREE_CONNECT Request';
const RESPONSE = 'TREE_CONNECT Response';
/** StructureSize through PathLength. */
const FIXED = 8;
/** TreeConnectContextOffset, TreeConnectContextCount, Reserved (10). */
const EXTENSION_FIXED = 16;

export const treeConnectRequest: BodyCodec<TreeConnectRequest> = {
  command: Command.TREE_CONNECT,
  response: false,
  name: REQUEST,
  encode(v, w) {
    const extension = v.contexts !== undefined || (v.flags & TreeConnectFlags.EXTENSION_PRESENT) !== 0;
    const flags = extension ? v.flags | TreeConnectFlags.EXTENSION_PRESENT : v.flags;
    const path = utf16le(v.path);
    if (path.length > 0xffff) throw new SmbEncodeError(`${REQUEST}.PathLength`, `${path.length} bytes`);
    const pathOffset = HEADER_SIZE + FIXED + (extension ? EXTENSION_FIXED : 0);
    w.u16(9).u16(flags, 'Flags').u16(pathOffset).u16(path.length);
    if (!extension) {
      w.bytes(path);
      return;
    }
    const contexts = v.contexts ?? [];
    if (contexts.length > 0xffff) throw new SmbEncodeError(`${REQUEST}.TreeConnectContextCount`, 'too many');
    const offsetAt = w.pos;
    w.u32(0).u16(contexts.length).zeros(10);
    w.bytes(path);
    contexts.forEach((c, i) => {
      w.align(8);
      if (i === 0) w.patchU32(offsetAt, w.pos);
      if (c.data.length > 0xffff)
        throw new SmbEncodeError(`${REQUEST}.TreeConnectContexts[${i}]`, 'data too long');
      w.u16(c.type, 'ContextType').u16(c.data.length).u32(0).bytes(c.data);
    });
  },
  decode(r0) {
    const r = r0.named(REQUEST);
    r.structureSize(9);
    const flags = r.u16('Flags');
    const pathOffset = r.u16('PathOffset');
    const pathLength = r.u16('PathLength');
    const path = utf16(r.at(pathOffset, pathLength, 'Path'), r, 'Path');
    if ((flags & TreeConnectFlags.EXTENSION_PRESENT) === 0) return { flags, path };
    const contextOffset = r.u32('TreeConnectContextOffset');
    const count = r.u16('TreeConnectContextCount');
    r.skip(10, 'Reserved');
    const contexts: TreeConnectContext[] = [];
    if (count > 0) {
      r.seek(HEADER_SIZE + contextOffset, 'TreeConnectContextOffset');
      for (let i = 0; i < count; i++) {
        const field = `TreeConnectContexts[${i}]`;
        if (i > 0) r.skip((8 - (r.offset % 8)) % 8, `${field}.Padding`);
        const type = r.u16(`${field}.ContextType`);
        const length = r.u16(`${field}.DataLength`);
        r.skip(4, `${field}.Reserved`);
        contexts.push({ type, data: r.bytesN(length, `${field}.Data`) });
      }
    }
    return { flags, path, contexts };
  },
};

export const treeConnectResponse: BodyCodec<TreeConnectResponse> = {
  command: Command.TREE_CONNECT,
  response: true,
  name: RESPONSE,
  encode(v, w) {
    if (!Number.isInteger(v.shareType) || v.shareType < 0 || v.shareType > 0xff) {
      throw new SmbEncodeError(`${RESPONSE}.ShareType`, 'not an 8-bit value');
    }
    w.u16(16).u8(v.shareType).u8(0).u32(v.shareFlags, 'ShareFlags').u32(v.capabilities, 'Capabilities');
    w.u32(v.maximalAccess, 'MaximalAccess');
  },
  decode(r0) {
    const r = r0.named(RESPONSE);
    r.structureSize(16);
    const shareType = r.u8('ShareType');
    r.skip(1, 'Reserved');
    const shareFlags = r.u32('ShareFlags');
    const capabilities = r.u32('Capabilities');
    const maximalAccess = r.u32('MaximalAccess');
    return { shareType, shareFlags, capabilities, maximalAccess };
  },
};
