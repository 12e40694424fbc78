/**
 * A bounded, time-windowed replay cache for AP-REQ authenticators (RFC 4120 §3.2.3): an
 * authenticator seen within the skew window is refused with KRB_AP_ERR_REPEAT. Entries
 * expire once their ctime is further than the skew in the past (then the skew check refuses
 * the authenticator anyway). When `maxEntries` is reached the oldest entry is dropped.
 */

/** The interface the acceptor uses; supply your own to share a cache between processes. */
export interface ReplayCache {
  /** Records `id` (seen at `ctimeMs`, its authenticator's time); false when it was already there. */
  insert(id: string, ctimeMs: number, nowMs: number): boolean;
}

export interface MemoryReplayCacheOptions {
  /** How long an entry is kept after its ctime, in ms; default 2 × 300 s. */
  readonly windowMs?: number;
  /** Most entries kept; default 100 000. */
  readonly maxEntries?: number;
}

/** An in-memory {@link ReplayCache}. */
export class MemoryReplayCache implements ReplayCache {
  private readonly windowMs: number;
  private readonly maxEntries: number;
  /** id → expiry, in insertion order (a Map iterates in that order). */
  private readonly entries = new Map<string, number>();

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.windowMs = options.windowMs ?? 600_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  insert(id: string, ctimeMs: number, nowMs: number): boolean {
    this.expire(nowMs);
    const expiry = this.entries.get(id);
    if (expiry !== undefined && expiry > nowMs) return false;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(id, Math.max(ctimeMs, nowMs) + this.windowMs);
    return true;
  }

  private expire(nowMs: number): void {
    // Mostly in expiry order; stop at the first live entry (bounded work per insert).
    let budget = 64;
    for (const [id, expiry] of this.entries) {
      if (expiry > nowMs || budget-- === 0) break;
      this.entries.delete(id);
    }
  }
}
