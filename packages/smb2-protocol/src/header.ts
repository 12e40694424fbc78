/** The SMB2 packet header (MS-SMB2 §2.2.1), sync and async forms. */
import type { Reader } from './wire/reader.js';
import type { Writer } from './wire/writer.js';

export const HEADER_SIZE = 64;
/** 0xFE 'S' 'M' 'B'. */
export const PROTOCOL_ID = Uint8Array.of(0xfe, 0x53, 0x4d, 0x42);

/** SMB2 commands (§2.2.1.2). */
export const Command = {
  NEGOTIATE: 0x0000,
  SESSION_SETUP: 0x0001,
  LOGOFF: 0x0002,
  TREE_CONNECT: 0x0003,
  TREE_DISCONNECT: 0x0004,
  CREATE: 0x0005,
  CLOSE: 0x0006,
  FLUSH: 0x0007,
  READ: 0x0008,
  WRITE: 0x0009,
  LOCK: 0x000a,
  IOCTL: 0x000b,
  CANCEL: 0x000c,
  ECHO: 0x000d,
  QUERY_DIRECTORY: 0x000e,
  CHANGE_NOTIFY: 0x000f,
  QUERY_INFO: 0x0010,
  SET_INFO: 0x0011,
  OPLOCK_BREAK: 0x0012,
  SERVER_TO_CLIENT_NOTIFICATION: 0x0013,
} as const;
export type Command = (typeof Command)[keyof typeof Command];

const COMMAND_NAMES = new Map<number, string>(Object.entries(Command).map(([k, v]) => [v, k]));
export const commandName = (c: number): string =>
  COMMAND_NAMES.get(c) ?? `0x${c.toString(16).padStart(4, '0')}`;

/** Header flags (§2.2.1.2). */
export const HeaderFlags = {
  SERVER_TO_REDIR: 0x00000001,
  ASYNC_COMMAND: 0x00000002,
  RELATED_OPERATIONS: 0x00000004,
  SIGNED: 0x00000008,
  PRIORITY_MASK: 0x00000070,
  DFS_OPERATIONS: 0x10000000,
  REPLAY_OPERATION: 0x20000000,
} as const;

export interface Smb2Header {
  /** Credits this request consumes (1 per 64 KiB of payload, §3.1.5.2). */
  readonly creditCharge: number;
  /**
   * NTSTATUS in responses. In 3.x requests the same four bytes are ChannelSequence (low 16
   * bits) and Reserved.
   */
  readonly status: number;
  readonly command: number;
  /** CreditRequest (request) or CreditResponse (response). */
  readonly credits: number;
  readonly flags: number;
  /** Offset of the next message of a compound from this header, 0 for the last. */
  readonly nextCommand: number;
  readonly messageId: bigint;
  /** Sync form: Reserved (the process id of SMB 2.0.2) and TreeId. */
  readonly reserved?: number;
  readonly treeId?: number;
  /** Async form (`flags & ASYNC_COMMAND`): the AsyncId. */
  readonly asyncId?: bigint;
  readonly sessionId: bigint;
  /** 16 bytes; zeros unless signed. */
  readonly signature: Uint8Array;
}

export const isResponse = (h: Pick<Smb2Header, 'flags'>): boolean =>
  (h.flags & HeaderFlags.SERVER_TO_REDIR) !== 0;
export const isAsync = (h: Pick<Smb2Header, 'flags'>): boolean => (h.flags & HeaderFlags.ASYNC_COMMAND) !== 0;

/** Reads the 64-byte header at `r.base`. */
export function readHeader(r: Reader): Smb2Header {
  const h = r.named('SMB2 Header');
  h.seek(0, 'ProtocolId');
  for (let i = 0; i < 4; i++) {
    if (h.u8('ProtocolId') !== PROTOCOL_ID[i])
      h.fail('ProtocolId', 'not an SMB2 message (expected FE 53 4D 42)', h.base);
  }
  h.structureSize(64);
  const creditCharge = h.u16('CreditCharge');
  const status = h.u32('Status');
  const command = h.u16('Command');
  const credits = h.u16('CreditRequest/Response');
  const flags = h.u32('Flags');
  const nextCommand = h.u32('NextCommand');
  const messageId = h.u64('MessageId');
  let ids: { reserved: number; treeId: number } | { asyncId: bigint };
  if ((flags & HeaderFlags.ASYNC_COMMAND) !== 0) ids = { asyncId: h.u64('AsyncId') };
  else ids = { reserved: h.u32('Reserved'), treeId: h.u32('TreeId') };
  const sessionId = h.u64('SessionId');
  const signature = h.bytesN(16, 'Signature');
  r.pos = h.pos;
  return {
    creditCharge,
    status,
    command,
    credits,
    flags,
    nextCommand,
    messageId,
    ...ids,
    sessionId,
    signature,
  };
}

/** Writes the 64-byte header. */
export function writeHeader(w: Writer, h: Smb2Header): void {
  w.bytes(PROTOCOL_ID)
    .u16(64)
    .u16(h.creditCharge, 'CreditCharge')
    .u32(h.status >>> 0, 'Status');
  w.u16(h.command, 'Command')
    .u16(h.credits, 'Credits')
    .u32(h.flags >>> 0, 'Flags');
  w.u32(h.nextCommand, 'NextCommand').u64(h.messageId, 'MessageId');
  if ((h.flags & HeaderFlags.ASYNC_COMMAND) !== 0) w.u64(h.asyncId ?? 0n, 'AsyncId');
  else w.u32(h.reserved ?? 0, 'Reserved').u32(h.treeId ?? 0, 'TreeId');
  w.u64(h.sessionId, 'SessionId');
  if (h.signature.length !== 16) throw new RangeError('SMB2 header signature must be 16 bytes');
  w.bytes(h.signature);
}
