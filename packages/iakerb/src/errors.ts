/**
 * Typed IAKerb failures: every refusal of a token, a realm or a checksum is one of these.
 * They are `GssError`s, so they travel in the same `ContextStep.error` as the Kerberos
 * mechanism's own failures.
 */
import { GssError, type GssErrorCategory } from '@postntlm/gssapi-spnego';
import type { KrbError } from '@postntlm/krb5-messages';

export type IakerbFailureCode =
  /** Not an IAKerb token, truncated, oversized or with trailing bytes. */
  | 'malformed-token'
  /** A well-formed token that does not belong at this point of the exchange. */
  | 'unexpected-token'
  /** The acceptor may not proxy to this realm (not on its allow-list). */
  | 'realm-not-allowed'
  /** More proxied messages than the limit (26 by default). */
  | 'too-many-messages'
  /** KRB-ERROR 85 from the proxy, or no KDC known for the realm. */
  | 'kdc-not-found'
  /** KRB-ERROR 86 from the proxy, or the KDC did not answer in time. */
  | 'kdc-no-response'
  /** The AP-REQ lacked the FINISHED checksum although proxy tokens were exchanged. */
  | 'finished-missing'
  /** The FINISHED checksum did not verify. */
  | 'finished-invalid'
  /** The Kerberos exchange failed (the cause holds krb5-client's or gssapi-spnego's error). */
  | 'kerberos'
  /** The context was used out of order. */
  | 'state';

const CATEGORY: Record<IakerbFailureCode, GssErrorCategory> = {
  'malformed-token': 'token',
  'unexpected-token': 'token',
  'realm-not-allowed': 'kerberos',
  'too-many-messages': 'token',
  'kdc-not-found': 'kerberos',
  'kdc-no-response': 'kerberos',
  'finished-missing': 'integrity',
  'finished-invalid': 'integrity',
  kerberos: 'kerberos',
  state: 'state',
};

/** Why an IAKerb context failed; `code` for programs, `message` for people. */
export class IakerbError extends GssError {
  override name = 'IakerbError';
  constructor(
    readonly code: IakerbFailureCode,
    message: string,
    options?: { cause?: unknown; krbError?: KrbError },
  ) {
    super(CATEGORY[code], message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.krbError = options?.krbError;
  }
  /** The KRB-ERROR behind a `kdc-*` code, when the proxy sent one. */
  readonly krbError: KrbError | undefined;
}
