/** Reading and writing the TOML configuration. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parse as parseToml, stringify } from 'smol-toml';
import { usageError } from '../exit-codes.js';
import { type ServerConfig, validateConfig } from './schema.js';

/** Reads and validates a configuration file; undefined when it does not exist. */
export async function loadConfig(path: string): Promise<ServerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw usageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch (e) {
    throw usageError(`${path}: not valid TOML: ${(e as Error).message}`);
  }
  try {
    return validateConfig(doc);
  } catch (e) {
    (e as Error).message = `${path}: ${(e as Error).message}`;
    throw e;
  }
}

/** The TOML document for a configuration (the inverse of `validateConfig`). */
export function configToToml(config: ServerConfig): string {
  const kdc =
    config.kdc.mode === 'embedded'
      ? { mode: 'embedded', listen: [...config.kdc.listen] }
      : { mode: 'proxy', realm: config.kdc.realm, kdcs: [...config.kdc.kdcs], keytab: config.kdc.keytab };
  const doc = {
    server: { listen: config.listen, host: config.host, encrypt_all: config.encryptAll },
    kdc,
    log: {
      level: config.log.level,
      format: config.log.format,
      kdc_audit: config.log.kdcAudit,
      ntlm_audit: config.log.ntlmAudit,
    },
    share: config.shares.map((s) => ({
      name: s.name,
      path: s.path,
      read_only: s.readOnly,
      allow: [...s.allow],
      encrypt: s.encrypt,
      remark: s.remark,
    })),
  };
  return `# postntlm-smbd configuration (see the README for every key)\n${stringify(doc)}\n`;
}

/** Writes a configuration atomically (0600: it names paths and users). */
export async function saveConfig(path: string, config: ServerConfig): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, configToToml(config), { mode: 0o600 });
  await rename(tmp, path);
}
