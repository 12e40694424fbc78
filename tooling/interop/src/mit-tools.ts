import type { MitKdc } from './mit-kdc.js';
import { LOOPBACK } from './ports.js';
import type { RunResult } from './process.js';

export interface CcacheOptions {
  /** Ticket cache (`FILE:/path`); default: the KDC's default cache `kdc.ccache`. */
  readonly ccache?: string;
  /** Extra arguments placed before the principal(s). */
  readonly args?: readonly string[];
}

function ccacheEnv(kdc: MitKdc, options: CcacheOptions): Record<string, string> {
  return { KRB5CCNAME: options.ccache ?? kdc.ccache };
}

function checkPasswordLine(password: string): void {
  if (/[\n\0]/.test(password)) throw new Error('a password read from stdin cannot contain a newline or NUL');
}

/**
 * MIT `kinit PRINCIPAL` with the password written to its stdin after the prompt. Resolves
 * with the result whatever the exit code (a wrong password gives code 1 and
 * `kinit: Password incorrect while getting initial credentials`).
 */
export function kinit(
  kdc: MitKdc,
  principal: string,
  password: string,
  options: CcacheOptions = {},
): Promise<RunResult> {
  checkPasswordLine(password);
  return kdc.run('kinit', [...(options.args ?? []), principal], {
    input: `${password}\n`,
    env: ccacheEnv(kdc, options),
  });
}

/** MIT `klist` (default arguments `-e`). */
export function klist(kdc: MitKdc, options: CcacheOptions = {}): Promise<RunResult> {
  return kdc.run('klist', [...(options.args ?? ['-e'])], { env: ccacheEnv(kdc, options) });
}

/** MIT `kvno PRINCIPAL...`: gets service tickets with the TGT in the cache. */
export function kvno(
  kdc: MitKdc,
  principals: readonly string[],
  options: CcacheOptions = {},
): Promise<RunResult> {
  return kdc.run('kvno', [...(options.args ?? []), ...principals], { env: ccacheEnv(kdc, options) });
}

/** One run of MIT's gss-sample client (`gss-client`, krb5-gss-samples). */
export interface GssClientRequest {
  /** gss-server's TCP port. */
  readonly port: number;
  /** `-krb5`, or `-iakerb` (mech 1.3.6.1.5.2.5, an undocumented switch). */
  readonly mech: '-krb5' | '-iakerb';
  /** `-user NAME -pass PASSWORD`: gss-client gets its own TGT; omitted: the cache's credentials. */
  readonly user?: { readonly name: string; readonly password: string };
  /** The host it connects to; default 127.0.0.1. */
  readonly host?: string;
  /** The acceptor's host-based service name, e.g. `host@localhost`. */
  readonly service: string;
  /** The message it wraps and sends. */
  readonly message: string;
}

/** `gss-client -port PORT MECH [-user NAME -pass PASSWORD] HOST SERVICE MESSAGE`. */
export function gssClientArgs(r: GssClientRequest): string[] {
  return [
    '-port',
    String(r.port),
    r.mech,
    ...(r.user === undefined ? [] : ['-user', r.user.name, '-pass', r.user.password]),
    r.host ?? LOOPBACK,
    r.service,
    r.message,
  ];
}
