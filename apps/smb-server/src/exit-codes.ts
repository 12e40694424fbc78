/** `postntlm-smbd` exit codes (documented in the README and `postntlm-smbd --help`). */
export const ExitCode = {
  /** Done (for `serve`: stopped by SIGINT/SIGTERM). */
  OK: 0,
  /** An unexpected failure (a bug, or an I/O error the message names). */
  INTERNAL: 1,
  /** Bad command line, bad option value, or a bad configuration file. */
  USAGE: 2,
  /** The state directory holds no server state yet (run `serve` once), or is damaged. */
  STATE: 3,
  /** The named user does not exist. */
  NOT_FOUND: 4,
  /** The user already exists. */
  EXISTS: 5,
  /** A listener could not be opened (address in use, permission denied). */
  NETWORK: 7,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0  done (serve: stopped by SIGINT or SIGTERM)
  1  unexpected failure, or an operating-system error the message names
  2  usage: bad option, value or configuration file
  3  state: no server state in the state directory yet (run serve once), or it is damaged
  4  user not found
  5  user already exists
  7  a listener could not be opened (address in use, permission)`;

/** A failure with the exit code it should end the program with and a message for stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(ExitCode.USAGE, message);
