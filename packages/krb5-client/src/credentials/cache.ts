/**
 * Credential caches by name, as MIT krb5 resolves KRB5CCNAME: `FILE:path` (MIT's file
 * format, version 4 for new caches; the version of an existing file is kept), `MEMORY:name`
 * (process-local) and `DIR:dir` / `DIR::dir/tktNAME` (MIT's directory collection: a
 * directory of `tkt*` FILE caches and a `primary` file naming the current one; see
 * {@link openDirCollection}). MIT's tools and this library can share one cache file: reads
 * accept what MIT writes (any version, configuration entries, duplicates) and updates are
 * atomic replacements that keep what MIT wrote (see `./file-io.ts`).
 *
 * Differences from MIT, on purpose: `store` replaces a credential for the same client and
 * server instead of appending a duplicate (MIT's FILE caches cannot remove one, so MIT
 * keeps both and uses the first); `remove` works on FILE caches; a file owned by another
 * user is refused (a cache planted in /tmp would hand us someone else's tickets).
 */
import {
  type Ccache,
  type CcacheConfigEntry,
  type Credential as CcacheCredential,
  type CcacheInput,
  DecodeError,
  type Principal,
  parsePrincipal,
  principalEquals,
  readCcache,
  writeCcache,
} from '@postntlm/krb5-messages';
import { type Credential, isCredentialCurrent } from '../exchange/credential.js';
import { fromCcacheCredential, toCcacheCredential } from './ccache.js';
import { StoreFormatError, StoreNameError, StoreNotFoundError, UnknownStoreTypeError } from './errors.js';
import {
  createStoreFileExclusive,
  ensureCcacheDirectory,
  isRegularFile,
  listDirectory,
  readStoreFile,
  replaceSmallFile,
  updateStoreFile,
} from './file-io.js';
import { defaultCcacheName, type ProcessIdentity, splitCcacheName } from './names.js';

/** The credential cache types this library implements. */
export type CcacheType = 'FILE' | 'MEMORY' | 'DIR';

/** The cache types {@link resolveCcache} accepts. */
export const CCACHE_TYPES: readonly CcacheType[] = ['FILE', 'MEMORY', 'DIR'];

export interface InitializeCcacheOptions {
  /**
   * KDC clock minus local clock (ms) to record in the header, as MIT does after kinit
   * (MIT then corrects its clock by it). Default: none.
   */
  readonly kdcTimeOffsetMs?: number;
  /** Credentials to put in the new cache (TGT first, as kinit writes it). */
  readonly credentials?: readonly Credential[];
  /** Configuration entries to put in the new cache. */
  readonly config?: readonly CcacheConfigEntry[];
}

export interface FindCredentialOptions {
  /** Only credentials of this client. */
  readonly client?: Principal;
  /** The time to judge validity at (ms, local clock). Default: now. */
  readonly now?: number;
  /** Also return an expired or not yet valid credential. Default false. */
  readonly includeExpired?: boolean;
}

/** A credential cache (MIT's krb5_ccache). Every method reads or writes the store afresh. */
export interface CredentialCache {
  readonly type: CcacheType;
  /** Its full name, as KRB5CCNAME would give it: `FILE:/tmp/krb5cc_0`, `MEMORY:x`, `DIR::/d/tkt`. */
  readonly name: string;
  /** The file (FILE and DIR caches). */
  readonly path: string | undefined;
  /** Whether the cache exists and is initialized (has a default principal). */
  exists(): Promise<boolean>;
  /**
   * Creates the cache anew for `principal`, dropping what it held (MIT's
   * krb5_cc_initialize; kinit does this before storing the TGT).
   */
  initialize(principal: Principal, options?: InitializeCcacheOptions): Promise<void>;
  /** The default principal (klist's "Default principal"); StoreNotFoundError when not initialized. */
  getPrincipal(): Promise<Principal>;
  /** Every credential, in file order, configuration entries left out. */
  list(): Promise<Credential[]>;
  /**
   * The credential for `server` (a Principal, or a name; without a realm, the default
   * principal's), valid now unless `includeExpired`; the one that expires last if several.
   */
  find(server: Principal | string, options?: FindCredentialOptions): Promise<Credential | undefined>;
  /**
   * Adds credentials, each replacing any for the same client and server (MIT's
   * krb5_cc_store_cred). The cache must be initialized.
   */
  store(credentials: Credential | readonly Credential[]): Promise<void>;
  /** Removes the credentials for `server` (and `client`, if given); returns how many. */
  remove(server: Principal | string, options?: { readonly client?: Principal }): Promise<number>;
  /** A configuration value (MIT krb5_cc_get_config: `fast_avail`, `pa_type`, `refresh_time`, ...). */
  getConfig(key: string, principal?: Principal): Promise<Uint8Array | undefined>;
  /** Sets (or with `undefined`, removes) a configuration value (MIT krb5_cc_set_config). */
  setConfig(key: string, value: Uint8Array | undefined, principal?: Principal): Promise<void>;
  /** Every configuration entry. */
  listConfig(): Promise<CcacheConfigEntry[]>;
  /** The whole cache as stored (header, principal, raw credentials, configuration). */
  read(): Promise<Ccache>;
  /** Deletes the cache (kdestroy). No error when it does not exist. */
  destroy(): Promise<void>;
}

