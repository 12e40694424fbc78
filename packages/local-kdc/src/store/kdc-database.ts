/**
 * The Local KDC's persistent principal database: LMDB (crash-safe copy-on-write B-tree,
 * many readers and one writer across processes, robust locks that survive a writer killed
 * mid-transaction), every key sealed under the master key from a 0600 stash file. The KDC
 * and any number of admin processes may open it at once; each admin change is one LMDB
 * transaction, so a killed admin leaves the previous or the next state, never half of one.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Key } from '@postntlm/krb5-crypto';
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import {
  type KeytabEntry,
  type Principal,
  PrincipalParseError,
  parsePrincipal,
  unparsePrincipal,
} from '@postntlm/krb5-messages';
import type { RootDatabase } from 'lmdb';
import { deriveKeys, type KeySource } from './derive-keys.js';
import { DatabaseError } from './errors.js';
import { generateMasterKey, type MasterKey, readStash, seal, unseal, writeStash } from './master-key.js';
import {
  type PrincipalAttributes,
  type PrincipalEntry,
  type PrincipalKey,
  type PrincipalStore,
  SERVICE_DEFAULTS,
  USER_DEFAULTS,
} from './principal-store.js';
import {
  type AuthStateRecord,
  checkAuthState,
  checkMeta,
  checkPrincipal,
  DEFAULT_LOCKOUT,
  type KeyRecord,
  type LockoutPolicy,
  type MetaRecord,
  type PrincipalRecord,
  SCHEMA_VERSION,
} from './records.js';

/** Files of a state directory that belong to the database. */
export function databasePaths(stateDir: string): { stash: string; database: string } {
  return { stash: join(stateDir, 'master.stash'), database: join(stateDir, 'kdb') };
}

