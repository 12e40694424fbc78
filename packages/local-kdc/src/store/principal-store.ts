/**
 * The principal database as the KDC engine sees it: one async lookup by name, and an
 * optional hook for pre-authentication results. `KdcDatabase` (LMDB, keys encrypted under
 * a master key) is the persistent store; `MemoryPrincipalStore` serves tests and embedders.
 */
import type { Key } from '@postntlm/krb5-crypto';
import type { Principal } from '@postntlm/krb5-messages';

/** One long-term key of a principal (MIT's `krb5_key_data`): the key, its kvno and salt. */
export interface PrincipalKey {
  /** The key itself (`enctype` + bytes). Keep the same object between lookups: derived keys are cached per object. */
  readonly key: Key;
  /** Key version number (RFC 4120 §5.2.9 EncryptedData.kvno). */
  readonly kvno: number;
  /** Salt as text (KerberosString); `undefined` means the default salt (realm + components). */
  readonly salt?: string | undefined;
  /** s2kparams the key was made with (4-byte big-endian PBKDF2 count); `undefined`: the enctype default. */
  readonly s2kparams?: Uint8Array | undefined;
}

/** What a principal may do (the subset of MIT's `KRB5_KDB_*` attributes the engine enforces). */
export interface PrincipalAttributes {
  /** PA-ENC-TIMESTAMP required before an AS-REP (MIT `+requires_preauth`). Default: on for users. */
  readonly requiresPreauth: boolean;
  /** The principal cannot be the server of a ticket (MIT `-allow_svr`). Default: on for users. */
  readonly disallowServer: boolean;
  /** Tickets for this server carry no authorization data (MIT `+no_auth_data_required`; no PAC). */
  readonly noAuthDataRequired: boolean;
  /** Longest ticket lifetime, seconds (MIT `max_life`); `undefined`: the KDC policy's. */
  readonly maxLifeSeconds?: number | undefined;
  /** Longest renewable lifetime, seconds (MIT `max_renewable_life`); `undefined`: the KDC policy's. */
  readonly maxRenewSeconds?: number | undefined;
  /** The principal expires at this time (KDC_ERR_NAME_EXP / KDC_ERR_SERVICE_EXP after it). */
  readonly expiresAt?: Date | undefined;
  /** Locked out (too many failures or disabled by an admin): KDC_ERR_CLIENT_REVOKED. */
  readonly lockedOut: boolean;
  /** Relative id under the realm's domain SID, for the PAC (MS-PAC KERB_VALIDATION_INFO.UserId). */
  readonly rid?: number | undefined;
}

/** A principal's database entry. */
export interface PrincipalEntry {
  /** The canonical name (returned when the client asks to canonicalize). */
  readonly principal: Principal;
  /** Every key, current and old kvnos; the engine uses the highest kvno per enctype for new tickets. */
  readonly keys: readonly PrincipalKey[];
  readonly attributes: PrincipalAttributes;
}

/** The engine's view of the principal database (Kerberos.NET's `IRealmService`, MIT's KDB `get_principal`). */
export interface PrincipalStore {
  /**
   * The entry for `principal` (matched by realm and components; the name type is ignored, as
   * in MIT), following aliases; `undefined` when there is none. May reject for a storage
   * failure: the engine then answers KRB_ERR_GENERIC.
   */
  get(principal: Principal): Promise<PrincipalEntry | undefined>;
  /**
   * Optional: told of each pre-authentication result of a client (`entry.principal`), so a
   * store can count failures and lock an account out (MIT's `pw_max_fail`). A store that
   * counts failures sets `attributes.lockedOut` in later `get` results. The engine awaits it
   * before replying; a rejection becomes KRB_ERR_GENERIC.
   */
  recordPreauth?(entry: PrincipalEntry, outcome: 'success' | 'failure', atMs: number): Promise<void>;
  /** The realm's Windows domain SID (`S-1-5-21-a-b-c`) for PACs, when the store keeps one. */
  readonly domainSid?: string | undefined;
}

/** Attribute defaults for a user principal (the secure defaults). */
export const USER_DEFAULTS: PrincipalAttributes = {
  requiresPreauth: true,
  disallowServer: true,
  noAuthDataRequired: false,
  lockedOut: false,
};

/** Attribute defaults for a service (or krbtgt) principal. */
export const SERVICE_DEFAULTS: PrincipalAttributes = {
  requiresPreauth: false,
  disallowServer: false,
  noAuthDataRequired: false,
  lockedOut: false,
};

/** The current (highest-kvno) key of each enctype, in the entry's order. */
export function currentKeys(entry: PrincipalEntry): PrincipalKey[] {
  const best = new Map<number, PrincipalKey>();
  for (const k of entry.keys) {
    const seen = best.get(k.key.enctype);
    if (seen === undefined || k.kvno > seen.kvno) best.set(k.key.enctype, k);
  }
  return [...best.values()];
}
