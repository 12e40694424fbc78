/**
 * Byte-range locks of one file (MS-FSA §2.1.5.7 lock, §2.1.4.10 I/O check). Owners are
 * opens (any object); ranges are 64-bit `[offset, offset + length)`. A zero-length lock at X
 * conflicts with a lock whose range holds X strictly inside (Windows' rule, which
 * smbtorture's smb2.lock.zerobytelength checks), never with another zero-length lock; for
 * I/O it overlaps nothing.
 */
import { NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError } from './errors.js';

/** STATUS_INVALID_LOCK_RANGE (MS-ERREF): offset + length beyond 2^64. */
export const STATUS_INVALID_LOCK_RANGE = 0xc00001a1;
const U64_END = 1n << 64n;

export interface ByteRangeLock {
  readonly owner: object;
  readonly offset: bigint;
  readonly length: bigint;
  readonly exclusive: boolean;
}

interface Waiter {
  readonly lock: ByteRangeLock;
  resolve(): void;
  reject(e: unknown): void;
}

const overlaps = (a: { offset: bigint; length: bigint }, offset: bigint, length: bigint): boolean =>
  a.length > 0n && length > 0n && a.offset < offset + length && offset < a.offset + a.length;

/** Whether two lock ranges contend: plain overlap, or a zero-length one strictly inside the other. */
export function rangesContend(
  a: { offset: bigint; length: bigint },
  b: { offset: bigint; length: bigint },
): boolean {
  if (a.length === 0n && b.length === 0n) return false;
  if (a.length === 0n) return b.offset < a.offset && a.offset < b.offset + b.length;
  if (b.length === 0n) return a.offset < b.offset && b.offset < a.offset + a.length;
  return overlaps(a, b.offset, b.length);
}

export function checkRange(offset: bigint, length: bigint): void {
  if (offset < 0n || length < 0n || offset + length > U64_END) {
    throw new SmbStatusError(STATUS_INVALID_LOCK_RANGE, 'lock range beyond 2^64');
  }
}

export class LockTable {
  readonly #locks: ByteRangeLock[] = [];
  readonly #waiters: Waiter[] = [];

  get size(): number {
    return this.#locks.length;
  }

  /** The locks held, in the order granted. */
  list(): readonly ByteRangeLock[] {
    return [...this.#locks];
  }

  #conflicts(l: ByteRangeLock): boolean {
    return this.#locks.some(
      (e) => rangesContend(e, l) && (l.exclusive || (e.exclusive && e.owner !== l.owner)),
    );
  }

  /**
   * Takes the lock or fails: an exclusive lock conflicts with every overlapping lock, a shared
   * one with overlapping exclusive locks of other owners. With `wait`, a conflicting request
   * waits until it can be granted (or `signal` aborts: STATUS_CANCELLED); without, it fails
   * with STATUS_LOCK_NOT_GRANTED.
   */
  lock(
    owner: object,
    offset: bigint,
    length: bigint,
    exclusive: boolean,
    opts: { wait?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    checkRange(offset, length);
    const lock: ByteRangeLock = { owner, offset, length, exclusive };
    if (!this.#conflicts(lock)) {
      this.#locks.push(lock);
      return Promise.resolve();
    }
    if (!opts.wait) return Promise.reject(new SmbStatusError(NtStatus.LOCK_NOT_GRANTED, 'range is locked'));
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(new SmbStatusError(NtStatus.CANCELLED, 'lock cancelled'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#dropWaiter(waiter);
        reject(new SmbStatusError(NtStatus.CANCELLED, 'lock cancelled'));
      };
      const waiter: Waiter = {
        lock,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #dropWaiter(w: Waiter): void {
    const i = this.#waiters.indexOf(w);
    if (i >= 0) this.#waiters.splice(i, 1);
  }

  /** Grants waiting requests that no longer conflict, in arrival order. */
  #wake(): void {
    for (const w of [...this.#waiters]) {
      if (this.#conflicts(w.lock)) continue;
      this.#dropWaiter(w);
      this.#locks.push(w.lock);
      w.resolve();
    }
  }

  /**
   * Removes the lock of `owner` with exactly this range, else STATUS_RANGE_NOT_LOCKED. Of a
   * stacked exclusive and shared lock on one range, the exclusive one goes first (MS-FSA
   * §2.1.5.8: "exclusive locks are unlocked before shared").
   */
  unlock(owner: object, offset: bigint, length: bigint): void {
    const same = (l: ByteRangeLock) => l.owner === owner && l.offset === offset && l.length === length;
    let i = this.#locks.findIndex((l) => same(l) && l.exclusive);
    if (i < 0) i = this.#locks.findIndex(same);
    if (i < 0) throw new SmbStatusError(NtStatus.RANGE_NOT_LOCKED, 'no such lock');
    this.#locks.splice(i, 1);
    this.#wake();
  }

  /** Drops every lock and pending request of `owner` (on close): pending ones fail FILE_CLOSED. */
  release(owner: object): void {
    for (let i = this.#locks.length - 1; i >= 0; i--)
      if (this.#locks[i]!.owner === owner) this.#locks.splice(i, 1);
    for (const w of [...this.#waiters]) {
      if (w.lock.owner !== owner) continue;
      this.#dropWaiter(w);
      w.reject(new SmbStatusError(NtStatus.FILE_CLOSED, 'handle closed while waiting for a lock'));
    }
    this.#wake();
  }

  /**
   * MS-FSA §2.1.4.10: a read conflicts with another owner's exclusive lock; a write with
   * another owner's exclusive lock or any shared lock (the owner's own included).
   * Throws STATUS_FILE_LOCK_CONFLICT.
   */
  checkIo(owner: object, offset: bigint, length: bigint, write: boolean): void {
    if (length <= 0n || this.#locks.length === 0) return;
    for (const l of this.#locks) {
      if (!overlaps(l, offset, length)) continue;
      if ((l.exclusive && l.owner !== owner) || (write && !l.exclusive)) {
        throw new SmbStatusError(NtStatus.FILE_LOCK_CONFLICT, 'range is locked');
      }
    }
  }
}
