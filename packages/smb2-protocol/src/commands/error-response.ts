/**
 * The SMB2 ERROR Response (MS-SMB2 §2.2.2): the body of every failed response (and of
 * interim STATUS_PENDING responses), whatever the command. 3.1.1 servers may put a list of
 * SMB2 ERROR Contexts (§2.2.2.1) in ErrorData. The typed ErrorData formats of §2.2.2.2
 * (symbolic link, share redirect, required buffer size) decode with the helpers below.
 */
import type { BodyCodec } from '../codec.js';
import { Command } from '../header.js';
import { NtStatus } from '../status.js';
import { SmbEncodeError } from '../wire/errors.js';
import { Reader, utf16 } from '../wire/reader.js';
import { utf16le, Writer } from '../wire/writer.js';

/** ErrorId of an SMB2 ERROR Context (§2.2.2.1). */
export const ErrorId = {
  DEFAULT: 0x00000000,
  SHARE_REDIRECT: 0x72645253,
} as const;

export interface ErrorContext {
  /** `ErrorId`. */
  readonly errorId: number;
  /** ErrorContextData: formatted by the Status (DEFAULT) or by the ErrorId. */
  readonly data: Uint8Array;
}

export interface ErrorResponse {
  /**
   * ErrorData when ErrorContextCount is 0 (`ByteCount` bytes; empty for the usual error,
   * whose one pad byte is not part of it). Empty when there are contexts.
   */
  readonly errorData: Uint8Array;
  /** The SMB2 ERROR Contexts (3.1.1), each 8-byte aligned in ErrorData; empty if none. */
  readonly errorContexts: readonly ErrorContext[];
}

const NAME = 'ERROR Response';

/**
 * The ERROR Response codec for responses to `command` (the body does not depend on the
 * command; only error paths and dispatch do).
 */
export function errorResponseFor(command: number): BodyCodec<ErrorResponse> {
  return {
    command,
    response: true,
    name: NAME,
    encode(v, w) {
      if (v.errorContexts.length > 0 && v.errorData.length > 0) {
        throw new SmbEncodeError(`${NAME}.ErrorData`, 'either error contexts or plain ErrorData, not both');
      }
      if (v.errorContexts.length > 0xff)
        throw new SmbEncodeError(`${NAME}.ErrorContextCount`, 'more than 255');
      w.u16(9).u8(v.errorContexts.length).u8(0);
      const byteCountAt = w.pos;
      w.u32(0);
      const start = w.pos;
      if (v.errorContexts.length === 0) w.bytes(v.errorData);
      v.errorContexts.forEach((c, i) => {
        if (i > 0) w.align(8);
        w.u32(c.data.length, 'ErrorDataLength')
          .u32(c.errorId >>> 0, 'ErrorId')
          .bytes(c.data);
      });
      const byteCount = w.pos - start;
      w.patchU32(byteCountAt, byteCount);
      // "If the ByteCount field is zero then the server MUST supply an ErrorData field that is one byte in length."
      if (byteCount === 0) w.u8(0);
    },
    decode(r0) {
      const r = r0.named(NAME);
      r.structureSize(9);
      const count = r.u8('ErrorContextCount');
      r.skip(1, 'Reserved');
      const byteCount = r.u32('ByteCount');
      // A missing pad byte after ByteCount 0 is tolerated.
      const start = r.pos;
      r.skip(byteCount, 'ErrorData');
      if (count === 0) return { errorData: r.bytes.slice(start, start + byteCount), errorContexts: [] };
      const cr = new Reader(r.bytes, r.base, start + byteCount, `${NAME}.ErrorData`);
      cr.pos = start;
      const errorContexts: ErrorContext[] = [];
      for (let i = 0; i < count; i++) {
        const field = `ErrorContext[${i}]`;
        if (i > 0) cr.skip((8 - (cr.offset % 8)) % 8, `${field}.Padding`);
        const length = cr.u32(`${field}.ErrorDataLength`);
        const errorId = cr.u32(`${field}.ErrorId`);
        errorContexts.push({ errorId, data: cr.bytesN(length, `${field}.ErrorContextData`) });
      }
      return { errorData: new Uint8Array(0), errorContexts };
    },
  };
}

/** The ERROR Response codec as registered for no particular command (command 0xFFFF). */
export const errorResponse: BodyCodec<ErrorResponse> = errorResponseFor(0xffff);

