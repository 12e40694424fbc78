/**
 * Client credit accounting (MS-SMB2 §3.2.4.1.5, §3.2.5.1.4), sans-IO. Each credit lets the
 * client use one MessageId; a request with CreditCharge N takes N consecutive MessageIds
 * and N credits, and is never sent before the grant covers it. Responses (interim ones
 * too) give credits back through CreditResponse. Requests that wait for credits are served
 * in order, so a large read never starves behind a stream of small ones.
 */

/** One request's MessageId range and the CreditRequest it should carry. */
export interface CreditGrant {
  readonly messageId: bigint;
  readonly charge: number;
  /** What to ask for in the header's CreditRequest field. */
  readonly creditRequest: number;
}

interface Waiter {
  readonly charge: number;
  readonly resolve: (grant: CreditGrant) => void;
  readonly reject: (reason: unknown) => void;
}

/** How many credits the client tries to hold (granted plus asked for). */
export const DEFAULT_CREDIT_TARGET = 512;

export class CreditWindow {
  #next = 0n;
  #available: number;
  /** Credits asked for by requests still in flight. */
  #asked = 0;
  readonly #waiters: Waiter[] = [];
  #failed: unknown;

  constructor(
    readonly target: number = DEFAULT_CREDIT_TARGET,
    initial = 1,
  ) {
    this.#available = initial;
  }

  /** Credits held now (not yet used by a request). */
  get available(): number {
    return this.#available;
  }

  /** The MessageId the next request will take. */
  get nextMessageId(): bigint {
    return this.#next;
  }

  /** Requests waiting for credits. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes `charge` credits now, or undefined when the grant does not cover them (or others wait first). */
  tryAcquire(charge: number): CreditGrant | undefined {
    if (this.#failed !== undefined) throw this.#failed;
    const n = Math.max(1, charge);
    if (this.#waiters.length > 0 || this.#available < n) return undefined;
    return this.#take(n);
  }

  /** Takes `charge` credits as soon as the grant covers them (in order of asking). */
  acquire(charge: number, signal?: AbortSignal): Promise<CreditGrant> {
    const now = this.tryAcquire(charge);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<CreditGrant>((resolve, reject) => {
      const waiter: Waiter = { charge: Math.max(1, charge), resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#waiters.indexOf(waiter);
          if (i < 0) return;
          this.#waiters.splice(i, 1);
          reject(signal.reason);
          this.#drain();
        },
        { once: true },
      );
    });
  }

  /**
   * A response arrived for a request that asked for `asked` credits and was granted
   * `granted` (its CreditResponse). An interim response passes `asked` 0 the second time.
   */
  grant(granted: number, asked: number): void {
    this.#asked = Math.max(0, this.#asked - asked);
    this.#available += granted;
    this.#drain();
  }

  /** A request was not sent after all (its MessageIds stay used; the credits do not come back). */
  forget(asked: number): void {
    this.#asked = Math.max(0, this.#asked - asked);
  }

  /** Rejects every waiter and every later acquire with `reason` (the connection is gone). */
  fail(reason: unknown): void {
    this.#failed = reason;
    for (const w of this.#waiters.splice(0)) w.reject(reason);
  }

  #take(n: number): CreditGrant {
    const messageId = this.#next;
    this.#next += BigInt(n);
    this.#available -= n;
    // Ask for what keeps (held + asked) near the target, and at least what this request uses.
    const creditRequest = Math.min(0xffff, Math.max(n, this.target - this.#available - this.#asked));
    this.#asked += creditRequest;
    return { messageId, charge: n, creditRequest };
  }

  #drain(): void {
    while (this.#waiters.length > 0) {
      const w = this.#waiters[0] as Waiter;
      if (this.#available < w.charge) return;
      this.#waiters.shift();
      w.resolve(this.#take(w.charge));
    }
  }
}
