/**
 * SPNEGO (RFC 4178, MS-SPNG) initiator and acceptor over the Kerberos mechanism, sans-IO.
 *
 * The optimistic case that Kerberos always uses: the initiator offers its mechanisms with
 * an AP-REQ for the first one; the acceptor takes it when it supports that first mechanism
 * and answers accept-completed with the AP-REP (no mechListMIC unless the initiator sent
 * one, as MIT does; RFC 4178 §5 allows it). Re-negotiation (RFC 4178 §3.2): when the first
 * offered mechanism is not one the acceptor runs, or came without a token, the acceptor
 * picks its most preferred offered mechanism, discards the optimistic token and answers
 * accept-incomplete with that supportedMech; the initiator starts it and sends its first
 * token in NegTokenResp.responseToken. If the choice is not the initiator's first, both
 * sides must send and verify a mechListMIC over the DER of the initiator's mechTypes (§5).
 * A received mechListMIC is always verified, and answered by our own. krb5 and MS krb5
 * (1.2.840.48018.1.2.2) are both the Kerberos mechanism. NTLMSSP is never offered nor
 * accepted.
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
  type NegTokenInit,
  type NegTokenResp,
} from './negotiation-token.js';

/**
 * mechListMIC is checked outside the per-message sequence window unless it carries the
 * number expected next: Windows numbers it SND_SEQ 0 whatever its AP-REP said
 * (test/vectors/windows-29617-exchange.json), MIT and this package number it in line.
 */
const MECH_LIST_MIC = { sequence: 'if-next' } as const;

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
  /**
   * Mechanisms to offer, in our order of preference; default [krb5]. At least one must be
   * a Kerberos OID (krb5 or MS krb5); others (IAKerb, NEGOEX...) may be listed but are
   * never run, and NTLMSSP is refused. When the first is a Kerberos OID it goes with an
   * optimistic AP-REQ; otherwise the initiator waits for the acceptor's choice.
   */
  readonly mechTypes?: readonly string[];
}

/** SPNEGO initiator around {@link Krb5Initiator}. */
export class SpnegoInitiator {
  private readonly options: SpnegoInitiatorOptions;
  private readonly mechTypes: readonly string[];
  private readonly mechTypesDer: Uint8Array;
  private krb5: Krb5Initiator | undefined;
  /** RFC 4178 §5: a mechListMIC exchange is mandatory (the acceptor chose another mechanism). */
  private micRequired = false;
  /**
   * `done-final`: established and done, but the acceptor may still send a last
   * accept-completed (Windows does, MIT does not) which {@link step} then takes.
   */
  private state: 'start' | 'wait-resp' | 'wait-mech' | 'wait-final' | 'done-final' | 'done' | 'failed' =
    'start';
  private established: SecurityContext | undefined;