export interface CcacheOptions {
  /** Accept FILE/DIR caches owned by another user (root always may). Default false. */
  readonly allowForeignOwner?: boolean;
}

export interface ResolveCcacheOptions extends CcacheOptions {
  /** Environment to read KRB5CCNAME from when no name is given. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default name when KRB5CCNAME is unset (krb5.conf default_ccache_name). Default MIT's. */
  readonly defaultName?: string;
  /** uid/euid/user name for `%{uid}` etc. in the default name. Default: this process's. */
  readonly identity?: ProcessIdentity;
}

/** What an update of a cache does. */
interface CacheUpdate<T> {
  /** The new cache; `'destroy'` removes it; undefined leaves it alone. */
  readonly write?: CcacheInput | 'destroy' | undefined;
  readonly result: T;
}

const credentialKey = (c: CcacheCredential): [Principal, Principal] => [c.client, c.server];

function sameConfigTarget(entry: CcacheConfigEntry, key: string, principal: Principal | undefined): boolean {
  if (entry.key !== key) return false;
  if (entry.principal === undefined || principal === undefined) return entry.principal === principal;
  return principalEquals(entry.principal, principal);
}

function kdcTimeOffset(ms: number | undefined): Pick<CcacheInput, 'kdcTimeOffset'> {
  if (ms === undefined) return {};
  const seconds = Math.trunc(ms / 1000);
  return { kdcTimeOffset: { seconds, microseconds: Math.round((ms - seconds * 1000) * 1000) } };
}

function offsetMsOf(cache: Ccache): number {
  const off = cache.kdcTimeOffset;
  return off === undefined ? 0 : off.seconds * 1000 + off.microseconds / 1000;
}

/** The shared logic of every cache type over whole-cache reads and updates. */
abstract class SnapshotCredentialCache implements CredentialCache {
  abstract readonly type: CcacheType;
  abstract readonly name: string;
  abstract readonly path: string | undefined;

  /** The cache, or undefined when it does not exist or was never initialized. */
  protected abstract load(): Promise<Ccache | undefined>;
  /** Applies `f` to the current cache atomically. */
  protected abstract update<T>(f: (current: Ccache | undefined) => CacheUpdate<T>): Promise<T>;

  async exists(): Promise<boolean> {
    return (await this.load()) !== undefined;
  }

  protected async required(): Promise<Ccache> {
    const cache = await this.load();
    if (cache === undefined) throw new StoreNotFoundError('ccache', this.name);
    return cache;
  }

  protected convert(cache: Ccache): Credential[] {
    const offset = offsetMsOf(cache);
    return cache.credentials.map((c, i) => {
      try {
        return fromCcacheCredential(c, offset);
      } catch (e) {
        if (e instanceof DecodeError) {
          throw new StoreFormatError('ccache', this.name, `credential ${i}: the ticket is not a Ticket`, e);
        }
        throw e;
      }
    });
  }

