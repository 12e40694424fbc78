/** SMB2 CREATE request and response (MS-SMB2 §2.2.13, §2.2.14). */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import { type FileOpenAttributes, readOpenAttributes, writeOpenAttributes } from '../info/internal.js';
import { utf16 } from '../wire/reader.js';
import { utf16le } from '../wire/writer.js';
import {
  type CreateRequestContext,
  type CreateResponseContext,
  decodeRequestContext,
  decodeResponseContext,
  encodeRequestContext,
  encodeResponseContext,
  readCreateContextList,
  writeCreateContextList,
} from './create-contexts.js';

export interface CreateRequest {
  /** Reserved, 0; present only when nonzero. */
  readonly securityFlags?: number;
  /** `OplockLevel`. */
  readonly requestedOplockLevel: number;
  /** `ImpersonationLevel`. */
  readonly impersonationLevel: number;
  /** Reserved, 0; present only when nonzero. */
  readonly smbCreateFlags?: bigint;
  /** `AccessMask` bits. */
  readonly desiredAccess: number;
  /** `FileAttributes`. */
  readonly fileAttributes: number;
  /** `ShareAccess` bits. */
  readonly shareAccess: number;
  /** `CreateDisposition`. */
  readonly createDisposition: number;
  /** `CreateOptions` bits. */
  readonly createOptions: number;
  /** Path relative to the share, `\`-separated, no leading `\`; empty for the share's root. */
  readonly name: string;
  readonly createContexts: readonly CreateRequestContext[];
  /**
   * Bytes after the Name when no contexts follow, kept for byte-exact re-encoding (Samba
   * pads some names with 2 zero bytes). Absent means the default: one zero byte after an
   * empty name (the buffer may not be empty, as Windows sends it), nothing otherwise.
   */
  readonly namePadding?: Uint8Array;
}

/** The times are unsigned FILETIMEs (100 ns since 1601). */
export interface CreateResponse extends FileOpenAttributes {
  /** `OplockLevel` granted (LEASE with an RqLs context). */
  readonly oplockLevel: number;
  /** `CreateResponseFlags` (REPARSEPOINT, 3.x). */
  readonly flags: number;
  /** `CreateAction`. */
  readonly createAction: number;
  readonly fileId: FileId;
  readonly createContexts: readonly CreateResponseContext[];
}

/** Where the request's buffer starts: header + 56 fixed bytes. */
const REQUEST_BUFFER = HEADER_SIZE + 56;
const DUMMY = Uint8Array.of(0);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export const createRequest: BodyCodec<CreateRequest> = {
  command: Command.CREATE,
  response: false,
  name: 'CREATE Request',
  encode(v, w) {
    const name = utf16le(v.name);
    w.u16(57)
      .u8(v.securityFlags ?? 0)
      .u8(v.requestedOplockLevel);
    w.u32(v.impersonationLevel, 'ImpersonationLevel')
      .u64(v.smbCreateFlags ?? 0n, 'SmbCreateFlags')
      .zeros(8);
    w.u32(v.desiredAccess >>> 0, 'DesiredAccess').u32(v.fileAttributes, 'FileAttributes');
    w.u32(v.shareAccess, 'ShareAccess').u32(v.createDisposition, 'CreateDisposition');
    w.u32(v.createOptions, 'CreateOptions');
    w.u16(REQUEST_BUFFER).u16(name.length, 'NameLength');
    const ctxAt = w.pos;
    w.u32(0).u32(0);
    w.bytes(name);
    if (v.createContexts.length > 0) {
      w.align(8);
      const start = w.pos;
      writeCreateContextList(w, v.createContexts.map(encodeRequestContext));
      w.patchU32(ctxAt, HEADER_SIZE + start);
      w.patchU32(ctxAt + 4, w.pos - start);
    } else {
      w.bytes(v.namePadding ?? (name.length === 0 ? DUMMY : new Uint8Array(0)));
    }
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(57);
    const securityFlags = r.u8('SecurityFlags');
    const requestedOplockLevel = r.u8('RequestedOplockLevel');
    const impersonationLevel = r.u32('ImpersonationLevel');
    const smbCreateFlags = r.u64('SmbCreateFlags');
    r.skip(8, 'Reserved');
    const desiredAccess = r.u32('DesiredAccess');
    const fileAttributes = r.u32('FileAttributes');
    const shareAccess = r.u32('ShareAccess');
    const createDisposition = r.u32('CreateDisposition');
    const createOptions = r.u32('CreateOptions');
    const nameOffset = r.u16('NameOffset');
    const nameLength = r.u16('NameLength');
    const contextsOffset = r.u32('CreateContextsOffset');
    const contextsLength = r.u32('CreateContextsLength');
    const name = utf16(r.at(nameOffset, nameLength, 'Name'), r, 'Name');
    const createContexts = readCreateContextList(r, contextsOffset, contextsLength).map(decodeRequestContext);
    let end = Math.max(r.offset, nameLength > 0 ? nameOffset + nameLength : 0);
    let namePadding: Uint8Array | undefined;
    if (contextsLength === 0) {
      const pad = r.at(end, r.end - r.base - end, 'Buffer');
      if (!sameBytes(pad, nameLength === 0 ? DUMMY : new Uint8Array(0))) namePadding = pad;
      end += pad.length;
    } else {
      end = Math.max(end, contextsOffset + contextsLength);
    }
    r0.pos = r0.base + end;
    return {
      ...(securityFlags !== 0 ? { securityFlags } : {}),
      requestedOplockLevel,
      impersonationLevel,
      ...(smbCreateFlags !== 0n ? { smbCreateFlags } : {}),
      desiredAccess,
      fileAttributes,
      shareAccess,
      createDisposition,
      createOptions,
      name,
      createContexts,
      ...(namePadding !== undefined ? { namePadding } : {}),
    };
  },
};

export const createResponse: BodyCodec<CreateResponse> = {
  command: Command.CREATE,
  response: true,
  name: 'CREATE Response',
  encode(v, w) {
    w.u16(89).u8(v.oplockLevel).u8(v.flags).u32(v.createAction, 'CreateAction');
    writeOpenAttributes(w, v, 'smb2');
    w.u32(0);
    writeFileId(w, v.fileId);
    const ctxAt = w.pos;
    w.u32(0).u32(0);
    if (v.createContexts.length > 0) {
      const start = w.pos;
      writeCreateContextList(w, v.createContexts.map(encodeResponseContext));
      w.patchU32(ctxAt, HEADER_SIZE + start);
      w.patchU32(ctxAt + 4, w.pos - start);
    }
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(89);
    const oplockLevel = r.u8('OplockLevel');
    const flags = r.u8('Flags');
    const createAction = r.u32('CreateAction');
    const attributes = readOpenAttributes(r, 'smb2');
    r.skip(4, 'Reserved2');
    const fileId = readFileId(r);
    const contextsOffset = r.u32('CreateContextsOffset');
    const contextsLength = r.u32('CreateContextsLength');
    const createContexts = readCreateContextList(r, contextsOffset, contextsLength).map(
      decodeResponseContext,
    );
    r0.pos = r0.base + Math.max(r.offset, contextsLength > 0 ? contextsOffset + contextsLength : 0);
    return {
      oplockLevel,
      flags,
      createAction,
      ...attributes,
      fileId,
      createContexts,
    };
  },
};
