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
 *
 * Other mechanisms plug in through `mechanisms` ({@link SpnegoMechanism}, e.g. IAKerb from
 * `@postntlm/iakerb`). A mechanism may need several legs: while its step returns a token
 * without being done, the acceptor answers accept-incomplete with that token as
 * responseToken and the initiator sends its next token in a NegTokenResp; the mechListMIC
 * rules above apply once it is established. A mechanism whose steps return Promises is
 * driven with `stepAsync`; the synchronous `step` refuses it with a `GssStateError`.
 */
import { Oid } from '@postntlm/der-asn1';
import type { Credential } from '@postntlm/krb5-client';
import { GssError, GssStateError, GssTokenError } from '../errors.js';
import type { Krb5AcceptorOptions } from '../rfc4121/acceptor.js';
import type { ContextStep } from '../rfc4121/common.js';
import type { Krb5InitiatorOptions } from '../rfc4121/initiator.js';
import type { SecurityContext } from '../rfc4121/security-context.js';
import { isPromiseLike, krb5Mechanism, type MechanismContext, type SpnegoMechanism } from './mechanism.js';
import {
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeSpnegoToken,
  NegState,
  type NegTokenInit,
  type NegTokenResp,
  spnegoHintToken,
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

/** What a state machine of this file yields: a mechanism step, sync or not; it is resumed with the result. */
type Machine = Generator<ContextStep | Promise<ContextStep>, ContextStep, ContextStep>;

/** The synchronous `step` met a mechanism that returned a Promise. */
class AsyncMechanismError extends GssStateError {}

/** Runs a machine to its end without waiting: a Promise from a mechanism is refused. */
function driveSync(machine: Machine, who: string): ContextStep {
  let r = machine.next();
  while (!r.done) {
    const value = r.value;
    if (isPromiseLike(value)) {
      value.then(undefined, () => {});
      machine.return({ done: false });
      throw new AsyncMechanismError(
        `${who}: the mechanism is asynchronous (its step returned a Promise): use stepAsync()`,
      );
    }
    r = machine.next(value);
  }
  return r.value;
}

/** Runs a machine to its end, awaiting each mechanism step. */
async function driveAsync(machine: Machine): Promise<ContextStep> {
  let r = machine.next();
  while (!r.done) r = machine.next(await r.value);
  return r.value;
}

/** The mechanism for `oid` on one side: the first of `extra` that has it, else built-in Kerberos. */
function mechanismFor(
  oid: string,
  side: 'createInitiator' | 'createAcceptor',
  extra: readonly SpnegoMechanism[],
  builtin: SpnegoMechanism | undefined,
): SpnegoMechanism | undefined {
  for (const m of extra) if (m.oids.includes(oid) && m[side] !== undefined) return m;
  if (builtin?.[side] !== undefined && builtin.oids.includes(oid)) return builtin;
  return undefined;
}

/** OIDs of `mechanisms`, in order, without repeats and without those in `already`. */
function extraOids(mechanisms: readonly SpnegoMechanism[], already: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of mechanisms)
    for (const oid of m.oids) if (!already.includes(oid) && !out.includes(oid)) out.push(oid);
  return out;
}

export interface SpnegoInitiatorOptions extends Omit<Krb5InitiatorOptions, 'mech' | 'credential'> {
  /**
   * The service ticket for the built-in Kerberos mechanism (krb5, MS krb5); without it only
   * `mechanisms` can run.
   */
  readonly credential?: Credential;
  /**
   * Mechanisms to offer, in our order of preference; default [krb5] (with `mechanisms`:
   * krb5 when `credential` is given, then the OIDs of `mechanisms`). At least one must be
   * one we can run (a Kerberos OID with `credential`, or an OID of `mechanisms`); others
   * (NEGOEX...) may be listed but are never run, and NTLMSSP is refused. When the first is
   * runnable it goes with an optimistic token; otherwise the initiator waits for the
   * acceptor's choice.
   */
  readonly mechTypes?: readonly string[];
  /** Mechanisms besides the built-in Kerberos one (e.g. IAKerb); they take precedence for their OIDs. */
  readonly mechanisms?: readonly SpnegoMechanism[];
}

