/**
 * The server's resource limits (`SmbServerOptions.limits`) with their defaults filled in:
 * how many connections, sessions and opens it keeps, how long a connection may sit idle or
 * unauthenticated, and how much one connection may have queued before the server stops
 * reading its socket.
 */
import { DEFAULT_MAX_CREDITS } from './credits.js';
import { DEFAULT_OPLOCK_BREAK_TIMEOUT_MS } from './oplock.js';
import type { SmbServerLimits } from './options.js';

export type ResolvedLimits = Required<SmbServerLimits>;

export const DEFAULT_LIMITS: ResolvedLimits = {
  maxConnections: 1024,
  maxSessionsPerConnection: 64,
  maxOpensPerSession: 16384,
  idleTimeoutMs: 15 * 60_000,
  authTimeoutMs: 60_000,
  maxCredits: DEFAULT_MAX_CREDITS,
  maxPendingRequests: 512,
  maxQueuedOutputBytes: 32 << 20,
  oplockBreakTimeoutMs: DEFAULT_OPLOCK_BREAK_TIMEOUT_MS,
};

/** The limits in effect: each one given, else its default. */
export function resolveLimits(given: SmbServerLimits | undefined): ResolvedLimits {
  const out: { -readonly [K in keyof ResolvedLimits]: number } = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ResolvedLimits)[]) {
    const v = given?.[key];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`limits.${key} must be a number >= 0, got ${v}`);
    out[key] = v;
  }
  if (out.maxCredits < 1 || out.maxCredits > 0xffff)
    throw new RangeError('limits.maxCredits must be 1..65535');
  return out;
}
