/** SMB2 FLUSH request and response (MS-SMB2 §2.2.17, §2.2.18). */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command } from '../header.js';

export interface FlushRequest {
  readonly fileId: FileId;
}

/** The response carries nothing but its StructureSize. */
export type FlushResponse = Readonly<Record<never, never>>;

export const flushRequest: BodyCodec<FlushRequest> = {
  command: Command.FLUSH,
  response: false,
  name: 'FLUSH Request',
  encode(v, w) {
    w.u16(24).u16(0).u32(0);
    writeFileId(w, v.fileId);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(24);
    r.skip(2, 'Reserved1');
    r.skip(4, 'Reserved2');
    const fileId = readFileId(r);
    r0.pos = r.pos;
    return { fileId };
  },
};

export const flushResponse: BodyCodec<FlushResponse> = {
  command: Command.FLUSH,
  response: true,
  name: 'FLUSH Response',
  encode(_v, w) {
    w.u16(4).u16(0);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(4);
    r.skip(2, 'Reserved');
    r0.pos = r.pos;
    return {};
  },
};