  constructor(options: SpnegoInitiatorOptions) {
    this.options = options;
    this.mechTypes = options.mechTypes ?? [Oid.krb5];
    if (
      this.mechTypes.length === 0 ||
      this.mechTypes.includes(Oid.ntlmssp) ||
      !this.mechTypes.some((m) => SPNEGO_KRB5_MECHS.includes(m))
    )
      throw new RangeError(
        `SPNEGO mechTypes must include a Kerberos OID (${SPNEGO_KRB5_MECHS.join(', ')}) and not NTLMSSP`,
      );
    this.mechTypesDer = encodeMechTypeList(this.mechTypes);
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
      const first = this.mechTypes[0]!;
      let mechToken: Uint8Array | undefined;
      if (SPNEGO_KRB5_MECHS.includes(first)) {
        this.krb5 = new Krb5Initiator({ ...this.options, mech: first });
        const step = this.krb5.step();
        if (step.error) throw step.error;
        mechToken = step.outputToken;
      }
      this.state = 'wait-resp';
      const outputToken = encodeSpnegoToken({
        kind: 'init',
        framed: true,
        mechTypes: this.mechTypes,
        mechToken,
      });
      return { outputToken, done: false };
    }
    if (inputToken === undefined)
      throw new GssStateError('SPNEGO initiator: a token from the acceptor is required');
    const resp = this.resp(inputToken);
    if (resp.negState === NegState.reject)
      throw new GssTokenError('SPNEGO: the acceptor rejected the negotiation');
    if (this.state === 'wait-final' || this.state === 'done-final') {
      if (resp.negState !== NegState.acceptCompleted)
        throw new GssTokenError(
          `SPNEGO: expected accept-completed after our mechListMIC, got ${resp.negState}`,
        );
      if (resp.mechListMIC !== undefined)
        this.established!.verifyMic(this.mechTypesDer, resp.mechListMIC, MECH_LIST_MIC);
      return this.finish(undefined);
    }
    if (this.state === 'wait-resp') {
      const chosen = resp.supportedMech ?? this.mechTypes[0]!;
      if (chosen !== this.mechTypes[0] || this.krb5 === undefined) return this.renegotiate(resp, chosen);
    } else if (this.state !== 'wait-mech') throw new GssStateError(`SPNEGO initiator already ${this.state}`);
    return this.mechReply(resp);
  }

  /**
   * RFC 4178 §3.2: the acceptor chose a mechanism other than our optimistic one (or we sent
   * no optimistic token). Our optimistic token is discarded; the chosen mechanism starts
   * here and its first token goes in NegTokenResp.responseToken.
   */
  private renegotiate(resp: NegTokenResp, chosen: string): ContextStep {
    if (!this.mechTypes.includes(chosen) || !SPNEGO_KRB5_MECHS.includes(chosen))
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen}, which we did not offer or cannot run`);
    if (resp.negState !== NegState.acceptIncomplete && resp.negState !== NegState.requestMic)
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen} but its negState is ${resp.negState}`);
    if (resp.responseToken !== undefined)
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen} and already sent a token for it`);
    this.micRequired = chosen !== this.mechTypes[0];
    this.krb5 = new Krb5Initiator({ ...this.options, mech: chosen });
    const step = this.krb5.step();
    if (step.error) throw step.error;
    this.state = 'wait-mech';
    let mechListMIC: Uint8Array | undefined;
    if (step.done) {
      // Without mutual authentication the context is ready now: our MIC can go along.
      this.established = step.context;
      if (this.micRequired) mechListMIC = step.context!.getMic(this.mechTypesDer);
    }
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      responseToken: step.outputToken,
      mechListMIC,
    });
    return { outputToken, done: false };
  }

  /** The acceptor's answer to our mechanism token (the optimistic one or the renegotiated one). */
  private mechReply(resp: NegTokenResp): ContextStep {
    if (this.established === undefined) {
      if (resp.responseToken === undefined)
        throw new GssTokenError('SPNEGO: the acceptor sent no responseToken');
      const step = this.krb5!.step(resp.responseToken);
      if (step.error) throw step.error;
      if (!step.done) throw new GssTokenError('SPNEGO: the Kerberos context needs more than one round trip');
      this.established = step.context;
    }
    const context = this.established!;
    if (resp.mechListMIC !== undefined) context.verifyMic(this.mechTypesDer, resp.mechListMIC, MECH_LIST_MIC);
    else if (this.micRequired)
      throw new GssTokenError(
        'SPNEGO: the acceptor chose another mechanism than our first but sent no mechListMIC (RFC 4178 §5)',
      );
    if (resp.negState === NegState.acceptIncomplete || resp.negState === NegState.requestMic) {
      // The acceptor wants our mechListMIC (Windows does this, and RFC 4178 §5 requires it
      // after a re-negotiation). When we already hold its MIC, the context is complete once
      // ours is sent (as MIT's initiator says GSS_S_COMPLETE there; MIT's acceptor sends
      // nothing more, Windows' sends accept-completed, which step() still takes).
      // Otherwise we wait for accept-completed.
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        mechListMIC: context.getMic(this.mechTypesDer),
      });
      if (resp.mechListMIC !== undefined) {
        this.state = 'done-final';
        return { outputToken, done: true, context };
      }
      this.state = 'wait-final';
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
  private state: 'start' | 'wait-token' | 'wait-mic' | 'done' | 'failed' = 'start';
  private established: SecurityContext | undefined;
  /** The initiator's mechTypes, DER (what mechListMIC covers). */
  private mechTypesDer: Uint8Array | undefined;
  /** RFC 4178 §5: a mechListMIC exchange is mandatory (we chose another mechanism than the initiator's first). */
  private micRequired = false;

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
    if (this.state === 'start') {
      if (token.kind !== 'init') throw new GssTokenError('SPNEGO acceptor: expected a NegTokenInit');
      return this.init(token);
    }
    if (token.kind !== 'resp') throw new GssTokenError('SPNEGO acceptor: expected a NegTokenResp');
    if (token.negState === NegState.reject) throw new GssTokenError('SPNEGO: the initiator gave up');
    if (this.state === 'wait-token') {
      if (token.responseToken === undefined)
        throw new GssTokenError('SPNEGO: the initiator sent no token for the chosen mechanism');
      return this.accept(token.responseToken, token.mechListMIC, undefined);
    }
    if (this.state === 'wait-mic') {
      if (token.mechListMIC === undefined)
        throw new GssTokenError('SPNEGO: the initiator sent no mechListMIC (RFC 4178 §5)');
      this.established!.verifyMic(this.mechTypesDer!, token.mechListMIC, MECH_LIST_MIC);
      this.state = 'done';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.acceptCompleted,
      });
      return { outputToken, done: true, context: this.established };
    }
    throw new GssStateError(`SPNEGO acceptor already ${this.state}`);
  }

  private init(token: NegTokenInit): ContextStep {
    const offered = token.mechTypes;
    if (offered.includes(Oid.ntlmssp)) this.options.onNtlmAttempt?.(offered);
    const ours = this.options.mechTypes ?? SPNEGO_KRB5_MECHS;
    const supported = ours.filter((m) => SPNEGO_KRB5_MECHS.includes(m));
    const first = offered[0];
    this.mechTypesDer = token.mechTypesDer;
    if (first !== undefined && supported.includes(first) && token.mechToken !== undefined)
      // The initiator's first mechanism is ours: its optimistic token is used.
      return this.accept(token.mechToken, token.mechListMIC, first);
    // Otherwise our most preferred mechanism among those offered; the optimistic token
    // (if any) is discarded and the initiator starts the chosen mechanism (RFC 4178 §3.2).
    const chosen = supported.find((m) => offered.includes(m));
    if (chosen === undefined) throw new SpnegoNoMechanismError(offered, noMechMessage(offered));
    this.micRequired = chosen !== first;
    this.state = 'wait-token';
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: chosen,
    });
    return { outputToken, done: false };
  }

  /** Runs the Kerberos token; `supportedMech` is set on the first reply only. */
  private accept(
    mechToken: Uint8Array,
    peerMic: Uint8Array | undefined,
    supportedMech: string | undefined,
  ): ContextStep {
    const step = this.krb5.step(mechToken);
    if (step.error) {
      this.state = 'failed';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.reject,
        supportedMech,
        responseToken: step.outputToken,
      });
      return { outputToken, done: false, error: step.error };
    }
    const context = step.context!;
    this.established = context;
    if (peerMic !== undefined) context.verifyMic(this.mechTypesDer!, peerMic, MECH_LIST_MIC);
    // RFC 4178 §5: our MIC when it is required or when the initiator sent one.
    const mechListMIC =
      this.micRequired || peerMic !== undefined ? context.getMic(this.mechTypesDer!) : undefined;
    if (this.micRequired && peerMic === undefined) {
      this.state = 'wait-mic';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.acceptIncomplete,
        supportedMech,
        responseToken: step.outputToken,
        mechListMIC,
      });
      return { outputToken, done: false };
    }
    this.state = 'done';
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptCompleted,
      supportedMech,
      responseToken: step.outputToken,
      mechListMIC,
    });
    return { outputToken, done: true, context };
  }
}

function reject(): Uint8Array {
  return encodeSpnegoToken({ kind: 'resp', framed: false, negState: NegState.reject });
}
