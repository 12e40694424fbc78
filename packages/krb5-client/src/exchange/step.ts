/**
 * The sans-IO shape shared by every exchange (ARCHITECTURE Principle 1): `start()` and
 * `receive(bytes)` return the next step, and the caller moves the bytes — over UDP, TCP, a
 * Unix socket, an HTTPS KDC proxy or inside IAKerb tokens. Nothing in an exchange opens a
 * socket, starts a timer or reads a file.
 */
import type { KerberosError, Krb5ClientError } from '../errors.js';
import type { Credential } from './credential.js';

/** Send `bytes` (a KDC-REQ) to a KDC of `realm` and pass its answer to `receive`. */
export interface SendStep {
  readonly kind: 'send';
  readonly realm: string;
  readonly bytes: Uint8Array;
  /**
   * The KDC said the reply is too big for UDP (KRB_ERR_RESPONSE_TOO_BIG): the same request
   * should go over a stream transport (TCP) this time (RFC 4120 §7.2.1).
   */
  readonly preferStream?: boolean;
}

/** The exchange succeeded. */
export interface DoneStep {
  readonly kind: 'done';
  readonly credential: Credential;
}

/** The exchange failed; `error.category` says why (a `KerberosError` when the KDC said no). */
export interface ErrorStep {
  readonly kind: 'error';
  readonly error: Krb5ClientError;
}

export type ExchangeStep = SendStep | DoneStep | ErrorStep;

/** One message of an exchange, in order (for logs, captures and tests). */
export interface ExchangeMessage {
  readonly direction: 'sent' | 'received';
  readonly realm: string;
  readonly bytes: Uint8Array;
}

/** What AS and TGS exchanges have in common. */
export interface KdcExchange {
  /** The first request. Call once. */
  start(): ExchangeStep;
  /**
   * The KDC's answer to the last `send` step. Asynchronous only because string-to-key
   * (PBKDF2) is; it never does I/O.
   */
  receive(reply: Uint8Array): Promise<ExchangeStep>;
  /** Every message sent and received so far. */
  readonly messages: readonly ExchangeMessage[];
  /** KRB-ERRORs the exchange received and acted on (PREAUTH_REQUIRED, SKEW, WRONG_REALM...), and the final one if it failed on one. */
  readonly kdcErrors: readonly KerberosError[];
  /** The step returned last (undefined before `start`). */
  readonly current: ExchangeStep | undefined;
}

/**
 * Drives an exchange to its end with `send(realm, bytes, preferStream)` carrying each
 * request and resolving with the reply. Rejects with the exchange's error (or with what
 * `send` rejects with: transport errors pass through unchanged).
 */
export async function runExchange(
  exchange: KdcExchange,
  send: (realm: string, bytes: Uint8Array, preferStream: boolean) => Promise<Uint8Array>,
): Promise<Credential> {
  let step = exchange.start();
  while (step.kind === 'send') {
    step = await exchange.receive(await send(step.realm, step.bytes, step.preferStream === true));
  }
  if (step.kind === 'error') throw step.error;
  return step.credential;
}
