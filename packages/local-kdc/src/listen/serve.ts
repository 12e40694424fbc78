/** State shared by every socket of one listener, and the one path requests take to the engine. */
import type { Kdc, RequestInfo } from '../kdc/kdc.js';
import { createGate, type Gate } from './gate.js';
import { type IdleWatch, idleWatch } from './idle.js';
import { type ListenLimits, type ResolvedLimits, resolveLimits } from './limits.js';
import { type RateLimiter, tokenBuckets } from './rate-limit.js';
import { createCounters, type StatsCounters } from './stats.js';

/** Options every way of starting a listener shares. */
export interface ServeOptions {
  /** Close a TCP or Unix-socket connection idle this long, ms (default 30 000). */
  readonly idleTimeoutMs?: number;
  /** Resource limits; each has a default (see {@link ListenLimits}). */
  readonly limits?: ListenLimits;
  /**
   * Close the listener once it has had no open connection and no request for this long,
   * ms (default: never). `KdcListener.closed` then resolves to `'idle'`, which is the moment
   * an on-demand (socket-activated) KDC should exit: systemd keeps the listening sockets and
   * starts it again for the next client. Connections still waiting in the kernel's backlog
   * are not lost, because the listener stops accepting before it reports idle.
   */
  readonly exitWhenIdleMs?: number;
}

/** What stream and datagram handlers need to serve requests. */
export interface ServeContext {
  readonly kdc: Kdc;
  readonly limits: ResolvedLimits;
  readonly counters: StatsCounters;
  readonly inFlight: Gate;
  /** Undefined when rate limiting is off. */
  readonly allow: RateLimiter | undefined;
  readonly idle: IdleWatch;
  readonly idleTimeoutMs: number;
}

/** A context for one listener; `onIdle` runs once when `exitWhenIdleMs` elapses idle. */
export function createServeContext(kdc: Kdc, options: ServeOptions, onIdle: () => void): ServeContext {
  const limits = resolveLimits(options.limits, kdc.policy.maxRequestBytes);
  return {
    kdc,
    limits,
    counters: createCounters(),
    inFlight: createGate(limits.maxInFlight),
    allow: limits.rateLimit === false ? undefined : tokenBuckets(limits.rateLimit),
    idle: idleWatch(options.exitWhenIdleMs, onIdle),
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
  };
}

/**
 * Hands one request to the engine. The caller holds an in-flight slot; this keeps the
 * counters and the idle watch right.
 */
export async function answer(
  ctx: ServeContext,
  request: Uint8Array,
  info: RequestInfo,
): Promise<Uint8Array | null> {
  ctx.counters.requests++;
  ctx.idle.begin();
  try {
    const reply = await ctx.kdc.handle(request, info);
    if (reply === null) ctx.counters.dropped['not-answered']++;
    return reply;
  } finally {
    ctx.idle.end();
  }
}
