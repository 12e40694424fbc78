/**
 * Credential cache and keytab names as MIT krb5 parses them (`krb5_cc_resolve` in
 * src/lib/krb5/ccache/ccbase.c, `krb5_kt_resolve` in src/lib/krb5/keytab/ktbase.c):
 * `TYPE:residual`, the type being everything before the first colon (case-sensitive). A
 * name without a colon is a FILE path; so is a one-letter prefix (a drive letter), and,
 * for keytabs only, a name starting with `/`. Default names and the `%{uid}`-style path
 * tokens of MIT's `k5_expand_path_tokens` (src/lib/krb5/os/expand_path.c).
 */
import { userInfo } from 'node:os';
import type { CredentialStoreKind } from './errors.js';
import { StoreNameError } from './errors.js';

/** A store name split into its type prefix and its residual. */
export interface StoreName {
  /** `FILE`, `MEMORY`, `DIR`, `WRFILE`, ... as written (or `FILE` when there was no prefix). */
  readonly type: string;
  /** What follows the prefix (the whole name when there was none). */
  readonly residual: string;
}

/** MIT's compiled-in default credential cache name (DEFCCNAME). */
export const MIT_DEFAULT_CCACHE_NAME = 'FILE:/tmp/krb5cc_%{uid}';
/** MIT's compiled-in default keytab (DEFKTNAME), used by acceptors. */
export const MIT_DEFAULT_KEYTAB_NAME = 'FILE:/etc/krb5.keytab';
/** The default client keytab of Debian's MIT krb5 (DEFCKTNAME), used by initiators. */
export const MIT_DEFAULT_CLIENT_KEYTAB_NAME = 'FILE:/etc/krb5/user/%{euid}/client.keytab';

const isAsciiLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);

/** Splits a credential cache name as `krb5_cc_resolve` does. */
export function splitCcacheName(name: string): StoreName {
  return splitName('ccache', name);
}

/** Splits a keytab name as `krb5_kt_resolve` does (an absolute path is FILE even with a colon). */
export function splitKeytabName(name: string): StoreName {
  return splitName('keytab', name);
}

function splitName(store: CredentialStoreKind, name: string): StoreName {
  if (typeof name !== 'string' || name === '') throw new StoreNameError(store, String(name), 'empty name');
  if (name.includes('\0')) throw new StoreNameError(store, name, 'contains a NUL character');
  const colon = name.indexOf(':');
  if (colon < 0) return { type: 'FILE', residual: name };
  if (colon === 1 && isAsciiLetter(name[0]!)) return { type: 'FILE', residual: name };
  if (store === 'keytab' && name.startsWith('/')) return { type: 'FILE', residual: name };
  return { type: name.slice(0, colon), residual: name.slice(colon + 1) };
}

/** What {@link expandPathTokens} and the default names read from the process; injectable for tests. */
export interface ProcessIdentity {
  readonly uid?: number | undefined;
  readonly euid?: number | undefined;
  readonly username?: string | undefined;
  readonly tmpdir?: string | undefined;
}

interface NodeProcessLike {
  readonly env?: Record<string, string | undefined>;
  getuid?(): number;
  geteuid?(): number;
}

function nodeProcess(): NodeProcessLike | undefined {
  return (globalThis as { process?: NodeProcessLike }).process;
}

/** The environment of this process (empty outside Node). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return nodeProcess()?.env ?? {};
}

/** This process's uid and euid (undefined where the platform has none, e.g. Windows, browsers). */
export function processIdentity(): ProcessIdentity {
  const p = nodeProcess();
  return {
    uid: typeof p?.getuid === 'function' ? p.getuid() : undefined,
    euid: typeof p?.geteuid === 'function' ? p.geteuid() : undefined,
  };
}

function username(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/**
 * Expands MIT's path tokens: `%{uid}` and `%{USERID}` (real uid), `%{euid}`, `%{username}`,
 * `%{TEMP}` (TMPDIR or /tmp) and `%{null}` (nothing). An unknown token, an unterminated
 * one, or one that cannot be expanded here (no uid on this platform) is a
 * {@link StoreNameError}, as MIT fails to resolve such a name.
 */
export function expandPathTokens(
  template: string,
  store: CredentialStoreKind,
  identity: ProcessIdentity = {},
): string {
  if (!template.includes('%{')) return template;
  const id = { ...processIdentity(), ...definedOnly(identity) };
  let out = '';
  let i = 0;
  while (i < template.length) {
    const at = template.indexOf('%{', i);
    if (at < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, at);
    const end = template.indexOf('}', at + 2);
    if (end < 0) throw new StoreNameError(store, template, 'unterminated %{ token');
    const token = template.slice(at + 2, end);
    out += expandToken(token, template, store, id);
    i = end + 1;
  }
  return out;
}

function definedOnly(identity: ProcessIdentity): ProcessIdentity {
  const out: { -readonly [K in keyof ProcessIdentity]: ProcessIdentity[K] } = {};
  for (const [k, v] of Object.entries(identity) as [keyof ProcessIdentity, string | number | undefined][]) {
    if (v !== undefined) (out as Record<string, string | number>)[k] = v;
  }
  return out;
}

function expandToken(
  token: string,
  template: string,
  store: CredentialStoreKind,
  id: ProcessIdentity,
): string {
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new StoreNameError(store, template, `cannot expand %{${token}}: no ${what} here`);
    return value;
  };
  switch (token) {
    case 'uid':
    case 'USERID':
      return String(need(id.uid, 'user id'));
    case 'euid':
      return String(need(id.euid ?? id.uid, 'user id'));
    case 'username':
      return need(id.username ?? username(), 'user name');
    case 'TEMP':
      return id.tmpdir ?? processEnv().TMPDIR ?? '/tmp';
    case 'null':
      return '';
    default:
      throw new StoreNameError(store, template, `unknown path token %{${token}}`);
  }
}

/**
 * The default credential cache name, as `krb5_cc_default_name`: KRB5CCNAME when set and
 * not empty (used as it is), else `fallback` (krb5.conf's default_ccache_name, if the
 * caller has it) or MIT's `FILE:/tmp/krb5cc_%{uid}`, with path tokens expanded.
 */
export function defaultCcacheName(
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly fallback?: string;
    readonly identity?: ProcessIdentity;
  } = {},
): string {
  const fromEnv = (options.env ?? processEnv()).KRB5CCNAME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return expandPathTokens(options.fallback ?? MIT_DEFAULT_CCACHE_NAME, 'ccache', options.identity ?? {});
}

/** The default (acceptor) keytab name: KRB5_KTNAME, else `fallback` or `FILE:/etc/krb5.keytab`. */
export function defaultKeytabName(
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly fallback?: string;
    readonly identity?: ProcessIdentity;
  } = {},
): string {
  const fromEnv = (options.env ?? processEnv()).KRB5_KTNAME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return expandPathTokens(options.fallback ?? MIT_DEFAULT_KEYTAB_NAME, 'keytab', options.identity ?? {});
}

/**
 * The default client keytab name (for getting initial credentials with a keytab):
 * KRB5_CLIENT_KTNAME, else `fallback` (default_client_keytab_name) or Debian MIT's
 * `FILE:/etc/krb5/user/%{euid}/client.keytab`.
 */
export function defaultClientKeytabName(
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly fallback?: string;
    readonly identity?: ProcessIdentity;
  } = {},
): string {
  const fromEnv = (options.env ?? processEnv()).KRB5_CLIENT_KTNAME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return expandPathTokens(
    options.fallback ?? MIT_DEFAULT_CLIENT_KEYTAB_NAME,
    'keytab',
    options.identity ?? {},
  );
}
