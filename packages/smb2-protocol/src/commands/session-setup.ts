/** SMB2 SESSION_SETUP request and response (MS-SMB2 §2.2.5, §2.2.6). */
import type { BodyCodec } from '../codec.js';
import { Command, HEADER_SIZE } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';

/** Request Flags (§2.2.5). */
export const SessionSetupRequestFlags = { BINDING: 0x01 } as const;

/** Response SessionFlags (§2.2.6). */
export const SessionFlags = {
  IS_GUEST: 0x0001,
  IS_NULL: 0x0002,
  ENCRYPT_DATA: 0x0004,
} as const;

export interface SessionSetupRequest {
  /** `SessionSetupRequestFlags` (3.x: BINDING for a new channel of an existing session). */
  readonly flags: number;
  /** One byte: `SecurityMode` bits. */
  readonly securityMode: number;
  /** `GlobalCapabilities` (only DFS is meaningful here). */
  readonly capabilities: number;
  /** Channel: MUST be 0. */
  readonly channel: number;
  /** The GSS token (SPNEGO). */
  readonly securityBuffer: Uint8Array;
  /** A session this client had before a reconnect, for the server to drop; 0 otherwise. */
  readonly previousSessionId: bigint;
}

export interface SessionSetupResponse {
  /** `SessionFlags`. */
  readonly sessionFlags: number;
  /** The GSS token; may be empty on the final leg. */
  readonly securityBuffer: Uint8Array;
}

const REQUEST = 'SESSION_SETUP Request';
const RESPONSE = 'SESSION_SETUP Response';

function checkBuffer(b: Uint8Array, path: string): void {
  if (b.length > 0xffff) throw new SmbEncodeError(`${path}.SecurityBufferLength`, `${b.length} bytes`);
}

function byte(v: number, field: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new SmbEncodeError(`${REQUEST}.${field}`, `${v} is not an 8-bit value`);
}

export const sessionSetupRequest: BodyCodec<SessionSetupRequest> = {
  command: Command.SESSION_SETUP,
  response: false,
  name: REQUEST,
  encode(v, w) {
    checkBuffer(v.securityBuffer, REQUEST);
    byte(v.flags, 'Flags');
    byte(v.securityMode, 'SecurityMode');
    w.u16(25).u8(v.flags).u8(v.securityMode).u32(v.capabilities, 'Capabilities').u32(v.channel, 'Channel');
    w.u16(HEADER_SIZE + 24)
      .u16(v.securityBuffer.length)
      .u64(v.previousSessionId, 'PreviousSessionId');
    w.bytes(v.securityBuffer);
  },
  decode(r0) {
    const r = r0.named(REQUEST);
    r.structureSize(25);
    const flags = r.u8('Flags');
    const securityMode = r.u8('SecurityMode');
    const capabilities = r.u32('Capabilities');
    const channel = r.u32('Channel');
    const offset = r.u16('SecurityBufferOffset');
    const length = r.u16('SecurityBufferLength');
    const previousSessionId = r.u64('PreviousSessionId');
    const securityBuffer = r.at(offset, length, 'SecurityBuffer');
    return { flags, securityMode, capabilities, channel, securityBuffer, previousSessionId };
  },
};

export const sessionSetupResponse: BodyCodec<SessionSetupResponse> = {
  command: Command.SESSION_SETUP,
  response: true,
  name: RESPONSE,
  encode(v, w) {
    checkBuffer(v.securityBuffer, RESPONSE);
    w.u16(9)
      .u16(v.sessionFlags, 'SessionFlags')
      .u16(HEADER_SIZE + 8)
      .u16(v.securityBuffer.length);
    w.bytes(v.securityBuffer);
  },
  decode(r0) {
    const r = r0.named(RESPONSE);
    r.structureSize(9);
    const sessionFlags = r.u16('SessionFlags');
    const offset = r.u16('SecurityBufferOffset');
    const length = r.u16('SecurityBufferLength');
    return { sessionFlags, securityBuffer: r.at(offset, length, 'SecurityBuffer') };
  },
};
