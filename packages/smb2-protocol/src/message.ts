/**
 * Whole SMB2 messages: header + body, dispatched on (Command, response flag) to the body
 * codecs, with the ERROR Response body recognised where MS-SMB2 §3.3.4.4 puts it; and
 * frames of compounded messages.
 */
import type { BodyCodec, DecodeOptions } from './codec.js';
import { cancelRequest } from './commands/cancel.js';
import { changeNotifyRequest, changeNotifyResponse } from './commands/change-notify.js';
import { closeRequest, closeResponse } from './commands/close.js';
import { createRequest, createResponse } from './commands/create.js';
import { echoRequest, echoResponse } from './commands/echo.js';
import { type ErrorResponse, errorResponseFor, hasErrorResponseBody } from './commands/error-response.js';
import { flushRequest, flushResponse } from './commands/flush.js';
import { ioctlRequest, ioctlResponse } from './commands/ioctl.js';
import { lockRequest, lockResponse } from './commands/lock.js';
import { logoffRequest, logoffResponse } from './commands/logoff.js';
import { negotiateRequest, negotiateResponse } from './commands/negotiate.js';
import { oplockBreakRequest, oplockBreakResponse } from './commands/oplock-break.js';
import { queryDirectoryRequest, queryDirectoryResponse } from './commands/query-directory.js';
import { queryInfoRequest, queryInfoResponse } from './commands/query-info.js';
import { readRequest, readResponse } from './commands/read.js';
import { sessionSetupRequest, sessionSetupResponse } from './commands/session-setup.js';
import { setInfoRequest, setInfoResponse } from './commands/set-info.js';
import { treeConnectRequest, treeConnectResponse } from './commands/tree-connect.js';
import { treeDisconnectRequest, treeDisconnectResponse } from './commands/tree-disconnect.js';
import { writeRequest, writeResponse } from './commands/write.js';
import { type MessageSpan, splitCompound } from './compound.js';
import {
  Command,
  commandName,
  HEADER_SIZE,
  isResponse,
  readHeader,
  type Smb2Header,
  writeHeader,
} from './header.js';
import { SmbDecodeError } from './wire/errors.js';
import { Reader } from './wire/reader.js';
import { Writer } from './wire/writer.js';

const CODECS: readonly BodyCodec<unknown>[] = [
  negotiateRequest,
  negotiateResponse,
  sessionSetupRequest,
  sessionSetupResponse,
  logoffRequest,
  logoffResponse,
  treeConnectRequest,
  treeConnectResponse,
  treeDisconnectRequest,
  treeDisconnectResponse,
  createRequest,
  createResponse,
  closeRequest,
  closeResponse,
  flushRequest,
  flushResponse,
  readRequest,
  readResponse,
  writeRequest,
  writeResponse,
  lockRequest,
  lockResponse,
  ioctlRequest,
  ioctlResponse,
  cancelRequest,
  echoRequest,
  echoResponse,
  queryDirectoryRequest,
  queryDirectoryResponse,
  changeNotifyRequest,
  changeNotifyResponse,
  queryInfoRequest,
  queryInfoResponse,
  setInfoRequest,
  setInfoResponse,
  oplockBreakRequest,
  oplockBreakResponse,
] as readonly BodyCodec<unknown>[];

const key = (command: number, response: boolean): number => command * 2 + (response ? 1 : 0);
const TABLE = new Map<number, BodyCodec<unknown>>(CODECS.map((c) => [key(c.command, c.response), c]));
const ERROR_CODECS = new Map<number, BodyCodec<ErrorResponse>>(
  Object.values(Command).map((c) => [c, errorResponseFor(c)]),
);

/** The codec for a command's request or response body (undefined for CANCEL responses and unknown commands). */
export function bodyCodec(command: number, response: boolean): BodyCodec<unknown> | undefined {
  return TABLE.get(key(command, response));
}

/** One decoded message. `error` is set (and `body` is the ERROR Response) when the response carries one. */
export interface DecodedMessage {
  readonly header: Smb2Header;
  readonly body: unknown;
  /** The codec that decoded `body`. */
  readonly codec: BodyCodec<unknown>;
  /** True when `body` is an ERROR Response (§2.2.2). */
  readonly isError: boolean;
  /** Where the message lies in the frame, `[start, end)` (for a compound, up to the next message). */
  readonly span: MessageSpan;
}

/** Decodes the message at `span` of `frame` (default: the whole frame). `SmbDecodeError` for anything malformed. */
export function decodeMessage(
  frame: Uint8Array,
  span: MessageSpan = { start: 0, end: frame.length },
  options: DecodeOptions = {},
): DecodedMessage {
  const r = new Reader(frame, span.start, span.end);
  const header = readHeader(r);
  const response = isResponse(header);
  let codec: BodyCodec<unknown> | undefined;
  let isError = false;
  if (response) {
    const structureSize =
      r.remaining >= 2 ? (frame[r.pos] as number) | ((frame[r.pos + 1] as number) << 8) : undefined;
    if (structureSize === 9 && hasErrorResponseBody(header.command, header.status, structureSize)) {
      codec = ERROR_CODECS.get(header.command) ?? errorResponseFor(header.command);
      isError = true;
    }
  }
  codec ??= bodyCodec(header.command, response);
  if (codec === undefined) {
    throw new SmbDecodeError(
      'SMB2 Header.Command',
      12,
      `no ${response ? 'response' : 'request'} body for command ${commandName(header.command)}`,
    );
  }
  const body = codec.decode(r, options);
  return { header, body, codec, isError, span };
}

/** Decodes every message of a frame (a single message or a compound). */
export function decodeFrame(frame: Uint8Array, options: DecodeOptions = {}): DecodedMessage[] {
  return splitCompound(frame).map((span) => decodeMessage(frame, span, options));
}

/** Encodes one message: the header, then `body` with `codec`. */
export function encodeMessage<T>(header: Smb2Header, codec: BodyCodec<T>, body: T): Uint8Array {
  // Body offsets count from the header, and the codec's writer starts at the body.
  const bw = new Writer();
  codec.encode(body, bw);
  const bodyBytes = bw.finish();
  const w = new Writer(HEADER_SIZE + bodyBytes.length);
  writeHeader(w, header);
  w.bytes(bodyBytes);
  return w.finish();
}
