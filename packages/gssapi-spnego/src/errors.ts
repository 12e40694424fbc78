/**
 * The errors of this package. `GssTokenError` for malformed tokens (what the input was and
 * where it broke); `GssKerberosError` when a Kerberos check failed or the peer sent a
 * KRB-ERROR, named after the RFC 4120 §7.5.9 code (`KRB_AP_ERR_REPEAT`); `GssIntegrityError`
 * for a MIC or Wrap whose checksum or decryption failed; `GssSequenceError` for a
 * per-message token out of order, replayed or too old; `GssStateError` for a call the
 * context's state does not allow.
 */
import { describeErrorCode, errorCodeName, type KrbError } from '@postntlm/krb5-messages';

export type GssErrorCategory = 'token' | 'kerberos' | 'integrity' | 'sequence' | 'state';

/** Base class of every error this package throws. */
export class GssError extends Error {
  override name = 'GssError';
  constructor(
    readonly category: GssErrorCategory,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A token that is truncated, too long, wrongly framed or otherwise not what the RFC says. */
export class GssTokenError extends GssError {
  override name = 'GssTokenError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('token', message, options);
  }
}

/**
 * A Kerberos failure with its RFC 4120 code: raised by the acceptor for the check that
 * failed (the same code goes into the KRB-ERROR token it returns), and by the initiator for
 * a KRB-ERROR the acceptor sent (`krbError` is then set).
 */
export class GssKerberosError extends GssError {
  override name: string;
  /** The RFC name of `code`, e.g. `KRB_AP_ERR_SKEW`. */
  readonly codeName: string;
  constructor(
    readonly code: number,
    detail: string,
    options?: { cause?: unknown; krbError?: KrbError },
  ) {
    super('kerberos', `${describeErrorCode(code)}: ${detail}`, options);
    this.codeName = errorCodeName(code) ?? `KRB_ERR_${code}`;
    this.name = this.codeName;
    this.krbError = options?.krbError;
  }
  /** The peer's KRB-ERROR, when this error came from one. */
  readonly krbError: KrbError | undefined;
}

/** A MIC or Wrap token whose checksum did not verify or whose ciphertext did not decrypt (GSS_S_BAD_SIG). */
export class GssIntegrityError extends GssError {
  override name = 'GssIntegrityError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('integrity', message, options);
  }
}

/** RFC 2743 §1.2.3 supplementary status of a per-message token: duplicate, old, unseq or gap. */
export type SequenceProblem = 'duplicate' | 'old' | 'unseq' | 'gap';

/** A per-message token replayed, too old or out of order (when sequencing was asked for). */
export class GssSequenceError extends GssError {
  override name = 'GssSequenceError';
  constructor(
    readonly problem: SequenceProblem,
    message: string,
  ) {
    super('sequence', message);
  }
}

/** A method called in a state that does not allow it (a MIC before the context is established). */
export class GssStateError extends GssError {
  override name = 'GssStateError';
  constructor(message: string) {
    super('state', message);
  }
}
