/**
 * The first run of `serve`: a configuration from the command line, and (embedded mode) the
 * Local KDC state: realm, master key, krbtgt, host/NAME and cifs/NAME.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { DatabaseError, KdcDatabase, setupState, statePaths } from '@postntlm/local-kdc';
import { flag, type Parsed, str, strings } from '../cli/args.js';
import type { ServerConfig, ShareConfig } from '../config/schema.js';
import { checkShareName, validateConfig } from '../config/schema.js';
import { usageError } from '../exit-codes.js';

/** A share name from a directory's base name: the characters a share name may hold, else `share`. */
export function shareNameFor(dir: string): string {
  const name = basename(resolve(dir))
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[._-]+/, '');
  return name.length > 0 && name.length <= 80 && name.toUpperCase() !== 'IPC$' ? name : 'share';
}

/**
 * This machine's name, the service name clients ask tickets for (`cifs/NAME`). Not
 * `localhost`: Samba's smbclient will not use Kerberos for a target named localhost.
 */
export function defaultHost(): string {
  const name = hostname().toLowerCase();
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name) &&
    name !== 'localhost'
    ? name
    : 'files.localdomain';
}

/** The configuration a first run writes: defaults, then the command line. */
export function configFromFlags(p: Parsed, dir: string | undefined): ServerConfig {
  if (dir === undefined)
    throw usageError('the first run needs the directory to share: postntlm-smbd serve DIR');
  const share = {
    name: str(p, 'share') ?? shareNameFor(dir),
    path: resolve(dir),
    read_only: flag(p, 'read-only'),
    encrypt: flag(p, 'encrypt'),
    allow: strings(p, 'allow'),
  };
  return validateConfig({
    server: { listen: str(p, 'listen') ?? '127.0.0.1:4445', host: str(p, 'host') ?? defaultHost() },
    kdc: { mode: 'embedded', listen: strings(p, 'kdc-listen') },
    share: [share],
  });
}

/** The share for DIR if the configuration has none with that path (a later `serve DIR`). */
export function shareToAdd(config: ServerConfig, dir: string, p: Parsed): ShareConfig | undefined {
  const path = resolve(dir);
  if (config.shares.some((s) => s.path === path)) return undefined;
  const given = str(p, 'share');
  let name = given === undefined ? shareNameFor(dir) : checkShareName(given, '--share');
  const taken = new Set(config.shares.map((s) => s.name.toLowerCase()));
  // A chosen name is kept or refused; only a name made from the directory gets a number.
  if (given !== undefined && taken.has(given.toLowerCase()))
    throw usageError(`--share ${given}: the configuration already has a share of that name`);
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${shareNameFor(dir)}${i}`;
  return {
    name,
    path,
    readOnly: flag(p, 'read-only'),
    encrypt: flag(p, 'encrypt'),
    allow: strings(p, 'allow'),
    remark: '',
  };
}

/**
 * Makes sure the state directory holds a Local KDC whose database has `cifs/HOST`; creates
 * the realm on first use. Returns whether it was created now.
 */
export async function ensureLocalKdc(
  stateDir: string,
  host: string,
  realm: string | undefined,
): Promise<boolean> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  if (!existsSync(statePaths(stateDir).config)) {
    await setupState(stateDir, {
      host,
      listen: [`unix:${statePaths(stateDir).socket}`],
      ...(realm === undefined ? {} : { realm: realm.toUpperCase() }),
    });
    return true;
  }
  const db = await KdcDatabase.open(stateDir);
  try {
    if (realm !== undefined && realm.toUpperCase() !== db.realm)
      throw usageError(`--realm ${realm}: ${stateDir} already holds realm ${db.realm}`);
    // The host name may have changed in the configuration: its service needs keys.
    try {
      db.principalInfo(`cifs/${host}`);
    } catch (e) {
      if (!(e instanceof DatabaseError && e.code === 'principal-not-found')) throw e;
      await db.addPrincipal(`cifs/${host}`, {
        randomKey: true,
        kind: 'service',
        settings: { noAuthDataRequired: true },
      });
    }
  } finally {
    await db.close();
  }
  return false;
}
