/**
 * Where the session's Kerberos comes from: a service ticket for `cifs/<server>` got from the
 * KDC with a TGT (an MIT ccache) or with a password or keytab (`@postntlm/krb5-client`), or
 * IAKerb through the SMB server when no KDC answers or when asked (`@postntlm/iakerb`). The
 * result is a SPNEGO initiator offering krb5, IAKerb or both (never NTLM).
 */
import type { SpnegoInitiator } from '@postntlm/gssapi-spnego';
import { createSpnegoInitiator, type IakerbDialect, type IakerbInitiatorOptions } from '@postntlm/iakerb';
import {
  type AsCredentials,
  type Credential,
  defaultCcacheName,
  defaultKrb5Config,
  getInitialCredentials,
  getServiceTicket,
  isCredentialCurrent,
  KdcNotFoundError,
  type KdcSend,
  KdcUnreachableError,
  type Krb5Config,
  loadCredentials,
  loadKrb5Config,
  resolveClientKeytab,
} from '@postntlm/krb5-client';
import type { KeytabEntry } from '@postntlm/krb5-messages';
import { SmbAuthError } from '../errors.js';

/** How the client authenticates (Kerberos only). */
export interface SmbAuthOptions {
  /** `alice` or `alice@REALM`; default: the ccache's principal. */
  readonly user?: string;
  /** The user's realm when `user` has none (default: krb5.conf's default_realm). */
  readonly realm?: string;
  /** A password for the AS exchange. */
  readonly password?: string;
  /** A client keytab: its name (`FILE:/path`, a path) or its entries. */
  readonly keytab?: string | readonly KeytabEntry[];
  /** An MIT credential cache (`FILE:/tmp/krb5cc_1000`); default KRB5CCNAME when neither password nor keytab is given. */
  readonly ccache?: string;
  /** krb5.conf: a parsed config or file paths; default KRB5_CONFIG or /etc/krb5.conf. */
  readonly krb5Config?: Krb5Config | string | readonly string[];
  /** The service principal; default `cifs/<server name>`. */
  readonly spn?: string;
  /** Replaces the KDC transport (a test double, a KDC proxy). */
  readonly kdcSend?: KdcSend;
  /** Lifetime asked for the TGT got with a password or keytab (kinit -l); default krb5.conf's. */
  readonly ticketLifetimeSeconds?: number;
  /** IAKerb wire dialect (default `draft`). */
  readonly iakerbDialect?: IakerbDialect;
}

/** `auto` (default): IAKerb when no KDC is reachable; `always`: IAKerb first; `never`: krb5 only. */
export type IakerbPolicy = 'auto' | 'always' | 'never';

/** The credential situation after trying the KDC: what `createSpnegoInitiator` needs. */
export interface ResolvedCredentials {
  readonly serviceTicket: Credential | undefined;
  readonly tgt: Credential | undefined;
  readonly kdcReachable: boolean;
  readonly client: string | undefined;
  readonly asCredentials: AsCredentials | undefined;
}

const isUnreachable = (e: unknown): boolean =>
  e instanceof KdcUnreachableError || e instanceof KdcNotFoundError;

async function configOf(auth: SmbAuthOptions): Promise<Krb5Config> {
  const c = auth.krb5Config;
  if (c === undefined) {
    try {
      return await loadKrb5Config();
    } catch {
      return defaultKrb5Config();
    }
  }
  if (typeof c === 'string' || Array.isArray(c)) return loadKrb5Config(c as string | readonly string[]);
  return c as Krb5Config;
}

async function asCredentialsOf(auth: SmbAuthOptions): Promise<AsCredentials | undefined> {
  if (auth.password !== undefined) return { password: auth.password };
  if (auth.keytab === undefined) return undefined;
  const entries =
    typeof auth.keytab === 'string' ? await resolveClientKeytab(auth.keytab).list() : auth.keytab;
  return { keytab: entries.map((e) => ({ principal: e.principal, kvno: e.kvno, key: e.key })) };
}

const principalText = (c: Credential): string => `${c.client.name.nameString.join('/')}@${c.client.realm}`;

/**
 * Gets what Kerberos needs for `spn`: a service ticket when a KDC answers (or the ccache has
 * one), else the TGT or long-term credentials IAKerb will use through the server.
 */
