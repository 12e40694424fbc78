/**
 * Sends one KDC request for a realm and returns the first usable reply, trying the realm's
 * KDCs in order with failover, as MIT's sendto_kdc.c does:
 *
 * - a request of at most `udp_preference_limit` bytes goes over UDP first, a larger one
 *   over TCP first; a KDC entry that allows both is tried over the other one in a second
 *   pass (after every KDC had its first try). `tcp/` and `udp/` entries, SRV records and
 *   UNIX sockets use only their transport;
 * - a UDP reply that is KRB_ERR_RESPONSE_TOO_BIG (52) makes the same KDC be asked over TCP
 *   at once; KDC_ERR_SVC_UNAVAILABLE (29) moves on to the next KDC;
 * - each try has its own timeout (`perTryTimeoutMs`), the whole search a deadline
 *   (`deadlineMs`); tries that timed out are repeated, up to `max_retries` passes, while
 *   time remains. At the deadline (or when every KDC failed) KdcUnreachableError names
 *   every KDC tried and why.
 */
import { ErrorCode } from '@postntlm/krb5-messages';
import type { KdcHostAddress } from '../config/kdc-address.js';
import { defaultKrb5Config, type Krb5Config } from '../config/krb5-config.js';
import {
  KdcAbortedError,
  type KdcProtocol,
  KdcTimeoutError,
  KdcTransportError,
} from '../transport/errors.js';
import { TcpTransport, UnixTransport } from '../transport/stream.js';
import { type KdcTransport, MAX_TIMER_MS } from '../transport/types.js';
import { type HostLookup, UdpTransport } from '../transport/udp.js';
import { type KdcAttempt, KdcNotFoundError, KdcUnreachableError } from './errors.js';
import { isResponseTooBig as defaultIsResponseTooBig, krbErrorCode } from './krb-error.js';
import { type LocatedKdc, locateKdcs } from './locate.js';
import type { SrvResolver } from './srv.js';

/** What a transport is made for. */
export type KdcTransportTarget =
  | { readonly protocol: 'udp' | 'tcp'; readonly host: string; readonly port: number }
  | { readonly protocol: 'unix'; readonly path: string };

export interface SendToKdcOptions {
  /** The configuration (default: an empty krb5.conf, i.e. DNS SRV only). */
  readonly config?: Krb5Config;
  /** The KDCs to try, instead of locating them from `config`. */
  readonly kdcs?: readonly LocatedKdc[];
  /** SRV lookups (default: node:dns/promises). */
  readonly resolver?: SrvResolver;
  /** Use `primary_kdc` entries (MIT's use_primary). */
  readonly primary?: boolean;
  /** Timeout of one try (default: libdefaults `kdc_timeout`, 3 s). */
  readonly perTryTimeoutMs?: number;
  /** Time for the whole search (default: libdefaults `request_timeout` if set, else 30 s). */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** Whether a UDP reply asks for TCP (default: a KRB-ERROR with code 52). */
  readonly isResponseTooBig?: (reply: Uint8Array) => boolean;
  /** Passes over the KDC list for tries that timed out (default: libdefaults `max_retries`, 3). */
  readonly maxRetries?: number;
  /** Builds the transport for a try (default: UdpTransport / TcpTransport / UnixTransport). */
  readonly createTransport?: (target: KdcTransportTarget) => KdcTransport;
  /** Host name resolution for UDP (default: node:dns/promises lookup). */
  readonly lookup?: HostLookup;
  /** Called after every try, in order. */
  readonly onAttempt?: (attempt: KdcAttempt) => void;
}

/** The reply and who gave it. */
export interface KdcReply {
  readonly reply: Uint8Array;
  /** The KDC that answered (`udp/host:port`...). */
  readonly address: string;
  readonly protocol: KdcProtocol;
  /** Every try, the successful one last. */
  readonly attempts: readonly KdcAttempt[];
}

/** One planned try: a KDC over one transport. */
interface Step {
  readonly kdc: LocatedKdc;
  readonly protocol: KdcProtocol | 'https';
  readonly key: string;
}

const DEFAULT_DEADLINE_MS = 30_000;

