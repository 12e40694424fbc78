/** The client krb5.conf for a Local KDC realm (MIT syntax; Heimdal reads the same sections). */
import type { ListenSpec } from './listen-address.js';

export interface Krb5ConfOptions {
  readonly realm: string;
  /** Where clients reach the KDC: a TCP or UDP address, or a Unix socket (MIT ≥ 1.22 only). */
  readonly kdc: ListenSpec;
  /** The server's host name: mapped to the realm in [domain_realm]. */
  readonly host?: string | undefined;
}

/**
 * A krb5.conf that sends every request for `realm` to this KDC and nowhere else: no DNS
 * lookups, no reverse DNS for service names. For a TCP-only listener it sets
 * `udp_preference_limit = 1` (MIT 1.20 does not reach `kdc = tcp/HOST:PORT` reliably).
 */
export function krb5Conf(options: Krb5ConfOptions): string {
  const { realm, kdc } = options;
  const where =
    kdc.transport === 'unix'
      ? kdc.path
      : `${kdc.host.includes(':') ? `[${kdc.host}]` : kdc.host}:${kdc.port}`;
  const lines = [
    `# krb5.conf for the Local KDC realm ${realm} (written by lkdc krb5conf)`,
    '[libdefaults]',
    `    default_realm = ${realm}`,
    '    dns_lookup_kdc = false',
    '    dns_lookup_realm = false',
    '    rdns = false',
    '    dns_canonicalize_hostname = false',
    ...(kdc.transport === 'tcp' ? ['    udp_preference_limit = 1'] : []),
    '',
    '[realms]',
    `    ${realm} = {`,
    `        kdc = ${where}`,
    '    }',
  ];
  if (options.host !== undefined && options.host.length > 0) {
    lines.push('', '[domain_realm]', `    ${options.host.toLowerCase()} = ${realm}`);
  }
  return `${lines.join('\n')}\n`;
}
