/**
 * SMB2 SET_INFO request and response (MS-SMB2 §2.2.39, §2.2.40). The Buffer is an info class
 * (info/file-info.ts: FileBasicInformation, FileRenameInformation, FileDispositionInformation,
 * FileEndOfFileInformation ...), a security descriptor or quota entries.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';

export interface SetInfoRequest {
  /** `InfoType` (query-info.ts). */
  readonly infoType: number;
  /** FileInformationClass or FsInformationClass; 0 for SECURITY and QUOTA. */
  readonly fileInfoClass: number;
  readonly buffer: Uint8Array;
  /** SECURITY: `SecurityInformation` bits of what `buffer` sets; else 0. */
  readonly additionalInformation: number;
  readonly fileId: FileId;
}

/** The response carries nothing but its StructureSize (2). */
export type SetInfoResponse = Readonly<Record<never, never>>;

const REQUEST_BUFFER = HEADER_SIZE + 32;

export const setInfoRequest: BodyCodec<SetInfoRequest> = {
  command: Command.SET_INFO,
  response: false,
  name: 'SET_INFO Request',
  encode(v, w) {
    w.u16(33).u8(v.infoType).u8(v.fileInfoClass).u32(v.buffer.length, 'BufferLength');
    w.u16(REQUEST_BUFFER, 'BufferOffset').u16(0, 'Reserved');
    w.u32(v.additionalInformation >>> 0, 'AdditionalInformation');
    writeFileId(w, v.fileId);
    // StructureSize 33 counts one byte of Buffer.
    if (v.buffer.length === 0) w.u8(0);
    else w.bytes(v.buffer);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(33);
    const infoType = r.u8('InfoType');
    const fileInfoClass = r.u8('FileInfoClass');
    const length = r.u32('BufferLength');
    const offset = r.u16('BufferOffset');
    r.skip(2, 'Reserved');
    const additionalInformation = r.u32('AdditionalInformation');
    const fileId = readFileId(r);
    const buffer = r.at(offset, length, 'Buffer');
    r0.pos = r.pos;
    return { infoType, fileInfoClass, buffer, additionalInformation, fileId };
  },
};

export const setInfoResponse: BodyCodec<SetInfoResponse> = {
  command: Command.SET_INFO,
  response: true,
  name: 'SET_INFO Response',
  encode(_v, w) {
    w.u16(2);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(2);
    r0.pos = r.pos;
    return {};
  },
};
