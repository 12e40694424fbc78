/**
 * What an AS or TGS exchange produces: a ticket with its session key and what the KDC said
 * about it in the encrypted part of the reply (RFC 4120 §5.4.2 EncKDCRepPart). This is the
 * information a credential cache stores (MIT ccache `krb5_creds`).
 */
import type { Key } from '@postntlm/krb5-crypto';
import {
  type HostAddress,
  type Principal,
  type TicketFlagName,
  ticketFlagNames,
  unparsePrincipal,
} from '@postntlm/krb5-messages';

/** A ticket, its session key and its times and flags (RFC 4120 §5.4.2). */
export interface Credential {
  /** The client (cname@crealm of the reply: the canonical name when canonicalize was asked). */
  readonly client: Principal;
  /** The service the ticket is for (sname@srealm of the encrypted part). */
  readonly server: Principal;
  /** The session key shared with `server`. */
  readonly sessionKey: Key;
  readonly authtime: Date;
  /** Start of validity; undefined means `authtime` (MIT leaves it out of AS-REPs). */
  readonly starttime: Date | undefined;
  readonly endtime: Date;
  /** Present only for renewable tickets. */
  readonly renewTill: Date | undefined;
  /** TicketFlags as a 32-bit number (`ticketFlagNames(flags)` names them). */
  readonly flags: number;
  /** The Ticket, exactly as the KDC sent it (DER, [APPLICATION 1]). */
  readonly ticket: Uint8Array;
  /** The enctype of the ticket's enc-part (the service key's enctype). */
  readonly ticketEnctype: number;
  /** The kvno of the service key, when the KDC gave it. */
  readonly ticketKvno: number | undefined;
  /** Addresses the ticket is restricted to (none by default). */
  readonly addresses: readonly HostAddress[];
  /**
   * KDC clock minus local clock in milliseconds, as measured during the exchange (from a
   * KRB-ERROR's stime/susec, or from the AS-REP's authtime); 0 when the clocks agree.
   * Later exchanges with this credential add it to the local time.
   */
  readonly kdcTimeOffsetMs: number;
  /** The key expiration (EncKDCRepPart key-expiration), when the KDC told it. */
  readonly keyExpiration: Date | undefined;
  /** Which tag the KDC put on the encrypted part (MIT answers AS-REQs with 26); undefined when read from a cache. */
  readonly encPartTag: 25 | 26 | undefined;
}

/** The names of the ticket flags of a credential (`['forwardable', 'renewable', 'initial', 'preAuthent']`). */
export function credentialFlags(credential: Credential): TicketFlagName[] {
  return ticketFlagNames(credential.flags);
}

/** `alice@MIT.TEST -> krbtgt/MIT.TEST@MIT.TEST` for logs. */
export function describeCredential(credential: Credential): string {
  return `${unparsePrincipal(credential.client)} -> ${unparsePrincipal(credential.server)}`;
}

/**
 * Whether the credential is valid at `now` (ms, local clock): started and not expired, as
 * the KDC sees the time (the local time plus `kdcTimeOffsetMs`).
 */
export function isCredentialCurrent(credential: Credential, now: number): boolean {
  const kdcNow = now + credential.kdcTimeOffsetMs;
  const start = (credential.starttime ?? credential.authtime).getTime();
  return kdcNow >= start - 300_000 && kdcNow < credential.endtime.getTime();
}
