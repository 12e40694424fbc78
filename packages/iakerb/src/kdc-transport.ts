/**
 * How the acceptor reaches a KDC: one async `send(realm, request)`. Two implementations:
 * an in-process KDC engine (`@postntlm/local-kdc`'s `createKdc`), and the network through
 * `@postntlm/krb5-client`'s locator (UDP, TCP, Unix sockets; krb5.conf or explicit KDCs;
 * failover; TCP after RESPONSE_TOO_BIG).
 */
import {
  KdcNotFoundError,
  KdcUnreachableError,
  type Krb5Config,
  type LocatedKdc,
  type SendToKdcOptions,
  sendToKdc,
} from '@postntlm/krb5-client';
import { IakerbError } from './errors.js';

export interface KdcSendOptions {
  /** The whole exchange with the KDC must end within this, ms. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** The acceptor's way to a KDC. Reject with `IakerbError` `kdc-not-found` or `kdc-no-response` (others count as no response). */
export interface KdcTransport {
  send(realm: string, request: Uint8Array, options: KdcSendOptions): Promise<Uint8Array>;
}

/** The part of `@postntlm/local-kdc`'s `Kdc` an in-process transport needs. */
export interface KdcEngine {
  readonly realm: string;
  handle(request: Uint8Array, info: { transport: 'iakerb'; peer?: string }): Promise<Uint8Array | null>;
}

/** Sends to an in-process KDC engine (the Local KDC embedded in the same server). */
export function engineTransport(kdc: KdcEngine, options: { peer?: string } = {}): KdcTransport {
  return {
    async send(realm, request) {
      if (realm !== kdc.realm)
        throw new IakerbError('kdc-not-found', `the embedded KDC serves ${kdc.realm}, not ${realm}`);
      const reply = await kdc.handle(request, {
        transport: 'iakerb',
        ...(options.peer === undefined ? {} : { peer: options.peer }),
      });
      if (reply === null)
        throw new IakerbError('kdc-no-response', `the embedded KDC of ${realm} dropped the request`);
      return reply;
    },
  };
}

export interface NetworkTransportOptions
  extends Omit<SendToKdcOptions, 'deadlineMs' | 'signal' | 'kdcs' | 'config'> {
  /** KDCs per realm (e.g. `{ 'EXAMPLE.COM': [{ address: ..., source: 'config' }] }`); else `config` or krb5.conf. */
  readonly kdcs?: Readonly<Record<string, readonly LocatedKdc[]>>;
  readonly config?: Krb5Config;
}

/** Sends over the network with krb5-client's `sendToKdc` (what MIT's acceptor does with krb5_sendto_kdc). */
export function networkTransport(options: NetworkTransportOptions = {}): KdcTransport {
  const { kdcs, ...rest } = options;
  return {
    async send(realm, request, { timeoutMs, signal }) {
      const listed = kdcs?.[realm];
      try {
        const reply = await sendToKdc(realm, request, {
          ...rest,
          ...(listed === undefined ? {} : { kdcs: listed }),
          deadlineMs: timeoutMs,
          ...(signal === undefined ? {} : { signal }),
        });
        return reply.reply;
      } catch (e) {
        if (e instanceof KdcNotFoundError) throw new IakerbError('kdc-not-found', e.message, { cause: e });
        if (e instanceof KdcUnreachableError)
          throw new IakerbError('kdc-no-response', e.message, { cause: e });
        throw new IakerbError(
          'kdc-no-response',
          `no answer from a KDC of ${realm}: ${(e as Error).message}`,
          { cause: e },
        );
      }
    },
  };
}
