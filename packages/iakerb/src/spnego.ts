/**
 * IAKerb as a SPNEGO mechanism (the way Windows runs it inside SMB2 SESSION_SETUP): the
 * acceptor advertises MS krb5, krb5 and IAKerb, in that order and nothing else; the
 * initiator offers IAKerb first (with an optimistic proxy token in its NegTokenInit) when
 * no KDC is reachable or when told to. While the proxied KDC exchanges run, the acceptor
 * answers `accept-incomplete` with `supportedMech` IAKerb (first reply only) and the proxy
 * token in `responseToken`; the AP exchange closes the mechanism, and the RFC 4178 §5
 * mechListMIC rules apply to the resulting krb5 context as to plain Kerberos.
 *
 * The IAKerb steps are asynchronous (the acceptor waits for the KDC): drive the SPNEGO
 * contexts with `stepAsync`.
 */
import { Oid } from '@postntlm/der-asn1';
import {
  type MechanismContext,
  SpnegoAcceptor,
  type SpnegoAcceptorOptions,
  SpnegoInitiator,
  type SpnegoInitiatorOptions,
  type SpnegoMechanism,
  spnegoHintToken,
} from '@postntlm/gssapi-spnego';
import { IakerbAcceptor, type IakerbAcceptorOptions } from './acceptor.js';
import { IAKERB_OID } from './constants.js';
import { IakerbInitiator, type IakerbInitiatorOptions } from './initiator.js';

/** What an IAKerb-capable SPNEGO acceptor advertises and accepts, in Windows' order: MS krb5, krb5, IAKerb. */
export const IAKERB_SPNEGO_MECHS: readonly string[] = Object.freeze([Oid.msKrb5, Oid.krb5, IAKERB_OID]);

/**
 * The IAKerb mechanism (1.3.6.1.5.2.5) for `SpnegoInitiator` / `SpnegoAcceptor`
 * (`mechanisms: [iakerbMechanism(...)]`): each security context gets a fresh
 * {@link IakerbInitiator} or {@link IakerbAcceptor} made from these options. Give
 * `initiator`, `acceptor` or both, for the sides this process plays.
 */
export function iakerbMechanism(options: {
  readonly initiator?: IakerbInitiatorOptions;
  readonly acceptor?: IakerbAcceptorOptions;
}): SpnegoMechanism {
  const { initiator, acceptor } = options;
  if (acceptor !== undefined && (typeof acceptor.realm !== 'string' || acceptor.realm.length === 0))
    throw new RangeError('iakerbMechanism: the acceptor realm is required');
  return {
    oids: [IAKERB_OID],
    ...(initiator === undefined
      ? {}
      : { createInitiator: (): MechanismContext => new IakerbInitiator(initiator) }),
    ...(acceptor === undefined
      ? {}
      : { createAcceptor: (): MechanismContext => new IakerbAcceptor(acceptor) }),
  };
}

/**
 * The MS-SPNG NegTokenInit2 hint of an IAKerb-capable acceptor, listing exactly
 * [MS krb5, krb5, IAKerb] (the security buffer of an SMB2 NEGOTIATE response).
 */
export function iakerbHintToken(): Uint8Array {
  return spnegoHintToken(IAKERB_SPNEGO_MECHS);
}

/** The IAKerb proxy of a SPNEGO acceptor: the Kerberos options (keytab, clock...) default to the acceptor's own. */
export type IakerbProxyOptions = Pick<IakerbAcceptorOptions, 'realm' | 'kdc'> &
  Partial<IakerbAcceptorOptions>;

export interface IakerbSpnegoAcceptorOptions
  extends Omit<SpnegoAcceptorOptions, 'mechTypes' | 'mechanisms' | 'mechs' | 'checkExtensions'> {
  /** The realm whose KDC the proxy forwards to, the KDC transport, and IAKerb policy (dialect, FINISHED, limits). */
  readonly iakerb: IakerbProxyOptions;
}

/**
 * A SPNEGO acceptor that advertises and accepts [MS krb5, krb5, IAKerb] and nothing else
 * (NTLMSSP is refused, `onNtlmAttempt` sees it): Kerberos AP-REQs from clients with
 * tickets, IAKerb from clients without a way to a KDC. Its `hintToken()` is
 * {@link iakerbHintToken}. Drive it with `stepAsync`.
 */
export function createSpnegoAcceptor(options: IakerbSpnegoAcceptorOptions): SpnegoAcceptor {
  const { iakerb, onNtlmAttempt, ...krb5 } = options;
  const acceptor: IakerbAcceptorOptions = { ...krb5, ...iakerb };
  return new SpnegoAcceptor({
    ...krb5,
    ...(onNtlmAttempt === undefined ? {} : { onNtlmAttempt }),
    mechTypes: IAKERB_SPNEGO_MECHS,
    mechanisms: [iakerbMechanism({ acceptor })],
  });
}

