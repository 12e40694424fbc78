/**
 * SMB2 QUERY_DIRECTORY request and response (MS-SMB2 §2.2.33, §2.2.34). The response's
 * OutputBuffer is a list in the requested FileInformationClass: decode it with
 * `decodeDirectoryEntries` (info/dir-info.ts); a server builds it with `fitDirectoryEntries`.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import { type Reader, utf16 } from '../wire/reader.js';
import { utf16le, type Writer } from '../wire/writer.js';

/** QUERY_DIRECTORY Flags (§2.2.33). */
export const QueryDirectoryFlags = {
  RESTART_SCANS: 0x01,
  RETURN_SINGLE_ENTRY: 0x02,
  INDEX_SPECIFIED: 0x04,
  REOPEN: 0x10,
} as const;

export interface QueryDirectoryRequest {
  /** A directory class of `FileInformationClass` (1, 2, 3, 12, 37, 38, ...). */
  readonly fileInformationClass: number;
  /** `QueryDirectoryFlags`. */
  readonly flags: number;
  /** Where to resume when INDEX_SPECIFIED is set, else 0. */
  readonly fileIndex: number;
  readonly fileId: FileId;
  /** The search pattern, e.g. `*` (may be empty). */
  readonly fileName: string;
  /** The most the client accepts in OutputBuffer. */
  readonly outputBufferLength: number;
}

export interface QueryDirectoryResponse {
  /** The entries, as `decodeDirectoryEntries(fileInformationClass, outputBuffer)` reads them. */
  readonly outputBuffer: Uint8Array;
}

const REQUEST_BUFFER = HEADER_SIZE + 32;
const RESPONSE_BUFFER = HEADER_SIZE + 8;

export const queryDirectoryRequest: BodyCodec<QueryDirectoryRequest> = {
  command: Command.QUERY_DIRECTORY,
  response: false,
  name: 'QUERY_DIRECTORY Request',
  encode(v, w) {
    const name = utf16le(v.fileName);
    w.u16(33).u8(v.fileInformationClass).u8(v.flags).u32(v.fileIndex, 'FileIndex');
    writeFileId(w, v.fileId);
    w.u16(REQUEST_BUFFER, 'FileNameOffset').u16(name.length, 'FileNameLength');
    w.u32(v.outputBufferLength, 'OutputBufferLength');
    // StructureSize 33 counts one byte of Buffer: a zero when the pattern is empty.
    if (name.length === 0) w.u8(0);
    else w.bytes(name);
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(33);
    const fileInformationClass = r.u8('FileInformationClass');
    const flags = r.u8('Flags');
    const fileIndex = r.u32('FileIndex');
    const fileId = readFileId(r);
    const nameOffset = r.u16('FileNameOffset');
    const nameLength = r.u16('FileNameLength');
    const outputBufferLength = r.u32('OutputBufferLength');
    const fileName = utf16(r.at(nameOffset, nameLength, 'FileName'), r, 'FileName');
    r0.pos = r.pos;
    return { fileInformationClass, flags, fileIndex, fileId, fileName, outputBufferLength };
  },
};

export const queryDirectoryResponse: BodyCodec<QueryDirectoryResponse> = outputBufferResponse(
  Command.QUERY_DIRECTORY,
  'QUERY_DIRECTORY Response',
);

/**
 * @internal The body shared by the QUERY_DIRECTORY, CHANGE_NOTIFY and QUERY_INFO responses:
 * StructureSize 9, OutputBufferOffset (u16), OutputBufferLength (u32), the buffer (one zero
 * byte when empty).
 */
export function writeOutputBuffer(w: Writer, buffer: Uint8Array): void {
  w.u16(9).u16(RESPONSE_BUFFER).u32(buffer.length, 'OutputBufferLength');
  if (buffer.length === 0) w.u8(0);
  else w.bytes(buffer);
}

/** @internal Reads the body `writeOutputBuffer` writes. */
export function readOutputBuffer(r: Reader): Uint8Array {
  r.structureSize(9);
  const offset = r.u16('OutputBufferOffset');
  const length = r.u32('OutputBufferLength');
  return r.at(offset, length, 'OutputBuffer');
}

/** @internal The codec of a response that is an OutputBuffer and nothing else (QUERY_DIRECTORY, QUERY_INFO). */
export function outputBufferResponse(
  command: number,
  name: string,
): BodyCodec<{ readonly outputBuffer: Uint8Array }> {
  return {
    command,
    response: true,
    name,
    encode(v, w) {
      writeOutputBuffer(w, v.outputBuffer);
    },
    decode(r0) {
      const r = r0.named(name);
      const outputBuffer = readOutputBuffer(r);
      r0.pos = r.pos;
      return { outputBuffer };
    },
  };
}
