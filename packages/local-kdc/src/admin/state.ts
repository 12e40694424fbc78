/**
 * A Local KDC state directory: the database (`kdb/`, `master.stash`), `config.json`
 * (host name, listeners, audit log) and `service.keytab` (the host's own service keys).
 * `setupState` makes one; the `lkdc` CLI and the reference SMB server both use it.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cryptoRandom } from '@postntlm/krb5-client';
import { saveKeytab } from '@postntlm/krb5-messages';
import { generateRealm } from '../kdc/realm.js';
import { DatabaseError } from '../store/errors.js';
import { type CreateDatabaseOptions, KdcDatabase } from '../store/kdc-database.js';
import { formatListenAddress, type ListenSpec, parseListenAddress } from './listen-address.js';

export interface StateConfig {
  /** The host name services are registered under (`host/NAME`, `cifs/NAME`). */
  readonly host: string;
  /** Listener addresses (`unix:PATH`, `tcp:HOST:PORT`, `udp:HOST:PORT`). */
  readonly listen: readonly string[];
  /** The audit log file; absent: no audit log. `-` is standard error. */
  readonly audit?: string;
  /** Put an MS-PAC in tickets (off unless set: standalone Samba refuses tickets with one). */
  readonly pac?: boolean;
}

export interface SetupOptions extends Partial<Omit<CreateDatabaseOptions, 'realm'>> {
  /** Default `LOCALKDC.<UUID>`. */
  readonly realm?: string;
  /** Default: this machine's host name, lower case. */
  readonly host?: string;
  /** Default: `unix:STATE/kdc.sock`, `tcp:127.0.0.1:88`, `udp:127.0.0.1:88`. */
  readonly listen?: readonly string[];
  /** Default `STATE/audit.log`. */
  readonly audit?: string;
  /** Issue tickets with an MS-PAC (default false). */
  readonly pac?: boolean;
}

export interface SetupResult {
  readonly realm: string;
  readonly host: string;
  readonly principals: readonly string[];
  readonly keytab: string;
  readonly config: StateConfig;
}

export const statePaths = (stateDir: string) => ({
  config: join(stateDir, 'config.json'),
  keytab: join(stateDir, 'service.keytab'),
  socket: join(stateDir, 'kdc.sock'),
  audit: join(stateDir, 'audit.log'),
  runtime: join(stateDir, 'runtime.json'),
});

/** What a running `serve` writes: its pid and the addresses it really bound (port 0 resolved). */
export interface RuntimeInfo {
  readonly pid: number;
  readonly listen: readonly string[];
  readonly startedAt: string;
}

/** The running KDC's runtime.json, or undefined when none is there or its process is gone. */
export async function readRuntime(stateDir: string): Promise<RuntimeInfo | undefined> {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(await readFile(statePaths(stateDir).runtime, 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
  if (typeof info?.pid !== 'number' || !Array.isArray(info.listen)) return undefined;
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return info;
}

export async function writeRuntime(stateDir: string, listen: readonly string[]): Promise<void> {
  const info: RuntimeInfo = { pid: process.pid, listen, startedAt: new Date().toISOString() };
  await writeAtomic(statePaths(stateDir).runtime, `${JSON.stringify(info)}\n`);
}

export async function removeRuntime(stateDir: string): Promise<void> {
  await rm(statePaths(stateDir).runtime, { force: true });
}

/** Host names as DNS writes them: letters, digits, hyphens and dots. */
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Creates a state directory: the realm and its database (master key, krbtgt), `host/HOST`
 * and `cifs/HOST` with random keys (cifs without authorization data, as standalone Samba
 * wants), their keytab (0600) and `config.json`.
 */
export async function setupState(stateDir: string, options: SetupOptions = {}): Promise<SetupResult> {
  const host = (options.host ?? hostname()).toLowerCase();
  if (!HOST_NAME.test(host))
    throw new DatabaseError('invalid-argument', `bad host name ${JSON.stringify(host)}`);
  const paths = statePaths(stateDir);
  const listen = (options.listen ?? [`unix:${paths.socket}`, 'tcp:127.0.0.1:88', 'udp:127.0.0.1:88']).map(
    (a) => formatListenAddress(parseListenAddress(a)),
  );
  const realm = options.realm ?? generateRealm(cryptoRandom);
  const db = await KdcDatabase.create(stateDir, { ...options, realm });
  try {
    const services = [`host/${host}`, `cifs/${host}`];
    await db.addPrincipal(services[0] as string, { randomKey: true, kind: 'service' });
    await db.addPrincipal(services[1] as string, {
      randomKey: true,
      kind: 'service',
      settings: { noAuthDataRequired: true },
    });
    await saveKeytab(paths.keytab, db.exportKeytab(services));
    const config: StateConfig = {
      host,
      listen,
      audit: options.audit ?? paths.audit,
      ...(options.pac === true ? { pac: true } : {}),
    };
    await writeConfig(stateDir, config);
    return { realm, host, principals: db.listPrincipals(), keytab: paths.keytab, config };
  } finally {
    await db.close();
  }
}

export async function readConfig(stateDir: string): Promise<StateConfig> {
  const path = statePaths(stateDir).config;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatabaseError('not-initialised', `no ${path}: run setup first`, { cause: e });
    }
    throw new DatabaseError('corrupt', `${path}: ${(e as Error).message}`, { cause: e });
  }
  const v = value as Partial<StateConfig> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.host !== 'string' ||
    !Array.isArray(v.listen) ||
    !v.listen.every((a) => typeof a === 'string') ||
    (v.audit !== undefined && typeof v.audit !== 'string') ||
    (v.pac !== undefined && typeof v.pac !== 'boolean')
  ) {
    throw new DatabaseError('corrupt', `${path}: expected {host, listen: [...], audit?, pac?}`);
  }
  for (const a of v.listen) parseListenAddress(a);
  return {
    host: v.host,
    listen: v.listen,
    ...(v.audit === undefined ? {} : { audit: v.audit }),
    ...(v.pac === undefined ? {} : { pac: v.pac }),
  };
}

export async function writeConfig(stateDir: string, config: StateConfig): Promise<void> {
  await writeAtomic(statePaths(stateDir).config, `${JSON.stringify(config, null, 2)}\n`);
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The configured listeners, parsed. */
export function listenSpecs(config: StateConfig): ListenSpec[] {
  return config.listen.map(parseListenAddress);
}