  async initialize(principal: Principal, options: InitializeCcacheOptions = {}): Promise<void> {
    const input: CcacheInput = {
      version: 4,
      defaultPrincipal: principal,
      credentials: (options.credentials ?? []).map(toCcacheCredential),
      config: [...(options.config ?? [])],
      ...kdcTimeOffset(options.kdcTimeOffsetMs),
    };
    return this.update(() => ({ write: input, result: undefined }));
  }

  async getPrincipal(): Promise<Principal> {
    return (await this.required()).defaultPrincipal;
  }

  async list(): Promise<Credential[]> {
    return this.convert(await this.required());
  }

  async find(
    server: Principal | string,
    options: FindCredentialOptions = {},
  ): Promise<Credential | undefined> {
    const cache = await this.required();
    const wanted = this.principalOf(server, cache);
    const now = options.now ?? Date.now();
    let best: Credential | undefined;
    for (const c of this.convert(cache)) {
      if (!principalEquals(c.server, wanted)) continue;
      if (options.client !== undefined && !principalEquals(c.client, options.client)) continue;
      if (options.includeExpired !== true && !isCredentialCurrent(c, now)) continue;
      if (best === undefined || c.endtime.getTime() > best.endtime.getTime()) best = c;
    }
    return best;
  }

  private principalOf(name: Principal | string, cache: Ccache): Principal {
    return typeof name === 'string'
      ? parsePrincipal(name, { defaultRealm: cache.defaultPrincipal.realm })
      : name;
  }

  async store(credentials: Credential | readonly Credential[]): Promise<void> {
    const list: readonly Credential[] = Array.isArray(credentials)
      ? credentials
      : [credentials as Credential];
    const entries = list.map(toCcacheCredential);
    return this.update((current) => {
      if (current === undefined) throw new StoreNotFoundError('ccache', this.name);
      return { write: withCredentials(current, entries), result: undefined };
    });
  }

  async remove(server: Principal | string, options: { readonly client?: Principal } = {}): Promise<number> {
    return this.update((current) => {
      if (current === undefined) return { result: 0 };
      const wanted = this.principalOf(server, current);
      const kept = current.credentials.filter(
        (c) =>
          !(
            principalEquals(c.server, wanted) &&
            (options.client === undefined || principalEquals(c.client, options.client))
          ),
      );
      const removed = current.credentials.length - kept.length;
      return removed === 0 ? { result: 0 } : { write: { ...current, credentials: kept }, result: removed };
    });
  }

  async getConfig(key: string, principal?: Principal): Promise<Uint8Array | undefined> {
    const cache = await this.required();
    return cache.config.find((e) => sameConfigTarget(e, key, principal))?.value;
  }

  async setConfig(key: string, value: Uint8Array | undefined, principal?: Principal): Promise<void> {
    if (key === '' || key.includes('/')) {
      throw new StoreNameError('ccache', this.name, `bad configuration key ${JSON.stringify(key)}`);
    }
    return this.update((current) => {
      if (current === undefined) throw new StoreNotFoundError('ccache', this.name);
      const config = current.config.filter((e) => !sameConfigTarget(e, key, principal));
      if (value !== undefined) {
        config.push({ key, value, ...(principal === undefined ? {} : { principal }) });
      }
      return { write: { ...current, config }, result: undefined };
    });
  }

  async listConfig(): Promise<CcacheConfigEntry[]> {
    return (await this.required()).config;
  }

  async read(): Promise<Ccache> {
    return this.required();
  }

  async destroy(): Promise<void> {
    return this.update(() => ({ write: 'destroy', result: undefined }));
  }
}

/** `current` with `entries` added, each replacing the credentials for the same client and server. */
function withCredentials(current: Ccache, entries: readonly CcacheCredential[]): Ccache {
  let credentials = current.credentials;
  for (const entry of entries) {
    const [client, server] = credentialKey(entry);
    credentials = credentials.filter(
      (c) => !(principalEquals(c.client, client) && principalEquals(c.server, server)),
    );
    credentials.push(entry);
  }
  return { ...current, credentials };
}

/** Whether two raw credentials are the same entry (same names and the same ticket bytes). */
function sameEntry(a: CcacheCredential, b: CcacheCredential): boolean {
  if (!principalEquals(a.client, b.client) || !principalEquals(a.server, b.server)) return false;
  if (a.ticket.length !== b.ticket.length) return false;
  for (let i = 0; i < a.ticket.length; i++) if (a.ticket[i] !== b.ticket[i]) return false;
  return a.endtime.getTime() === b.endtime.getTime();
}

