/** SMB2 LOCK request and response (MS-SMB2 §2.2.26, §2.2.27). */
import type { BodyCodec } from '../codec.js';
import { type FileId, readFileId, writeFileId } from '../flags.js';
import { Command } from '../header.js';
import { SmbEncodeError } from '../wire/errors.js';

/** SMB2_LOCK_ELEMENT (§2.2.26.1). */
export interface LockElement {
  readonly offset: bigint;
  readonly length: bigint;
  /** `LockFlags`: SHARED_LOCK or EXCLUSIVE_LOCK (+ FAIL_IMMEDIATELY), or UNLOCK. */
  readonly flags: number;
}

export interface LockRequest {
  /** Low 4 bits of LockSequence (3.x lock replay; 0 otherwise). */
  readonly lockSequenceNumber: number;
  /** High 28 bits of LockSequence (the index, 1..64 when used). */
  readonly lockSequenceIndex: number;
  readonly fileId: FileId;
  /** At least one. */
  readonly locks: readonly LockElement[];
}

export type LockResponse = Readonly<Record<never, never>>;

/** The most elements one request may carry here (the count is 16-bit). */
const MAX_LOCKS = 0xffff;

export const lockRequest: BodyCodec<LockRequest> = {
  command: Command.LOCK,
  response: false,
  name: 'LOCK Request',
  encode(v, w) {
    if (v.locks.length === 0 || v.locks.length > MAX_LOCKS) {
      throw new SmbEncodeError('LOCK Request.LockCount', `${v.locks.length} locks (1..${MAX_LOCKS})`);
    }
    if (v.lockSequenceNumber < 0 || v.lockSequenceNumber > 0xf || !Number.isInteger(v.lockSequenceNumber)) {
      throw new SmbEncodeError('LOCK Request.LockSequenceNumber', `${v.lockSequenceNumber} is not 4 bits`);
    }
    if (
      v.lockSequenceIndex < 0 ||
      v.lockSequenceIndex > 0x0fffffff ||
      !Number.isInteger(v.lockSequenceIndex)
    ) {
      throw new SmbEncodeError('LOCK Request.LockSequenceIndex', `${v.lockSequenceIndex} is not 28 bits`);
    }
    w.u16(48)
      .u16(v.locks.length)
      .u32(((v.lockSequenceIndex << 4) | v.lockSequenceNumber) >>> 0);
    writeFileId(w, v.fileId);
    for (const l of v.locks) {
      w.u64(l.offset, 'Lock.Offset').u64(l.length, 'Lock.Length').u32(l.flags, 'Lock.Flags').u32(0);
    }
  },
  decode(r0) {
    const r = r0.named(this.name);
    r.structureSize(48);
    const at = r.pos;
    const count = r.u16('LockCount');
    if (count === 0) r.fail('LockCount', 'must be at least 1', at);
    const sequence = r.u32('LockSequence');
    const fileId = readFileId(r);
    if (r.remaining < count * 24)
      r.fail('Locks', `${count} locks need ${count * 24} bytes, ${r.remaining} left`);
    const locks: LockElement[] = [];
    for (let i = 0; i < count; i++) {
      const offset = r.u64('Lock.Offset');
      const length = r.u64('Lock.Length');
      const flags = r.u32('Lock.Flags');
      r.skip(4, 'Lock.Reserved');
      locks.push({ offset, length, flags });
    }
    r0.pos = r.pos;
    return { lockSequenceNumber: sequence & 0xf, lockSequenceIndex: sequence >>> 4, fileId, locks };
  },
};

export const lockResponse: BodyCodec<LockResponse> = {
  command: Command.LOCK,
  response: true,
  name: 'LOCK Response',
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
