/** SMB2 CLOSE request and response (MS-SMB2 §2.2.15, §2.2.16). */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command } from '../header.js';
import { type FileOpenAttributes, readOpenAttributes, writeOpenAttributes } from '../info/internal.js';

export interface CloseRequest {
  /** `CloseFlags` (POSTQUERY_ATTRIB asks for the attributes in the response). */
  readonly flags: number;
  readonly fileId: FileId;
}

/** The times (unsigned FILETIMEs), sizes and attributes are zero unless the request had POSTQUERY_ATTRIB. */
export interface CloseResponse extends FileOpenAttributes {
  readonly flags: number;
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
    writeOpenAttributes(w, v, 'smb2');
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(60);
    const flags = r.u16('Flags');
    r.skip(4, 'Reserved');
    const attributes = readOpenAttributes(r, 'smb2');
    r0.pos = r.pos;
    return { flags, ...attributes };
  },
};
