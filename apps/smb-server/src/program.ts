/**
 * `postntlm-smbd`: turns a directory into a Kerberos-only SMB share on a standalone host,
 * with an embedded Local KDC reachable through IAKerb on the SMB port. Never NTLM.
 */
import { resolve } from 'node:path';
import { DatabaseError, ListenAddressError } from '@postntlm/local-kdc';
import { type Parsed, str } from './cli/args.js';
import type { AppIo } from './cli/io.js';
import { asServerMessage } from './cli/lkdc-messages.js';
import { KRB5CONF_USAGE, krb5conf } from './commands/krb5conf.js';
import { NTLM_AUDIT_USAGE, ntlmAudit } from './commands/ntlm-audit.js';
import { SERVE_USAGE, serve } from './commands/serve.js';
import { USER_USAGE, user } from './commands/user.js';
import { CliError, EXIT_CODE_HELP, ExitCode } from './exit-codes.js';
import { defaultStateDir } from './state-dir.js';

export const VERSION = '0.0.0';

type Run = (argv: readonly string[], io: AppIo, stateDir: (p: Parsed) => string) => Promise<number>;

const COMMANDS: Record<string, { run: Run; usage: readonly string[]; summary: string }> = {
  serve: {
    run: serve,
    usage: [SERVE_USAGE],
    summary: 'serve DIR over SMB with the embedded Local KDC (first run sets it up)',
  },
  user: { run: user, usage: USER_USAGE, summary: 'add, change, delete or list the Local KDC users' },
  'ntlm-audit': {
    run: ntlmAudit,
    usage: [NTLM_AUDIT_USAGE],
    summary: 'list the refused NTLM attempts (who still uses NTLM)',
  },
  krb5conf: {
    run: krb5conf,
    usage: [KRB5CONF_USAGE],
    summary: 'print a client krb5.conf for the KDC listener (smbclient, kinit)',
  },
};

export function help(): string {
  return `${[
    'postntlm-smbd: a Kerberos-only SMB file server with an embedded Local KDC (IAKerb; never NTLM).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(11)} ${c.summary}`),
    '',
    'Usage:',
    ...Object.values(COMMANDS).flatMap((c) => c.usage.map((u) => `  ${u}`)),
    '',
    'The state directory is --state STATE, else $POSTNTLM_SMBD_STATE, else /var/lib/postntlm-smbd',
    '(root) or $XDG_STATE_HOME/postntlm-smbd. The configuration is STATE/postntlm-smbd.toml.',
    '',
    EXIT_CODE_HELP,
  ].join('\n')}\n`;
}

const DATABASE_EXIT: Partial<Record<string, number>> = {
  'not-initialised': ExitCode.STATE,
  'already-initialised': ExitCode.STATE,
  'principal-exists': ExitCode.EXISTS,
  'principal-not-found': ExitCode.NOT_FOUND,
  'invalid-argument': ExitCode.USAGE,
};

/** Runs `postntlm-smbd` with `argv` (without the program name); resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], io: AppIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`postntlm-smbd ${VERSION}\n`);
    return ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`postntlm-smbd: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return ExitCode.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage.join('\n       ')}\n`);
    return ExitCode.OK;
  }
  try {
    // Absolute: the printed commands and the runtime file must work from any directory.
    return await command.run(rest, io, (p) => resolve(str(p, 'state') ?? defaultStateDir(io.env)));
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`postntlm-smbd: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof ListenAddressError) {
      io.stderr(`postntlm-smbd: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    if (e instanceof DatabaseError) {
      io.stderr(asServerMessage(`postntlm-smbd: ${e.message}\n`));
      return DATABASE_EXIT[e.code] ?? ExitCode.STATE;
    }
    // An operating-system error (permission, disk full) is named by its message; a stack
    // trace is only for what would be a bug.
    const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string';
    io.stderr(
      `postntlm-smbd: ${e instanceof Error ? (systemError ? e.message : (e.stack ?? e.message)) : String(e)}\n`,
    );
    return ExitCode.INTERNAL;
  }
}
