/** `postntlm-smb`: dispatch, help and the mapping of failures to messages and exit codes. */
import type { AppIo } from './cli/io.js';
import { FILE_COMMANDS, fileCommand, fileUsages } from './commands/files.js';
import { KDESTROY_USAGE, KINIT_USAGE, KLIST_USAGE, kdestroy, kinit, klist } from './commands/kerberos.js';
import { SHARES_USAGE, shares } from './commands/shares.js';
import { toCliError } from './errors.js';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes.js';
import { SHELL_USAGE, shell } from './shell/shell.js';

export const VERSION = '0.0.0';

type Run = (argv: readonly string[], io: AppIo) => Promise<number>;

const COMMANDS: Record<string, Run> = {
  kinit,
  klist,
  kdestroy,
  shares,
  shell,
  ...Object.fromEntries(
    FILE_COMMANDS.map((name) => [name, (argv: readonly string[], io: AppIo) => fileCommand(name, argv, io)]),
  ),
};

export function help(): string {
  return `${[
    'postntlm-smb: an SMB client with Kerberos and IAKerb (never NTLM).',
    '',
    'Usage:',
    ...[KINIT_USAGE, KLIST_USAGE, KDESTROY_USAGE, SHARES_USAGE, ...fileUsages(), SHELL_USAGE].map(
      (u) => `  ${u}`,
    ),
    '',
    'Options of the SMB commands:',
    '  --port N, -p N           TCP port (default 445)',
    '  --address IP, -I IP      connect to IP; HOST stays the server name (cifs/HOST)',
    '  --user NAME, -U NAME     the user (alice or alice@REALM); without a password: the ccache',
    '  --password-stdin         read the password from standard input (first line)',
    '  --keytab FILE            use the keytab for --user',
    '  --iakerb auto|always|never  IAKerb through the server: when no KDC answers (auto), first, or never',
    '  --protection off|sign|encrypt  default sign',
    '  --trace                  print the authentication steps on stderr',
    '  --trace-svg FILE         write them as an SVG sequence diagram',
    '  --json                   machine-readable output',
    '',
    'Credentials: KRB5CCNAME (default FILE:/tmp/krb5cc_UID), KRB5_CONFIG (default /etc/krb5.conf).',
    '',
    EXIT_CODE_HELP,
  ].join('\n')}\n`;
}

/** Runs `postntlm-smb` with `argv`; resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], io: AppIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`postntlm-smb ${VERSION}\n`);
    return ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`postntlm-smb: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return ExitCode.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(help());
    return ExitCode.OK;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    const error = toCliError(e);
    io.stderr(`postntlm-smb: ${error.message}\n`);
    return error.exitCode;
  }
}
