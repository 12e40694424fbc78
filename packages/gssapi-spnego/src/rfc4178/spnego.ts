/**
 * SPNEGO (RFC 4178, MS-SPNG) initiator and acceptor over the Kerberos mechanism, sans-IO.
 *
 * Done: the optimistic case that Kerberos always uses — the initiator offers its mechanisms
 * with an AP-REQ for the first one; the acceptor takes it when it supports that first
 * mechanism. mechListMIC (RFC 4178 §5) is verified whenever the peer sends one and then
 * answered (the initiator sends its own when the acceptor's state is accept-incomplete or
 * request-mic, as Windows asks). Our acceptor answers accept-completed with the AP-REP and
 * no mechListMIC (allowed when the optimistic token was used, §5), as MIT does. Not done:
 * re-negotiation when the optimistic mechanism is not ours (refused with an error).
 * NTLMSSP is never offered nor accepted.
 */
import { Oid } from '@postntlm/der-asn1';
import { GssError, GssStateError, GssTokenError } from '../errors.js';
import { Krb5Acceptor, type Krb5AcceptorOptions } from '../rfc4121/acceptor.js';
import type { ContextStep } from '../rfc4121/common.js';
import { Krb5Initiator, type Krb5InitiatorOptions } from '../rfc4121/initiator.js';
import type { SecurityContext } from '../rfc4121/security-context.js';
import {
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeSpnegoToken,
  NegState,
  type NegTokenResp,
} from './negotiation-token.js';

/**
 * mechListMIC is checked outside the per-message sequence window: Windows numbers it
 * SND_SEQ 0 whatever its AP-REP said (test/vectors/windows-29617-exchange.json).
 */
const MECH_LIST_MIC = { sequence: false } as const;

/** Mechanisms this package can run under SPNEGO (both name Kerberos 5). */
export const SPNEGO_KRB5_MECHS: readonly string[] = [Oid.msKrb5, Oid.krb5];

/** The peer offered only mechanisms we refuse or do not know (NTLMSSP above all). */
export class SpnegoNoMechanismError extends GssError {
  override name = 'SpnegoNoMechanismError';
  constructor(
    readonly offered: readonly string[],
    message: string,
  ) {
    super('token', message);
  }
}

function noMechMessage(offered: readonly string[]): string {
  const ntlm = offered.includes(Oid.ntlmssp) ? ' NTLM (NTLMSSP) is not supported here: use Kerberos.' : '';
  return `SPNEGO: none of the offered mechanisms [${offered.join(', ')}] is supported.${ntlm}`;
}

export interface SpnegoInitiatorOptions extends Omit<Krb5InitiatorOptions, 'mech'> {
  /** Mechanisms to offer, first = the optimistic one; default [krb5]. Only krb5 OIDs are allowed. */
  readonly mechTypes?: readonly string[];
}

/** SPNEGO initiator around {@link Krb5Initiator}. */
export class SpnegoInitiator {
  private readonly mechTypes: readonly string[];
  private readonly mechTypesDer: Uint8Array;
  private readonly krb5: Krb5Initiator;
  private state: 'start' | 'wait-resp' | 'wait-final' | 'done' | 'failed' = 'start';
  private established: SecurityContext | undefined;

