/**
 * SMB2 WRITE request and response (MS-SMB2 §2.2.21, §2.2.22). A client sending a large
 * write can encode the fixed part alone (`encodeWriteRequestHeaderOnly`) and send the
 * payload buffer after it without concatenating; a server can decode the data as a view.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export interface WriteRequest {
  /** Offset of the data from the SMB2 header: always set by decode; on encode defaults to 0x70 (larger pads). */
  readonly dataOffset?: number;
  /** Where in the file. */
  readonly offset: bigint;
  readonly fileId: FileId;
  /** `Channel`. */
  readonly channel: number;
  readonly remainingBytes: number;
  /** RDMA descriptors (SMB_DIRECT); absent when empty. Encoded after the data. */
  readonly writeChannelInfo?: Uint8Array;
  /** `WriteFlags`. */
  readonly flags: number;
  /** A copy, or with `{ view: true }` a view of the received buffer. */
  readonly data: Uint8Array;
}

export interface WriteResponse {
  /** Bytes written. */
  readonly count: number;
  readonly remaining: number;
}

/** Header + the 48 fixed bytes of a WRITE request: where its data normally starts (0x70). */
export const WRITE_REQUEST_DATA_OFFSET = HEADER_SIZE + 48;

function writeFixed(
  v: Omit<WriteRequest, 'data'>,
  dataOffset: number,
  dataLength: number,
  infoOffset: number,
  infoLength: number,
  w: Writer,
): void {
  w.u16(49).u16(dataOffset, 'DataOffset').u32(dataLength, 'Length').u64(v.offset, 'Offset');
  writeFileId(w, v.fileId);
  w.u32(v.channel, 'Channel').u32(v.remainingBytes, 'RemainingBytes');
  w.u16(infoOffset, 'WriteChannelInfoOffset').u16(infoLength, 'WriteChannelInfoLength').u32(v.flags, 'Flags');
}

/**
 * Writes the 48 fixed bytes of a WRITE request whose `dataLength` bytes of data follow at
 * 0x70: send these (after the header) and then the payload itself. No channel info.
 */
export function encodeWriteRequestHeaderOnly(
  v: Omit<WriteRequest, 'data' | 'dataOffset'>,
  dataLength: number,
  w: Writer,
): void {
  if (v.writeChannelInfo !== undefined && v.writeChannelInfo.length > 0) {
    throw new SmbEncodeError('WRITE Request.WriteChannelInfo', 'not supported by the header-only encoder');
  }
  if (dataLength === 0)
    throw new SmbEncodeError('WRITE Request.Length', 'a header-only write needs data after it');
  writeFixed(v, WRITE_REQUEST_DATA_OFFSET, dataLength, 0, 0, w);
}

/** Decodes a WRITE request; with `view`, `data` is a subarray of `r.bytes` (no copy). */
export function decodeWriteRequest(r0: Reader, opts: { readonly view?: boolean } = {}): WriteRequest {
  const r = r0.named('WRITE Request');
  r.structureSize(49);
  const dataOffset = r.u16('DataOffset');
  const length = r.u32('Length');
  const offset = r.u64('Offset');
  const fileId = readFileId(r);
  const channel = r.u32('Channel');
  const remainingBytes = r.u32('RemainingBytes');
  const infoOffset = r.u16('WriteChannelInfoOffset');
  const infoLength = r.u16('WriteChannelInfoLength');
  const flags = r.u32('Flags');
  const data = opts.view ? r.atView(dataOffset, length, 'Data') : r.at(dataOffset, length, 'Data');
  const info = r.at(infoOffset, infoLength, 'WriteChannelInfo');
  r0.pos =
    r0.base +
    Math.max(
      r.offset + Math.min(1, r.remaining),
      length > 0 ? dataOffset + length : 0,
      infoLength > 0 ? infoOffset + infoLength : 0,
    );
  return {
    dataOffset,
    offset,
    fileId,
    channel,
    remainingBytes,
    ...(info.length > 0 ? { writeChannelInfo: info } : {}),
    flags,
    data,
  };
}

export const writeRequest: BodyCodec<WriteRequest> = {
  command: Command.WRITE,
  response: false,
  name: 'WRITE Request',
  encode(v, w) {
    const dataOffset = v.dataOffset ?? WRITE_REQUEST_DATA_OFFSET;
    if (v.data.length > 0 && dataOffset < WRITE_REQUEST_DATA_OFFSET) {
      throw new SmbEncodeError('WRITE Request.DataOffset', `${dataOffset} is inside the fixed part`);
    }
    const info = v.writeChannelInfo ?? new Uint8Array(0);
    const dataEnd = v.data.length > 0 ? dataOffset + v.data.length : WRITE_REQUEST_DATA_OFFSET;
    writeFixed(v, dataOffset, v.data.length, info.length > 0 ? dataEnd : 0, info.length, w);
    if (v.data.length > 0) w.zeros(dataOffset - WRITE_REQUEST_DATA_OFFSET).bytes(v.data);
    if (info.length > 0) w.bytes(info);
    // The buffer may not be empty: one zero byte for an empty write (as Windows and Samba send).
    if (v.data.length === 0 && info.length === 0) w.u8(0);
  },
  decode(r, opts) {
    return decodeWriteRequest(r, opts);
  },
};

export const writeResponse: BodyCodec<WriteResponse> = {
  command: Command.WRITE,
  response: true,
  name: 'WRITE Response',
  encode(v, w) {
    w.u16(17).u16(0).u32(v.count, 'Count').u32(v.remaining, 'Remaining').u16(0).u16(0);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(17);
    r.skip(2, 'Reserved');
    const count = r.u32('Count');
    const remaining = r.u32('Remaining');
    r.skip(2, 'WriteChannelInfoOffset');
    r.skip(2, 'WriteChannelInfoLength');
    r0.pos = r.pos;
    return { count, remaining };
  },
};
