/**
 * The oplock one open holds (MS-SMB2 §3.3.1.10 Open.OplockLevel / Open.OplockState): its
 * level, and the break under way. A break from BATCH or EXCLUSIVE sends an OPLOCK_BREAK
 * notification and waits for the client's acknowledgment (§3.3.4.6, §3.3.5.22.1), the open's
 * close, or the break timeout (35 s by default, as Windows' and smbtorture's
 * `oplocktimeout`; then the oplock is simply taken away, as Samba does); a LEVEL_II oplock is
 * broken to NONE by a notification alone, with no acknowledgment (§2.2.23.1).
 */
import { LeaseState, OplockLevel } from '@postntlm/smb2-protocol';

/** MS-SMB2 §3.3.4.6 / Windows: how long a break waits for its acknowledgment. */
export const DEFAULT_OPLOCK_BREAK_TIMEOUT_MS = 35_000;

const { READ_CACHING: R, WRITE_CACHING: W, HANDLE_CACHING: H } = LeaseState;

/**
 * What an oplock level lets the client cache, as lease bits (read, write, handle): BATCH is
 * RWH, EXCLUSIVE RW, LEVEL_II R (the equivalence MS-SMB2 §3.3.5.9.8 and Samba use).
 */
export function cachingOf(level: number): number {
  switch (level) {
    case OplockLevel.BATCH:
      return R | W | H;
    case OplockLevel.EXCLUSIVE:
      return R | W;
    case OplockLevel.II:
      return R;
    default:
      return 0;
  }
}

/** The oplock level that grants at most `caching` (RH is only LEVEL_II: oplocks have no RH). */
export function levelOf(caching: number): number {
  if ((caching & (R | W | H)) === (R | W | H)) return OplockLevel.BATCH;
  if ((caching & (R | W)) === (R | W)) return OplockLevel.EXCLUSIVE;
  if ((caching & R) !== 0) return OplockLevel.II;
  return OplockLevel.NONE;
}

/** Sends the OPLOCK_BREAK notification for this open, to `level`, on its connection. */
export type OplockBreakSender = (level: number) => void;

export class Oplock {
  /** The level granted (Open.OplockLevel). */
  level: number;
  /** The level a notification asked for while its acknowledgment is awaited (OplockState Breaking). */
  breakingTo: number | undefined;
  #done: (() => void) | undefined;
  #broken: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    level: number,
    private readonly send: OplockBreakSender,
    private readonly timeoutMs: number,
  ) {
    this.level = level;
  }

  /** Caching bits the oplock grants now (a breaking oplock still holds its level until acknowledged). */
  get caching(): number {
    return cachingOf(this.level);
  }

  /**
   * Breaks a BATCH or EXCLUSIVE oplock to `to` (LEVEL_II or NONE): the notification goes out
   * once; the promise settles when the client acknowledges, closes the open, or the timeout
   * passes. A break already under way is waited for (a lower target is remembered).
   */
  breakTo(to: number): Promise<void> {
    if (this.breakingTo !== undefined) {
      if (to < this.breakingTo) this.breakingTo = to;
      return this.#broken;
    }
    if (this.level === OplockLevel.NONE || this.level === OplockLevel.II) return Promise.resolve();
    this.breakingTo = to;
    this.#broken = new Promise<void>((resolve) => {
      this.#done = resolve;
    });
    if (this.timeoutMs > 0) {
      // No acknowledgment in time: the oplock is gone (Samba's oplock_timeout_handler).
      this.#timer = setTimeout(() => this.#settle(OplockLevel.NONE), this.timeoutMs);
      this.#timer.unref?.();
    }
    this.send(to);
    return this.#broken;
  }

  /** LEVEL_II to NONE: a notification the client does not acknowledge (§2.2.23.1). */
  breakLevelIIToNone(): void {
    if (this.level !== OplockLevel.II || this.breakingTo !== undefined) return;
    this.level = OplockLevel.NONE;
    this.send(OplockLevel.NONE);
  }

  /**
   * The client acknowledged the break with `level` (NONE or LEVEL_II): the level the open
   * keeps, NONE when either the break or the acknowledgment said NONE (as Samba answers).
   */
  acknowledge(level: number): number {
    const kept =
      level === OplockLevel.II && this.breakingTo === OplockLevel.II ? OplockLevel.II : OplockLevel.NONE;
    this.#settle(kept);
    return kept;
  }

  /** The open closed: no oplock, and whoever waits on its break goes on. */
  release(): void {
    this.#settle(OplockLevel.NONE);
  }

  #settle(level: number): void {
    this.level = level;
    this.breakingTo = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const done = this.#done;
    this.#done = undefined;
    done?.();
  }
}
