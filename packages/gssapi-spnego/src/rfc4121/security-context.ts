/**
 * An established Kerberos GSS security context (RFC 4121): the keys both sides agreed on,
 * the context flags, the sequence numbers, and the per-message calls (GSS_GetMIC,
 * GSS_VerifyMIC, GSS_Wrap, GSS_Unwrap of RFC 2743 §2.3).
 */
import type { Credential } from '@postntlm/krb5-client';
import type { Key } from '@postntlm/krb5-crypto';
import type { Principal } from '@postntlm/krb5-messages';
import { GssSequenceError, GssTokenError, type SequenceProblem } from '../errors.js';
import { type GssChecksum, GssFlags } from './checksum.js';
import {
  makeMicToken,
  makeWrapToken,
  type PerMessageHeader,
  parsePerMessageHeader,
  unwrapToken,
  verifyMicToken,
} from './per-message.js';
import { SequenceWindow } from './sequence.js';

/** What both contexts know once established. */
export interface SecurityContextParams {
  readonly isInitiator: boolean;
  readonly mech: string;
  /** The ticket session key. */
  readonly ticketSessionKey: Key;
  /** The authenticator subkey (the initiator's). */
  readonly initiatorSubkey: Key | undefined;
  /** The subkey from the AP-REP, when the acceptor sent one. */
  readonly acceptorSubkey: Key | undefined;
  /** Context flags (`GssFlags`) in effect. */
  readonly flags: number;
  readonly client: Principal;
  readonly server: Principal;
  /** First sequence number the initiator sends with. */
  readonly initiatorSeq: number;
  /** First sequence number the acceptor sends with. */
  readonly acceptorSeq: number;
  /** Ticket end time: per-message calls keep working after it (as MIT does); for callers to check. */
  readonly endtime: Date;
  /** The KRB-CRED the initiator delegated (acceptor side), undecrypted. */
  readonly delegation?: Uint8Array | undefined;
  /** The delegated credentials, decrypted (acceptor side): usually one forwarded TGT. */
  readonly delegatedCredentials?: readonly Credential[] | undefined;
  /** The initiator's 0x8003 checksum (acceptor side): Bnd, flags and extensions (IAKerb FINISHED). */
  readonly gssChecksum?: GssChecksum | undefined;
}

/** Options for wrapping. */
export interface WrapCallOptions {
  /** Encrypt; default true (GSS_Wrap conf_req_flag). */
  readonly seal?: boolean;
  /** Right rotation count to write (default 0; Windows writes 28). */
  readonly rrc?: number;
  /** Filler count for sealed tokens (default 0). */
  readonly ec?: number;
}

/** The result of verifying or unwrapping a token. */
export interface VerifiedMessage {
  readonly message: Uint8Array;
  /** Whether it was encrypted (Wrap) — always false for MIC. */
  readonly sealed: boolean;
  /** A sequence finding that the context's flags do not make an error (RFC 2743 supplementary status). */
  readonly supplementary: SequenceProblem | undefined;
  readonly header: PerMessageHeader;
}

/** An established context. Not safe for concurrent use from two directions at once. */
export class SecurityContext {
  readonly isInitiator: boolean;
  readonly mech: string;
  readonly flags: number;
  readonly client: Principal;
  readonly server: Principal;
  readonly endtime: Date;
  readonly delegation: Uint8Array | undefined;
  /** Acceptor side: the credentials the initiator delegated (a forwarded TGT), when it did. */
  readonly delegatedCredentials: readonly Credential[] | undefined;
  /** Acceptor side: the initiator's 0x8003 checksum, for checks above this layer (IAKerb FINISHED). */
  readonly gssChecksum: GssChecksum | undefined;
  private readonly params: SecurityContextParams;
  /** RFC 4121 §2: the acceptor subkey if any, else the initiator subkey, else the session key. */
  private readonly key: Key;
  private readonly usesAcceptorSubkey: boolean;
  private sendSeq: bigint;
  private readonly window: SequenceWindow;

  constructor(params: SecurityContextParams) {
    this.params = params;
    this.isInitiator = params.isInitiator;
    this.mech = params.mech;
    this.flags = params.flags;
    this.client = params.client;
    this.server = params.server;
    this.endtime = params.endtime;
    this.delegation = params.delegation;
    this.gssChecksum = params.gssChecksum;
    this.delegatedCredentials = params.delegatedCredentials;
    this.usesAcceptorSubkey = params.acceptorSubkey !== undefined;
    this.key = params.acceptorSubkey ?? params.initiatorSubkey ?? params.ticketSessionKey;
    this.sendSeq = BigInt(params.isInitiator ? params.initiatorSeq : params.acceptorSeq);
    this.window = new SequenceWindow(BigInt(params.isInitiator ? params.acceptorSeq : params.initiatorSeq));
  }

