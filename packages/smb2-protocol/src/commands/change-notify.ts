/**
 * SMB2 CHANGE_NOTIFY request and response (MS-SMB2 §2.2.35, §2.2.36); the response carries
 * FILE_NOTIFY_INFORMATION entries (MS-FSCC §2.7.1) chained by NextEntryOffset, 4-byte aligned.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command } from '../header.js';
import { decodeChain, encodeChain, fitChain } from '../info/internal.js';
import { SmbDecodeError } from '../wire/errors.js';
import { type Reader, utf16 } from '../wire/reader.js';
import { utf16le, type Writer } from '../wire/writer.js';
import { readOutputBuffer, writeOutputBuffer } from './query-directory.js';

/** CHANGE_NOTIFY Flags (§2.2.35). */
export const ChangeNotifyFlags = {
  WATCH_TREE: 0x0001,
} as const;

/** CompletionFilter bits (§2.2.35). */
export const CompletionFilter = {
  FILE_NAME: 0x00000001,
  DIR_NAME: 0x00000002,
  ATTRIBUTES: 0x00000004,
  SIZE: 0x00000008,
  LAST_WRITE: 0x00000010,
  LAST_ACCESS: 0x00000020,
  CREATION: 0x00000040,
  EA: 0x00000080,
  SECURITY: 0x00000100,
  STREAM_NAME: 0x00000200,
  STREAM_SIZE: 0x00000400,
  STREAM_WRITE: 0x00000800,
} as const;

/** FILE_NOTIFY_INFORMATION Action values (MS-FSCC §2.7.1). */
export const FileAction = {
  ADDED: 0x00000001,
  REMOVED: 0x00000002,
  MODIFIED: 0x00000003,
  RENAMED_OLD_NAME: 0x00000004,
  RENAMED_NEW_NAME: 0x00000005,
  ADDED_STREAM: 0x00000006,
  REMOVED_STREAM: 0x00000007,
  MODIFIED_STREAM: 0x00000008,
  REMOVED_BY_DELETE: 0x00000009,
  ID_NOT_TUNNELLED: 0x0000000a,
  TUNNELLED_ID_COLLISION: 0x0000000b,
} as const;

export interface ChangeNotifyRequest {
  /** `ChangeNotifyFlags`. */
  readonly flags: number;
  readonly outputBufferLength: number;
  readonly fileId: FileId;
  /** `CompletionFilter` bits. */
  readonly completionFilter: number;
}

/** One FILE_NOTIFY_INFORMATION entry. */
export interface FileNotifyInformation {
  /** `FileAction`. */
  readonly action: number;
  /** Relative to the watched directory. */
  readonly fileName: string;
}

export interface ChangeNotifyResponse {
  /** Empty when the server has no details (e.g. the changes overflowed its buffer). */
  readonly changes: readonly FileNotifyInformation[];
}

function writeNotify(w: Writer, e: FileNotifyInformation): void {
  const name = utf16le(e.fileName);
  w.u32(0).u32(e.action, 'Action').u32(name.length, 'FileNameLength').bytes(name);
}

function readNotify(r: Reader): FileNotifyInformation {
  const action = r.u32('Action');
  const length = r.u32('FileNameLength');
  return { action, fileName: utf16(r.bytesN(length, 'FileName'), r, 'FileName') };
}

/** The FILE_NOTIFY_INFORMATION list: entries but the last padded to 4 bytes. */
export function encodeFileNotifyInformation(changes: readonly FileNotifyInformation[]): Uint8Array {
  return encodeChain(changes, 4, writeNotify);
}

/** Server side: as many changes as fit in OutputBufferLength (`count` 0: answer STATUS_NOTIFY_ENUM_DIR). */
export function fitFileNotifyInformation(
  changes: readonly FileNotifyInformation[],
  outputBufferLength: number,
): { bytes: Uint8Array; count: number } {
  return fitChain(changes, 4, outputBufferLength, writeNotify);
}

/** Bounds-checked: a NextEntryOffset outside the buffer is an `SmbDecodeError`. */
export function decodeFileNotifyInformation(bytes: Uint8Array): FileNotifyInformation[] {
  return decodeChain(bytes, 'FILE_NOTIFY_INFORMATION', readNotify);
}

export const changeNotifyRequest: BodyCodec<ChangeNotifyRequest> = {
  command: Command.CHANGE_NOTIFY,
  response: false,
  name: 'CHANGE_NOTIFY Request',
  encode(v, w) {
    w.u16(32).u16(v.flags, 'Flags').u32(v.outputBufferLength, 'OutputBufferLength');
    writeFileId(w, v.fileId);
    w.u32(v.completionFilter, 'CompletionFilter').u32(0, 'Reserved');
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(32);
    const flags = r.u16('Flags');
    const outputBufferLength = r.u32('OutputBufferLength');
    const fileId = readFileId(r);
    const completionFilter = r.u32('CompletionFilter');
    r.skip(4, 'Reserved');
    r0.pos = r.pos;
    return { flags, outputBufferLength, fileId, completionFilter };
  },
};

export const changeNotifyResponse: BodyCodec<ChangeNotifyResponse> = {
  command: Command.CHANGE_NOTIFY,
  response: true,
  name: 'CHANGE_NOTIFY Response',
  encode(v, w) {
    writeOutputBuffer(w, encodeFileNotifyInformation(v.changes));
  },
  decode(r0) {
    const r = r0.named(this.name);
    const start = r.offset;
    const buffer = readOutputBuffer(r);
    let changes: FileNotifyInformation[];
    try {
      changes = decodeFileNotifyInformation(buffer);
    } catch (e) {
      // Report the entry's position in the message, not in the buffer.
      if (e instanceof SmbDecodeError) {
        const offset = new DataView(r.bytes.buffer, r.bytes.byteOffset).getUint16(r.base + start + 2, true);
        throw new SmbDecodeError(`${this.name}.${e.path}`, offset + e.offset, e.reason);
      }
      throw e;
    }
    r0.pos = r.pos;
    return { changes };
  },
};
