/**
 * A refusal the engine turns into a KRB-ERROR (RFC 4120 §5.9.1). Internal: never leaves
 * `handle`. Not an `Error` on purpose: refusals are normal control flow (every first
 * AS-REQ gets PREAUTH_REQUIRED), and capturing a stack trace for each costs more than the
 * rest of the reply.
 */
import type { PrincipalName } from '@postntlm/krb5-messages';

export interface FailureFields {
  /** e-text: MIT puts its status string here (`NEEDED_PREAUTH`, `PREAUTH_FAILED`...). */
  readonly eText?: string;
  readonly eData?: Uint8Array;
  readonly crealm?: string;
  readonly cname?: PrincipalName;
}

export class KdcFailure {
  constructor(
    readonly code: number,
    readonly fields: FailureFields = {},
  ) {}
}
