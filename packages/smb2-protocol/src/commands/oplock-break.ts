/**
 * SMB2 OPLOCK_BREAK (MS-SMB2 §2.2.23–2.2.25): the oplock break notification,
 * acknowledgment and response (StructureSize 24, one layout), and the lease break
 * notification (44) and lease break acknowledgment and response (36, one layout).
 * `oplockBreakRequest`/`oplockBreakResponse` tell the forms apart by StructureSize; a
 * notification and a response of the oplock form differ only in the header (a notification
 * has MessageId 0xFFFFFFFFFFFFFFFF).
 */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeExact, writeFileId } from '../flags.js';
import { Command } from '../header.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

/** The MessageId of an unsolicited break notification. */
export const OPLOCK_BREAK_MESSAGE_ID = 0xffffffffffffffffn;

/** Oplock break notification, acknowledgment or response (§2.2.23.1, §2.2.24.1, §2.2.25.1). */
export interface OplockBreak {
  /** `OplockLevel`: the level broken to (notification), accepted (ack), granted (response). */
  readonly oplockLevel: number;
  readonly fileId: FileId;
}

/** Lease break notification (§2.2.23.2). */
export interface LeaseBreakNotification {
  readonly newEpoch: number;
  /** `LeaseBreakFlags` (ACK_REQUIRED). */
  readonly flags: number;
  /** 16 bytes. */
  readonly leaseKey: Uint8Array;
  /** `LeaseState` bits. */
  readonly currentLeaseState: number;
  readonly newLeaseState: number;
  /** Reserved fields of the notification (0). */
  readonly breakReason: number;
  readonly accessMaskHint: number;
  readonly shareMaskHint: number;
}

/** Lease break acknowledgment or response (§2.2.24.2, §2.2.25.2). */
export interface LeaseBreakAck {
  readonly flags: number;
  /** 16 bytes. */
  readonly leaseKey: Uint8Array;
  readonly leaseState: number;
  readonly leaseDuration: bigint;
}

export type OplockBreakRequest =
  | ({ readonly kind: 'oplock' } & OplockBreak)
  | ({ readonly kind: 'lease' } & LeaseBreakAck);
export type OplockBreakResponse =
  | ({ readonly kind: 'oplock' } & OplockBreak)
  | ({ readonly kind: 'leaseNotification' } & LeaseBreakNotification)
  | ({ readonly kind: 'lease' } & LeaseBreakAck);

function encodeOplock(v: OplockBreak, w: Writer): void {
  w.u16(24).u8(v.oplockLevel).u8(0).u32(0);
  writeFileId(w, v.fileId);
}

function decodeOplock(r0: Reader, name: string): OplockBreak {
  const r = r0.named(name);
  r.structureSize(24);
  const oplockLevel = r.u8('OplockLevel');
  r.skip(1, 'Reserved');
  r.skip(4, 'Reserved2');
  const fileId = readFileId(r);
  r0.pos = r.pos;
  return { oplockLevel, fileId };
}

function encodeLeaseAck(v: LeaseBreakAck, w: Writer): void {
  w.u16(36).u16(0).u32(v.flags, 'Flags');
  writeExact(w, v.leaseKey, 16, 'LeaseKey');
  w.u32(v.leaseState, 'LeaseState').u64(v.leaseDuration, 'LeaseDuration');
}

function decodeLeaseAck(r0: Reader, name: string): LeaseBreakAck {
  const r = r0.named(name);
  r.structureSize(36);
  r.skip(2, 'Reserved');
  const flags = r.u32('Flags');
  const leaseKey = r.bytesN(16, 'LeaseKey');
  const leaseState = r.u32('LeaseState');
  const leaseDuration = r.u64('LeaseDuration');
  r0.pos = r.pos;
  return { flags, leaseKey, leaseState, leaseDuration };
}

function peekStructureSize(r: Reader, name: string): number {
  return r.named(name).u16('StructureSize');
}

export const oplockBreakNotification: BodyCodec<OplockBreak> = {
  command: Command.OPLOCK_BREAK,
  response: true,
  name: 'OPLOCK_BREAK Notification',
  encode: encodeOplock,
  decode(r) {
    return decodeOplock(r, this.name);
  },
};

