/**
 * The I/O edge of the exchanges: `getInitialCredentials` (AS, RFC 4120 §3.1) and
 * `getServiceTicket` (TGS, §3.3) drive the sans-IO exchanges with `sendToKdc` (krb5.conf
 * KDC list or DNS SRV, UDP/TCP with failover and a deadline), or with any `send` function
 * (a test double, a KDC proxy, IAKerb). Defaults come from krb5.conf's [libdefaults] for
 * the realm, as MIT's kinit and kvno take them.
 */
import { Enctype } from '@postntlm/krb5-crypto';
import type { Principal } from '@postntlm/krb5-messages';
import { parsePrincipal } from '@postntlm/krb5-messages';
import { defaultKrb5Config, type Krb5Config, type Libdefaults, libdefaultsForRealm } from './config/index.js';
import {
  type AsCredentials,
  type AsRequestOptions,
  type Clock,
  type Credential,
  createAsExchange,
  createTgsExchange,
  type KdcExchange,
  kdcRealmOf,
  type Random,
  runExchange,
  type TgsRequestOptions,
} from './exchange/index.js';
import { type SendToKdcOptions, sendToKdc } from './locator/index.js';

/** Carries one KDC request to a KDC of `realm` and resolves with the reply. */
export type KdcSend = (realm: string, request: Uint8Array, preferStream: boolean) => Promise<Uint8Array>;

/** How the high-level functions reach KDCs. */
export interface KdcConnectionOptions {
  /** krb5.conf (see `loadKrb5Config`); default: an empty one (DNS SRV only). */
  readonly config?: Krb5Config;
  /** Options for `sendToKdc` (timeouts, deadline, KDC list, transports, signal). */
  readonly sendOptions?: Omit<SendToKdcOptions, 'config'>;
  /** Replaces `sendToKdc` altogether. */
  readonly send?: KdcSend;
  /** Called with each exchange when it starts (to keep its `messages`, for instance). */
  readonly onExchange?: (exchange: KdcExchange) => void;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** A `KdcSend` over `sendToKdc` with `config`. */
export function kdcSender(config: Krb5Config, sendOptions: Omit<SendToKdcOptions, 'config'> = {}): KdcSend {
  return async (realm, request) => (await sendToKdc(realm, request, { ...sendOptions, config })).reply;
}

function senderOf(options: KdcConnectionOptions): KdcSend {
  return options.send ?? kdcSender(options.config ?? defaultKrb5Config(), options.sendOptions);
}

/** krb5.conf enctypes minus what the exchange would refuse (RC4 without `allowRc4`). */
function configEtypes(list: readonly number[], allowRc4: boolean): readonly number[] | undefined {
  const usable = list.filter((e) => e !== Enctype.ARCFOUR_HMAC || allowRc4);
  return usable.length > 0 ? usable : undefined;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export interface GetInitialCredentialsOptions extends KdcConnectionOptions {
  /** `alice`, `alice@REALM` or a Principal; without a realm, `realm` or krb5.conf's default_realm. */
  readonly client: string | Principal;
  readonly realm?: string;
  /** A password, keytab entries (`loadKeytab`) or keys. */
  readonly credentials: AsCredentials;
  /** Default `krbtgt/REALM@REALM`. */
  readonly server?: string | Principal;
  /** Request options; unset ones come from [libdefaults] (forwardable, ticket_lifetime, renew_lifetime, canonicalize, default_tkt_enctypes). */
  readonly options?: AsRequestOptions;
  readonly maxReferrals?: number;
}

/**
 * Gets initial credentials (normally a TGT) with a password, keytab or key: MIT's kinit.
 * Rejects with the exchange's error (`KerberosError` when the KDC refused,
 * `PasswordIncorrectError`, ...) or the transport's (`KdcUnreachableError`, ...).
 */
export async function getInitialCredentials(options: GetInitialCredentialsOptions): Promise<Credential> {
  const config = options.config ?? defaultKrb5Config();
  const enterprise = options.options?.enterprise === true;
  const realm = options.realm ?? config.libdefaults.defaultRealm;
  const client =
    typeof options.client === 'string'
      ? parsePrincipal(options.client, {
          ...optional('defaultRealm', realm),
          ...(enterprise ? { enterprise: true } : {}),
        })
      : options.client;
  const lib: Libdefaults = libdefaultsForRealm(config, client.realm);
  const o = options.options ?? {};
  const requestOptions: AsRequestOptions = {
    ...o,
    forwardable: o.forwardable ?? lib.forwardable,
    proxiable: o.proxiable ?? lib.proxiable,
    canonicalize: o.canonicalize ?? lib.canonicalize,
    lifetimeSeconds: o.lifetimeSeconds ?? lib.ticketLifetime,
    ...optional(
      'renewLifetimeSeconds',
      o.renewLifetimeSeconds ??
        (o.renewable !== false && lib.renewLifetime > 0 ? lib.renewLifetime : undefined),
    ),
    ...optional('etypes', o.etypes ?? configEtypes(lib.defaultTktEnctypes, o.allowRc4 === true)),
  };
  const exchange = createAsExchange({
    client,
    credentials: options.credentials,
    options: requestOptions,
    clockSkewSeconds: lib.clockskew,
    ...optional('server', options.server),
    ...optional('clock', options.clock),
    ...optional('random', options.random),
    ...optional('maxReferrals', options.maxReferrals),
  });
  options.onExchange?.(exchange);
  return runExchange(exchange, senderOf({ ...options, config }));
}

export interface GetServiceTicketOptions extends KdcConnectionOptions {
  /** The TGT (from `getInitialCredentials` or a ccache). */
  readonly tgt: Credential;
  /** `cifs/host.example.com` (host-based), `svc/host@REALM` or a Principal. Not needed with `renew`. */
  readonly server?: string | Principal;
  /** Request options; unset ones come from [libdefaults] (forwardable, default_tgs_enctypes). */
  readonly options?: TgsRequestOptions;
  readonly maxReferrals?: number;
}

/**
 * Gets a service ticket with a TGT, following server referrals: MIT's kvno. With
 * `options.renew`, renews `tgt` instead.
 */
export async function getServiceTicket(options: GetServiceTicketOptions): Promise<Credential> {
  const config = options.config ?? defaultKrb5Config();
  const lib = libdefaultsForRealm(config, kdcRealmOf(options.tgt));
  const o = options.options ?? {};
  const exchange = createTgsExchange({
    tgt: options.tgt,
    options: {
      ...o,
      ...optional('etypes', o.etypes ?? configEtypes(lib.defaultTgsEnctypes, o.allowRc4 === true)),
    },
    clockSkewSeconds: lib.clockskew,
    ...optional('server', options.server),
    ...optional('clock', options.clock),
    ...optional('random', options.random),
    ...optional('maxReferrals', options.maxReferrals),
  });
  options.onExchange?.(exchange);
  return runExchange(exchange, senderOf({ ...options, config }));
}

/** Renews a renewable ticket (TGS-REQ with RENEW, RFC 4120 §3.3.1) before its renew-till. */
export function renewCredential(
  credential: Credential,
  options: KdcConnectionOptions & { readonly options?: Omit<TgsRequestOptions, 'renew'> } = {},
): Promise<Credential> {
  return getServiceTicket({ ...options, tgt: credential, options: { ...options.options, renew: true } });
}
