/**
 * The server configuration (TOML): what it may hold and its validation. Every error names
 * the key (`share[1].path`), so an administrator can find it in the file.
 */
import { isAbsolute } from 'node:path';
import { usageError } from '../exit-codes.js';

export interface ShareConfig {
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;
  /** User names (`alice`) or principals (`alice@REALM`); empty: every authenticated user. */
  readonly allow: readonly string[];
  readonly encrypt: boolean;
  readonly remark: string;
}

export type KdcMode =
  | {
      /** The Local KDC in the state directory, reached in process (IAKerb) and over its Unix socket. */
      readonly mode: 'embedded';
      /** Extra listeners for clients without IAKerb (`tcp:127.0.0.1:8088`, `udp:...`). */
      readonly listen: readonly string[];
    }
  | {
      /** A host in an AD / FreeIPA / MIT realm: IAKerb proxies to the realm's KDCs. */
      readonly mode: 'proxy';
      readonly realm: string;
      /** `host:port` of the realm's KDCs. */
      readonly kdcs: readonly string[];
      /** The keytab holding `cifs/HOST@REALM`. */
      readonly keytab: string;
    };

export interface ServerConfig {
  /** `ADDR:PORT` for SMB. */
  readonly listen: string;
  /** The host name clients use: the service is `cifs/HOST` (default: this machine's name). */
  readonly host: string;
  /** Encrypt every session, not only shares with `encrypt`. */
  readonly encryptAll: boolean;
  readonly shares: readonly ShareConfig[];
  readonly kdc: KdcMode;
  readonly log: {
    readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
    /** `auto`: readable on a terminal, JSON otherwise. */
    readonly format: 'auto' | 'json' | 'pretty';
    /** The KDC's audit log (one JSON object per request); `none` for none. Relative paths are in the state directory. */
    readonly kdcAudit: string;
    /** Refused NTLM attempts (JSON lines). Relative paths are in the state directory. */
    readonly ntlmAudit: string;
  };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const FORMATS = ['auto', 'json', 'pretty'] as const;
const SHARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(key: string, what: string): never {
  throw usageError(`configuration: ${key}: ${what}`);
}

function onlyKeys(table: Table, where: string, allowed: readonly string[]): void {
  for (const k of Object.keys(table))
    if (!allowed.includes(k))
      bad(where === '' ? k : `${where}.${k}`, `unknown key (known: ${allowed.join(', ')})`);
}

function string(table: Table, key: string, where: string, fallback?: string): string {
  const v = table[key];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    bad(`${where}${key}`, 'missing');
  }
  if (typeof v !== 'string' || v.length === 0) bad(`${where}${key}`, 'must be a non-empty string');
  return v;
}

function bool(table: Table, key: string, where: string, fallback: boolean): boolean {
  const v = table[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') bad(`${where}${key}`, 'must be true or false');
  return v;
}

function stringList(table: Table, key: string, where: string): string[] {
  const v = table[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0))
    bad(`${where}${key}`, 'must be a list of strings');
  return v as string[];
}

function oneOf<T extends string>(
  table: Table,
  key: string,
  where: string,
  values: readonly T[],
  fallback: T,
): T {
  const v = string(table, key, where, fallback);
  if (!(values as readonly string[]).includes(v))
    bad(`${where}${key}`, `must be one of ${values.join(', ')}`);
  return v as T;
}

/** `ADDR:PORT` with a port 0–65535 (IPv6 in brackets). */
export function checkHostPort(value: string, key: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m === null ? Number.NaN : Number(m[3]);
  if (m === null || port > 65535) {
    const what = `${JSON.stringify(value)} is not ADDR:PORT`;
    // A command-line option is not a configuration key.
    if (key.startsWith('--')) throw usageError(`${key}: ${what}`);
    bad(key, what);
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

/** A DNS host name (the service is `cifs/NAME`), lower-cased. */
export function checkHostName(value: string, key: string): string {
  const host = value.toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host) || host.length > 253)
    bad(key, `${JSON.stringify(value)} is not a host name`);
  return host;
}