/** SPNEGO initiator around the Kerberos mechanism and any `mechanisms`. */
export class SpnegoInitiator {
  private readonly mechTypes: readonly string[];
  private readonly mechTypesDer: Uint8Array;
  private readonly extra: readonly SpnegoMechanism[];
  private readonly builtin: SpnegoMechanism | undefined;
  private mech: MechanismContext | undefined;
  /** RFC 4178 §5: a mechListMIC exchange is mandatory (the acceptor chose another mechanism). */
  private micRequired = false;
  /** The acceptor's mechListMIC was verified. */
  private peerMicVerified = false;
  private busy = false;
  /**
   * `done-final`: established and done, but the acceptor may still send a last
   * accept-completed (Windows does, MIT does not) which {@link step} then takes.
   */
  private state: 'start' | 'wait-resp' | 'wait-mech' | 'wait-final' | 'done-final' | 'done' | 'failed' =
    'start';
  private established: SecurityContext | undefined;

  constructor(options: SpnegoInitiatorOptions) {
    this.extra = options.mechanisms ?? [];
    const credential = options.credential;
    this.builtin =
      credential === undefined ? undefined : krb5Mechanism({ initiator: { ...options, credential } });
    this.mechTypes =
      options.mechTypes ??
      (this.extra.length === 0
        ? [Oid.krb5]
        : [...(credential === undefined ? [] : [Oid.krb5]), ...extraOids(this.extra, [Oid.krb5])]);
    if (
      this.mechTypes.length === 0 ||
      this.mechTypes.includes(Oid.ntlmssp) ||
      !this.mechTypes.some((m) => this.runnable(m))
    )
      throw new RangeError(
        `SPNEGO mechTypes must include a mechanism we run (${[...SPNEGO_KRB5_MECHS, ...extraOids(this.extra, SPNEGO_KRB5_MECHS)].join(', ')}; Kerberos needs a credential) and not NTLMSSP`,
      );
    this.mechTypesDer = encodeMechTypeList(this.mechTypes);
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** The mechanism OIDs offered, in order (what mechListMIC covers). */
  get offered(): readonly string[] {
    return this.mechTypes;
  }

  /**
   * First call without a token; then with each acceptor token until `done` or `error`. For
   * mechanisms whose steps are synchronous (the built-in Kerberos one); throws a
   * `GssStateError` if a mechanism returns a Promise (use {@link stepAsync}).
   */
  step(inputToken?: Uint8Array): ContextStep {
    if (this.busy)
      return { done: false, error: new GssStateError('SPNEGO initiator: a step is in progress') };
    try {
      return driveSync(this.run(inputToken), 'SPNEGO initiator');
    } catch (error) {
      if (error instanceof AsyncMechanismError) {
        this.state = 'failed';
        throw error;
      }
      return this.fail(error);
    }
  }

  /** {@link step} for any mechanism, awaiting asynchronous steps. Rejects only for errors that are not `GssError`s. */
  async stepAsync(inputToken?: Uint8Array): Promise<ContextStep> {
    if (this.busy)
      return { done: false, error: new GssStateError('SPNEGO initiator: a step is in progress') };
    this.busy = true;
    try {
      return await driveAsync(this.run(inputToken));
    } catch (error) {
      return this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private fail(error: unknown): ContextStep {
    if (!(error instanceof GssError)) throw error;
    this.state = 'failed';
    return { done: false, error };
  }

  private runnable(oid: string): boolean {
    return mechanismFor(oid, 'createInitiator', this.extra, this.builtin) !== undefined;
  }

  private start(oid: string): MechanismContext {
    const mechanism = mechanismFor(oid, 'createInitiator', this.extra, this.builtin);
    if (mechanism === undefined) throw new GssTokenError(`SPNEGO: no mechanism to run ${oid}`);
    this.mech = mechanism.createInitiator!(oid);
    return this.mech;
  }

  private *run(inputToken: Uint8Array | undefined): Machine {
    if (this.state === 'start') {
      const first = this.mechTypes[0]!;
      let mechToken: Uint8Array | undefined;
      if (this.runnable(first)) {
        const step = yield this.start(first).step();
        if (step.error) throw step.error;
        mechToken = step.outputToken;
        // Established at once (Kerberos without mutual authentication).
        if (step.done) this.established = step.context ?? this.mech!.context;
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
      if (resp.mechListMIC !== undefined) this.verifyPeerMic(resp.mechListMIC);
      else if (this.micRequired && !this.peerMicVerified)
        throw new GssTokenError(
          'SPNEGO: the acceptor chose another mechanism than our first but sent no mechListMIC (RFC 4178 §5)',
        );
      return this.finish(undefined);
    }
    if (this.state === 'wait-resp') {
      const chosen = resp.supportedMech ?? this.mechTypes[0]!;
      if (chosen !== this.mechTypes[0] || this.mech === undefined)
        return yield* this.renegotiate(resp, chosen);
    } else if (this.state !== 'wait-mech') throw new GssStateError(`SPNEGO initiator already ${this.state}`);
    return yield* this.mechReply(resp);
  }

  /**
   * RFC 4178 §3.2: the acceptor chose a mechanism other than our optimistic one (or we sent
   * no optimistic token). Our optimistic token is discarded; the chosen mechanism starts
   * here and its first token goes in NegTokenResp.responseToken.
   */
  private *renegotiate(resp: NegTokenResp, chosen: string): Machine {
    if (!this.mechTypes.includes(chosen) || !this.runnable(chosen))
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen}, which we did not offer or cannot run`);
    if (resp.negState !== NegState.acceptIncomplete && resp.negState !== NegState.requestMic)
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen} but its negState is ${resp.negState}`);
    if (resp.responseToken !== undefined)
      throw new GssTokenError(`SPNEGO: the acceptor chose ${chosen} and already sent a token for it`);
    this.micRequired = chosen !== this.mechTypes[0];
    this.established = undefined;
    const step = yield this.start(chosen).step();
    if (step.error) throw step.error;
    this.state = 'wait-mech';
    let mechListMIC: Uint8Array | undefined;
    if (step.done) {
      // Without mutual authentication the context is ready now: our MIC can go along.
      this.established = this.contextOf(step);
      if (this.micRequired) mechListMIC = this.established.getMic(this.mechTypesDer);
    } else if (step.outputToken === undefined)
      throw new GssTokenError(`SPNEGO: the ${chosen} mechanism produced no first token`);
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      responseToken: step.outputToken,
      mechListMIC,
    });
    return { outputToken, done: false };
  }

