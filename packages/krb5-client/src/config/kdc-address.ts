/**
 * The values of `kdc`, `primary_kdc`, `kpasswd_server`... in a [realms] subsection.
 *
 * MIT (krb5.conf(5) "kdc"; `k5_parse_host_string`): `host`, `host:port`, `[v6]`,
 * `[v6]:port`, and (1.22) a UNIX domain socket path when the value starts with `/`.
 * Heimdal's transport prefixes `udp/` and `tcp/` are accepted too. `https://...` (MS-KKDCP)
 * is recognised so that it can be reported, not used.
 */

/** Which transports a KDC entry allows. `any`: UDP and TCP, chosen by size (udp_preference_limit). */
export type KdcTransportKind = 'any' | 'udp' | 'tcp';

/** A KDC reachable over the network. */
export interface KdcHostAddress {
  readonly kind: 'host';
  readonly transport: KdcTransportKind;
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The text it was parsed from. */
  readonly spec: string;
}

/** A local KDC on a UNIX stream socket (MIT 1.22 `kdc = /path`). */
export interface KdcUnixAddress {
  readonly kind: 'unix';
  readonly path: string;
  readonly spec: string;
}

/** An MS-KKDCP proxy URL (`kdc = https://...`); not supported by PostNTLM's transports. */
export interface KdcHttpsAddress {
  readonly kind: 'https';
  readonly url: string;
  readonly spec: string;
}

export type KdcAddress = KdcHostAddress | KdcUnixAddress | KdcHttpsAddress;

/** The Kerberos port (RFC 4120 §7.2.3). */
export const KERBEROS_PORT = 88;

/** Linux `sizeof(sockaddr_un.sun_path)` minus the NUL: longer paths cannot be connected to. */
const MAX_UNIX_PATH_BYTES = 107;

/** Why a KDC spec was refused, or the address. */
export type KdcAddressResult = { ok: true; address: KdcAddress } | { ok: false; reason: string };

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/**
 * Parses one `kdc` value. `defaultPort` applies when no port is given (88 for `kdc`, 464
 * for `kpasswd_server`, 749 for `admin_server`).
 */
export function parseKdcAddress(spec: string, defaultPort: number = KERBEROS_PORT): KdcAddressResult {
  const text = spec.trim();
  if (text.startsWith('/')) {
    if (new TextEncoder().encode(text).length > MAX_UNIX_PATH_BYTES) {
      return { ok: false, reason: `UNIX socket path longer than ${MAX_UNIX_PATH_BYTES} bytes` };
    }
    return { ok: true, address: { kind: 'unix', path: text, spec } };
  }
  if (/^https:\/\//i.test(text)) return { ok: true, address: { kind: 'https', url: text, spec } };

  let transport: KdcTransportKind = 'any';
  let rest = text;
  const prefix = /^(udp|tcp)\//i.exec(rest);
  if (prefix !== null) {
    transport = prefix[1]!.toLowerCase() === 'udp' ? 'udp' : 'tcp';
    rest = rest.slice(prefix[0].length);
  }
  if (rest === '' || rest.startsWith(':')) return { ok: false, reason: 'no host name' };
  if (/^\d+$/.test(rest)) return { ok: false, reason: 'a port without a host name' };

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { ok: false, reason: 'unclosed "[" around an IPv6 address' };
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
    else if (after !== '') return { ok: false, reason: `unexpected text after "]": ${after}` };
  } else {
    // As MIT: the host ends at a blank or a colon; text after a blank is ignored.
    let end = 0;
    while (end < rest.length && rest[end] !== ':' && !isBlank(rest[end])) end++;
    host = rest.slice(0, end);
    if (rest[end] === ':') portText = rest.slice(end + 1);
  }
  if (host === '') return { ok: false, reason: 'no host name' };

  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return { ok: false, reason: `invalid port "${portText}"` };
    port = Number(portText);
    if (port < 1 || port > 65535) return { ok: false, reason: `port ${port} out of range 1-65535` };
  }
  return { ok: true, address: { kind: 'host', transport, host, port, spec } };
}

/** `host:port`, `[v6]:port`, `tcp/host:port`, `/path` or the URL: for messages. */
export function formatKdcAddress(address: KdcAddress): string {
  switch (address.kind) {
    case 'unix':
      return address.path;
    case 'https':
      return address.url;
    case 'host': {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      const prefix = address.transport === 'any' ? '' : `${address.transport}/`;
      return `${prefix}${host}:${address.port}`;
    }
  }
}
