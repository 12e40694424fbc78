/** `lkdc` exit codes (documented in the README and `lkdc --help`). */
export const ExitCode = {
  /** Done. */
  OK: 0,
  /** An unexpected failure (a bug, or an I/O error the message names). */
  INTERNAL: 1,
  /** Bad command line or a bad value (unknown option, short password, bad name). */
  USAGE: 2,
  /** The state directory holds no database (run `lkdc setup`), or setup found one already. */
  STATE: 3,
  /** The named principal or alias does not exist. */
  NOT_FOUND: 4,
  /** The principal or alias already exists. */
  EXISTS: 5,
  /** The database or stash file is damaged, unreadable, of a newer release, or the principal is protected. */
  DATABASE: 6,
  /** A listener could not be opened (address in use, permission). */
  NETWORK: 7,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP = `Exit codes:
  0  done
  1  unexpected failure
  2  usage: bad option or value
  3  state: no database here (run lkdc setup), or setup found one
  4  principal not found
  5  principal already exists
  6  database damaged, wrong master key, newer schema, or protected principal
  7  listener could not be opened`;
