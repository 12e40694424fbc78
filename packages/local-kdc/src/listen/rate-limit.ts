/** Per-source token buckets (see {@link RateLimit}). */
import type { RateLimit } from './limits.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Decides whether a request from `source` may be served now; `now` in ms. */
export type RateLimiter = (source: string, now: number) => boolean;

/** A limiter with one bucket per source, least recently seen sources forgotten first. */
export function tokenBuckets(limit: Required<RateLimit>): RateLimiter {
  // A Map iterates in insertion order; re-inserting on each use keeps it ordered by recency.
  const buckets = new Map<string, Bucket>();
  return (address, now) => {
    // A dual-stack TCP socket reports IPv4 peers as ::ffff:a.b.c.d; UDP may not: one bucket.
    const source = address.startsWith('::ffff:') ? address.slice(7) : address;
    if (limit.exemptLoopback && (source.startsWith('127.') || source === '::1')) return true;
    let bucket = buckets.get(source);
    if (bucket === undefined) {
      bucket = { tokens: limit.burst, at: now };
      if (buckets.size >= limit.maxSources) {
        const oldest = buckets.keys().next();
        if (oldest.done !== true) buckets.delete(oldest.value);
      }
    } else {
      buckets.delete(source);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      bucket.at = now;
    }
    buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}