function hostKey(address: KdcHostAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

function stepOf(kdc: LocatedKdc, protocol: KdcProtocol | 'https'): Step {
  const a = kdc.address;
  const key = a.kind === 'host' ? `${protocol}/${hostKey(a)}` : a.kind === 'unix' ? `unix:${a.path}` : a.url;
  return { kdc, protocol, key };
}

/** The tries in order: every KDC's first transport, then the second transport of those that have one. */
function plan(kdcs: readonly LocatedKdc[], preferUdp: boolean): Step[] {
  const preferred: KdcProtocol = preferUdp ? 'udp' : 'tcp';
  const other: KdcProtocol = preferUdp ? 'tcp' : 'udp';
  const first: Step[] = [];
  const second: Step[] = [];
  for (const kdc of kdcs) {
    const a = kdc.address;
    if (a.kind === 'unix') first.push(stepOf(kdc, 'unix'));
    else if (a.kind === 'https') first.push(stepOf(kdc, 'https'));
    else if (a.transport === 'any') {
      first.push(stepOf(kdc, preferred));
      second.push(stepOf(kdc, other));
    } else if (a.transport === preferred) first.push(stepOf(kdc, a.transport));
    else second.push(stepOf(kdc, a.transport));
  }
  const seen = new Set<string>();
  return [...first, ...second].filter((s) => !seen.has(s.key) && seen.add(s.key));
}

function defaultCreateTransport(
  lookup: HostLookup | undefined,
): (target: KdcTransportTarget) => KdcTransport {
  return (target) => {
    switch (target.protocol) {
      case 'udp':
        return new UdpTransport({ host: target.host, port: target.port, ...(lookup ? { lookup } : {}) });
      case 'tcp':
        return new TcpTransport({ host: target.host, port: target.port });
      case 'unix':
        return new UnixTransport({ path: target.path });
    }
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new RangeError(`${name} must be a positive finite number, got ${String(value)}`);
  }
  return v;
}

/** Resolves with `promise`, or rejects with `onTimeout()` after `ms` / on abort. */
function within<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(onTimeout())), Math.min(ms, MAX_TIMER_MS));
    const onAbort = (): void => finish(() => reject(signal?.reason));
    const finish = (f: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}

/**
 * Sends `request` (a DER AS-REQ or TGS-REQ) to a KDC of `realm` and returns the reply.
 * Throws KdcNotFoundError when no KDC is known, KdcUnreachableError when none answered in
 * time, KdcAbortedError when `signal` fires.
 */
