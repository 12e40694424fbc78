/**
 * Keytabs by name, as MIT krb5 resolves them (krb5_kt_resolve): `FILE:path`, `WRFILE:path`
 * (MIT's writable alias of FILE; the same here), a bare path, or `MEMORY:name`
 * (process-local). `resolveKeytab()` follows KRB5_KTNAME (acceptor keys, default
 * `FILE:/etc/krb5.keytab`), `resolveClientKeytab()` KRB5_CLIENT_KTNAME (a client's own
 * keys for getting initial credentials without a password).
 *
 * Writes replace the whole file atomically with mode 0600 (see `./file-io.ts`); MIT's
 * klist/kvno/kadmin read the result. `add` replaces an entry with the same principal, kvno
 * and enctype instead of appending a second one (MIT would append and then use the first).
 */
import {
  DecodeError,
  findKey,
  type KeytabEntry,
  type Principal,
  parsePrincipal,
  principalEquals,
  readKeytab,
  unparsePrincipal,
  writeKeytab,
} from '@postntlm/krb5-messages';
import {
  KeytabKeyNotFoundError,
  StoreFormatError,
  StoreNameError,
  StoreNotFoundError,
  UnknownStoreTypeError,
} from './errors.js';
import { readStoreFile, updateStoreFile } from './file-io.js';
import {
  defaultClientKeytabName,
  defaultKeytabName,
  type ProcessIdentity,
  splitKeytabName,
} from './names.js';

/** The keytab types this library implements. */
export type KeytabType = 'FILE' | 'WRFILE' | 'MEMORY';

export const KEYTAB_TYPES: readonly KeytabType[] = ['FILE', 'WRFILE', 'MEMORY'];

export interface GetKeyOptions {
  /** The key version; undefined or 0 (MIT's IGNORE_VNO): the highest present. */
  readonly kvno?: number;
  /** The enctype; default: any (the first of the chosen kvno in file order). */
  readonly enctype?: number;
}

/** A keytab (MIT's krb5_keytab). Every method reads or writes the store afresh. */
export interface Keytab {
  readonly type: KeytabType;
  /** Its full name: `FILE:/etc/krb5.keytab`, `WRFILE:/x`, `MEMORY:y`. */
  readonly name: string;
  /** The file (FILE and WRFILE). */
  readonly path: string | undefined;
  /** Whether the keytab exists (a FILE keytab: whether the file does). */
  exists(): Promise<boolean>;
  /** Every entry in file order (klist -k). StoreNotFoundError when the file does not exist. */
  list(): Promise<KeytabEntry[]>;
  /**
   * The key of `principal` (a Principal or `name@REALM`) with `kvno` (else the highest) and
   * `enctype` (else the first): MIT's krb5_kt_get_entry. KeytabKeyNotFoundError when none.
   */
  getKey(principal: Principal | string, options?: GetKeyOptions): Promise<KeytabEntry>;
  /**
   * Adds entries (creating the keytab, mode 0600, when missing), each replacing an entry
   * with the same principal, kvno and enctype.
   */
  add(entries: KeytabEntry | readonly KeytabEntry[]): Promise<void>;
  /** Removes the entries of `principal` (with `kvno` / `enctype` when given); returns how many. */
  remove(principal: Principal | string, options?: GetKeyOptions): Promise<number>;
}

export interface KeytabOptions {
  /** Accept a keytab file owned by another user for writing. Default false (root always may). */
  readonly allowForeignOwner?: boolean;
}

export interface ResolveKeytabOptions extends KeytabOptions {
  /** Environment to read KRB5_KTNAME / KRB5_CLIENT_KTNAME from. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default name when the variable is unset (krb5.conf default_keytab_name / default_client_keytab_name). */
  readonly defaultName?: string;
  /** uid/euid for `%{uid}`-style tokens in the default name. Default: this process's. */
  readonly identity?: ProcessIdentity;
}

const principalOf = (p: Principal | string): Principal => (typeof p === 'string' ? parsePrincipal(p) : p);

const sameSlot = (a: KeytabEntry, b: KeytabEntry): boolean =>
  a.kvno === b.kvno && a.key.enctype === b.key.enctype && principalEquals(a.principal, b.principal);

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const sameEntry = (a: KeytabEntry, b: KeytabEntry): boolean =>
  sameSlot(a, b) && bytesEqual(a.key.bytes, b.key.bytes);