  constructor(options: SpnegoInitiatorOptions) {
    this.mechTypes = options.mechTypes ?? [Oid.krb5];
    if (this.mechTypes.length === 0 || !this.mechTypes.every((m) => SPNEGO_KRB5_MECHS.includes(m)))
      throw new RangeError(`SPNEGO mechTypes must be Kerberos OIDs (${SPNEGO_KRB5_MECHS.join(', ')})`);
    this.mechTypesDer = encodeMechTypeList(this.mechTypes);
    this.krb5 = new Krb5Initiator({ ...options, mech: this.mechTypes[0]! });
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  step(inputToken?: Uint8Array): ContextStep {
    try {
      return this.run(inputToken);
    } catch (error) {
      if (!(error instanceof GssError)) throw error;
      this.state = 'failed';
      return { done: false, error };
    }
  }

  private run(inputToken: Uint8Array | undefined): ContextStep {
    if (this.state === 'start') {
      const first = this.krb5.step();
      if (first.error) throw first.error;
      this.state = 'wait-resp';
      const outputToken = encodeSpnegoToken({
        kind: 'init',
        framed: true,
        mechTypes: this.mechTypes,
        mechToken: first.outputToken,
      });
      return { outputToken, done: false };
    }
    if (inputToken === undefined)
      throw new GssStateError('SPNEGO initiator: a token from the acceptor is required');
    const resp = this.resp(inputToken);
    if (this.state === 'wait-final') {
      if (resp.negState !== NegState.acceptCompleted)
        throw new GssTokenError(
          `SPNEGO: expected accept-completed after our mechListMIC, got ${resp.negState}`,
        );
      if (resp.mechListMIC !== undefined)
        this.established!.verifyMic(this.mechTypesDer, resp.mechListMIC, MECH_LIST_MIC);
      return this.finish(undefined);
    }
    if (this.state !== 'wait-resp') throw new GssStateError(`SPNEGO initiator already ${this.state}`);
    if (resp.negState === NegState.reject)
      throw new GssTokenError('SPNEGO: the acceptor rejected the negotiation');
    if (resp.supportedMech !== undefined && resp.supportedMech !== this.mechTypes[0])
      throw new GssTokenError(
        `SPNEGO: the acceptor chose ${resp.supportedMech}, not the optimistic ${this.mechTypes[0]} (re-negotiation is not implemented)`,
      );
    if (resp.responseToken === undefined)
      throw new GssTokenError('SPNEGO: the acceptor sent no responseToken');
    const step = this.krb5.step(resp.responseToken);
    if (step.error) throw step.error;
    if (!step.done) throw new GssTokenError('SPNEGO: the Kerberos context needs more than one round trip');
    this.established = step.context;
    if (resp.mechListMIC !== undefined)
      step.context!.verifyMic(this.mechTypesDer, resp.mechListMIC, MECH_LIST_MIC);
    if (resp.negState === NegState.acceptIncomplete || resp.negState === NegState.requestMic) {
      // The acceptor wants our mechListMIC (Windows does this), then says accept-completed.
      this.state = 'wait-final';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        mechListMIC: step.context!.getMic(this.mechTypesDer),
      });
      return { outputToken, done: false };
    }
    return this.finish(undefined);
  }

  private resp(token: Uint8Array): NegTokenResp {
    const t = decodeSpnegoToken(token);
    if (t.kind !== 'resp') throw new GssTokenError('SPNEGO initiator: expected a NegTokenResp');
    return t;
  }

  private finish(outputToken: Uint8Array | undefined): ContextStep {
    this.state = 'done';
    return { outputToken, done: true, context: this.established };
  }
}

export interface SpnegoAcceptorOptions extends Krb5AcceptorOptions {
  /** Mechanisms accepted, in our order of preference; default [MS krb5, krb5]. */
  readonly mechTypes?: readonly string[];
  /** Called when a peer offers NTLMSSP (the NTLM audit): the mechanisms it offered. */
  readonly onNtlmAttempt?: (offered: readonly string[]) => void;
}

/** SPNEGO acceptor around {@link Krb5Acceptor}. */
export class SpnegoAcceptor {
  private readonly options: SpnegoAcceptorOptions;
  private readonly krb5: Krb5Acceptor;
  private state: 'start' | 'done' | 'failed' = 'start';
  private established: SecurityContext | undefined;

  constructor(options: SpnegoAcceptorOptions) {
    this.options = options;
    this.krb5 = new Krb5Acceptor({ ...options, mechs: options.mechs ?? [Oid.krb5, Oid.msKrb5] });
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  step(inputToken: Uint8Array): ContextStep {
    try {
      return this.run(inputToken);
    } catch (error) {
      if (!(error instanceof GssError)) throw error;
      this.state = 'failed';
      return { outputToken: reject(), done: false, error };
    }
  }

  private run(inputToken: Uint8Array): ContextStep {
    const token = decodeSpnegoToken(inputToken);
    if (this.state !== 'start') throw new GssStateError(`SPNEGO acceptor already ${this.state}`);
    if (token.kind !== 'init') throw new GssTokenError('SPNEGO acceptor: expected a NegTokenInit');
    const offered = token.mechTypes;
    if (offered.includes(Oid.ntlmssp)) this.options.onNtlmAttempt?.(offered);
    const ours = this.options.mechTypes ?? SPNEGO_KRB5_MECHS;
    const supported = ours.filter((m) => SPNEGO_KRB5_MECHS.includes(m));
    if (!offered.some((m) => supported.includes(m)))
      throw new SpnegoNoMechanismError(offered, noMechMessage(offered));
    const chosen = offered[0]!;
    if (!supported.includes(chosen) || token.mechToken === undefined)
      throw new GssTokenError(
        `SPNEGO: the initiator's optimistic mechanism ${offered[0]} is not ours (re-negotiation is not implemented)`,
      );
    const step = this.krb5.step(token.mechToken);
    if (step.error) {
      this.state = 'failed';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.reject,
        supportedMech: chosen,
        responseToken: step.outputToken,
      });
      return { outputToken, done: false, error: step.error };
    }
    this.established = step.context;
    if (token.mechListMIC !== undefined)
      step.context!.verifyMic(token.mechTypesDer!, token.mechListMIC, MECH_LIST_MIC);
    this.state = 'done';
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptCompleted,
      supportedMech: chosen,
      responseToken: step.outputToken,
    });
    return { outputToken, done: true, context: step.context };
  }
}

function reject(): Uint8Array {
  return encodeSpnegoToken({ kind: 'resp', framed: false, negState: NegState.reject });
}
