import type { MitKdc } from './mit-kdc.js';
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
