/**
 * Errors of the credential stores (credential caches and keytabs), one class per root
 * cause. Each carries `store` ('ccache' or 'keytab'), the store's `storeName` when known
 * (`FILE:/tmp/krb5cc_0`) and `mitCode`, the name of the MIT krb5 error code MIT's library
 * returns in the same situation (`KRB5_CC_UNKNOWN_TYPE`, `KRB5_FCC_NOFILE`, ...), so
 * callers can map them onto MIT's messages.
 */
import { Krb5ClientError, type Krb5ClientErrorCategory } from '../errors.js';

/** Which kind of store an error is about. */
export type CredentialStoreKind = 'ccache' | 'keytab';

/** Base class of the credential store errors. */
export class CredentialStoreError extends Krb5ClientError {
  override name = 'CredentialStoreError';
  readonly store: CredentialStoreKind;
  /** The store's name (`FILE:/path`, `MEMORY:x`, `DIR::/dir/tkt`), when known. */
  readonly storeName: string | undefined;
  /** The MIT krb5 error code name for the same situation. */
  readonly mitCode: string;
  constructor(
    category: Krb5ClientErrorCategory,
    store: CredentialStoreKind,
    storeName: string | undefined,
    mitCode: string,
    message: string,
    options: { readonly hint?: string | undefined; readonly cause?: unknown } = {},
  ) {
    super(category, message, options);
    this.store = store;
    this.storeName = storeName;
    this.mitCode = mitCode;
  }
}

/** The name's type prefix is not one we know (MIT: KRB5_CC_UNKNOWN_TYPE / KRB5_KT_UNKNOWN_TYPE). */
export class UnknownStoreTypeError extends CredentialStoreError {
  override name = 'UnknownStoreTypeError';
  /** The prefix, as written (`KEYRING`, `KCM`, ...). */
  readonly storeType: string;
  constructor(
    store: CredentialStoreKind,
    storeName: string,
    storeType: string,
    supported: readonly string[],
  ) {
    const known = MIT_ONLY_TYPES[store].includes(storeType);
    super(
      'config',
      store,
      storeName,
      store === 'ccache' ? 'KRB5_CC_UNKNOWN_TYPE' : 'KRB5_KT_UNKNOWN_TYPE',
      `${store === 'ccache' ? 'credential cache' : 'keytab'} type ${JSON.stringify(storeType)} is not supported`,
      {
        hint: known
          ? `${storeType}: is an MIT krb5 type this library cannot reach; use one of ${supported.join(', ')} (e.g. KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u))`
          : `use one of ${supported.join(', ')}; a path without a prefix means FILE:`,
      },
    );
    this.storeType = storeType;
  }
}

/** Types MIT has and we do not (for a better hint). */
const MIT_ONLY_TYPES: Readonly<Record<CredentialStoreKind, readonly string[]>> = {
  ccache: ['KEYRING', 'KCM', 'API', 'MSLSA'],
  keytab: ['KDB'],
};

/** The name is malformed for its type (MIT: KRB5_CC_BADNAME / KRB5_KT_BADNAME). */
export class StoreNameError extends CredentialStoreError {
  override name = 'StoreNameError';
  constructor(store: CredentialStoreKind, storeName: string, reason: string) {
    super(
      'config',
      store,
      storeName,
      store === 'ccache' ? 'KRB5_CC_BADNAME' : 'KRB5_KT_BADNAME',
      `bad ${store === 'ccache' ? 'credential cache' : 'keytab'} name ${JSON.stringify(storeName)}: ${reason}`,
    );
  }
}

/**
 * The cache or keytab does not exist, or a cache was never initialized (MIT:
 * KRB5_FCC_NOFILE "No credentials cache found", or ENOENT for a keytab file).
 */