function withEntries(current: readonly KeytabEntry[], added: readonly KeytabEntry[]): KeytabEntry[] {
  let out = [...current];
  for (const e of added) {
    out = out.filter((x) => !sameSlot(x, e));
    out.push(e);
  }
  return out;
}

function matches(e: KeytabEntry, principal: Principal, options: GetKeyOptions): boolean {
  if (!principalEquals(e.principal, principal)) return false;
  if (options.kvno !== undefined && options.kvno !== 0 && e.kvno !== options.kvno) return false;
  return options.enctype === undefined || e.key.enctype === options.enctype;
}

function checkEntry(storeName: string, e: KeytabEntry): void {
  // writeKeytab checks the rest; an early, clear error for what callers get wrong most
  if (!(e.key.bytes instanceof Uint8Array) || e.key.bytes.length === 0) {
    throw new StoreNameError('keytab', storeName, 'a keytab entry needs key bytes');
  }
}

/** The shared logic of every keytab type over whole-keytab reads and updates. */
abstract class SnapshotKeytab implements Keytab {
  abstract readonly type: KeytabType;
  abstract readonly name: string;
  abstract readonly path: string | undefined;
  /** The entries, or undefined when the keytab does not exist. */
  protected abstract load(): Promise<KeytabEntry[] | undefined>;
  protected abstract update<T>(
    f: (current: KeytabEntry[] | undefined) => { readonly write?: KeytabEntry[]; readonly result: T },
  ): Promise<T>;

  async exists(): Promise<boolean> {
    return (await this.load()) !== undefined;
  }

  async list(): Promise<KeytabEntry[]> {
    const entries = await this.load();
    if (entries === undefined) throw new StoreNotFoundError('keytab', this.name);
    return entries;
  }

  async getKey(principal: Principal | string, options: GetKeyOptions = {}): Promise<KeytabEntry> {
    const p = principalOf(principal);
    const entries = await this.list();
    const kvno = options.kvno === 0 ? undefined : options.kvno;
    const found = findKey(entries, p, {
      ...(kvno === undefined ? {} : { kvno }),
      ...(options.enctype === undefined ? {} : { enctype: options.enctype }),
    });
    if (found !== undefined) return found;
    const kvnoMismatch =
      kvno !== undefined &&
      entries.some(
        (e) =>
          principalEquals(e.principal, p) &&
          (options.enctype === undefined || e.key.enctype === options.enctype),
      );
    throw new KeytabKeyNotFoundError(this.name, unparsePrincipal(p), {
      kvno,
      enctype: options.enctype,
      kvnoMismatch,
    });
  }

  async add(entries: KeytabEntry | readonly KeytabEntry[]): Promise<void> {
    const list: readonly KeytabEntry[] = Array.isArray(entries) ? entries : [entries as KeytabEntry];
    for (const e of list) checkEntry(this.name, e);
    return this.update((current) => ({ write: withEntries(current ?? [], list), result: undefined }));
  }

  async remove(principal: Principal | string, options: GetKeyOptions = {}): Promise<number> {
    const p = principalOf(principal);
    return this.update((current) => {
      if (current === undefined) return { result: 0 };
      const kept = current.filter((e) => !matches(e, p, options));
      const removed = current.length - kept.length;
      return removed === 0 ? { result: 0 } : { write: kept, result: removed };
    });
  }
}

/** A FILE (or WRFILE) keytab: MIT's format through readKeytab/writeKeytab. */
export class FileKeytab extends SnapshotKeytab {
  readonly type: 'FILE' | 'WRFILE';
  readonly name: string;
  readonly path: string;
  private readonly allowForeignOwner: boolean;

  constructor(path: string, options: KeytabOptions & { readonly type?: 'FILE' | 'WRFILE' } = {}) {
    super();
    this.type = options.type ?? 'FILE';
    if (path === '') throw new StoreNameError('keytab', `${this.type}:`, 'empty path');
    this.path = path;
    this.name = `${this.type}:${path}`;
    this.allowForeignOwner = options.allowForeignOwner === true;
  }

  private parse(bytes: Uint8Array): KeytabEntry[] {
    try {
      return readKeytab(bytes);
    } catch (e) {
      if (e instanceof DecodeError) throw new StoreFormatError('keytab', this.name, e.message, e);
      throw e;
    }
  }

