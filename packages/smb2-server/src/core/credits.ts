/**
 * A connection's credits (MS-SMB2 §3.3.1.1, §3.3.1.2, §3.3.5.2.3): the window of sequence
 * numbers (MessageIds) the client may use, the ones it already used, and how many credits
 * each response grants. Like Windows Server 2016 and Samba, every request may ask for as
 * many credits as it likes up to `max` outstanding (8192 by default); the window never
 * grows past `max` above its lowest unused number, so a skipped MessageId stops the grants
 * until the client uses it.
 */
import { Command } from '@postntlm/smb2-protocol';

/** Samba's and Windows' default limit of outstanding credits. */
export const DEFAULT_MAX_CREDITS = 8192;

export class CreditWindow {
  /** Lowest sequence number not yet used. */
  #low = 0n;
  /** Numbers granted from `#low` on (used or not). */
  #range = 1;
  /** Credits granted and not yet used. */
  #granted = 1;
  /** Sequence numbers above `#low` already used (a skipped one keeps them here). */
  readonly #used = new Set<bigint>();

  /**
   * @param max most credits outstanding at once (also the largest window).
   * @param multiCredit whether CreditCharge counts (2.1 and later with LARGE_MTU, §3.3.5.2.3);
   *   for 2.0.2 every request is one credit.
   */
  constructor(
    readonly max: number = DEFAULT_MAX_CREDITS,
    public multiCredit = false,
  ) {}

  /** Credits the client holds now (granted and not yet used). */
  get outstanding(): number {
    return this.#granted;
  }

  /** The charge of a request: CreditCharge (at least 1) when multi-credit, else 1. */
  chargeOf(creditCharge: number): number {
    return this.multiCredit ? Math.max(1, creditCharge) : 1;
  }

  /**
   * Uses the sequence numbers `messageId .. messageId + charge - 1` of a request
   * (§3.3.5.2.3). False when one lies outside the window or was used before, or when the
   * charge exceeds the credits granted: the connection must then be dropped. CANCEL uses
   * none (it repeats the MessageId of the request it cancels).
   */
  consume(command: number, messageId: bigint, creditCharge: number): boolean {
    if (command === Command.CANCEL) return true;
    const charge = this.chargeOf(creditCharge);
    if (charge > this.#granted) return false;
    // In order with nothing used above the gap (the usual case): slide the window at once, no
    // per-number bookkeeping (an 8 MiB WRITE is 128 numbers).
    if (messageId === this.#low && this.#used.size === 0 && charge <= this.#range) {
      this.#low += BigInt(charge);
      this.#range -= charge;
      this.#granted -= charge;
      return true;
    }
    const end = this.#low + BigInt(this.#range);
    for (let i = 0n; i < BigInt(charge); i++) {
      const id = messageId + i;
      if (id < this.#low || id >= end || this.#used.has(id)) return false;
    }
    for (let i = 0n; i < BigInt(charge); i++) this.#used.add(messageId + i);
    // Slide the window past every number used from the bottom.
    while (this.#used.delete(this.#low)) {
      this.#low += 1n;
      this.#range -= 1;
    }
    this.#granted -= charge;
    return true;
  }

  /**
   * The credits a response grants (§3.3.1.2): the request's charge plus what it asked for
   * beyond one; NEGOTIATE and an unfinished SESSION_SETUP grant only the charge; never more
   * than keeps the window within `max`. An interim (async) response took the grant already,
   * so its final response grants none.
   */
  grant(
    request: { command: number; credits: number; creditCharge: number },
    status: number,
    afterInterim = false,
  ): number {
    let credits = 0;
    if (!afterInterim) {
      const charge = this.chargeOf(request.creditCharge);
      const asked = Math.max(1, request.credits);
      let extraMax = this.max;
      if (request.command === Command.NEGOTIATE) extraMax = 0;
      else if (request.command === Command.SESSION_SETUP && status !== 0) extraMax = 0;
      credits = charge + Math.min(asked - 1, extraMax, Math.max(0, this.max - charge));
    }
    credits = Math.max(0, Math.min(credits, this.max - this.#range, 0xffff));
    this.#granted += credits;
    this.#range += credits;
    return credits;
  }
}
