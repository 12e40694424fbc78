/**
 * Errors of the krb5.conf layer: the profile syntax (MIT's `PROF_*` codes), includes, and
 * values that the typed view (`Krb5Config`) rejects. Each names the file and line.
 */
import { Krb5ClientError } from '../errors.js';

/** Where something in a profile came from: file name (as given) and 1-based line. */
export interface ProfileOrigin {
  readonly file: string;
  readonly line: number;
}

function where(origin: ProfileOrigin | undefined): string {
  return origin === undefined ? '' : `${origin.file}:${origin.line}: `;
}

/** Base class of every profile error; `file` and `line` say where (line 0: the whole file). */
export class ProfileError extends Krb5ClientError {
  override name = 'ProfileError';
  readonly file: string;
  readonly line: number;
  constructor(
    readonly reason: string,
    origin: ProfileOrigin,
    options?: { cause?: unknown },
  ) {
    super('config', `${where(origin)}${reason}`, options ?? {});
    this.file = origin.file;
    this.line = origin.line;
  }
}

/**
 * MIT profile syntax errors, named after MIT's `PROF_*` codes so that the same mistake
 * reads the same in both:
 * - `SECTION_SYNTAX`: `[name` without `]`, or text after `]` / `]*`
 * - `SECTION_NOTOP`: a `[section]` header inside an unclosed `{ }` subsection
 * - `RELATION_SYNTAX`: a line that is neither a section, a `}` nor `tag = value`, or a tag with blanks inside
 * - `EXTRA_CBRACE`: `}` without an open subsection
 * - `MISSING_OBRACE`: `tag =` not followed by a line starting with `{`
 * - `MODULE`: a `module` directive (configuration from a loadable module is not supported)
 */
export type ProfileSyntaxErrorCode =
  | 'SECTION_SYNTAX'
  | 'SECTION_NOTOP'
  | 'RELATION_SYNTAX'
  | 'EXTRA_CBRACE'
  | 'MISSING_OBRACE'
  | 'MODULE';

/** The text of a profile is not MIT profile syntax. */
export class ProfileSyntaxError extends ProfileError {
  override name = 'ProfileSyntaxError';
  constructor(
    readonly code: ProfileSyntaxErrorCode,
    reason: string,
    origin: ProfileOrigin,
  ) {
    super(reason, origin);
  }
}

/**
 * An `include FILE` / `includedir DIR` directive could not be followed: the file or directory
 * is missing or unreadable (MIT's `PROF_FAIL_INCLUDE_FILE` / `PROF_FAIL_INCLUDE_DIR`), or
 * includes nest deeper than the limit (a cycle, usually). `path` is the file or directory.
 */
export class ProfileIncludeError extends ProfileError {
  override name = 'ProfileIncludeError';
  constructor(
    readonly code: 'FAIL_INCLUDE_FILE' | 'FAIL_INCLUDE_DIR' | 'INCLUDE_DEPTH',
    readonly path: string,
    reason: string,
    origin: ProfileOrigin,
    options?: { cause?: unknown },
  ) {
    super(reason, origin, options);
  }
}

/**
 * A relation has a value the typed configuration cannot accept (`clockskew = soon`,
 * `kdc = host:99999`, an enctype list with no supported enctype...). `relation` is its
 * path (`libdefaults.clockskew`), `value` the text; `file`/`line` are undefined for values
 * that did not come from a file.
 */
export class Krb5ConfigError extends Krb5ClientError {
  override name = 'Krb5ConfigError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(
    readonly relation: string,
    readonly value: string,
    readonly reason: string,
    origin?: ProfileOrigin,
  ) {
    super('config', `${where(origin)}${relation} = ${JSON.stringify(value)}: ${reason}`);
    this.file = origin?.file;
    this.line = origin?.line;
  }
}