// ---------------------------------------------------------------------------------------
// FILE (and the files of DIR collections)

/** A FILE credential cache: MIT's file format through readCcache/writeCcache. */
export class FileCredentialCache extends SnapshotCredentialCache {
  readonly type: 'FILE' | 'DIR';
  readonly name: string;
  readonly path: string;
  private readonly allowForeignOwner: boolean;

  constructor(
    path: string,
    options: CcacheOptions & { readonly type?: 'FILE' | 'DIR'; readonly name?: string } = {},
  ) {
    super();
    if (path === '') throw new StoreNameError('ccache', 'FILE:', 'empty path');
    this.type = options.type ?? 'FILE';
    this.path = path;
    this.name = options.name ?? `FILE:${path}`;
    this.allowForeignOwner = options.allowForeignOwner === true;
  }

  private access() {
    return { store: 'ccache' as const, storeName: this.name, allowForeignOwner: this.allowForeignOwner };
  }

  /** Parses file content; undefined for an empty file (created but never initialized). */
  private parse(bytes: Uint8Array | undefined): Ccache | undefined {
    if (bytes === undefined || bytes.length === 0) return undefined;
    try {
      return readCcache(bytes);
    } catch (e) {
      if (e instanceof DecodeError) throw new StoreFormatError('ccache', this.name, e.message, e);
      throw e;
    }
  }

  protected async load(): Promise<Ccache | undefined> {
    return this.parse(await readStoreFile(this.path, this.access()));
  }

  protected update<T>(f: (current: Ccache | undefined) => CacheUpdate<T>): Promise<T> {
    return updateStoreFile(this.path, {
      ...this.access(),
      apply: (bytes) => {
        const u = f(this.parse(bytes));
        if (u.write === undefined || u.write === 'destroy')
          return { write: u.write === 'destroy' ? 'delete' : undefined, result: u.result };
        return { write: writeCcache(u.write), result: u.result };
      },
      merge: (current, before, after) => this.mergeLate(current, before, after),
    });
  }