export const oplockBreakAcknowledgment: BodyCodec<OplockBreak> = {
  command: Command.OPLOCK_BREAK,
  response: false,
  name: 'OPLOCK_BREAK Acknowledgment',
  encode: encodeOplock,
  decode(r) {
    return decodeOplock(r, this.name);
  },
};

export const oplockBreakAckResponse: BodyCodec<OplockBreak> = {
  command: Command.OPLOCK_BREAK,
  response: true,
  name: 'OPLOCK_BREAK Response',
  encode: encodeOplock,
  decode(r) {
    return decodeOplock(r, this.name);
  },
};

export const leaseBreakNotification: BodyCodec<LeaseBreakNotification> = {
  command: Command.OPLOCK_BREAK,
  response: true,
  name: 'LEASE_BREAK Notification',
  encode(v, w) {
    w.u16(44).u16(v.newEpoch, 'NewEpoch').u32(v.flags, 'Flags');
    writeExact(w, v.leaseKey, 16, 'LeaseKey');
    w.u32(v.currentLeaseState, 'CurrentLeaseState').u32(v.newLeaseState, 'NewLeaseState');
    w.u32(v.breakReason, 'BreakReason')
      .u32(v.accessMaskHint, 'AccessMaskHint')
      .u32(v.shareMaskHint, 'ShareMaskHint');
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(44);
    const newEpoch = r.u16('NewEpoch');
    const flags = r.u32('Flags');
    const leaseKey = r.bytesN(16, 'LeaseKey');
    const currentLeaseState = r.u32('CurrentLeaseState');
    const newLeaseState = r.u32('NewLeaseState');
    const breakReason = r.u32('BreakReason');
    const accessMaskHint = r.u32('AccessMaskHint');
    const shareMaskHint = r.u32('ShareMaskHint');
    r0.pos = r.pos;
    return {
      newEpoch,
      flags,
      leaseKey,
      currentLeaseState,
      newLeaseState,
      breakReason,
      accessMaskHint,
      shareMaskHint,
    };
  },
};

export const leaseBreakAcknowledgment: BodyCodec<LeaseBreakAck> = {
  command: Command.OPLOCK_BREAK,
  response: false,
  name: 'LEASE_BREAK Acknowledgment',
  encode: encodeLeaseAck,
  decode(r) {
    return decodeLeaseAck(r, this.name);
  },
};

export const leaseBreakAckResponse: BodyCodec<LeaseBreakAck> = {
  command: Command.OPLOCK_BREAK,
  response: true,
  name: 'LEASE_BREAK Response',
  encode: encodeLeaseAck,
  decode(r) {
    return decodeLeaseAck(r, this.name);
  },
};

/** Client to server: an oplock (24) or lease (36) break acknowledgment. */
export const oplockBreakRequest: BodyCodec<OplockBreakRequest> = {
  command: Command.OPLOCK_BREAK,
  response: false,
  name: 'OPLOCK_BREAK Request',
  encode(v, w) {
    if (v.kind === 'oplock') encodeOplock(v, w);
    else encodeLeaseAck(v, w);
  },
  decode(r) {
    const size = peekStructureSize(r, this.name);
    if (size === 36) return { kind: 'lease', ...decodeLeaseAck(r, 'LEASE_BREAK Acknowledgment') };
    return { kind: 'oplock', ...decodeOplock(r, 'OPLOCK_BREAK Acknowledgment') };
  },
};

/** Server to client: an oplock break notification or response (24), a lease break notification (44) or response (36). */
export const oplockBreakResponse: BodyCodec<OplockBreakResponse> = {
  command: Command.OPLOCK_BREAK,
  response: true,
  name: 'OPLOCK_BREAK Response',
  encode(v, w) {
    if (v.kind === 'oplock') encodeOplock(v, w);
    else if (v.kind === 'lease') encodeLeaseAck(v, w);
    else {
      const { kind: _k, ...rest } = v;
      leaseBreakNotification.encode(rest, w);
    }
  },
  decode(r) {
    const size = peekStructureSize(r, this.name);
    if (size === 44) return { kind: 'leaseNotification', ...leaseBreakNotification.decode(r) };
    if (size === 36) return { kind: 'lease', ...decodeLeaseAck(r, 'LEASE_BREAK Response') };
    return { kind: 'oplock', ...decodeOplock(r, 'OPLOCK_BREAK Response') };
  },
};
