import { ByteReader, ByteWriter } from './bytes.js';
import { COMMON_HEADER_LENGTH, DREP_LE, RPC_VERSION, RPC_VERSION_MINORS } from './constants.js';
import { RpcError } from './errors.js';

/** The 16-octet common header of every connection-oriented PDU (C706 §12.6.3.1). */
export interface PduHeader {
  readonly versionMinor: number;
  readonly ptype: number;
  readonly flags: number;
  readonly fragLength: number;
  readonly authLength: number;
  readonly callId: number;
}

/**
 * Reads the common header; enough to find where the PDU ends. Throws {@link RpcError} for a
 * version other than 5.0/5.1, a drep other than little-endian ASCII/IEEE, or a frag_length
 * that cannot hold the header (nothing in-band can answer such bytes).
 */
export function decodeHeader(bytes: Uint8Array): PduHeader {
  const r = new ByteReader(bytes);
  r.need(COMMON_HEADER_LENGTH, 'common header');
  const version = r.u8();
  const versionMinor = r.u8();
  const ptype = r.u8();
  const flags = r.u8();
  const drep = r.take(4);
  const fragLength = r.u16();
  const authLength = r.u16();
  const callId = r.u32();
  if (version !== RPC_VERSION || !RPC_VERSION_MINORS.includes(versionMinor)) {
    throw new RpcError('unsupported', `rpc version ${version}.${versionMinor}`);
  }
  if ((drep[0]! & 0xf0) !== DREP_LE || (drep[0]! & 0x0f) !== 0 || drep[1] !== 0) {
    throw new RpcError('unsupported', `data representation ${Array.from(drep.subarray(0, 2)).join(',')}`);
  }
  if (fragLength < COMMON_HEADER_LENGTH) throw new RpcError('malformed', `frag_length ${fragLength}`);
  if (authLength > fragLength - COMMON_HEADER_LENGTH) {
    throw new RpcError('malformed', `auth_length ${authLength} > frag_length ${fragLength}`);
  }
  return { versionMinor, ptype, flags, fragLength, authLength, callId };
}

/** Writes a common header with frag_length 0; {@link finishPdu} fills it in. */
export function startPdu(ptype: number, flags: number, callId: number): ByteWriter {
  return new ByteWriter()
    .u8(RPC_VERSION)
    .u8(0)
    .u8(ptype)
    .u8(flags)
    .bytes(Uint8Array.of(DREP_LE, 0, 0, 0))
    .u16(0)
    .u16(0)
    .u32(callId);
}

export function finishPdu(w: ByteWriter): Uint8Array {
  if (w.length > 0xffff) throw new RpcError('overflow', `PDU of ${w.length} octets`);
  w.setU16(8, w.length);
  return w.finish();
}