  protected async load(): Promise<KeytabEntry[] | undefined> {
    // Reading a keytab of another user is normal (a service's keytab read by root or a
    // group): only writes check the owner.
    const bytes = await readStoreFile(this.path, {
      store: 'keytab',
      storeName: this.name,
      allowForeignOwner: true,
    });
    return bytes === undefined ? undefined : this.parse(bytes);
  }

  protected update<T>(
    f: (current: KeytabEntry[] | undefined) => { readonly write?: KeytabEntry[]; readonly result: T },
  ): Promise<T> {
    return updateStoreFile(this.path, {
      store: 'keytab',
      storeName: this.name,
      allowForeignOwner: this.allowForeignOwner,
      apply: (bytes) => {
        const u = f(bytes === undefined ? undefined : this.parse(bytes));
        return { write: u.write === undefined ? undefined : writeKeytab(u.write), result: u.result };
      },
      merge: (current, before, after) => {
        let added: KeytabEntry[];
        let ours: KeytabEntry[];
        try {
          const old = this.parse(before);
          added = this.parse(after).filter((e) => !old.some((o) => sameEntry(o, e)));
          ours = this.parse(current);
        } catch {
          return undefined;
        }
        return added.length === 0 ? undefined : writeKeytab(withEntries(ours, added));
      },
    });
  }
}

const memoryKeytabs = new Map<string, KeytabEntry[]>();

/** A MEMORY keytab: process-local, shared by every handle with the same name. */
export class MemoryKeytab extends SnapshotKeytab {
  readonly type = 'MEMORY' as const;
  readonly name: string;
  readonly path = undefined;
  private readonly key: string;

  constructor(key: string) {
    super();
    this.key = key;
    this.name = `MEMORY:${key}`;
  }

  protected async load(): Promise<KeytabEntry[] | undefined> {
    // as MIT: a MEMORY keytab exists (empty) as soon as it is named
    return structuredClone(memoryKeytabs.get(this.key) ?? []);
  }

  protected async update<T>(
    f: (current: KeytabEntry[] | undefined) => { readonly write?: KeytabEntry[]; readonly result: T },
  ): Promise<T> {
    const current = memoryKeytabs.get(this.key);
    const u = f(current === undefined ? undefined : structuredClone(current));
    if (u.write !== undefined) memoryKeytabs.set(this.key, readKeytab(writeKeytab(u.write)));
    return u.result;
  }
}

function keytabFromName(full: string, options: KeytabOptions): Keytab {
  const { type, residual } = splitKeytabName(full);
  const fileOptions: KeytabOptions = options.allowForeignOwner === true ? { allowForeignOwner: true } : {};
  switch (type) {
    case 'FILE':
    case 'WRFILE':
      if (residual === '') throw new StoreNameError('keytab', full, 'empty path');
      return new FileKeytab(residual, { ...fileOptions, type });
    case 'MEMORY':
      return new MemoryKeytab(residual);
    default:
      throw new UnknownStoreTypeError('keytab', full, type, KEYTAB_TYPES);
  }
}

const envOptions = (options: ResolveKeytabOptions) => ({
  ...(options.env === undefined ? {} : { env: options.env }),
  ...(options.defaultName === undefined ? {} : { fallback: options.defaultName }),
  ...(options.identity === undefined ? {} : { identity: options.identity }),
});

/**
 * The keytab `name` names (default: KRB5_KTNAME, else `FILE:/etc/krb5.keytab`), as MIT's
 * krb5_kt_resolve. Unknown types: UnknownStoreTypeError. Resolving touches no file.
 */
export function resolveKeytab(name?: string, options: ResolveKeytabOptions = {}): Keytab {
  return keytabFromName(name ?? defaultKeytabName(envOptions(options)), options);
}

/**
 * The client keytab (a client's own keys, for getInitialCredentials without a password):
 * `name`, else KRB5_CLIENT_KTNAME, else `FILE:/etc/krb5/user/<euid>/client.keytab`.
 */
export function resolveClientKeytab(name?: string, options: ResolveKeytabOptions = {}): Keytab {
  return keytabFromName(name ?? defaultClientKeytabName(envOptions(options)), options);
}
