/**
 * SMB2 QUERY_INFO request and response (MS-SMB2 §2.2.37, §2.2.38). The OutputBuffer is an
 * info class (info/file-info.ts, info/fs-info.ts), a self-relative security descriptor
 * (info/security-descriptor.ts) or quota entries, as InfoType and FileInfoClass say.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import { outputBufferResponse } from './query-directory.js';

/** InfoType (§2.2.37). */
export const InfoType = {
  FILE: 0x01,
  FILESYSTEM: 0x02,
  SECURITY: 0x03,
  QUOTA: 0x04,
} as const;
export type InfoType = (typeof InfoType)[keyof typeof InfoType];

/** QUERY_INFO Flags (§2.2.37), for FileFullEaInformation and quota queries. */
export const QueryInfoFlags = {
  RESTART_SCAN: 0x00000001,
  RETURN_SINGLE_ENTRY: 0x00000002,
  INDEX_SPECIFIED: 0x00000004,
} as const;

export interface QueryInfoRequest {
  /** `InfoType`. */
  readonly infoType: number;
  /** FileInformationClass or FsInformationClass; 0 for SECURITY and QUOTA. */
  readonly fileInfoClass: number;
  readonly outputBufferLength: number;
  /** SMB2_QUERY_QUOTA_INFO for QUOTA, a FILE_GET_EA_INFORMATION list for FileFullEaInformation, else empty. */
  readonly inputBuffer: Uint8Array;
  /** SECURITY: `SecurityInformation` bits; FileFullEaInformation: the EA index; else 0. */
  readonly additionalInformation: number;
  /** `QueryInfoFlags`. */
  readonly flags: number;
  readonly fileId: FileId;
}

export interface QueryInfoResponse {
  readonly outputBuffer: Uint8Array;
}

const REQUEST_BUFFER = HEADER_SIZE + 40;

export const queryInfoRequest: BodyCodec<QueryInfoRequest> = {
  command: Command.QUERY_INFO,
  response: false,
  name: 'QUERY_INFO Request',
  encode(v, w) {
    const input = v.inputBuffer;
    w.u16(41).u8(v.infoType).u8(v.fileInfoClass).u32(v.outputBufferLength, 'OutputBufferLength');
    // Windows and Samba write InputBufferOffset 0 when there is no input.
    w.u16(input.length === 0 ? 0 : REQUEST_BUFFER, 'InputBufferOffset').u16(0, 'Reserved');
    w.u32(input.length, 'InputBufferLength').u32(v.additionalInformation >>> 0, 'AdditionalInformation');
    w.u32(v.flags >>> 0, 'Flags');
    writeFileId(w, v.fileId);
    // StructureSize 41 counts one byte of Buffer.
    if (input.length === 0) w.u8(0);
    else w.bytes(input);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(41);
    const infoType = r.u8('InfoType');
    const fileInfoClass = r.u8('FileInfoClass');
    const outputBufferLength = r.u32('OutputBufferLength');
    const inputOffset = r.u16('InputBufferOffset');
    r.skip(2, 'Reserved');
    const inputLength = r.u32('InputBufferLength');
    const additionalInformation = r.u32('AdditionalInformation');
    const flags = r.u32('Flags');
    const fileId = readFileId(r);
    const inputBuffer = r.at(inputOffset, inputLength, 'InputBuffer');
    r0.pos = r.pos;
    return { infoType, fileInfoClass, outputBufferLength, inputBuffer, additionalInformation, flags, fileId };
  },
};

export const queryInfoResponse: BodyCodec<QueryInfoResponse> = outputBufferResponse(
  Command.QUERY_INFO,
  'QUERY_INFO Response',
);