/**
 * Whether a response with this command and Status carries an ERROR Response body rather
 * than the command's own (§3.3.4.4): every status but STATUS_SUCCESS does, except
 * MORE_PROCESSING_REQUIRED on SESSION_SETUP, BUFFER_OVERFLOW on QUERY_INFO, READ and IOCTL,
 * NOTIFY_ENUM_DIR on CHANGE_NOTIFY, and INVALID_PARAMETER on an IOCTL carrying an
 * SRV_COPYCHUNK_RESPONSE — that last one depends on the FSCTL, so for IOCTL pass the body's
 * StructureSize (49 for an IOCTL response, 9 for an error) to decide. Interim
 * STATUS_PENDING responses have an ERROR body.
 */
export function hasErrorResponseBody(command: number, status: number, structureSize?: number): boolean {
  const s = status >>> 0;
  if (s === NtStatus.SUCCESS) return false;
  if (command === Command.IOCTL && structureSize !== undefined && s !== NtStatus.PENDING)
    return structureSize !== 49;
  if (command === Command.READ && structureSize !== undefined && s !== NtStatus.PENDING)
    return structureSize !== 17;
  switch (s) {
    case NtStatus.MORE_PROCESSING_REQUIRED:
      return command !== Command.SESSION_SETUP;
    case NtStatus.BUFFER_OVERFLOW:
      return !(command === Command.QUERY_INFO || command === Command.READ || command === Command.IOCTL);
    case NtStatus.NOTIFY_ENUM_DIR:
      return command !== Command.CHANGE_NOTIFY;
    default:
      return true;
  }
}

// --- §2.2.2.2.1 Symbolic Link Error Response ---------------------------------------

/** SYMLINK_FLAG_RELATIVE: the substitute name is relative to the link's directory. */
export const SYMLINK_FLAG_RELATIVE = 0x00000001;
const SYMLINK_ERROR_TAG = 0x4c4d5953; // 'SYML'
const IO_REPARSE_TAG_SYMLINK = 0xa000000c;

export interface SymlinkErrorResponse {
  /** Bytes at the end of the original path that follow the symbolic link (not yet parsed). */
  readonly unparsedPathLength: number;
  readonly substituteName: string;
  readonly printName: string;
  /** 0 (absolute) or `SYMLINK_FLAG_RELATIVE`. */
  readonly flags: number;
}

/** Decodes the ErrorData of STATUS_STOPPED_ON_SYMLINK (or a DEFAULT error context's data). */
export function decodeSymlinkError(data: Uint8Array): SymlinkErrorResponse {
  const r = new Reader(data, 0, data.length, 'Symbolic Link Error Response');
  const symLinkLength = r.u32('SymLinkLength');
  if (symLinkLength !== data.length - 4) {
    r.fail('SymLinkLength', `is ${symLinkLength}, the response has ${data.length - 4} bytes after it`, 0);
  }
  const tag = r.u32('SymLinkErrorTag');
  if (tag !== SYMLINK_ERROR_TAG) r.fail('SymLinkErrorTag', `is 0x${tag.toString(16)}, not 0x4c4d5953`, 4);
  const reparseTag = r.u32('ReparseTag');
  if (reparseTag !== IO_REPARSE_TAG_SYMLINK) {
    r.fail('ReparseTag', `is 0x${reparseTag.toString(16)}, not IO_REPARSE_TAG_SYMLINK`, 8);
  }
  const reparseDataLength = r.u16('ReparseDataLength');
  const unparsedPathLength = r.u16('UnparsedPathLength');
  const substituteOffset = r.u16('SubstituteNameOffset');
  const substituteLength = r.u16('SubstituteNameLength');
  const printOffset = r.u16('PrintNameOffset');
  const printLength = r.u16('PrintNameLength');
  const flags = r.u32('Flags');
  const pathBuffer = r.pos;
  if (reparseDataLength !== data.length - 16) {
    r.fail('ReparseDataLength', `is ${reparseDataLength}, ${data.length - 16} bytes follow it`, 12);
  }
  const name = (offset: number, length: number, field: string): string =>
    utf16(r.at(pathBuffer + offset, length, field), r, field);
  return {
    unparsedPathLength,
    substituteName: name(substituteOffset, substituteLength, 'SubstituteName'),
    printName: name(printOffset, printLength, 'PrintName'),
    flags,
  };
}

/** Encodes a Symbolic Link Error Response (PathBuffer: the substitute name, then the print name). */
export function encodeSymlinkError(v: SymlinkErrorResponse): Uint8Array {
  const substitute = utf16le(v.substituteName);
  const print = utf16le(v.printName);
  const pathLength = substitute.length + print.length;
  if (12 + pathLength > 0xffff)
    throw new SmbEncodeError('Symbolic Link Error Response.PathBuffer', 'too long');
  const w = new Writer(28 + pathLength);
  w.u32(24 + pathLength)
    .u32(SYMLINK_ERROR_TAG)
    .u32(IO_REPARSE_TAG_SYMLINK)
    .u16(12 + pathLength);
  w.u16(v.unparsedPathLength, 'UnparsedPathLength').u16(0).u16(substitute.length);
  w.u16(substitute.length).u16(print.length).u32(v.flags, 'Flags');
  w.bytes(substitute).bytes(print);
  return w.finish();
}

