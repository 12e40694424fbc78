/**
 * The database's stored records (schema 1, JSON in LMDB) and their checks on the way in:
 * a record that does not have the expected shape is `DatabaseError('corrupt')`, never a
 * half-read principal.
 */
import { DatabaseError } from './errors.js';

export const SCHEMA_VERSION = 1;

/** Account lockout after repeated pre-authentication failures (MIT's `pw_max_fail`, `pw_failcnt_interval`, `pw_lockout_duration`). */
export interface LockoutPolicy {
  /** Failures that lock the account; 0 never locks. */
  readonly maxFailures: number;
  /** Failures further apart than this do not add up, seconds. */
  readonly failureWindowSeconds: number;
  /** How long a lockout lasts, seconds; 0 lasts until an administrator unlocks. */
  readonly lockoutSeconds: number;
}

/** Windows' default since 2022: 10 failures within 10 minutes lock for 10 minutes. */
export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 10,
  failureWindowSeconds: 600,
  lockoutSeconds: 600,
};

export interface MetaRecord {
  readonly schema: number;
  readonly realm: string;
  readonly createdAt: string;
  readonly masterKvno: number;
  /** A known text sealed under the master key: a wrong stash file is caught at open. */
  readonly check: string;
  readonly lockout: LockoutPolicy;
  /** Shortest password accepted for a principal. */
  readonly minPasswordLength: number;
  /** Old kvnos kept after a key change (for keytab rollover). */
  readonly keepOldKvnos: number;
  /** The realm's Windows domain SID (`S-1-5-21-a-b-c`), for PACs: generated at setup. */
  readonly domainSid: string;
  /** The relative id the next principal gets (from 1000, like Windows local accounts). */
  readonly nextRid: number;
}

export interface KeyRecord {
  readonly enctype: number;
  readonly kvno: number;
  readonly salt?: string;
  /** Hex. */
  readonly s2kparams?: string;
  /** base64(nonce ‖ AES-256-GCM ciphertext ‖ tag) under the master key. */
  readonly sealed: string;
}

export interface PrincipalRecord {
  readonly name: string;
  readonly kind: 'user' | 'service';
  /** The current kvno. */
  readonly kvno: number;
  readonly keys: readonly KeyRecord[];
  readonly requiresPreauth: boolean;
  readonly disallowServer: boolean;
  readonly noAuthDataRequired: boolean;
  /** Disabled by an administrator (KDC_ERR_CLIENT_REVOKED until enabled). */
  readonly disabled: boolean;
  readonly maxLifeSeconds?: number;
  readonly maxRenewSeconds?: number;
  readonly expiresAt?: string;
  readonly passwordSetAt: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  /** Relative id under the realm's domain SID (the PAC's user RID). */
  readonly rid: number;
}

/** Written by the KDC itself (failed pre-authentication), apart from the principal so key caches survive. */
export interface AuthStateRecord {
  readonly failures: number;
  readonly lastFailureAt?: string;
  readonly lockedUntil?: string;
}

type Check = (v: unknown) => boolean;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isCount: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool: Check = (v) => typeof v === 'boolean';
const isDate: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function shape<T>(
  what: string,
  value: unknown,
  required: Record<string, Check>,
  optional: Record<string, Check> = {},
): T {
  if (!isObject(value)) throw new DatabaseError('corrupt', `${what}: not an object`);
  for (const [field, ok] of Object.entries(required)) {
    if (!ok(value[field])) throw new DatabaseError('corrupt', `${what}: bad or missing ${field}`);
  }
  for (const [field, ok] of Object.entries(optional)) {
    if (value[field] !== undefined && !ok(value[field]))
      throw new DatabaseError('corrupt', `${what}: bad ${field}`);
  }
  return value as T;
}

export function checkMeta(value: unknown): MetaRecord {
  const meta = shape<MetaRecord>('database metadata', value, {
    schema: isCount,
    realm: isString,
    createdAt: isDate,
    masterKvno: isCount,
    check: isString,
    lockout: isObject,
    minPasswordLength: isCount,
    keepOldKvnos: isCount,
    domainSid: (v) => typeof v === 'string' && /^S-1-5-21-\d+-\d+-\d+$/.test(v),
    nextRid: isCount,
  });
  if (meta.schema > SCHEMA_VERSION) {
    throw new DatabaseError(
      'unsupported-schema',
      `database schema ${meta.schema} is newer than this release (${SCHEMA_VERSION})`,
    );
  }
  shape('database lockout policy', meta.lockout, {
    maxFailures: isCount,
    failureWindowSeconds: isCount,
    lockoutSeconds: isCount,
  });
  return meta;
}

export function checkPrincipal(value: unknown): PrincipalRecord {
  const what = `principal ${isObject(value) && typeof value.name === 'string' ? value.name : '?'}`;
  const record = shape<PrincipalRecord>(
    what,
    value,
    {
      name: isString,
      kind: (v) => v === 'user' || v === 'service',
      kvno: isCount,
      keys: Array.isArray,
      requiresPreauth: isBool,
      disallowServer: isBool,
      noAuthDataRequired: isBool,
      disabled: isBool,
      passwordSetAt: isDate,
      createdAt: isDate,
      modifiedAt: isDate,
      rid: isCount,
    },
    { maxLifeSeconds: isCount, maxRenewSeconds: isCount, expiresAt: isDate },
  );
  for (const key of record.keys) {
    shape(
      `${what} key`,
      key,
      { enctype: isCount, kvno: isCount, sealed: isString },
      { salt: isString, s2kparams: isString },
    );
  }
  return record;
}

export function checkAuthState(value: unknown): AuthStateRecord {
  return shape<AuthStateRecord>(
    'authentication state',
    value,
    { failures: isCount },
    { lastFailureAt: isDate, lockedUntil: isDate },
  );
}
