/** `postntlm-smb` exit codes (documented in the README and `postntlm-smb --help`). */
export const ExitCode = {
  OK: 0,
  /** An unexpected failure (a bug, or a local I/O error the message names). */
  INTERNAL: 1,
  /** Bad command line or option value. */
  USAGE: 2,
  /** Authentication failed: no credentials, wrong password, the KDC or server refused. */
  AUTH: 3,
  /** The file, directory or share does not exist. */
  NOT_FOUND: 4,
  /** The server denied access (share allow list, read-only share, file permissions). */
  ACCESS_DENIED: 5,
  /** The server or KDC could not be reached, or the connection dropped. */
  NETWORK: 6,
  /** The server refused the operation for another reason (the message names the NTSTATUS). */
  SMB: 7,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0  done
  1  unexpected failure
  2  usage: bad option or value
  3  authentication failed (no credentials, wrong password, refused)
  4  not found (file, directory, share)
  5  access denied
  6  network: server or KDC unreachable, connection dropped
  7  the server refused the operation (NTSTATUS in the message)`;

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