  /** The key per-message tokens use (RFC 4121 §2). */
  get contextKey(): Key {
    return this.key;
  }

  get initiatorSubkey(): Key | undefined {
    return this.params.initiatorSubkey;
  }

  get acceptorSubkey(): Key | undefined {
    return this.params.acceptorSubkey;
  }

  get ticketSessionKey(): Key {
    return this.params.ticketSessionKey;
  }

  /**
   * The session key SMB 2/3 derives its keys from (MS-SMB2 §3.2.1.3 / §3.3.5.5.3): the
   * first 16 bytes of the acceptor subkey when the AP-REP had one, else of the initiator
   * subkey, else of the ticket session key; right-padded with zeros to 16 bytes.
   */
  smbSessionKey(): Uint8Array {
    const key = this.params.acceptorSubkey ?? this.params.initiatorSubkey ?? this.params.ticketSessionKey;
    const out = new Uint8Array(16);
    out.set(key.bytes.subarray(0, 16));
    return out;
  }

  /** GSS_GetMIC. */
  getMic(message: Uint8Array): Uint8Array {
    return makeMicToken(this.key, this.tokenOptions(), message);
  }

  /**
   * GSS_VerifyMIC: throws `GssIntegrityError`, `GssTokenError` or `GssSequenceError`.
   * `{ sequence: false }` checks the MIC without the replay/sequence window (and leaves
   * the window alone): for SPNEGO's mechListMIC, which Windows sends with SND_SEQ 0.
   * `{ sequence: 'if-next' }` records the number only when it is the one expected next
   * (a peer that numbers its mechListMIC in line, as MIT and this package do) and
   * otherwise leaves the window alone.
   */
  verifyMic(
    message: Uint8Array,
    token: Uint8Array,
    options: { sequence?: boolean | 'if-next' } = {},
  ): VerifiedMessage {
    const key = this.receiveKey(parsePerMessageHeader(token));
    const header = verifyMicToken(key, token, message);
    const skip =
      options.sequence === false || (options.sequence === 'if-next' && !this.window.isNext(header.seq));
    const supplementary = skip ? undefined : this.sequence(header.seq);
    return { message, sealed: false, supplementary, header };
  }

  /** GSS_Wrap: sealed unless `seal: false`. */
  wrap(message: Uint8Array, options: WrapCallOptions = {}): Uint8Array {
    return makeWrapToken(this.key, { ...this.tokenOptions(), ...options }, message);
  }

  /** GSS_Unwrap: throws `GssIntegrityError`, `GssTokenError` or `GssSequenceError`. */
  unwrap(token: Uint8Array): VerifiedMessage {
    const key = this.receiveKey(parsePerMessageHeader(token));
    const { message, header } = unwrapToken(key, token);
    return { message, sealed: header.sealed, supplementary: this.sequence(header.seq), header };
  }

  private tokenOptions(): { sentByAcceptor: boolean; acceptorSubkey: boolean; seq: bigint } {
    const seq = this.sendSeq;
    this.sendSeq = (seq + 1n) & 0xffffffffffffffffn;
    return { sentByAcceptor: !this.isInitiator, acceptorSubkey: this.usesAcceptorSubkey, seq };
  }

  /** Direction and key checks of §4.2.2 before any crypto. */
  private receiveKey(header: PerMessageHeader): Key {
    if (header.sentByAcceptor === !this.isInitiator)
      throw new GssTokenError(
        'per-message token: SentByAcceptor flag says it came from this side (reflected token)',
      );
    if (header.acceptorSubkey) {
      if (this.params.acceptorSubkey === undefined)
        throw new GssTokenError(
          'per-message token: AcceptorSubkey flag set, but the context has no acceptor subkey',
        );
      return this.params.acceptorSubkey;
    }
    return this.params.initiatorSubkey ?? this.params.ticketSessionKey;
  }

  private sequence(seq: bigint): SequenceProblem | undefined {
    const problem = this.window.check(seq);
    if (problem === undefined) return undefined;
    const replay = (this.flags & GssFlags.replay) !== 0;
    const sequence = (this.flags & GssFlags.sequence) !== 0;
    if ((problem === 'duplicate' || problem === 'old') && (replay || sequence))
      throw new GssSequenceError(
        problem,
        `per-message token ${seq}: ${problem} (GSS_S_${problem.toUpperCase()}_TOKEN)`,
      );
    if ((problem === 'gap' || problem === 'unseq') && sequence)
      throw new GssSequenceError(
        problem,
        `per-message token ${seq}: ${problem} (GSS_S_${problem.toUpperCase()}_TOKEN)`,
      );
    return problem;
  }
}
