/** SMB2 CLOSE request and response (MS-SMB2 §2.2.15, §2.2.16). */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command } from '../header.js';

export interface CloseRequest {
  /** `CloseFlags` (POSTQUERY_ATTRIB asks for the attributes in the response). */
  readonly flags: number;
  readonly fileId: FileId;
}

/** The times, sizes and attributes are zero unless the request had POSTQUERY_ATTRIB. */
export interface CloseResponse {
  readonly flags: number;
  readonly creationTime: bigint;
  readonly lastAccessTime: bigint;
  readonly lastWriteTime: bigint;
  readonly changeTime: bigint;
  readonly allocationSize: bigint;
  readonly endOfFile: bigint;
  readonly fileAttributes: number;
}

export const closeRequest: BodyCodec<CloseRequest> = {
  command: Command.CLOSE,
  response: false,
  name: 'CLOSE Request',
  encode(v, w) {
    w.u16(24).u16(v.flags, 'Flags').u32(0);
    writeFileId(w, v.fileId);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(24);
    const flags = r.u16('Flags');
    r.skip(4, 'Reserved');
    const fileId = readFileId(r);
    r0.pos = r.pos;
    return { flags, fileId };
  },
};

export const closeResponse: BodyCodec<CloseResponse> = {
  command: Command.CLOSE,
  response: true,
  name: 'CLOSE Response',
  encode(v, w) {
    w.u16(60).u16(v.flags, 'Flags').u32(0);
    w.u64(v.creationTime, 'CreationTime').u64(v.lastAccessTime, 'LastAccessTime');
    w.u64(v.lastWriteTime, 'LastWriteTime').u64(v.changeTime, 'ChangeTime');
    w.u64(v.allocationSize, 'AllocationSize').u64(v.endOfFile, 'EndofFile');
    w.u32(v.fileAttributes, 'FileAttributes');
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(60);
    const flags = r.u16('Flags');
    r.skip(4, 'Reserved');
    const creationTime = r.u64('CreationTime');
    const lastAccessTime = r.u64('LastAccessTime');
    const lastWriteTime = r.u64('LastWriteTime');
    const changeTime = r.u64('ChangeTime');
    const allocationSize = r.u64('AllocationSize');
    const endOfFile = r.u64('EndofFile');
    const fileAttributes = r.u32('FileAttributes');
    r0.pos = r.pos;
    return {
      flags,
      creationTime,
      lastAccessTime,
      lastWriteTime,
      changeTime,
      allocationSize,
      endOfFile,
      fileAttributes,
    };
  },
};