export interface CreateDatabaseOptions {
  /** The realm, e.g. from `generateRealm()`. */
  readonly realm: string;
  /** Account lockout (default 10 failures in 10 minutes lock for 10 minutes). */
  readonly lockout?: Partial<LockoutPolicy>;
  /** Shortest password accepted (default 8). */
  readonly minPasswordLength?: number;
  /** Old kvnos kept after a key change, so keytabs can roll over (default 2). */
  readonly keepOldKvnos?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

export interface OpenDatabaseOptions {
  /** Open without write access (the KDC still records failed logins unless this is set). */
  readonly readOnly?: boolean;
  readonly now?: () => number;
}

/** Settings of a principal an administrator may change; `null` clears a limit. */
export interface PrincipalSettings {
  readonly requiresPreauth?: boolean;
  readonly disallowServer?: boolean;
  readonly noAuthDataRequired?: boolean;
  /** Disabled principals get KDC_ERR_CLIENT_REVOKED ("credentials have been revoked"). */
  readonly disabled?: boolean;
  readonly maxLifeSeconds?: number | null;
  readonly maxRenewSeconds?: number | null;
  readonly expiresAt?: Date | null;
}

export interface NewPrincipalOptions extends KeySource {
  /** `user` (default for one-component names) or `service`: picks the attribute defaults. */
  readonly kind?: 'user' | 'service';
  readonly settings?: PrincipalSettings;
}

export interface ModifyPrincipalOptions extends PrincipalSettings {
  /** Clear the failed-login count (and so a lockout). */
  readonly unlock?: boolean;
}

/** What an administrator sees of a principal: everything but key bytes. */
export interface PrincipalInfo {
  readonly name: string;
  readonly kind: 'user' | 'service';
  /** Relative id under the realm's domain SID. */
  readonly rid: number;
  readonly kvno: number;
  readonly keys: readonly { readonly enctype: number; readonly kvno: number; readonly salt?: string }[];
  readonly requiresPreauth: boolean;
  readonly disallowServer: boolean;
  readonly noAuthDataRequired: boolean;
  readonly disabled: boolean;
  readonly maxLifeSeconds?: number;
  readonly maxRenewSeconds?: number;
  readonly expiresAt?: Date;
  readonly passwordSetAt: Date;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly failedLogins: number;
  readonly lastFailureAt?: Date;
  /** Set while the account is locked out; a far-future date means until an administrator unlocks. */
  readonly lockedUntil?: Date;
  readonly aliases: readonly string[];
}

const META = 'meta';
const GENERATION = 'gen';
const CHECK_TEXT = new TextEncoder().encode('postntlm local-kdc master key check');
const CHECK_AAD = new TextEncoder().encode('meta');
const FOREVER = new Date(8.64e15);
const MAX_CACHED = 10_000;

const principalKey = (id: string): string => `p/${id}`;
const aliasKey = (id: string): string => `a/${id}`;
const authKey = (id: string): string => `f/${id}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** `S-1-5-21-a-b-c` with three random 32-bit sub-authorities, as Windows makes a machine SID. */
function generateDomainSid(): string {
  const b = getBackend().randomBytes(12);
  const v = new DataView(b.buffer, b.byteOffset, 12);
  return `S-1-5-21-${v.getUint32(0, true)}-${v.getUint32(4, true)}-${v.getUint32(8, true)}`;
}

function keyAad(id: string, enctype: number, kvno: number): Uint8Array {
  return new TextEncoder().encode(`${id}\0${enctype}\0${kvno}`);
}

async function openLmdb(path: string, readOnly: boolean): Promise<RootDatabase> {
  const { open } = await import('lmdb');
  // overlappingSync (lmdb-js's default on Linux) defers the flush past the commit and keeps
  // meta-page state per process; with several processes and a writer killed mid-commit it
  // was seen to leave the others with MDB_PANIC. Plain LMDB commits (sync under the write
  // lock) are crash-safe across processes, and admin writes are few.
  return open({ path, encoding: 'json', compression: false, readOnly, overlappingSync: false });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function checkSettings(settings: PrincipalSettings): void {
  for (const field of ['maxLifeSeconds', 'maxRenewSeconds'] as const) {
    const v = settings[field];
    if (v !== undefined && v !== null && !(Number.isSafeInteger(v) && v >= 0)) {
      throw new DatabaseError('invalid-argument', `${field} must be a whole number of seconds`);
    }
  }
  if (settings.expiresAt instanceof Date && Number.isNaN(settings.expiresAt.getTime())) {
    throw new DatabaseError('invalid-argument', 'expiresAt is not a valid date');
  }
}

function applySettings(record: PrincipalRecord, settings: PrincipalSettings): PrincipalRecord {
  const next: Record<string, unknown> = { ...record };
  for (const field of ['requiresPreauth', 'disallowServer', 'noAuthDataRequired', 'disabled'] as const) {
    if (settings[field] !== undefined) next[field] = settings[field];
  }
  for (const field of ['maxLifeSeconds', 'maxRenewSeconds'] as const) {
    const v = settings[field];
    if (v === null) delete next[field];
    else if (v !== undefined) next[field] = v;
  }
  if (settings.expiresAt === null) delete next.expiresAt;
  else if (settings.expiresAt !== undefined) next.expiresAt = settings.expiresAt.toISOString();
  return next as unknown as PrincipalRecord;
}

/** The persistent `PrincipalStore` with its administration API. Open with `create` or `open`. */
export class KdcDatabase implements PrincipalStore {
  private generation = -1;
  private readonly entries = new Map<string, PrincipalEntry>();
  private readonly resolved = new Map<string, string | null>();

  private constructor(
    private readonly db: RootDatabase,
    private readonly master: MasterKey,
    private meta: MetaRecord,
    private readonly now: () => number,
    /** Where the database lives (for messages). */
    readonly stateDir: string,
    private readonly readOnly = false,
  ) {}

  /** The realm this database serves. */
  get realm(): string {
    return this.meta.realm;
  }

  /** The realm's Windows domain SID (`S-1-5-21-a-b-c`), for PACs. */
  get domainSid(): string {
    return this.meta.domainSid;
  }

  /** The lockout policy in force. */
  get lockoutPolicy(): LockoutPolicy {
    return this.meta.lockout;
  }

  /**
   * Creates a database in `stateDir` (made 0700 if absent): the master key and its 0600
   * stash file, the realm, and `krbtgt/REALM@REALM` with random keys.
   */
  static async create(stateDir: string, options: CreateDatabaseOptions): Promise<KdcDatabase> {
    const realm = options.realm;
    if (typeof realm !== 'string' || realm.length === 0 || /[\s/@\\]/.test(realm)) {
      throw new DatabaseError('invalid-argument', `bad realm name ${JSON.stringify(realm)}`);
    }
    const paths = databasePaths(stateDir);
    if ((await exists(paths.stash)) || (await exists(join(paths.database, 'data.mdb')))) {
      throw new DatabaseError('already-initialised', `${stateDir} already holds a Local KDC database`);
    }
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await mkdir(paths.database, { recursive: true, mode: 0o700 });
    const master = generateMasterKey();
    await writeStash(paths.stash, master);
    const now = options.now ?? Date.now;
    const meta: MetaRecord = {
      schema: SCHEMA_VERSION,
      realm,
      createdAt: iso(now()),
      masterKvno: master.kvno,
      check: toBase64(seal(master, CHECK_TEXT, CHECK_AAD)),
      lockout: { ...DEFAULT_LOCKOUT, ...options.lockout },
      minPasswordLength: options.minPasswordLength ?? 8,
      keepOldKvnos: options.keepOldKvnos ?? 2,
      domainSid: generateDomainSid(),
      nextRid: 1000,
    };
    checkMeta(meta);
    const db = await openLmdb(paths.database, false);
    await db.transaction(() => {
      db.put(META, meta);
      db.put(GENERATION, 1);
    });
    await Promise.all(
      ['data.mdb', 'lock.mdb'].map((f) => chmod(join(paths.database, f), 0o600).catch(() => undefined)),
    );
    const database = new KdcDatabase(db, master, meta, now, stateDir);
    await database.addPrincipal(`krbtgt/${realm}@${realm}`, { randomKey: true, kind: 'service' });
    return database;
  }

  /** Opens the database of `stateDir`, checking that the stash file's master key opens it. */
  static async open(stateDir: string, options: OpenDatabaseOptions = {}): Promise<KdcDatabase> {
    const paths = databasePaths(stateDir);
    const master = await readStash(paths.stash);
    if (!(await exists(join(paths.database, 'data.mdb')))) {
      throw new DatabaseError('not-initialised', `${stateDir} holds no Local KDC database: run setup first`);
    }
    const db = await openLmdb(paths.database, options.readOnly === true);
    try {
      const raw: unknown = db.get(META);
      if (raw === undefined) throw new DatabaseError('corrupt', `${stateDir}: database has no metadata`);
      const meta = checkMeta(raw);
      unseal(master, fromBase64(meta.check), CHECK_AAD, `${stateDir}: master key check`);
      return new KdcDatabase(db, master, meta, options.now ?? Date.now, stateDir, options.readOnly === true);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  /** Closes the database (pending writes are committed first). */
  async close(): Promise<void> {
    await this.db.close();
  }

  // ---------------------------------------------------------------- the KDC's view

  async get(principal: Principal): Promise<PrincipalEntry | undefined> {
    this.refresh();
    const id = this.resolve(unparsePrincipal(principal));
    if (id === null) return undefined;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      const raw: unknown = this.db.get(principalKey(id));
      if (raw === undefined) return undefined;
      entry = this.toEntry(checkPrincipal(raw));
      if (this.entries.size >= MAX_CACHED) this.entries.clear();
      this.entries.set(id, entry);
    }
    if (!entry.attributes.lockedOut && this.lockedUntil(id, this.now()) !== undefined) {
      return { ...entry, attributes: { ...entry.attributes, lockedOut: true } };
    }
    return entry;
  }

  async recordPreauth(entry: PrincipalEntry, outcome: 'success' | 'failure', atMs: number): Promise<void> {
    const policy = this.meta.lockout;
    if (policy.maxFailures === 0 || this.readOnly) return;
    const id = unparsePrincipal(entry.principal);
    const key = authKey(id);
    if (outcome === 'success') {
      if (this.db.get(key) !== undefined) await this.db.remove(key);
      return;
    }
    await this.db.transaction(() => {
      const state = this.authState(id);
      const fresh =
        state === undefined ||
        state.lastFailureAt === undefined ||
        Date.parse(state.lastFailureAt) + policy.failureWindowSeconds * 1000 < atMs ||
        // an expired lockout starts the count again
        (state.failures >= policy.maxFailures && this.lockedUntil(id, atMs) === undefined);
      const next: AuthStateRecord = { failures: (fresh ? 0 : state.failures) + 1, lastFailureAt: iso(atMs) };
      this.db.put(key, next);
    });
  }

  // ---------------------------------------------------------------- administration

  /** Adds a principal with keys from a password or random keys (kvno 1). */
  async addPrincipal(name: string, options: NewPrincipalOptions): Promise<PrincipalInfo> {
    const principal = this.parse(name);
    const id = unparsePrincipal(principal);
    const kind = options.kind ?? (principal.name.nameString.length > 1 ? 'service' : 'user');
    if (kind !== 'user' && kind !== 'service')
      throw new DatabaseError('invalid-argument', `bad kind ${kind}`);
    checkSettings(options.settings ?? {});
    const keys = await this.newKeys(principal, options);
    const defaults = kind === 'user' ? USER_DEFAULTS : SERVICE_DEFAULTS;
    const at = iso(this.now());
    const base: PrincipalRecord = {
      name: id,
      kind,
      kvno: 1,
      keys: this.sealKeys(id, keys, 1),
      requiresPreauth: defaults.requiresPreauth,
      disallowServer: defaults.disallowServer,
      noAuthDataRequired: defaults.noAuthDataRequired,
      disabled: false,
      passwordSetAt: at,
      createdAt: at,
      modifiedAt: at,
      rid: 0,
    };
    const record = applySettings(base, options.settings ?? {});
    await this.write(() => {
      if (this.db.get(principalKey(id)) !== undefined || this.db.get(aliasKey(id)) !== undefined) {
        throw new DatabaseError('principal-exists', `principal ${id} already exists`);
      }
      const meta = checkMeta(this.db.get(META));
      this.db.put(principalKey(id), { ...record, rid: meta.nextRid });
      this.db.put(META, { ...meta, nextRid: meta.nextRid + 1 });
      this.db.remove(authKey(id));
    });
    return this.principalInfo(id);
  }

  /**
   * New keys for a principal (a password change, or `randomKey` as MIT's `cpw -randkey`):
   * kvno + 1; keys of the last `keepOldKvnos` kvnos stay so existing tickets and keytabs
   * keep working. Returns the new kvno.
   */
  async setKeys(name: string, source: KeySource): Promise<number> {
    const id = this.canonical(name);
    const principal = this.parse(id);
    const keys = await this.newKeys(principal, source);
    let kvno = 0;
    await this.write(() => {
      const record = this.record(id);
      kvno = record.kvno + 1;
      const oldest = kvno - this.meta.keepOldKvnos;
      const kept = record.keys.filter((k) => k.kvno >= oldest && k.kvno < kvno);
      this.db.put(principalKey(id), {
        ...record,
        kvno,
        keys: [...this.sealKeys(id, keys, kvno), ...kept],
        passwordSetAt: iso(this.now()),
        modifiedAt: iso(this.now()),
      } satisfies PrincipalRecord);
      this.db.remove(authKey(id));
    });
    return kvno;
  }

  /** Deletes a principal and its aliases; krbtgt/REALM@REALM is protected. */
  async deletePrincipal(name: string): Promise<void> {
    const id = this.canonical(name);
    if (id === `krbtgt/${this.realm}@${this.realm}`) {
      throw new DatabaseError('protected-principal', `${id} is the realm's ticket-granting service`);
    }
    await this.write(() => {
      this.record(id);
      for (const alias of this.aliasesOf(id)) this.db.remove(aliasKey(alias));
      this.db.remove(principalKey(id));
      this.db.remove(authKey(id));
    });
  }

  /** Changes settings of a principal; `unlock` clears its failed-login count. */
  async modifyPrincipal(name: string, changes: ModifyPrincipalOptions): Promise<PrincipalInfo> {
    const id = this.canonical(name);
    checkSettings(changes);
    await this.write(() => {
      const record = applySettings(this.record(id), changes);
      this.db.put(principalKey(id), { ...record, modifiedAt: iso(this.now()) });
      if (changes.unlock === true) this.db.remove(authKey(id));
    });
    return this.principalInfo(id);
  }

  /** Makes `alias` another name of `target` (answered with the canonical name when asked to canonicalize). */
  async addAlias(alias: string, target: string): Promise<void> {
    const a = unparsePrincipal(this.parse(alias));
    const t = this.canonical(target);
    await this.write(() => {
      this.record(t);
      if (this.db.get(principalKey(a)) !== undefined || this.db.get(aliasKey(a)) !== undefined) {
        throw new DatabaseError('principal-exists', `${a} already names a principal`);
      }
      this.db.put(aliasKey(a), t);
    });
  }

  async removeAlias(alias: string): Promise<void> {
    const a = unparsePrincipal(this.parse(alias));
    await this.write(() => {
      if (this.db.get(aliasKey(a)) === undefined) {
        throw new DatabaseError('principal-not-found', `no alias ${a}`);
      }
      this.db.remove(aliasKey(a));
    });
  }

  /** Names of all principals (canonical, MIT text form), sorted; `pattern` is a glob (`*`, `?`). */
  listPrincipals(pattern?: string): string[] {
    this.refresh();
    const match = pattern === undefined ? undefined : globToRegExp(pattern);
    const out: string[] = [];
    for (const { key } of this.db.getRange({ start: 'p/', end: 'p0' })) {
      const name = String(key).slice(2);
      if (match === undefined || match.test(name)) out.push(name);
    }
    return out;
  }

  /** A principal's settings, key list (no key bytes) and login state. */
  principalInfo(name: string): PrincipalInfo {
    this.refresh();
    const id = this.canonical(name);
    const r = this.record(id);
    const state = this.authState(id);
    const lockedUntil = this.lockedUntil(id, this.now());
    return {
      name: id,
      kind: r.kind,
      rid: r.rid,
      kvno: r.kvno,
      keys: r.keys.map((k) => ({
        enctype: k.enctype,
        kvno: k.kvno,
        ...(k.salt === undefined ? {} : { salt: k.salt }),
      })),
      requiresPreauth: r.requiresPreauth,
      disallowServer: r.disallowServer,
      noAuthDataRequired: r.noAuthDataRequired,
      disabled: r.disabled,
      ...(r.maxLifeSeconds === undefined ? {} : { maxLifeSeconds: r.maxLifeSeconds }),
      ...(r.maxRenewSeconds === undefined ? {} : { maxRenewSeconds: r.maxRenewSeconds }),
      ...(r.expiresAt === undefined ? {} : { expiresAt: new Date(r.expiresAt) }),
      passwordSetAt: new Date(r.passwordSetAt),
      createdAt: new Date(r.createdAt),
      modifiedAt: new Date(r.modifiedAt),
      failedLogins: state?.failures ?? 0,
      ...(state?.lastFailureAt === undefined ? {} : { lastFailureAt: new Date(state.lastFailureAt) }),
      ...(lockedUntil === undefined ? {} : { lockedUntil }),
      aliases: this.aliasesOf(id),
    };
  }

  /**
   * Keytab entries for `names` (every kept kvno, so a service accepts tickets issued before
   * a key change; `currentOnly` for the newest kvno alone). Keys are not changed.
   */
  exportKeytab(names: readonly string[], options: { currentOnly?: boolean } = {}): KeytabEntry[] {
    this.refresh();
    const timestamp = new Date(Math.floor(this.now() / 1000) * 1000);
    const out: KeytabEntry[] = [];
    for (const name of names) {
      const id = this.canonical(name);
      const entry = this.toEntry(this.record(id));
      const kvno = Math.max(...entry.keys.map((k) => k.kvno));
      for (const k of entry.keys) {
        if (options.currentOnly === true && k.kvno !== kvno) continue;
        out.push({
          principal: entry.principal,
          timestamp,
          kvno: k.kvno,
          key: { enctype: k.key.enctype, bytes: k.key.bytes.slice() },
        });
      }
    }
    return out;
  }

  /** Changes the lockout policy (0 failures: never lock). */
  async setLockoutPolicy(policy: Partial<LockoutPolicy>): Promise<LockoutPolicy> {
    const lockout = { ...this.meta.lockout, ...policy };
    await this.write(() => {
      const meta = checkMeta({ ...checkMeta(this.db.get(META)), lockout });
      this.db.put(META, meta);
    });
    this.refresh();
    return this.meta.lockout;
  }

  // ---------------------------------------------------------------- internals

  /** Drops the caches when any process has changed the database (the generation moved). */
  private refresh(): void {
    const gen: unknown = this.db.get(GENERATION);
    if (gen === this.generation) return;
    this.entries.clear();
    this.resolved.clear();
    const raw: unknown = this.db.get(META);
    if (raw !== undefined) this.meta = checkMeta(raw);
    this.generation = typeof gen === 'number' ? gen : -1;
  }

  /** The canonical name behind `id` (itself, or an alias's target); null when neither exists. */
  private resolve(id: string): string | null {
    let out = this.resolved.get(id);
    if (out === undefined) {
      const target: unknown = this.db.get(aliasKey(id));
      out = typeof target === 'string' ? target : this.db.get(principalKey(id)) === undefined ? null : id;
      if (this.resolved.size >= MAX_CACHED) this.resolved.clear();
      this.resolved.set(id, out);
    }
    return out;
  }

  private parse(name: string): Principal {
    try {
      return parsePrincipal(name, { defaultRealm: this.meta.realm });
    } catch (e) {
      if (e instanceof PrincipalParseError || e instanceof TypeError) {
        throw new DatabaseError(
          'invalid-argument',
          `bad principal name ${JSON.stringify(name)}: ${e.message}`,
          {
            cause: e,
          },
        );
      }
      throw e;
    }
  }

  /** Canonical name of an existing principal (aliases followed); principal-not-found otherwise. */
  private canonical(name: string): string {
    const id = unparsePrincipal(this.parse(name));
    const target: unknown = this.db.get(aliasKey(id));
    return typeof target === 'string' ? target : id;
  }

  private record(id: string): PrincipalRecord {
    const raw: unknown = this.db.get(principalKey(id));
    if (raw === undefined) throw new DatabaseError('principal-not-found', `principal ${id} does not exist`);
    return checkPrincipal(raw);
  }

  private authState(id: string): AuthStateRecord | undefined {
    const raw: unknown = this.db.get(authKey(id));
    return raw === undefined ? undefined : checkAuthState(raw);
  }

  /** When `id`'s lockout ends (FOREVER: until unlocked), or undefined when it is not locked at `atMs`. */
  private lockedUntil(id: string, atMs: number): Date | undefined {
    const policy = this.meta.lockout;
    if (policy.maxFailures === 0) return undefined;
    const state = this.authState(id);
    if (state === undefined || state.failures < policy.maxFailures || state.lastFailureAt === undefined) {
      return undefined;
    }
    if (policy.lockoutSeconds === 0) return FOREVER;
    const until = Date.parse(state.lastFailureAt) + policy.lockoutSeconds * 1000;
    return until > atMs ? new Date(until) : undefined;
  }

  private aliasesOf(id: string): string[] {
    const out: string[] = [];
    for (const { key, value } of this.db.getRange({ start: 'a/', end: 'a0' })) {
      if (value === id) out.push(String(key).slice(2));
    }
    return out;
  }

  private async newKeys(principal: Principal, source: KeySource): Promise<PrincipalKey[]> {
    if (source.password !== undefined) {
      if (typeof source.password !== 'string' || source.password.length < this.meta.minPasswordLength) {
        throw new DatabaseError(
          'invalid-argument',
          `password too short: at least ${this.meta.minPasswordLength} characters`,
        );
      }
    }
    if ((source.password === undefined) === (source.randomKey !== true)) {
      throw new DatabaseError('invalid-argument', 'give either a password or randomKey');
    }
    try {
      return await deriveKeys(principal, { random: (n) => getBackend().randomBytes(n), ...source }, 0);
    } catch (e) {
      throw new DatabaseError('invalid-argument', `cannot make keys: ${(e as Error).message}`, { cause: e });
    }
  }

  private sealKeys(id: string, keys: readonly PrincipalKey[], kvno: number): KeyRecord[] {
    return keys.map((k) => ({
      enctype: k.key.enctype,
      kvno,
      ...(k.salt === undefined ? {} : { salt: k.salt }),
      ...(k.s2kparams === undefined ? {} : { s2kparams: hex(k.s2kparams) }),
      sealed: toBase64(seal(this.master, k.key.bytes, keyAad(id, k.key.enctype, kvno))),
    }));
  }

  private toEntry(record: PrincipalRecord): PrincipalEntry {
    const principal = this.parse(record.name);
    const keys: PrincipalKey[] = record.keys.map((k) => {
      const bytes = unseal(
        this.master,
        fromBase64(k.sealed),
        keyAad(record.name, k.enctype, k.kvno),
        `principal ${record.name} key ${k.enctype}/${k.kvno}`,
      );
      const key: Key = Object.freeze({ enctype: k.enctype, bytes });
      return {
        key,
        kvno: k.kvno,
        ...(k.salt === undefined ? {} : { salt: k.salt }),
        ...(k.s2kparams === undefined ? {} : { s2kparams: new Uint8Array(Buffer.from(k.s2kparams, 'hex')) }),
      };
    });
    const attributes: PrincipalAttributes = {
      requiresPreauth: record.requiresPreauth,
      disallowServer: record.disallowServer,
      noAuthDataRequired: record.noAuthDataRequired,
      lockedOut: record.disabled,
      rid: record.rid,
      ...(record.maxLifeSeconds === undefined ? {} : { maxLifeSeconds: record.maxLifeSeconds }),
      ...(record.maxRenewSeconds === undefined ? {} : { maxRenewSeconds: record.maxRenewSeconds }),
      ...(record.expiresAt === undefined ? {} : { expiresAt: new Date(record.expiresAt) }),
    };
    return { principal, keys, attributes };
  }

  /** One admin change: a single LMDB transaction that also moves the generation (other processes drop their caches). */
  private async write(change: () => void): Promise<void> {
    await this.db.transaction(() => {
      change();
      const gen: unknown = this.db.get(GENERATION);
      this.db.put(GENERATION, (typeof gen === 'number' ? gen : 0) + 1);
    });
    this.refresh();
  }
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
