/**
 * Credentials to and from MIT credential caches (the FILE ccache format of
 * `@postntlm/krb5-messages`): what the exchanges produce goes into a file that MIT's
 * klist/kvno/smbclient read, and tickets MIT's kinit obtained come back as `Credential`s.
 */
import {
  type Ccache,
  type Credential as CcacheCredential,
  type CcacheInput,
  decode,
  loadCcache,
  type Principal,
  RawTicket,
  saveCcache,
} from '@postntlm/krb5-messages';
import type { Credential } from '../exchange/credential.js';

/** The ccache form of a credential (MIT krb5_creds). */
export function toCcacheCredential(credential: Credential): CcacheCredential {
  return {
    client: credential.client,
    server: credential.server,
    key: { enctype: credential.sessionKey.enctype, bytes: credential.sessionKey.bytes },
    authtime: credential.authtime,
    ...(credential.starttime === undefined ? {} : { starttime: credential.starttime }),
    endtime: credential.endtime,
    ...(credential.renewTill === undefined ? {} : { renewTill: credential.renewTill }),
    isSkey: false,
    ticketFlags: credential.flags,
    addresses: [...credential.addresses],
    authdata: [],
    ticket: credential.ticket,
    secondTicket: new Uint8Array(0),
  };
}

/** A credential from a ccache entry; `kdcTimeOffsetMs` from the cache header, if any. */
export function fromCcacheCredential(entry: CcacheCredential, kdcTimeOffsetMs = 0): Credential {
  const ticket = decode(RawTicket, entry.ticket);
  return {
    client: entry.client,
    server: entry.server,
    sessionKey: { enctype: entry.key.enctype, bytes: entry.key.bytes },
    authtime: entry.authtime,
    starttime: entry.starttime,
    endtime: entry.endtime,
    renewTill: entry.renewTill,
    flags: entry.ticketFlags >>> 0,
    ticket: entry.ticket,
    ticketEnctype: ticket.value.encPart.etype,
    ticketKvno: ticket.value.encPart.kvno,
    addresses: entry.addresses,
    kdcTimeOffsetMs,
    keyExpiration: undefined,
    encPartTag: undefined,
  };
}

export interface CredentialsToCcacheOptions {
  /** The cache's principal; default: the first credential's client. */
  readonly defaultPrincipal?: Principal;
  /**
   * Write the KDC time offset into the header (MIT then corrects its clock by it when it
   * uses the cache). Default: not written. Only for offsets measured against this host's
   * real clock.
   */
  readonly kdcTimeOffsetMs?: number;
}

/** A ccache (version 4) holding `credentials`, TGT first as kinit writes it. */
export function credentialsToCcache(
  credentials: readonly Credential[],
  options: CredentialsToCcacheOptions = {},
): CcacheInput {
  const defaultPrincipal = options.defaultPrincipal ?? credentials[0]?.client;
  if (defaultPrincipal === undefined) throw new RangeError('a credential cache needs a default principal');
  const offset = options.kdcTimeOffsetMs;
  return {
    version: 4,
    defaultPrincipal,
    credentials: credentials.map(toCcacheCredential),
    ...(offset === undefined
      ? {}
      : {
          kdcTimeOffset: {
            seconds: Math.floor(offset / 1000),
            microseconds: Math.round((offset - Math.floor(offset / 1000) * 1000) * 1000),
          },
        }),
  };
}

/** The credentials of a ccache (configuration entries left out), with the header's time offset. */
export function credentialsFromCcache(cache: Ccache): Credential[] {
  const off = cache.kdcTimeOffset;
  const offsetMs = off === undefined ? 0 : off.seconds * 1000 + off.microseconds / 1000;
  return cache.credentials.map((c) => fromCcacheCredential(c, offsetMs));
}

/** `FILE:/path` (KRB5CCNAME syntax) or a path, as a path. */
function ccachePath(name: string): string {
  if (name.startsWith('FILE:')) return name.slice(5);
  if (/^[A-Z]+:/.test(name) && !/^[A-Za-z]:[\\/]/.test(name)) {
    throw new RangeError(`only FILE: credential caches are supported, not ${name.split(':')[0]}:`);
  }
  return name;
}

/** Writes credentials to a FILE ccache (mode 0600, atomically; Node only). */
export async function saveCredentials(
  name: string,
  credentials: readonly Credential[],
  options: CredentialsToCcacheOptions = {},
): Promise<void> {
  await saveCcache(ccachePath(name), credentialsToCcache(credentials, options));
}

/** Reads the credentials of a FILE ccache (Node only). */
export async function loadCredentials(
  name: string,
): Promise<{ readonly defaultPrincipal: Principal; readonly credentials: Credential[] }> {
  const cache = await loadCcache(ccachePath(name));
  return { defaultPrincipal: cache.defaultPrincipal, credentials: credentialsFromCcache(cache) };
}
