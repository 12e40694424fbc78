/** `postntlm-smbd krb5conf`: the client krb5.conf for the embedded KDC's TCP/UDP listener (smbclient, MIT kinit). */
import { KdcDatabase, krb5Conf, type ListenSpec, parseListenAddress } from '@postntlm/local-kdc';
import { type Parsed, parse, str } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { loadConfig } from '../config/load.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { serverPaths } from '../state-dir.js';
import { readServerRuntime } from './serve.js';

export const KRB5CONF_USAGE =
  'postntlm-smbd krb5conf [--state STATE] [--config FILE] [--kdc tcp:ADDR:PORT|udp:ADDR:PORT]';

/**
 * local-kdc's client krb5.conf, made to work for smbclient too when the KDC listens on TCP
 * only. MIT reads `udp_preference_limit = 1` (TCP first); Samba's smbclient carries its own
 * Heimdal, which ignores that and sends over UDP unless a message is larger than
 * `large_message_size`: at 1 byte every request goes over TCP. MIT ignores the key.
 */
export function clientKrb5Conf(options: { realm: string; kdc: ListenSpec; host: string }): string {
  const text = krb5Conf(options);
  if (options.kdc.transport !== 'tcp' || text.includes('large_message_size')) return text;
  return text.replace(
    /^(\s*)udp_preference_limit = 1\n/m,
    (line, indent: string) => `${line}${indent}large_message_size = 1\n`,
  );
}

export async function krb5conf(
  argv: readonly string[],
  io: AppIo,
  stateDir: (p: Parsed) => string,
): Promise<number> {
  const p = parse(
    argv,
    { state: { type: 'string' }, config: { type: 'string' }, kdc: { type: 'string' } },
    KRB5CONF_USAGE,
    0,
  );
  const dir = stateDir(p);
  const config = await loadConfig(str(p, 'config') ?? serverPaths(dir).config);
  if (config === undefined)
    throw new CliError(
      ExitCode.STATE,
      `no server configuration in ${dir}: run postntlm-smbd serve DIR first`,
    );
  if (config.kdc.mode !== 'embedded')
    throw usageError("krb5conf: this server proxies to its realm KDCs; use that realm's krb5.conf");
  let kdc: ListenSpec | undefined;
  const given = str(p, 'kdc');
  // A running server's real addresses (port 0 resolved) and host name beat the configured ones.
  const running = await readServerRuntime(dir);
  if (given !== undefined) kdc = parseListenAddress(given);
  else {
    const specs = (running?.kdc ?? config.kdc.listen).map(parseListenAddress);
    kdc =
      specs.find((s) => s.transport === 'udp' && s.port !== 0) ??
      specs.find((s) => s.transport === 'tcp' && s.port !== 0);
  }
  if (kdc === undefined || kdc.transport === 'unix')
    throw usageError(
      'krb5conf: the KDC has no TCP or UDP listener: serve with --kdc-listen tcp:127.0.0.1:8088 (or give --kdc ADDR)',
    );
  const db = await KdcDatabase.open(dir);
  try {
    io.stdout(clientKrb5Conf({ realm: db.realm, kdc, host: running?.host ?? config.host }));
  } finally {
    await db.close();
  }
  return ExitCode.OK;
}