  /**
   * Credentials and configuration entries that another process (MIT appending) added to
   * the file we replaced, carried into the new one. A re-initialized file (other default
   * principal) wins as a whole, as the later kinit would have.
   */
  private mergeLate(current: Uint8Array, before: Uint8Array, after: Uint8Array): Uint8Array | undefined {
    let old: Ccache | undefined;
    let late: Ccache | undefined;
    let ours: Ccache | undefined;
    try {
      old = this.parse(before);
      late = this.parse(after);
      ours = this.parse(current);
    } catch {
      return undefined; // a partial append: nothing safe to carry over
    }
    if (late === undefined || ours === undefined) return undefined;
    if (old === undefined || !principalEquals(old.defaultPrincipal, late.defaultPrincipal)) {
      return writeCcache(late);
    }
    const known = old.credentials;
    const added = late.credentials.filter((c) => !known.some((k) => sameEntry(k, c)));
    const addedConfig = late.config.filter(
      (c) => !old.config.some((k) => k.key === c.key && bytesEqual(k.value, c.value)),
    );
    if (added.length === 0 && addedConfig.length === 0) return undefined;
    const next = withCredentials(ours, added);
    for (const c of addedConfig) {
      next.config = next.config.filter((e) => !sameConfigTarget(e, c.key, c.principal));
      next.config.push(c);
    }
    return writeCcache(next);
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// MEMORY

const memoryCaches = new Map<string, Ccache>();

/** A MEMORY credential cache: process-local, shared by every handle with the same name. */
export class MemoryCredentialCache extends SnapshotCredentialCache {
  readonly type = 'MEMORY' as const;
  readonly name: string;
  readonly path = undefined;
  private readonly key: string;

  constructor(key: string) {
    super();
    this.key = key;
    this.name = `MEMORY:${key}`;
  }

  protected async load(): Promise<Ccache | undefined> {
    const c = memoryCaches.get(this.key);
    return c === undefined ? undefined : structuredClone(c);
  }

  protected async update<T>(f: (current: Ccache | undefined) => CacheUpdate<T>): Promise<T> {
    const current = memoryCaches.get(this.key);
    const u = f(current === undefined ? undefined : structuredClone(current));
    if (u.write === 'destroy') memoryCaches.delete(this.key);
    else if (u.write !== undefined) {
      // through the file encoder: the same checks as a FILE cache, and a private copy
      const encoded = writeCcache(u.write);
      memoryCaches.set(this.key, readCcache(encoded));
    }
    return u.result;
  }
}

// ---------------------------------------------------------------------------------------
// DIR

/** The file name of a subsidiary cache must start with this (MIT's `filename_is_cache`). */
const DIR_CACHE_PREFIX = 'tkt';
const PRIMARY_FILE = 'primary';

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

function splitSubsidiary(path: string, storeName: string): { dir: string; file: string } {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : slash === 0 ? '/' : path.slice(0, slash);
  const file = path.slice(slash + 1);
  if (dir === '')
    throw new StoreNameError('ccache', storeName, `subsidiary cache path ${path} has no parent directory`);
  if (!file.startsWith(DIR_CACHE_PREFIX)) {
    throw new StoreNameError(
      'ccache',
      storeName,
      `subsidiary cache path ${path} filename does not begin with "tkt"`,
    );
  }
  return { dir, file };
}

/** A cache of a DIR collection (`DIR::/dir/tktNAME`): a FILE cache named the DIR way. */
function subsidiaryCache(path: string, options: CcacheOptions): FileCredentialCache {
  return new FileCredentialCache(path, { ...options, type: 'DIR', name: `DIR::${path}` });
}

/** MIT's DIR collection: a directory of `tkt*` FILE caches and a `primary` file naming one. */
export interface DirCollection {
  readonly directory: string;
  /** `DIR:directory` */
  readonly name: string;
  /** The primary cache (creating the `primary` file naming `tkt` when there is none, as MIT). */
  primary(): Promise<CredentialCache>;
  /** The collection's caches (regular files named `tkt*`), the primary first. */
  list(): Promise<CredentialCache[]>;
  /** Makes `cache` (a cache of this directory) the primary one: kswitch. */
  switchTo(cache: CredentialCache | string): Promise<void>;
  /** The initialized cache whose default principal is `principal` (MIT krb5_cc_cache_match). */
  findByPrincipal(principal: Principal): Promise<CredentialCache | undefined>;
  /** A new cache `tktXXXXXX` initialized for `principal` (MIT's krb5_cc_new_unique). */
  create(principal: Principal, options?: InitializeCcacheOptions): Promise<CredentialCache>;
}

/** Reads the primary file as MIT's `read_primary_file`: one line naming a `tkt*` file. */
async function readPrimary(
  dir: string,
  storeName: string,
  options: CcacheOptions,
): Promise<string | undefined> {
  const bytes = await readStoreFile(joinPath(dir, PRIMARY_FILE), {
    store: 'ccache',
    storeName,
    allowForeignOwner: options.allowForeignOwner,
  });
  if (bytes === undefined) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : text.slice(0, nl);
  // MIT reads at most 63 bytes with fgets and wants the newline within them
  if (nl < 0 || nl > 62 || !line.startsWith(DIR_CACHE_PREFIX) || line.includes('/') || line.includes('\\')) {
    throw new StoreFormatError(
      'ccache',
      storeName,
      `${joinPath(dir, PRIMARY_FILE)} contains invalid filename`,
    );
  }
  return line;
}

/** Opens the DIR collection in `directory` (created, mode 0700, when missing, as MIT does). */
export async function openDirCollection(
  directory: string,
  options: CcacheOptions = {},
): Promise<DirCollection> {
  if (directory === '') throw new StoreNameError('ccache', 'DIR:', 'empty directory name');
  const name = `DIR:${directory}`;
  await ensureCcacheDirectory(directory, name);
  const primaryName = async (): Promise<string> => {
    const current = await readPrimary(directory, name, options);
    if (current !== undefined) return current;
    await replaceSmallFile(
      joinPath(directory, PRIMARY_FILE),
      new TextEncoder().encode(`${DIR_CACHE_PREFIX}\n`),
    );
    return DIR_CACHE_PREFIX;
  };
  const collection: DirCollection = {
    directory,
    name,
    async primary() {
      return subsidiaryCache(joinPath(directory, await primaryName()), options);
    },
    async list() {
      const primary = await primaryName();
      const files = (await listDirectory(directory)).filter((f) => f.startsWith(DIR_CACHE_PREFIX)).sort();
      const out: CredentialCache[] = [];
      for (const f of [primary, ...files.filter((x) => x !== primary)]) {
        const path = joinPath(directory, f);
        if (await isRegularFile(path)) out.push(subsidiaryCache(path, options));
      }
      return out;
    },
    async switchTo(cache) {
      const path = typeof cache === 'string' ? cache.replace(/^DIR::/, '') : cache.path;
      if (path === undefined) throw new StoreNameError('ccache', name, 'not a cache of this collection');
      const { dir, file } = splitSubsidiary(path, name);
      if (dir.replace(/\/+$/, '') !== directory.replace(/\/+$/, '')) {
        throw new StoreNameError('ccache', name, `${path} is not in ${directory}`);
      }
      await replaceSmallFile(joinPath(directory, PRIMARY_FILE), new TextEncoder().encode(`${file}\n`));
    },
    async findByPrincipal(principal) {
      for (const cache of await collection.list()) {
        try {
          if (principalEquals(await cache.getPrincipal(), principal)) return cache;
        } catch (e) {
          if (!(e instanceof StoreNotFoundError || e instanceof StoreFormatError)) throw e;
        }
      }
      return undefined;
    },
    async create(principal, initOptions = {}) {
      const input: CcacheInput = {
        version: 4,
        defaultPrincipal: principal,
        credentials: (initOptions.credentials ?? []).map(toCcacheCredential),
        config: [...(initOptions.config ?? [])],
        ...kdcTimeOffset(initOptions.kdcTimeOffsetMs),
      };
      const bytes = writeCcache(input);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      for (let attempt = 0; attempt < 100; attempt++) {
        const rnd = globalThis.crypto.getRandomValues(new Uint8Array(6));
        const suffix = Array.from(rnd, (b) => alphabet[b % alphabet.length]).join('');
        const path = joinPath(directory, `${DIR_CACHE_PREFIX}${suffix}`);
        if (await createStoreFileExclusive(path, bytes)) return subsidiaryCache(path, options);
      }
      throw new StoreNameError('ccache', name, 'could not find a free tktXXXXXX name');
    },
  };
  return collection;
}

// ---------------------------------------------------------------------------------------
// resolve

/**
 * The credential cache `name` names (default: KRB5CCNAME, else `FILE:/tmp/krb5cc_<uid>`),
 * as MIT's krb5_cc_resolve: `FILE:path` or a bare path, `MEMORY:name`, `DIR:dir` (the
 * collection's primary cache; the directory and its `primary` file are created as MIT
 * does) or `DIR::dir/tktNAME` (one cache of a collection). Other types:
 * UnknownStoreTypeError; malformed names: StoreNameError. Resolving does not create the
 * cache itself: see `initialize`.
 */
export async function resolveCcache(
  name?: string,
  options: ResolveCcacheOptions = {},
): Promise<CredentialCache> {
  const full =
    name ??
    defaultCcacheName({
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.defaultName === undefined ? {} : { fallback: options.defaultName }),
      ...(options.identity === undefined ? {} : { identity: options.identity }),
    });
  const { type, residual } = splitCcacheName(full);
  const cacheOptions: CcacheOptions = options.allowForeignOwner === true ? { allowForeignOwner: true } : {};
  switch (type) {
    case 'FILE':
      if (residual === '') throw new StoreNameError('ccache', full, 'empty path');
      return new FileCredentialCache(residual, cacheOptions);
    case 'MEMORY':
      return new MemoryCredentialCache(residual);
    case 'DIR': {
      if (residual.startsWith(':')) {
        const path = residual.slice(1);
        const { dir } = splitSubsidiary(path, full);
        await ensureCcacheDirectory(dir, full);
        return subsidiaryCache(path, cacheOptions);
      }
      return (await openDirCollection(residual, cacheOptions)).primary();
    }
    default:
      throw new UnknownStoreTypeError('ccache', full, type, CCACHE_TYPES);
  }
}