  /** The acceptor's answer to our mechanism token (the optimistic one, the renegotiated one, or a later leg). */
  private *mechReply(resp: NegTokenResp): Machine {
    if (this.established === undefined) {
      if (resp.responseToken === undefined)
        throw new GssTokenError('SPNEGO: the acceptor sent no responseToken');
      const step = yield this.mech!.step(resp.responseToken);
      if (step.error) throw step.error;
      if (!step.done) {
        // A multi-leg mechanism (IAKerb): its next token goes in a NegTokenResp.
        if (resp.negState === NegState.acceptCompleted)
          throw new GssTokenError('SPNEGO: the acceptor completed but our mechanism needs more');
        if (resp.mechListMIC !== undefined)
          throw new GssTokenError('SPNEGO: a mechListMIC before the mechanism completed');
        if (step.outputToken === undefined)
          throw new GssTokenError('SPNEGO: our mechanism needs more but produced no token');
        this.state = 'wait-mech';
        return {
          outputToken: encodeSpnegoToken({ kind: 'resp', framed: false, responseToken: step.outputToken }),
          done: false,
        };
      }
      this.established = this.contextOf(step);
      if (step.outputToken !== undefined) {
        // The mechanism's last token goes to the acceptor, which completes on it; our MIC
        // goes along when the exchange needs one, the acceptor's comes with accept-completed.
        if (resp.negState === NegState.acceptCompleted)
          throw new GssTokenError('SPNEGO: the acceptor completed before our mechanism sent its last token');
        if (resp.mechListMIC !== undefined) this.verifyPeerMic(resp.mechListMIC);
        this.state = 'wait-final';
        const outputToken = encodeSpnegoToken({
          kind: 'resp',
          framed: false,
          responseToken: step.outputToken,
          mechListMIC: this.micRequired ? this.established.getMic(this.mechTypesDer) : undefined,
        });
        return { outputToken, done: false };
      }
    }
    const context = this.established;
    if (resp.mechListMIC !== undefined) this.verifyPeerMic(resp.mechListMIC);
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

  private verifyPeerMic(mic: Uint8Array): void {
    this.established!.verifyMic(this.mechTypesDer, mic, MECH_LIST_MIC);
    this.peerMicVerified = true;
  }

  private contextOf(step: ContextStep): SecurityContext {
    const context = step.context ?? this.mech?.context;
    if (context === undefined) throw new GssStateError('SPNEGO: the mechanism is done but has no context');
    return context;
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
  /**
   * Mechanisms accepted, in our order of preference; default [MS krb5, krb5], then the OIDs
   * of `mechanisms`. OIDs we cannot run are ignored.
   */
  readonly mechTypes?: readonly string[];
  /** Mechanisms besides the built-in Kerberos one (e.g. IAKerb); they take precedence for their OIDs. */
  readonly mechanisms?: readonly SpnegoMechanism[];
  /** Called when a peer offers NTLMSSP (the NTLM audit): the mechanisms it offered. */
  readonly onNtlmAttempt?: (offered: readonly string[]) => void;
}

/** SPNEGO acceptor around the Kerberos mechanism and any `mechanisms`. */
export class SpnegoAcceptor {
  private readonly options: SpnegoAcceptorOptions;
  private readonly extra: readonly SpnegoMechanism[];
  private readonly builtin: SpnegoMechanism;
  private readonly preference: readonly string[];
  private mech: MechanismContext | undefined;
  private chosenMech: string | undefined;
  private state: 'start' | 'wait-token' | 'wait-mic' | 'done' | 'failed' = 'start';
  private busy = false;
  private established: SecurityContext | undefined;
  /** The initiator's mechTypes, DER (what mechListMIC covers). */
  private mechTypesDer: Uint8Array | undefined;
  /** RFC 4178 §5: a mechListMIC exchange is mandatory (we chose another mechanism than the initiator's first). */
  private micRequired = false;

  constructor(options: SpnegoAcceptorOptions) {
    this.options = options;
    this.extra = options.mechanisms ?? [];
    this.builtin = krb5Mechanism({ acceptor: options });
    const ours = options.mechTypes ?? [...SPNEGO_KRB5_MECHS, ...extraOids(this.extra, SPNEGO_KRB5_MECHS)];
    this.preference = ours.filter(
      (m) => mechanismFor(m, 'createAcceptor', this.extra, this.builtin) !== undefined,
    );
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** The mechanism negotiated (once the NegTokenInit was processed). */
  get mechanism(): string | undefined {
    return this.chosenMech;
  }

  /** The mechanisms we run, in our order of preference. */
  get supported(): readonly string[] {
    return this.preference;
  }

  /** Our NegTokenInit2 hint (MS-SPNG §3.2.5.2) listing {@link supported}, for an SMB2 NEGOTIATE response. */
  hintToken(): Uint8Array {
    return spnegoHintToken(this.preference);
  }

  /**
   * Processes one initiator token, for mechanisms whose steps are synchronous (the built-in
   * Kerberos one); throws a `GssStateError` if a mechanism returns a Promise (use {@link stepAsync}).
   */
  step(inputToken: Uint8Array): ContextStep {
    if (this.busy) return { done: false, error: new GssStateError('SPNEGO acceptor: a step is in progress') };
    try {
      return driveSync(this.run(inputToken), 'SPNEGO acceptor');
    } catch (error) {
      if (error instanceof AsyncMechanismError) {
        this.state = 'failed';
        throw error;
      }
      return this.fail(error);
    }
  }

  /** {@link step} for any mechanism, awaiting asynchronous steps. Rejects only for errors that are not `GssError`s. */
  async stepAsync(inputToken: Uint8Array): Promise<ContextStep> {
    if (this.busy) return { done: false, error: new GssStateError('SPNEGO acceptor: a step is in progress') };
    this.busy = true;
    try {
      return await driveAsync(this.run(inputToken));
    } catch (error) {
      return this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private fail(error: unknown): ContextStep {
    if (!(error instanceof GssError)) throw error;
    this.state = 'failed';
    return { outputToken: reject(), done: false, error };
  }

  private *run(inputToken: Uint8Array): Machine {
    const token = decodeSpnegoToken(inputToken);
    if (this.state === 'start') {
      if (token.kind !== 'init') throw new GssTokenError('SPNEGO acceptor: expected a NegTokenInit');
      return yield* this.init(token);
    }
    if (token.kind !== 'resp') throw new GssTokenError('SPNEGO acceptor: expected a NegTokenResp');
    if (token.negState === NegState.reject) throw new GssTokenError('SPNEGO: the initiator gave up');
    if (this.state === 'wait-token') {
      if (token.responseToken === undefined)
        throw new GssTokenError('SPNEGO: the initiator sent no token for the chosen mechanism');
      return yield* this.accept(token.responseToken, token.mechListMIC, undefined);
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

  private start(oid: string): void {
    const mechanism = mechanismFor(oid, 'createAcceptor', this.extra, this.builtin)!;
    this.chosenMech = oid;
    this.mech = mechanism.createAcceptor!(oid);
  }

  private *init(token: NegTokenInit): Machine {
    const offered = token.mechTypes;
    if (offered.includes(Oid.ntlmssp)) this.options.onNtlmAttempt?.(offered);
    const supported = this.preference;
    const first = offered[0];
    this.mechTypesDer = token.mechTypesDer;
    if (first !== undefined && supported.includes(first) && token.mechToken !== undefined) {
      // The initiator's first mechanism is ours: its optimistic token is used.
      this.start(first);
      return yield* this.accept(token.mechToken, token.mechListMIC, first);
    }
    // Otherwise our most preferred mechanism among those offered; the optimistic token
    // (if any) is discarded and the initiator starts the chosen mechanism (RFC 4178 §3.2).
    const chosen = supported.find((m) => offered.includes(m));
    if (chosen === undefined) throw new SpnegoNoMechanismError(offered, noMechMessage(offered));
    this.micRequired = chosen !== first;
    this.start(chosen);
    this.state = 'wait-token';
    const outputToken = encodeSpnegoToken({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptIncomplete,
      supportedMech: chosen,
    });
    return { outputToken, done: false };
  }

  /** Runs a mechanism token; `supportedMech` is set on the first reply only. */
  private *accept(
    mechToken: Uint8Array,
    peerMic: Uint8Array | undefined,
    supportedMech: string | undefined,
  ): Machine {
    const step = yield this.mech!.step(mechToken);
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
    if (!step.done) {
      // A multi-leg mechanism (IAKerb): its token goes back, accept-incomplete.
      if (peerMic !== undefined)
        throw new GssTokenError('SPNEGO: a mechListMIC before the mechanism completed');
      if (step.outputToken === undefined)
        throw new GssTokenError(`SPNEGO: the ${this.chosenMech} mechanism needs more but produced no token`);
      this.state = 'wait-token';
      const outputToken = encodeSpnegoToken({
        kind: 'resp',
        framed: false,
        negState: NegState.acceptIncomplete,
        supportedMech,
        responseToken: step.outputToken,
      });
      return { outputToken, done: false };
    }
    const context = step.context ?? this.mech!.context;
    if (context === undefined) throw new GssStateError('SPNEGO: the mechanism is done but has no context');
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