export class StoreNotFoundError extends CredentialStoreError {
  override name = 'StoreNotFoundError';
  constructor(store: CredentialStoreKind, storeName: string, options: { readonly cause?: unknown } = {}) {
    super(
      'state',
      store,
      storeName,
      store === 'ccache' ? 'KRB5_FCC_NOFILE' : 'ENOENT',
      store === 'ccache'
        ? `no credentials cache found (${storeName})`
        : `key table ${JSON.stringify(storeName)} not found`,
      {
        hint:
          store === 'ccache'
            ? 'get initial credentials first (kinit, or getInitialCredentials + initialize/store)'
            : 'check KRB5_KTNAME / KRB5_CLIENT_KTNAME and the path',
        ...(options.cause === undefined ? {} : { cause: options.cause }),
      },
    );
  }
}

/** The file holds something that is not a valid ccache / keytab (MIT: KRB5_CC_FORMAT / KRB5_KT_FORMAT). */
export class StoreFormatError extends CredentialStoreError {
  override name = 'StoreFormatError';
  constructor(store: CredentialStoreKind, storeName: string, reason: string, cause?: unknown) {
    super(
      'malformed',
      store,
      storeName,
      store === 'ccache' ? 'KRB5_CC_FORMAT' : 'KRB5_KT_FORMAT',
      `${store === 'ccache' ? 'credential cache' : 'keytab'} ${storeName} is malformed: ${reason}`,
      cause === undefined ? {} : { cause },
    );
  }
}

/**
 * The file belongs to another user: reading it could hand us someone else's tickets (a
 * cache planted in /tmp), writing it could destroy theirs. Refused unless the store was
 * resolved with `allowForeignOwner` (root is always allowed).
 */
export class StoreOwnershipError extends CredentialStoreError {
  override name = 'StoreOwnershipError';
  readonly path: string;
  readonly ownerUid: number;
  constructor(store: CredentialStoreKind, storeName: string, path: string, ownerUid: number, ourUid: number) {
    super(
      'policy',
      store,
      storeName,
      'KRB5_FCC_PERM',
      `${path} is owned by uid ${ownerUid}, not by this process (uid ${ourUid})`,
      {
        hint: 'remove the file if it is not yours, or pass { allowForeignOwner: true } if sharing it is intended',
      },
    );
    this.path = path;
    this.ownerUid = ownerUid;
  }
}

/**
 * Another process kept changing the file while we tried to rewrite it (our writes are
 * read-modify-replace with a check that nobody wrote in between).
 */
export class StoreConflictError extends CredentialStoreError {
  override name = 'StoreConflictError';
  constructor(store: CredentialStoreKind, storeName: string, attempts: number) {
    super(
      'state',
      store,
      storeName,
      'KRB5_CC_IO',
      `${storeName} changed under us ${attempts} times in a row; gave up`,
      { hint: 'another program is rewriting the file continuously; retry later' },
    );
  }
}

/** The keytab has no key for the principal (MIT: KRB5_KT_NOTFOUND, or KRB5_KT_KVNONOTFOUND for a kvno). */
export class KeytabKeyNotFoundError extends CredentialStoreError {
  override name = 'KeytabKeyNotFoundError';
  readonly principal: string;
  readonly kvno: number | undefined;
  readonly enctype: number | undefined;
  constructor(
    storeName: string,
    principal: string,
    options: {
      readonly kvno?: number | undefined;
      readonly enctype?: number | undefined;
      readonly kvnoMismatch: boolean;
    },
  ) {
    const what = [
      options.kvno === undefined ? undefined : `kvno ${options.kvno}`,
      options.enctype === undefined ? undefined : `enctype ${options.enctype}`,
    ].filter((s) => s !== undefined);
    super(
      'config',
      'keytab',
      storeName,
      options.kvnoMismatch ? 'KRB5_KT_KVNONOTFOUND' : 'KRB5_KT_NOTFOUND',
      `no key for ${principal}${what.length > 0 ? ` (${what.join(', ')})` : ''} in keytab ${storeName}`,
      {
        hint: options.kvnoMismatch
          ? 'the keytab has other key versions of this principal: it is out of date (re-export it with kadmin ktadd)'
          : 'the keytab does not hold this principal: check the name and realm (klist -k)',
      },
    );
    this.principal = principal;
    this.kvno = options.kvno;
    this.enctype = options.enctype;
  }
}
