/**
 * Replay and sequence detection for per-message tokens (RFC 4121 §4.2.6.1 SND_SEQ, RFC 2743
 * §1.2.3): a sliding window of the last 64 sequence numbers, as MIT's g_seqstate keeps.
 */
import type { SequenceProblem } from '../errors.js';

/** Size of the replay window. */
export const SEQUENCE_WINDOW = 64n;

/** Receive-side sequence state; `check` reports a problem or records the number. */
export class SequenceWindow {
  /** The next number expected. */
  private next: bigint;
  /** Bit i set: number `next - 1 - i` was received. */
  private seen = 0n;

  constructor(initial: bigint) {
    this.next = initial;
  }

  /** Whether `seq` is the number expected next (nothing is recorded). */
  isNext(seq: bigint): boolean {
    return seq === this.next;
  }

  /**
   * Classifies `seq` and records it: `undefined` when it is the expected number, else
   * `gap` (later: some were skipped), `unseq` (earlier, inside the window, not seen),
   * `duplicate` (seen before) or `old` (before the window).
   */
  check(seq: bigint): SequenceProblem | undefined {
    if (seq === this.next) {
      this.seen = ((this.seen << 1n) | 1n) & ((1n << SEQUENCE_WINDOW) - 1n);
      this.next = seq + 1n;
      return undefined;
    }
    if (seq > this.next) {
      const skip = seq - this.next + 1n;
      this.seen = skip >= SEQUENCE_WINDOW ? 1n : ((this.seen << skip) | 1n) & ((1n << SEQUENCE_WINDOW) - 1n);
      this.next = seq + 1n;
      return 'gap';
    }
    const back = this.next - 1n - seq;
    if (back >= SEQUENCE_WINDOW) return 'old';
    const bit = 1n << back;
    if ((this.seen & bit) !== 0n) return 'duplicate';
    this.seen |= bit;
    return 'unseq';
  }
}
