/**
 * SMB2 IOCTL request and response (MS-SMB2 §2.2.31, §2.2.32). Input and output are raw
 * bytes here; `fsctl.ts` has the typed payloads of the FSCTLs SMB2 itself defines.
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command, HEADER_SIZE } from '../header.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export interface IoctlRequest {
  /** `Fsctl.*` code. */
  readonly ctlCode: number;
  /** `ANY_FILE_ID` for FSCTLs on the tree (DFS referrals, VALIDATE_NEGOTIATE_INFO...). */
  readonly fileId: FileId;
  readonly input: Uint8Array;
  readonly maxInputResponse: number;
  /** Output sent to the server (almost always empty). */
  readonly output: Uint8Array;
  readonly maxOutputResponse: number;
  /** `IoctlFlags` (IS_FSCTL). */
  readonly flags: number;
}

export interface IoctlResponse {
  readonly ctlCode: number;
  readonly fileId: FileId;
  /** Input echoed back (usually empty). */
  readonly input: Uint8Array;
  readonly output: Uint8Array;
  readonly flags: number;
}

/** Header + 56 fixed bytes (request), + 48 (response): where the buffers start. */
const REQUEST_BUFFER = HEADER_SIZE + 56;
const RESPONSE_BUFFER = HEADER_SIZE + 48;

/**
 * Input at the buffer's start, output after it (8-byte aligned). An empty buffer's offset is
 * the buffer start (as Samba and Windows write it). A request whose input and output are
 * both empty gets one zero byte of buffer (its Buffer may not be empty).
 */
function layout(start: number, input: Uint8Array, output: Uint8Array) {
  const inputOffset = start;
  const outputOffset =
    output.length > 0 && input.length > 0 ? Math.ceil((start + input.length) / 8) * 8 : start;
  return { inputOffset, outputOffset };
}

/**
 * The body both directions share: StructureSize, CtlCode, FileId, the input and output
 * (Offset, Count) pairs, Flags, then the buffers. Only the request has `max` (its
 * MaxInputResponse and MaxOutputResponse) and the dummy byte of an empty buffer.
 */
function encodeIoctl(
  w: Writer,
  v: IoctlResponse,
  max?: { readonly input: number; readonly output: number },
): void {
  const { inputOffset, outputOffset } = layout(max ? REQUEST_BUFFER : RESPONSE_BUFFER, v.input, v.output);
  w.u16(max ? 57 : 49)
    .u16(0)
    .u32(v.ctlCode >>> 0, 'CtlCode');
  writeFileId(w, v.fileId);
  w.u32(inputOffset).u32(v.input.length, 'InputCount');
  if (max) w.u32(max.input, 'MaxInputResponse');
  w.u32(outputOffset).u32(v.output.length, 'OutputCount');
  if (max) w.u32(max.output, 'MaxOutputResponse');
  w.u32(v.flags, 'Flags').u32(0);
  w.bytes(v.input);
  if (v.output.length > 0) w.zeros(outputOffset - HEADER_SIZE - w.pos).bytes(v.output);
  if (max && v.input.length === 0 && v.output.length === 0) w.u8(0);
}

/** Reads what `encodeIoctl` writes; the Max fields are 0 for a response. */
function decodeIoctl(r0: Reader, name: string, request: boolean): IoctlRequest {
  const r = r0.named(name);
  r.structureSize(request ? 57 : 49);
  r.skip(2, 'Reserved');
  const ctlCode = r.u32('CtlCode');
  const fileId = readFileId(r);
  const inputOffset = r.u32('InputOffset');
  const inputCount = r.u32('InputCount');
  const maxInputResponse = request ? r.u32('MaxInputResponse') : 0;
  const outputOffset = r.u32('OutputOffset');
  const outputCount = r.u32('OutputCount');
  const maxOutputResponse = request ? r.u32('MaxOutputResponse') : 0;
  const flags = r.u32('Flags');
  r.skip(4, 'Reserved2');
  const input = r.at(inputOffset, inputCount, 'Input');
  const output = r.at(outputOffset, outputCount, 'Output');
  r0.pos =
    r0.base +
    Math.max(
      r.offset,
      inputCount > 0 ? inputOffset + inputCount : 0,
      outputCount > 0 ? outputOffset + outputCount : 0,
    );
  return { ctlCode, fileId, input, maxInputResponse, output, maxOutputResponse, flags };
}

export const ioctlRequest: BodyCodec<IoctlRequest> = {
  command: Command.IOCTL,
  response: false,
  name: 'IOCTL Request',
  encode(v, w) {
    encodeIoctl(w, v, { input: v.maxInputResponse, output: v.maxOutputResponse });
  },
  decode(r0) {
    return decodeIoctl(r0, this.name, true);
  },
};

export const ioctlResponse: BodyCodec<IoctlResponse> = {
  command: Command.IOCTL,
  response: true,
  name: 'IOCTL Response',
  encode(v, w) {
    encodeIoctl(w, v);
  },
  decode(r0) {
    const { ctlCode, fileId, input, output, flags } = decodeIoctl(r0, this.name, false);
    return { ctlCode, fileId, input, output, flags };
  },
};