/**
 * How an initiator offers IAKerb: `always` IAKerb first, with an optimistic proxy token
 * (then krb5 when a ticket is at hand); `fallback` krb5 first with an optimistic AP-REQ,
 * IAKerb second for an acceptor that takes no krb5; `never` krb5 only.
 */
export type IakerbUse = 'always' | 'fallback' | 'never';

/**
 * The "IAKerb when no KDC is reachable" rule, for a client (the SMB client) that has tried
 * to reach a KDC for the service's realm itself:
 *
 * - `policy` `always` or `never` wins (the user asked);
 * - without IAKerb options there is nothing to offer but krb5: `never`;
 * - no KDC reachable, or no service ticket obtained from it: `always`;
 * - otherwise `fallback` (krb5 with the ticket, IAKerb offered second).
 */
export function chooseIakerbUse(state: {
  readonly policy?: IakerbUse | 'auto';
  /** A KDC for the service's realm answered (DNS SRV, krb5.conf, a direct try). */
  readonly kdcReachable: boolean;
  /** A service ticket is held (from that KDC or a credential cache). */
  readonly haveTicket: boolean;
  /** IAKerb is configured (client name and credentials). */
  readonly iakerbConfigured?: boolean;
}): IakerbUse {
  const policy = state.policy ?? 'auto';
  if (policy !== 'auto') return policy;
  if (state.iakerbConfigured === false) return 'never';
  if (!state.kdcReachable || !state.haveTicket) return 'always';
  return 'fallback';
}

export interface IakerbSpnegoInitiatorOptions
  extends Omit<SpnegoInitiatorOptions, 'mechTypes' | 'mechanisms'> {
  /**
   * The IAKerb initiator (client, credentials, server, dialect...); its `flags`,
   * `channelBindings`, `clock` and `random` default to the top-level ones. Needed unless
   * `use` is `never`.
   */
  readonly iakerb?: IakerbInitiatorOptions;
  /** How IAKerb is offered (see {@link IakerbUse}); `auto` (default) applies {@link chooseIakerbUse}. */
  readonly use?: IakerbUse | 'auto';
  /** For `auto`: whether the client could reach a KDC (default: it could when `credential` is given). */
  readonly kdcReachable?: boolean;
  /** The Kerberos OID offered for direct krb5: krb5 (default) or MS krb5 (as Windows clients do). */
  readonly krb5Mech?: string;
}

/**
 * A SPNEGO initiator that offers IAKerb and/or Kerberos: `credential` is a service ticket
 * for direct krb5, `iakerb` the IAKerb options. Drive it with `stepAsync`.
 */
export function createSpnegoInitiator(options: IakerbSpnegoInitiatorOptions): SpnegoInitiator {
  const { iakerb, use = 'auto', kdcReachable, krb5Mech = Oid.krb5, ...spnego } = options;
  if (krb5Mech !== Oid.krb5 && krb5Mech !== Oid.msKrb5)
    throw new RangeError(`krb5Mech must be ${Oid.krb5} or ${Oid.msKrb5}`);
  const haveTicket = spnego.credential !== undefined;
  const mode = chooseIakerbUse({
    policy: use,
    kdcReachable: kdcReachable ?? haveTicket,
    haveTicket,
    iakerbConfigured: iakerb !== undefined,
  });
  if (mode !== 'never' && iakerb === undefined)
    throw new RangeError(`createSpnegoInitiator: IAKerb use '${mode}' needs the iakerb options`);
  if (mode !== 'always' && !haveTicket)
    throw new RangeError(
      `createSpnegoInitiator: IAKerb use '${mode}' needs a service ticket (credential) for krb5`,
    );
  const mechTypes =
    mode === 'always'
      ? [IAKERB_OID, ...(haveTicket ? [krb5Mech] : [])]
      : mode === 'fallback'
        ? [krb5Mech, IAKERB_OID]
        : [krb5Mech];
  const mechanisms =
    iakerb === undefined || mode === 'never'
      ? []
      : [
          iakerbMechanism({
            initiator: {
              ...(spnego.flags === undefined ? {} : { flags: spnego.flags }),
              ...(spnego.channelBindings === undefined ? {} : { channelBindings: spnego.channelBindings }),
              ...(spnego.clock === undefined ? {} : { clock: spnego.clock }),
              ...(spnego.random === undefined ? {} : { random: spnego.random }),
              ...iakerb,
            },
          }),
        ];
  return new SpnegoInitiator({ ...spnego, mechTypes, mechanisms });
}
