/** An in-memory `PrincipalStore` for tests and embedders (no persistence, keys in the clear). */
import { type Principal, parsePrincipal, unparsePrincipal } from '@postntlm/krb5-messages';
import { formatSid, generateDomainSid } from '../pac/sid.js';
import { deriveKeys, systemRandom } from './derive-keys.js';
import {
  type PrincipalAttributes,
  type PrincipalEntry,
  type PrincipalKey,
  type PrincipalStore,
  SERVICE_DEFAULTS,
  USER_DEFAULTS,
} from './principal-store.js';

export interface AddPrincipalOptions {
  /** `user` (default for names of one component) or `service` (names of two or more): picks the attribute defaults. */
  readonly kind?: 'user' | 'service';
  /** Derive keys from this password (string-to-key with the salt). */
  readonly password?: string;
  /** Random keys (from `random`, or the platform CSPRNG). */
  readonly randomKey?: boolean;
  /** Ready-made keys. */
  readonly keys?: readonly PrincipalKey[];
  /** Enctypes for `password` / `randomKey` (default 20, 18, 19, 17). */
  readonly enctypes?: readonly number[];
  /** kvno for `password` / `randomKey` (default 1). */
  readonly kvno?: number;
  /** Salt (default: realm + components). */
  readonly salt?: string;
  readonly attributes?: Partial<PrincipalAttributes>;
  /** Source of random key bytes (default `crypto.getRandomValues`). */
  readonly random?: (length: number) => Uint8Array;
}

const keyOf = (p: Principal): string => unparsePrincipal(p);

/** A `PrincipalStore` held in a `Map`. */
export class MemoryPrincipalStore implements PrincipalStore {
  private readonly entries = new Map<string, PrincipalEntry>();
  private readonly aliases = new Map<string, string>();
  private nextRid = 1000;
  /** The realm's domain SID for PACs (random unless given). */
  readonly domainSid: string;

  constructor(
    readonly realm: string,
    options: { domainSid?: string } = {},
  ) {
    this.domainSid = options.domainSid ?? formatSid(generateDomainSid(systemRandom));
  }

  async get(principal: Principal): Promise<PrincipalEntry | undefined> {
    const id = keyOf(principal);
    return this.entries.get(this.aliases.get(id) ?? id);
  }

  /** Stores (or replaces) an entry. */
  set(entry: PrincipalEntry): void {
    this.entries.set(keyOf(entry.principal), entry);
  }

  /** Removes a principal (and the aliases that point to it); true if it existed. */
  delete(name: string): boolean {
    const id = keyOf(this.parse(name));
    for (const [alias, target] of this.aliases) if (target === id) this.aliases.delete(alias);
    return this.entries.delete(id);
  }

  /** Changes attributes of an existing principal (e.g. lock it out). */
  modify(name: string, attributes: Partial<PrincipalAttributes>): PrincipalEntry {
    const id = keyOf(this.parse(name));
    const entry = this.entries.get(id);
    if (entry === undefined) throw new Error(`no principal ${id}`);
    const next = { ...entry, attributes: { ...entry.attributes, ...attributes } };
    this.entries.set(id, next);
    return next;
  }

  /** Makes `alias` another name of `target` (the canonical name). */
  addAlias(alias: string, target: string): void {
    const t = keyOf(this.parse(target));
    if (!this.entries.has(t)) throw new Error(`no principal ${t}`);
    this.aliases.set(keyOf(this.parse(alias)), t);
  }

  /** Names of all principals, MIT text form. */
  list(): string[] {
    return [...this.entries.keys()];
  }

  /** Adds a principal with keys from a password, random keys or given keys. */
  async addPrincipal(name: string, options: AddPrincipalOptions): Promise<PrincipalEntry> {
    const principal = this.parse(name);
    const kind = options.kind ?? (principal.name.nameString.length > 1 ? 'service' : 'user');
    const kvno = options.kvno ?? 1;
    const keys: PrincipalKey[] = [...(options.keys ?? []), ...(await deriveKeys(principal, options, kvno))];
    if (keys.length === 0) throw new Error(`principal ${name}: give a password, randomKey or keys`);
    const entry: PrincipalEntry = {
      principal,
      keys,
      attributes: {
        ...(kind === 'user' ? USER_DEFAULTS : SERVICE_DEFAULTS),
        rid: this.nextRid++,
        ...options.attributes,
      },
    };
    this.set(entry);
    return entry;
  }

  private parse(name: string): Principal {
    return parsePrincipal(name, { defaultRealm: this.realm });
  }
}
