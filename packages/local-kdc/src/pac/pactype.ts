/**
 * The PAC container ([MS-PAC] §2.3, §2.4): PACTYPE (cBuffers, Version 0) then cBuffers
 * PAC_INFO_BUFFER (ulType, cbBufferSize, 64-bit Offset), buffers on 8-byte boundaries.
 */
import { LeReader, LeWriter } from './bytes.js';
import { check } from './errors.js';

/** ulType values ([MS-PAC] §2.4). */
export const PacBufferType = {
  LOGON_INFO: 1,
  CREDENTIALS_INFO: 2,
  SERVER_CHECKSUM: 6,
  PRIVSVR_CHECKSUM: 7,
  CLIENT_INFO: 10,
  DELEGATION_INFO: 11,
  UPN_DNS_INFO: 12,
  CLIENT_CLAIMS_INFO: 13,
  DEVICE_INFO: 14,
  DEVICE_CLAIMS_INFO: 15,
  TICKET_CHECKSUM: 16,
  ATTRIBUTES_INFO: 17,
  REQUESTOR: 18,
  FULL_CHECKSUM: 19,
} as const;

/** Buffer count limit, as MIT's parser (MAX_BUFFERS). */
export const MAX_PAC_BUFFERS = 4096;

export interface PacBuffer {
  readonly type: number;
  readonly data: Uint8Array;
}

/** A buffer's place in the encoded PAC. */
export interface PacBufferLocation {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

/** Lays the buffers out in order, each padded with zeros to a multiple of 8. */
export function encodePacBuffers(buffers: readonly PacBuffer[]): {
  bytes: Uint8Array;
  locations: PacBufferLocation[];
} {
  check(buffers.length >= 1 && buffers.length <= MAX_PAC_BUFFERS, `a PAC has 1..${MAX_PAC_BUFFERS} buffers`);
  const w = new LeWriter().u32(buffers.length).u32(0);
  let offset = 8 + 16 * buffers.length;
  const locations: PacBufferLocation[] = [];
  for (const b of buffers) {
    check(Number.isInteger(b.type) && b.type >= 0 && b.type <= 0xffffffff, 'PAC buffer type out of range');
    w.u32(b.type).u32(b.data.length).u64(BigInt(offset));
    locations.push({ type: b.type, offset, size: b.data.length });
    offset += Math.ceil(b.data.length / 8) * 8;
  }
  for (const b of buffers) w.bytes(b.data).align(8);
  return { bytes: w.finish(), locations };
}

/** Parses the header and returns the buffers (copies) and their locations. */
export function decodePacBuffers(bytes: Uint8Array): {
  version: number;
  buffers: PacBuffer[];
  locations: PacBufferLocation[];
} {
  const r = new LeReader(bytes, 0, 'PACTYPE');
  const count = r.u32();
  const version = r.u32();
  check(version === 0, `PAC version ${version} (expected 0)`);
  check(count >= 1 && count <= MAX_PAC_BUFFERS, `PAC with ${count} buffers`);
  const headerLength = 8 + 16 * count;
  check(headerLength <= bytes.length, 'PAC header truncated');
  const buffers: PacBuffer[] = [];
  const locations: PacBufferLocation[] = [];
  for (let i = 0; i < count; i++) {
    const type = r.u32();
    const size = r.u32();
    const offset64 = r.u64();
    check(offset64 % 8n === 0n, `PAC buffer ${i} offset is not a multiple of 8`);
    check(
      offset64 >= BigInt(headerLength) && offset64 <= BigInt(bytes.length),
      `PAC buffer ${i} offset out of range`,
    );
    const offset = Number(offset64);
    check(size <= bytes.length - offset, `PAC buffer ${i} (type ${type}) runs past the end`);
    buffers.push({ type, data: bytes.slice(offset, offset + size) });
    locations.push({ type, offset, size });
  }
  return { version, buffers, locations };
}