/** A share name clients can type: letters, digits, '.', '_' and '-', at most 80, not IPC$. */
export function checkShareName(name: string, key: string): string {
  if (!SHARE_NAME.test(name) || name.toUpperCase() === 'IPC$')
    bad(key, `${JSON.stringify(name)}: letters, digits, '.', '_' and '-' (not IPC$)`);
  return name;
}

/** Share paths are absolute: a service's working directory says nothing about where files are. */
function absolutePath(path: string, key: string): string {
  if (!isAbsolute(path)) bad(key, `${JSON.stringify(path)} must be an absolute path`);
  return path;
}

function share(value: unknown, i: number): ShareConfig {
  const where = `share[${i}].`;
  if (!isTable(value)) bad(`share[${i}]`, 'must be a table ([[share]])');
  onlyKeys(value, `share[${i}]`, ['name', 'path', 'read_only', 'allow', 'encrypt', 'remark']);
  return {
    name: checkShareName(string(value, 'name', where), `${where}name`),
    path: absolutePath(string(value, 'path', where), `${where}path`),
    readOnly: bool(value, 'read_only', where, false),
    allow: stringList(value, 'allow', where),
    encrypt: bool(value, 'encrypt', where, false),
    remark: typeof value.remark === 'string' ? value.remark : '',
  };
}

function kdc(value: unknown): KdcMode {
  if (value === undefined) return { mode: 'embedded', listen: [] };
  if (!isTable(value)) bad('kdc', 'must be a table ([kdc])');
  const mode = oneOf(value, 'mode', 'kdc.', ['embedded', 'proxy'] as const, 'embedded');
  if (mode === 'embedded') {
    onlyKeys(value, 'kdc', ['mode', 'listen']);
    const listen = stringList(value, 'listen', 'kdc.');
    for (const a of listen)
      if (!/^(tcp|udp):/.test(a)) bad('kdc.listen', `${JSON.stringify(a)}: tcp:ADDR:PORT or udp:ADDR:PORT`);
    return { mode, listen };
  }
  onlyKeys(value, 'kdc', ['mode', 'realm', 'kdcs', 'keytab']);
  const kdcs = stringList(value, 'kdcs', 'kdc.');
  if (kdcs.length === 0) bad('kdc.kdcs', 'proxy mode needs at least one KDC (host:port)');
  return {
    mode,
    realm: string(value, 'realm', 'kdc.').toUpperCase(),
    kdcs,
    keytab: string(value, 'keytab', 'kdc.'),
  };
}

/** Validates a parsed TOML document. */
export function validateConfig(doc: unknown): ServerConfig {
  if (!isTable(doc)) bad('(top level)', 'must be a table');
  onlyKeys(doc, '', ['server', 'share', 'kdc', 'log']);
  const server = doc.server ?? {};
  if (!isTable(server)) bad('server', 'must be a table ([server])');
  onlyKeys(server, 'server', ['listen', 'host', 'encrypt_all']);
  const listen = string(server, 'listen', 'server.', '127.0.0.1:4445');
  checkHostPort(listen, 'server.listen');
  const host = checkHostName(string(server, 'host', 'server.'), 'server.host');
  const shares = doc.share ?? [];
  if (!Array.isArray(shares)) bad('share', 'must be an array of tables ([[share]])');
  const parsedShares = shares.map(share);
  const names = new Set<string>();
  for (const s of parsedShares) {
    if (names.has(s.name.toLowerCase())) bad('share', `two shares are named ${JSON.stringify(s.name)}`);
    names.add(s.name.toLowerCase());
  }
  const log = doc.log ?? {};
  if (!isTable(log)) bad('log', 'must be a table ([log])');
  onlyKeys(log, 'log', ['level', 'format', 'kdc_audit', 'ntlm_audit']);
  return {
    listen,
    host,
    encryptAll: bool(server, 'encrypt_all', 'server.', false),
    shares: parsedShares,
    kdc: kdc(doc.kdc),
    log: {
      level: oneOf(log, 'level', 'log.', LEVELS, 'info'),
      format: oneOf(log, 'format', 'log.', FORMATS, 'auto'),
      kdcAudit: string(log, 'kdc_audit', 'log.', 'audit.log'),
      ntlmAudit: string(log, 'ntlm_audit', 'log.', 'ntlm-audit.jsonl'),
    },
  };
}
