/** SMB2 NEGOTIATE request and response (MS-SMB2 §2.2.3, §2.2.4). */
import type { BodyCodec } from '../codec.js';
// The dialect numbers are defined once, with the crypto that depends on them.
import { Dialect } from '../crypto/constants.js';
import { Command, HEADER_SIZE } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';
import type { Writer } from '../wire/writer.js';
import {
  type NegotiateContext,
  readNegotiateContexts,
  writeNegotiateContexts,
} from './negotiate-contexts.js';

export { Dialect };

/** SecurityMode (§2.2.3, also SESSION_SETUP's one-byte SecurityMode). */
export const SecurityMode = {
  SIGNING_ENABLED: 0x0001,
  SIGNING_REQUIRED: 0x0002,
} as const;

/** Capabilities of NEGOTIATE and SESSION_SETUP (§2.2.3). */
export const GlobalCapabilities = {
  DFS: 0x00000001,
  LEASING: 0x00000002,
  LARGE_MTU: 0x00000004,
  MULTI_CHANNEL: 0x00000008,
  PERSISTENT_HANDLES: 0x00000010,
  DIRECTORY_LEASING: 0x00000020,
  ENCRYPTION: 0x00000040,
  NOTIFICATIONS: 0x00000080,
} as const;

export interface NegotiateRequest {
  readonly securityMode: number;
  readonly capabilities: number;
  /** 16 bytes. */
  readonly clientGuid: Uint8Array;
  readonly dialects: readonly number[];
  /**
   * The negotiate contexts: present (possibly empty) exactly when `dialects` includes 3.1.1,
   * which makes the 8 bytes after ClientGuid NegotiateContextOffset/Count.
   */
  readonly negotiateContexts?: readonly NegotiateContext[];
  /** ClientStartTime (FILETIME, MUST be 0): present exactly when 3.1.1 is not offered. */
  readonly clientStartTime?: bigint;
}

export interface NegotiateResponse {
  readonly securityMode: number;
  readonly dialectRevision: number;
  /** 16 bytes. */
  readonly serverGuid: Uint8Array;
  readonly capabilities: number;
  readonly maxTransactSize: number;
  readonly maxReadSize: number;
  readonly maxWriteSize: number;
  /** FILETIME (100 ns since 1601). */
  readonly systemTime: bigint;
  /** FILETIME; 0 when the server does not say. */
  readonly serverStartTime: bigint;
  /** The GSS token (SPNEGO negTokenInit or hints), possibly empty. */
  readonly securityBuffer: Uint8Array;
  /** Present (possibly empty) exactly when `dialectRevision` is 3.1.1. */
  readonly negotiateContexts?: readonly NegotiateContext[];
}

function guid(w: Writer, g: Uint8Array, field: string): void {
  if (g.length !== 16) throw new SmbEncodeError(field, `is ${g.length} bytes, not 16`);
  w.bytes(g);
}

const REQUEST = 'NEGOTIATE Request';
const RESPONSE = 'NEGOTIATE Response';

export const negotiateRequest: BodyCodec<NegotiateRequest> = {
  command: Command.NEGOTIATE,
  response: false,
  name: REQUEST,
  encode(v, w) {
    const with311 = v.dialects.includes(Dialect.SMB_3_1_1);
    const contexts = v.negotiateContexts ?? [];
    if (!with311 && contexts.length > 0) {
      throw new SmbEncodeError(
        'NEGOTIATE Request.NegotiateContextList',
        'negotiate contexts need the 3.1.1 dialect',
      );
    }
    if (with311 && v.clientStartTime !== undefined && v.clientStartTime !== 0n) {
      throw new SmbEncodeError(
        'NEGOTIATE Request.ClientStartTime',
        'no ClientStartTime with the 3.1.1 dialect',
      );
    }
    if (v.dialects.length > 0xffff)
      throw new SmbEncodeError('NEGOTIATE Request.DialectCount', 'too many dialects');
    if (contexts.length > 0xffff)
      throw new SmbEncodeError('NEGOTIATE Request.NegotiateContextCount', 'too many');
    w.u16(36)
      .u16(v.dialects.length)
      .u16(v.securityMode, 'SecurityMode')
      .u16(0)
      .u32(v.capabilities, 'Capabilities');
    guid(w, v.clientGuid, 'NEGOTIATE Request.ClientGuid');
    const offsetAt = w.pos;
    if (with311) w.u32(0).u16(contexts.length).u16(0);
    else w.u64(v.clientStartTime ?? 0n, 'ClientStartTime');
    for (const d of v.dialects) w.u16(d, 'Dialects');
    if (with311 && contexts.length > 0) {
      w.align(8);
      w.patchU32(offsetAt, HEADER_SIZE + w.pos);
      writeNegotiateContexts(w, contexts);
    }
  },
  decode(r0) {
    const r = r0.named(REQUEST);
    r.structureSize(36);
    const dialectCount = r.u16('DialectCount');
    const securityMode = r.u16('SecurityMode');
    r.skip(2, 'Reserved');
    const capabilities = r.u32('Capabilities');
    const clientGuid = r.guid('ClientGuid');
    const variantAt = r.pos;
    r.skip(8, 'NegotiateContextOffset/ClientStartTime');
    const dialects: number[] = [];
    for (let i = 0; i < dialectCount; i++) dialects.push(r.u16(`Dialects[${i}]`));
    const end = r.pos;
    r.pos = variantAt;
    const base = { securityMode, capabilities, clientGuid, dialects };
    if (!dialects.includes(Dialect.SMB_3_1_1)) {
      const clientStartTime = r.u64('ClientStartTime');
      r.pos = end;
      return { ...base, clientStartTime };
    }
    const offset = r.u32('NegotiateContextOffset');
    const count = r.u16('NegotiateContextCount');
    r.pos = end;
    return { ...base, negotiateContexts: readNegotiateContexts(r, offset, count) };
  },
};