/** The status-formatted ErrorData: ErrorData itself, or the first DEFAULT error context's data (3.1.1). */
function defaultErrorData(response: ErrorResponse): Uint8Array | undefined {
  if (response.errorContexts.length === 0) return response.errorData;
  return response.errorContexts.find((c) => c.errorId === ErrorId.DEFAULT)?.data;
}

/**
 * The symbolic link error of a STATUS_STOPPED_ON_SYMLINK response: in ErrorData (before
 * 3.1.1) or in the first DEFAULT error context (3.1.1); undefined if neither has one.
 */
export function symlinkErrorOf(response: ErrorResponse): SymlinkErrorResponse | undefined {
  const data = defaultErrorData(response);
  return data && data.length > 0 ? decodeSymlinkError(data) : undefined;
}

/** The minimum buffer length a STATUS_BUFFER_TOO_SMALL response names (4-byte ErrorData). */
export function requiredBufferLength(response: ErrorResponse): number | undefined {
  const data = defaultErrorData(response);
  if (data?.length !== 4) return undefined;
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
}

// --- §2.2.2.2.2 Share Redirect Error Context Response ------------------------------

/** A MOVE_DST_IPADDR (§2.2.2.2.2.1). */
export interface MoveDstIpAddr {
  /** 1 = IPv4 (4 bytes), 2 = IPv6 (16 bytes). */
  readonly type: 1 | 2;
  readonly address: Uint8Array;
}

export interface ShareRedirectError {
  readonly ipAddrMoveList: readonly MoveDstIpAddr[];
  /** The share name, as sent (UTF-16). */
  readonly resourceName: string;
}

/** Decodes the data of a SHARE_REDIRECT error context (STATUS_BAD_NETWORK_NAME in 3.1.1). */
export function decodeShareRedirectError(data: Uint8Array): ShareRedirectError {
  const r = new Reader(data, 0, data.length, 'Share Redirect Error Context Response');
  const structureSize = r.u32('StructureSize');
  if (structureSize !== 0x30) r.fail('StructureSize', `is ${structureSize}, expected 48`, 0);
  const notificationType = r.u32('NotificationType');
  if (notificationType !== 3) r.fail('NotificationType', `is ${notificationType}, expected 3`, 4);
  const nameOffset = r.u32('ResourceNameOffset');
  const nameLength = r.u32('ResourceNameLength');
  r.skip(2, 'Reserved');
  const targetType = r.u16('TargetType');
  if (targetType !== 0) r.fail('TargetType', `is ${targetType}, expected 0 (IP)`, 18);
  const n = r.u32('IPAddrCount');
  const ipAddrMoveList: MoveDstIpAddr[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const type = r.u32(`IPAddrMoveList[${i}].Type`);
    r.skip(4, `IPAddrMoveList[${i}].Reserved`);
    const raw = r.bytesN(16, `IPAddrMoveList[${i}].Address`);
    if (type === 1) ipAddrMoveList.push({ type: 1, address: raw.slice(0, 4) });
    else if (type === 2) ipAddrMoveList.push({ type: 2, address: raw });
    else r.fail(`IPAddrMoveList[${i}].Type`, `is ${type}, not 1 (IPv4) or 2 (IPv6)`, at);
  }
  return {
    ipAddrMoveList,
    resourceName: utf16(r.at(nameOffset, nameLength, 'ResourceName'), r, 'ResourceName'),
  };
}

/** Encodes a Share Redirect Error Context Response (the resource name after the address list). */
export function encodeShareRedirectError(v: ShareRedirectError): Uint8Array {
  const name = utf16le(v.resourceName);
  const nameOffset = 24 + 24 * v.ipAddrMoveList.length;
  const w = new Writer(nameOffset + name.length);
  w.u32(0x30).u32(3).u32(nameOffset).u32(name.length).u16(0).u16(0).u32(v.ipAddrMoveList.length);
  for (const a of v.ipAddrMoveList) {
    if (a.address.length !== (a.type === 1 ? 4 : 16)) {
      throw new SmbEncodeError(
        'Share Redirect Error.IPAddrMoveList',
        `a type ${a.type} address of ${a.address.length} bytes`,
      );
    }
    w.u32(a.type)
      .u32(0)
      .bytes(a.address)
      .zeros(16 - a.address.length);
  }
  w.bytes(name);
  return w.finish();
}
