/** Typed failures of the principal database and its administration. */

/** What went wrong, for programs (the CLI maps these to exit codes). */
export type DatabaseErrorCode =
  /** The state directory holds no database (run setup first). */
  | 'not-initialised'
  /** Setup found a database already there. */
  | 'already-initialised'
  | 'principal-exists'
  | 'principal-not-found'
  /** The stash file's master key does not open this database. */
  | 'master-key-mismatch'
  /** A record or the stash file cannot be read (damaged, or written by something else). */
  | 'corrupt'
  /** The database was written by a newer release. */
  | 'unsupported-schema'
  /** A bad name, password, enctype or option. */
  | 'invalid-argument'
  /** krbtgt/REALM cannot be deleted or renamed. */
  | 'protected-principal';

/** A failure of `KdcDatabase` or of the stash file; `code` tells which. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
