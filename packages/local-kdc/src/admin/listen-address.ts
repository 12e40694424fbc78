/** Listener addresses as the CLI and config files write them: `unix:PATH`, `tcp:HOST:PORT`, `udp:HOST:PORT`. */

export type ListenSpec =
  | { readonly transport: 'unix'; readonly path: string }
  | { readonly transport: 'tcp' | 'udp'; readonly host: string; readonly port: number };

/** A malformed listener address. */
export class ListenAddressError extends Error {
  override readonly name = 'ListenAddressError';
}

/**
 * Parses `unix:/run/lkdc.sock`, `tcp:127.0.0.1:88`, `udp:[::1]:88` or `tcp:88` (host
 * 127.0.0.1). Port 0 asks for a free port.
 */
export function parseListenAddress(text: string): ListenSpec {
  const colon = text.indexOf(':');
  const transport = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (transport === 'unix') {
    if (rest.length === 0 || rest.includes('\0')) throw new ListenAddressError(`bad socket path in ${text}`);
    return { transport, path: rest };
  }
  if (transport !== 'tcp' && transport !== 'udp') {
    throw new ListenAddressError(
      `${JSON.stringify(text)}: expected unix:PATH, tcp:HOST:PORT or udp:HOST:PORT`,
    );
  }
  let host = '127.0.0.1';
  let portText = rest;
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(rest);
  if (bracketed !== null) {
    host = bracketed[1] as string;
    portText = bracketed[2] as string;
  } else if (rest.includes(':')) {
    const last = rest.lastIndexOf(':');
    host = rest.slice(0, last);
    portText = rest.slice(last + 1);
    if (host.includes(':'))
      throw new ListenAddressError(`${text}: write IPv6 addresses in brackets, [::1]:88`);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535 || host.length === 0) {
    throw new ListenAddressError(`${JSON.stringify(text)}: bad host or port`);
  }
  return { transport, host, port };
}

export function formatListenAddress(spec: ListenSpec): string {
  if (spec.transport === 'unix') return `unix:${spec.path}`;
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `${spec.transport}:${host}:${spec.port}`;
}