/** Body bytes before the Buffer: SecurityBufferOffset of a response is 64 + 64 = 0x80. */
const RESPONSE_FIXED = 64;

export const negotiateResponse: BodyCodec<NegotiateResponse> = {
  command: Command.NEGOTIATE,
  response: true,
  name: RESPONSE,
  encode(v, w) {
    const with311 = v.dialectRevision === Dialect.SMB_3_1_1;
    const contexts = v.negotiateContexts ?? [];
    if (!with311 && contexts.length > 0) {
      throw new SmbEncodeError(
        'NEGOTIATE Response.NegotiateContextList',
        'negotiate contexts need the 3.1.1 dialect',
      );
    }
    if (contexts.length > 0xffff)
      throw new SmbEncodeError('NEGOTIATE Response.NegotiateContextCount', 'too many');
    if (v.securityBuffer.length > 0xffff) {
      throw new SmbEncodeError('NEGOTIATE Response.SecurityBufferLength', `${v.securityBuffer.length} bytes`);
    }
    w.u16(65)
      .u16(v.securityMode, 'SecurityMode')
      .u16(v.dialectRevision, 'DialectRevision')
      .u16(contexts.length);
    guid(w, v.serverGuid, 'NEGOTIATE Response.ServerGuid');
    w.u32(v.capabilities, 'Capabilities').u32(v.maxTransactSize, 'MaxTransactSize');
    w.u32(v.maxReadSize, 'MaxReadSize').u32(v.maxWriteSize, 'MaxWriteSize');
    w.u64(v.systemTime, 'SystemTime').u64(v.serverStartTime, 'ServerStartTime');
    w.u16(HEADER_SIZE + RESPONSE_FIXED).u16(v.securityBuffer.length);
    const offsetAt = w.pos;
    w.u32(0);
    w.bytes(v.securityBuffer);
    if (contexts.length > 0) {
      w.align(8);
      w.patchU32(offsetAt, HEADER_SIZE + w.pos);
      writeNegotiateContexts(w, contexts);
    }
  },
  decode(r0) {
    const r = r0.named(RESPONSE);
    r.structureSize(65);
    const securityMode = r.u16('SecurityMode');
    const dialectRevision = r.u16('DialectRevision');
    const contextCount = r.u16('NegotiateContextCount');
    const serverGuid = r.guid('ServerGuid');
    const capabilities = r.u32('Capabilities');
    const maxTransactSize = r.u32('MaxTransactSize');
    const maxReadSize = r.u32('MaxReadSize');
    const maxWriteSize = r.u32('MaxWriteSize');
    const systemTime = r.u64('SystemTime');
    const serverStartTime = r.u64('ServerStartTime');
    const securityBufferOffset = r.u16('SecurityBufferOffset');
    const securityBufferLength = r.u16('SecurityBufferLength');
    const contextOffset = r.u32('NegotiateContextOffset');
    const securityBuffer = r.at(securityBufferOffset, securityBufferLength, 'SecurityBuffer');
    const value: NegotiateResponse = {
      securityMode,
      dialectRevision,
      serverGuid,
      capabilities,
      maxTransactSize,
      maxReadSize,
      maxWriteSize,
      systemTime,
      serverStartTime,
      securityBuffer,
    };
    if (dialectRevision !== Dialect.SMB_3_1_1) return value;
    return { ...value, negotiateContexts: readNegotiateContexts(r, contextOffset, contextCount) };
  },
};