export async function sendToKdc(
  realm: string,
  request: Uint8Array,
  options: SendToKdcOptions = {},
): Promise<KdcReply> {
  if (!(request instanceof Uint8Array) || request.length === 0) {
    throw new TypeError('request must be a non-empty Uint8Array');
  }
  const config = options.config ?? defaultKrb5Config();
  const libdefaults = config.libdefaults;
  const perTryMs = positive('perTryTimeoutMs', options.perTryTimeoutMs, libdefaults.kdcTimeout * 1000);
  const deadlineMs = positive(
    'deadlineMs',
    options.deadlineMs,
    libdefaults.requestTimeout > 0 ? libdefaults.requestTimeout * 1000 : DEFAULT_DEADLINE_MS,
  );
  const maxRetries = Math.max(1, Math.floor(options.maxRetries ?? libdefaults.maxRetries));
  const isTooBig = options.isResponseTooBig ?? defaultIsResponseTooBig;
  const createTransport = options.createTransport ?? defaultCreateTransport(options.lookup);
  const signal = options.signal;
  const start = performance.now();
  const elapsed = (): number => performance.now() - start;
  const deadlineText = `deadline of ${deadlineMs} ms reached`;
  const attempts: KdcAttempt[] = [];
  const record = (attempt: KdcAttempt): void => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };
  const aborted = (): KdcAbortedError => new KdcAbortedError(`realm ${realm}`, 'udp', signal?.reason);
  if (signal?.aborted) throw aborted();

  let kdcs: readonly LocatedKdc[];
  if (options.kdcs !== undefined) kdcs = options.kdcs;
  else {
    try {
      kdcs = await within(
        locateKdcs(realm, config, {
          ...(options.resolver ? { resolver: options.resolver } : {}),
          ...(options.primary ? { primary: true } : {}),
        }),
        deadlineMs,
        signal,
        () => new KdcUnreachableError(realm, [], `${deadlineText} while locating KDCs`),
      );
    } catch (error) {
      if (signal?.aborted) throw aborted();
      throw error;
    }
  }
  if (kdcs.length === 0) throw new KdcNotFoundError(realm, 'the list of KDCs is empty');

  const steps = plan(kdcs, request.length <= libdefaults.udpPreferenceLimit);
  const done = new Set<string>(); // steps that must not be tried again
  const timedOut = new Set<string>();
  const attempted = new Set<string>();
  let deadlineHit = false;

  /** One try; returns the reply to hand back, or undefined to go on. */
  const attempt = async (step: Step): Promise<Uint8Array | undefined> => {
    const a = step.kdc.address;
    if (a.kind === 'https' || step.protocol === 'https') {
      done.add(step.key);
      attempted.add(step.key);
      record({
        address: step.key,
        protocol: 'https',
        outcome: 'unsupported',
        reason: 'MS-KKDCP (https) KDC proxies are not supported',
        elapsedMs: 0,
      });
      return undefined;
    }
    const remaining = deadlineMs - elapsed();
    if (remaining < 1) {
      deadlineHit = true;
      return undefined;
    }
    attempted.add(step.key);
    const target: KdcTransportTarget =
      a.kind === 'unix'
        ? { protocol: 'unix', path: a.path }
        : { protocol: step.protocol === 'udp' ? 'udp' : 'tcp', host: a.host, port: a.port };
    const transport = createTransport(target);
    const protocol = transport.protocol;
    const began = performance.now();
    const timeoutMs = Math.max(1, Math.min(perTryMs, Math.ceil(remaining)));
    let reply: Uint8Array;
    try {
      reply = await transport.send(request, { timeoutMs, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (error instanceof KdcAbortedError || signal?.aborted)
        throw error instanceof KdcAbortedError ? error : aborted();
      const transportError =
        error instanceof KdcTransportError
          ? error
          : new KdcTransportError(transport.address, protocol, String(error), { cause: error });
      if (transportError instanceof KdcTimeoutError) timedOut.add(step.key);
      else done.add(step.key);
      record({
        address: transport.address,
        protocol,
        outcome: 'failed',
        reason: transportError.reason,
        error: transportError,
        elapsedMs: performance.now() - began,
      });
      return undefined;
    }
    const tookMs = performance.now() - began;
    done.add(step.key);
    timedOut.delete(step.key);
    if (protocol === 'udp' && isTooBig(reply)) {
      record({
        address: transport.address,
        protocol,
        outcome: 'response-too-big',
        reason: 'KRB_ERR_RESPONSE_TOO_BIG over UDP, retrying over TCP',
        elapsedMs: tookMs,
      });
      const tcp = stepOf(step.kdc, 'tcp');
      if (done.has(tcp.key)) return undefined;
      const viaTcp = await attempt(tcp);
      done.add(tcp.key);
      return viaTcp;
    }
    if (krbErrorCode(reply) === ErrorCode.KDC_ERR_SVC_UNAVAILABLE) {
      record({
        address: transport.address,
        protocol,
        outcome: 'service-unavailable',
        reason: 'KDC_ERR_SVC_UNAVAILABLE',
        elapsedMs: tookMs,
      });
      // The KDC answered that it cannot serve: do not ask it again over the other transport.
      for (const s of steps) if (s.kdc === step.kdc) done.add(s.key);
      return undefined;
    }
    record({ address: transport.address, protocol, outcome: 'reply', reason: 'replied', elapsedMs: tookMs });
    return reply;
  };

  for (let pass = 0; pass < maxRetries && !deadlineHit; pass++) {
    const todo = pass === 0 ? steps : steps.filter((s) => timedOut.has(s.key) && !done.has(s.key));
    if (todo.length === 0) break;
    for (const step of todo) {
      if (done.has(step.key)) continue;
      const reply = await attempt(step);
      if (reply !== undefined) {
        const last = attempts[attempts.length - 1]!;
        return { reply, address: last.address, protocol: last.protocol as KdcProtocol, attempts };
      }
      if (deadlineHit) break;
    }
  }
  if (!deadlineHit && elapsed() >= deadlineMs) deadlineHit = true;
  const untried = steps.filter((s) => !attempted.has(s.key) && !done.has(s.key)).map((s) => s.key);
  throw new KdcUnreachableError(realm, attempts, deadlineHit ? deadlineText : undefined, untried);
}
