/**
 * SMB2 READ request and response (MS-SMB2 §2.2.19, §2.2.20). The response's data can be
 * decoded as a view of the received buffer (`decodeReadResponse(r, { view: true })`), and
 * `dataOffset` says where it lies, so a client need not copy a large read.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export interface ReadRequest {
  /** Requested offset of the data in the response from the header (0 lets the server choose; Windows asks 0x50). */
  readonly padding: number;
  /** `ReadFlags` (3.0.2+). */
  readonly flags: number;
  readonly length: number;
  readonly offset: bigint;
  readonly fileId: FileId;
  readonly minimumCount: number;
  /** `Channel`. */
  readonly channel: number;
  readonly remainingBytes: number;
  /** RDMA descriptors (SMB_DIRECT); absent when empty. */
  readonly readChannelInfo?: Uint8Array;
}

export interface ReadResponse {
  /**
   * Offset of the data from the SMB2 header. Always set by decode; on encode, defaults to
   * 0x50 (right after the fixed part), a larger value pads with zeros.
   */
  readonly dataOffset?: number;
  readonly dataRemaining: number;
  /** `ReadResponseFlags` (3.1.1; Reserved2 before). */
  readonly flags: number;
  /** A copy, or with `{ view: true }` a view of the received buffer. */
  readonly data: Uint8Array;
}

/** Header + the 48 fixed bytes of a READ request. */
const REQUEST_BUFFER = HEADER_SIZE + 48;
/** Header + the 16 fixed bytes of a READ response: where its data normally starts (0x50). */
export const READ_RESPONSE_DATA_OFFSET = HEADER_SIZE + 16;

export const readRequest: BodyCodec<ReadRequest> = {
  command: Command.READ,
  response: false,
  name: 'READ Request',
  encode(v, w) {
    const info = v.readChannelInfo ?? new Uint8Array(0);
    w.u16(49).u8(v.padding).u8(v.flags).u32(v.length, 'Length').u64(v.offset, 'Offset');
    writeFileId(w, v.fileId);
    w.u32(v.minimumCount, 'MinimumCount').u32(v.channel, 'Channel').u32(v.remainingBytes, 'RemainingBytes');
    w.u16(info.length > 0 ? REQUEST_BUFFER : 0).u16(info.length, 'ReadChannelInfoLength');
    // The buffer may not be empty: one zero byte when there is no channel info (as Windows and Samba send).
    if (info.length > 0) w.bytes(info);
    else w.u8(0);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(49);
    const padding = r.u8('Padding');
    const flags = r.u8('Flags');
    const length = r.u32('Length');
    const offset = r.u64('Offset');
    const fileId = readFileId(r);
    const minimumCount = r.u32('MinimumCount');
    const channel = r.u32('Channel');
    const remainingBytes = r.u32('RemainingBytes');
    const infoOffset = r.u16('ReadChannelInfoOffset');
    const infoLength = r.u16('ReadChannelInfoLength');
    const info = r.at(infoOffset, infoLength, 'ReadChannelInfo');
    r0.pos =
      r0.base + Math.max(r.offset + Math.min(1, r.remaining), infoLength > 0 ? infoOffset + infoLength : 0);
    return {
      padding,
      flags,
      length,
      offset,
      fileId,
      minimumCount,
      channel,
      remainingBytes,
      ...(info.length > 0 ? { readChannelInfo: info } : {}),
    };
  },
};

/** Writes the 16 fixed bytes of a READ response for `dataLength` bytes of data at 0x50 (send the data after it). */
export function encodeReadResponseHeaderOnly(
  v: Omit<ReadResponse, 'data' | 'dataOffset'>,
  dataLength: number,
  w: Writer,
): void {
  w.u16(17).u8(READ_RESPONSE_DATA_OFFSET).u8(0).u32(dataLength, 'DataLength');
  w.u32(v.dataRemaining, 'DataRemaining').u32(v.flags, 'Flags');
}

/** Decodes a READ response; with `view`, `data` is a subarray of `r.bytes` (no copy). */
export function decodeReadResponse(r0: Reader, opts: { readonly view?: boolean } = {}): ReadResponse {
  const r = r0.named('READ Response');
  r.structureSize(17);
  const dataOffset = r.u8('DataOffset');
  r.skip(1, 'Reserved');
  const dataLength = r.u32('DataLength');
  const dataRemaining = r.u32('DataRemaining');
  const flags = r.u32('Flags');
  const data = opts.view ? r.atView(dataOffset, dataLength, 'Data') : r.at(dataOffset, dataLength, 'Data');
  r0.pos = r0.base + Math.max(r.offset, dataLength > 0 ? dataOffset + dataLength : 0);
  return { dataOffset, dataRemaining, flags, data };
}

export const readResponse: BodyCodec<ReadResponse> = {
  command: Command.READ,
  response: true,
  name: 'READ Response',
  encode(v, w) {
    const dataOffset = v.dataOffset ?? READ_RESPONSE_DATA_OFFSET;
    if (
      !Number.isInteger(dataOffset) ||
      dataOffset > 0xff ||
      (v.data.length > 0 && dataOffset < READ_RESPONSE_DATA_OFFSET)
    ) {
      throw new SmbEncodeError('READ Response.DataOffset', `${dataOffset} is not in [0x50, 0xff]`);
    }
    w.u16(17).u8(dataOffset).u8(0).u32(v.data.length, 'DataLength');
    w.u32(v.dataRemaining, 'DataRemaining').u32(v.flags, 'Flags');
    if (v.data.length > 0) w.zeros(dataOffset - READ_RESPONSE_DATA_OFFSET).bytes(v.data);
  },
  decode(r, opts) {
    return decodeReadResponse(r, opts);
  },
};