export async function resolveCredentials(
  auth: SmbAuthOptions,
  spn: string,
  policy: IakerbPolicy,
): Promise<ResolvedCredentials> {
  const config = await configOf(auth);
  const kdc = { config, ...(auth.kdcSend === undefined ? {} : { send: auth.kdcSend }) };
  const asCredentials = await asCredentialsOf(auth);
  const now = Date.now();
  let tgt: Credential | undefined;
  let client = auth.user;
  if (asCredentials === undefined) {
    let cache: Awaited<ReturnType<typeof loadCredentials>>;
    try {
      cache = await loadCredentials(auth.ccache ?? defaultCcacheName());
    } catch (e) {
      throw new SmbAuthError(
        `no Kerberos credentials: give a password, a keytab or a ccache (${(e as Error).message})`,
        {
          cause: e,
        },
      );
    }
    const current = cache.credentials.filter((c) => isCredentialCurrent(c, now));
    const service = current.find((c) => c.server.name.nameString.join('/') === spn.split('@')[0]);
    tgt = current.find((c) => c.server.name.nameString[0] === 'krbtgt');
    client ??=
      service !== undefined ? principalText(service) : tgt !== undefined ? principalText(tgt) : undefined;
    if (service !== undefined)
      return { serviceTicket: service, tgt, kdcReachable: true, client, asCredentials: undefined };
    if (tgt === undefined)
      throw new SmbAuthError('the credential cache holds no current TGT nor a ticket for the server');
  }
  if (policy === 'always')
    return { serviceTicket: undefined, tgt, kdcReachable: false, client, asCredentials };
  // `alice` with no realm anywhere (no auth.realm, no default_realm): no KDC can even be
  // looked up. IAKerb's realm discovery learns the realm from the server.
  const realmUnknown =
    tgt === undefined &&
    client !== undefined &&
    !client.includes('@') &&
    auth.realm === undefined &&
    config.libdefaults.defaultRealm === undefined;
  if (realmUnknown) {
    if (policy === 'never')
      throw new SmbAuthError(
        `no realm for ${client}: give user@REALM, auth.realm or a default_realm (or allow IAKerb)`,
      );
    return { serviceTicket: undefined, tgt, kdcReachable: false, client, asCredentials };
  }
  try {
    if (tgt === undefined) {
      if (client === undefined) throw new SmbAuthError('auth.user is needed with a password or a keytab');
      tgt = await getInitialCredentials({
        ...kdc,
        client,
        ...(auth.realm === undefined ? {} : { realm: auth.realm }),
        credentials: asCredentials as AsCredentials,
        ...(auth.ticketLifetimeSeconds === undefined
          ? {}
          : { options: { lifetimeSeconds: auth.ticketLifetimeSeconds } }),
      });
      client = principalText(tgt);
    }
    const serviceTicket = await getServiceTicket({ ...kdc, tgt, server: spn });
    return { serviceTicket, tgt, kdcReachable: true, client, asCredentials };
  } catch (e) {
    if (!isUnreachable(e) || policy === 'never') throw e;
    return { serviceTicket: undefined, tgt, kdcReachable: false, client, asCredentials };
  }
}

/** The SPNEGO initiator for the session: krb5 with the ticket, IAKerb per `policy`. */
export function spnegoInitiatorFor(
  resolved: ResolvedCredentials,
  auth: SmbAuthOptions,
  spn: string,
  policy: IakerbPolicy,
): SpnegoInitiator {
  const canIakerb =
    resolved.client !== undefined && (resolved.tgt !== undefined || resolved.asCredentials !== undefined);
  if (resolved.serviceTicket === undefined && (!canIakerb || policy === 'never'))
    throw new SmbAuthError(`no ticket for ${spn} and no way to run IAKerb (iakerb: '${policy}')`);
  const iakerb: IakerbInitiatorOptions | undefined = canIakerb
    ? {
        client: resolved.client as string,
        server: spn,
        ...(resolved.asCredentials === undefined ? {} : { credentials: resolved.asCredentials }),
        ...(resolved.tgt === undefined ? {} : { tgt: resolved.tgt }),
        ...(auth.realm === undefined ? {} : { realm: auth.realm }),
        ...(auth.iakerbDialect === undefined ? {} : { dialect: auth.iakerbDialect }),
      }
    : undefined;
  return createSpnegoInitiator({
    ...(resolved.serviceTicket === undefined ? {} : { credential: resolved.serviceTicket }),
    ...(iakerb === undefined || policy === 'never' ? {} : { iakerb }),
    use: policy === 'auto' ? 'auto' : policy,
    kdcReachable: resolved.kdcReachable,
  });
}
