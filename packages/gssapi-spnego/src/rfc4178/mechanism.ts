/**
 * The seam through which SPNEGO runs a GSS mechanism (RFC 4178 §3: SPNEGO only carries the
 * chosen mechanism's tokens and protects the negotiation with a mechListMIC).
 *
 * A {@link SpnegoMechanism} names the OIDs it answers to and makes one fresh
 * {@link MechanismContext} per security context, for the initiator, the acceptor, or both.
 * A context is stepped like any GSS context (RFC 2743 §2.2.1/§2.2.2, sans-IO):
 *
 * - the initiator's context is first stepped without a token, then with each acceptor token;
 *   the acceptor's context is stepped with each initiator token;
 * - a step that returns an `outputToken` without `done` means "continue needed": SPNEGO
 *   sends the token (acceptor: NegTokenResp accept-incomplete with it as responseToken;
 *   initiator: NegTokenResp with it as responseToken) and steps again with the answer, as
 *   many legs as the mechanism needs (IAKerb: several proxied KDC exchanges, then AP-REQ
 *   and AP-REP);
 * - `done` means established: `context` (of the step, or the getter) is the
 *   {@link SecurityContext} whose `getMic`/`verifyMic` protect the mech list; an
 *   `outputToken` alongside `done` still goes to the peer;
 * - `error` ends the context; an acceptor's `outputToken` alongside it (a KRB-ERROR) goes
 *   back in the reject NegTokenResp.
 *
 * `step` may return a Promise (a mechanism that does I/O, such as an IAKerb acceptor that
 * proxies to a KDC): such mechanisms must be driven with `stepAsync` of the SPNEGO contexts.
 * A step should not reject; failures belong in `error` (a rejection other than a `GssError`
 * goes through to the caller of `stepAsync`).
 */
import { Oid } from '@postntlm/der-asn1';
import { Krb5Acceptor, type Krb5AcceptorOptions } from '../rfc4121/acceptor.js';
import type { ContextStep } from '../rfc4121/common.js';
import { Krb5Initiator, type Krb5InitiatorOptions } from '../rfc4121/initiator.js';
import type { SecurityContext } from '../rfc4121/security-context.js';

/** One security context of a mechanism, as SPNEGO drives it. */
export interface MechanismContext {
  /** Initiator: first without a token, then with each acceptor token. Acceptor: with each initiator token. */
  step(token?: Uint8Array): ContextStep | Promise<ContextStep>;
  /** The established context (once a step returned `done`). */
  readonly context: SecurityContext | undefined;
}

/** A GSS mechanism SPNEGO can negotiate and run. */
export interface SpnegoMechanism {
  /** The OIDs this mechanism answers to (e.g. MS krb5 and krb5 for Kerberos; IAKerb's one). */
  readonly oids: readonly string[];
  /** A fresh initiator context; `oid` is the one of {@link oids} negotiated. Absent: this side cannot initiate. */
  createInitiator?(oid: string): MechanismContext;
  /** A fresh acceptor context; `oid` is the one of {@link oids} negotiated. Absent: this side cannot accept. */
  createAcceptor?(oid: string): MechanismContext;
}

/**
 * The Kerberos 5 mechanism (RFC 4121) under krb5 and MS krb5 (1.2.840.48018.1.2.2): the
 * built-in mechanism of `SpnegoInitiator` / `SpnegoAcceptor`, made from their own options.
 * The initiator frames its AP-REQ with the negotiated OID; the acceptor takes an AP-REQ
 * framed with any of `acceptor.mechs` (default krb5 and MS krb5).
 */
export function krb5Mechanism(options: {
  readonly initiator?: Omit<Krb5InitiatorOptions, 'mech'>;
  readonly acceptor?: Krb5AcceptorOptions;
}): SpnegoMechanism {
  const { initiator, acceptor } = options;
  return {
    oids: [Oid.msKrb5, Oid.krb5],
    ...(initiator === undefined
      ? {}
      : { createInitiator: (oid: string) => new Krb5Initiator({ ...initiator, mech: oid }) }),
    ...(acceptor === undefined
      ? {}
      : {
          createAcceptor: () =>
            new Krb5Acceptor({ ...acceptor, mechs: acceptor.mechs ?? [Oid.krb5, Oid.msKrb5] }),
        }),
  };
}

/** Whether a step result is a Promise (or any thenable). */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
