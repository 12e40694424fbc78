/**
 * `lkdc`: administer and run a Local KDC. Each command is a small module under
 * `commands/`; this file dispatches and turns failures into messages and exit codes.
 */
import { ListenAddressError } from '../admin/listen-address.js';
import { SystemdActivationError } from '../listen/errors.js';
import { DatabaseError, type DatabaseErrorCode } from '../store/errors.js';
import { UsageError } from './args.js';
import type { Command } from './commands/common.js';
import { keytab } from './commands/keytab.js';
import { krb5conf } from './commands/krb5conf.js';
import { lockout } from './commands/lockout.js';
import { principal, principalUsages } from './commands/principal.js';
import { serve } from './commands/serve.js';
import { setup } from './commands/setup.js';
import { status } from './commands/status.js';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

export const VERSION = '0.0.0';

const COMMANDS: Record<string, Command> = { setup, principal, keytab, krb5conf, serve, status, lockout };

const DATABASE_EXIT: Record<DatabaseErrorCode, number> = {
  'not-initialised': ExitCode.STATE,
  'already-initialised': ExitCode.STATE,
  'principal-exists': ExitCode.EXISTS,
  'principal-not-found': ExitCode.NOT_FOUND,
  'master-key-mismatch': ExitCode.DATABASE,
  corrupt: ExitCode.DATABASE,
  'unsupported-schema': ExitCode.DATABASE,
  'invalid-argument': ExitCode.USAGE,
  'protected-principal': ExitCode.DATABASE,
};

const NETWORK_CODES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'EEXIST', 'ENOTSOCK', 'EPERM']);

export function help(): string {
  const lines = [
    'lkdc: a Local KDC for standalone hosts (Kerberos for local accounts, no domain).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    'Usage:',
    ...Object.entries(COMMANDS)
      .flatMap(([name, c]) => (name === 'principal' ? principalUsages() : [c.usage]))
      .map((u) => `  ${u}`),
    '',
    'The state directory is --state DIR, else $LKDC_STATE, else /var/lib/postntlm-lkdc (root)',
    'or $XDG_STATE_HOME/postntlm-lkdc. Durations: 3600, 90m, 10h, 7d. --json prints JSON.',
    '',
    EXIT_CODE_HELP,
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs `lkdc` with `argv` (without the program name); resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`lkdc ${VERSION}\n`);
    return ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`lkdc: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return ExitCode.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${name === 'principal' ? principalUsages().join('\n       ') : command.usage}\n`);
    return ExitCode.OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof UsageError || e instanceof ListenAddressError) {
    io.stderr(`lkdc: ${e.message}\n`);
    return ExitCode.USAGE;
  }
  if (e instanceof DatabaseError) {
    io.stderr(`lkdc: ${e.message}\n`);
    return DATABASE_EXIT[e.code];
  }
  if (e instanceof SystemdActivationError) {
    io.stderr(`lkdc: ${e.message}\n`);
    return ExitCode.NETWORK;
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code) && (e as { syscall?: string }).syscall !== 'open') {
    io.stderr(`lkdc: cannot listen: ${(e as Error).message}\n`);
    return ExitCode.NETWORK;
  }
  io.stderr(`lkdc: ${e instanceof Error ? e.message : String(e)}\n`);
  return ExitCode.INTERNAL;
}
