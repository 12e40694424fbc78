/**
 * SMB path syntax: splitting `dir\file.txt` into validated components. Pure; no file system.
 *
 * Policy (every refusal is an `SmbStatusError`):
 * - `\` is the only separator. A leading `\` (absolute path, `\\host\share`) is
 *   STATUS_INVALID_PARAMETER: MS-SMB2 §3.3.5.9 says a CREATE name that begins with a path
 *   separator MUST fail so. The empty path is the share root.
 * - Empty components (`a\\b`) are STATUS_OBJECT_NAME_INVALID. One trailing `\` (`dir\`) is
 *   accepted and means "must be a directory" (MS-FSA §2.1.5.1: a trailing separator on a
 *   non-directory is STATUS_OBJECT_NAME_INVALID).
 * - `.` and `..` components are STATUS_OBJECT_NAME_INVALID wherever they occur: Windows
 *   clients never send them (they canonicalise locally) and NTFS refuses them as names, so
 *   refusing them all, not only the ones that climb above the root, costs nothing and leaves
 *   no lexical normalisation to get wrong.
 * - Control characters (U+0000–U+001F), `< > " | ? *` and `/` (the POSIX separator; not legal
 *   in an NTFS name either, MS-FSCC §2.1.5.2) are STATUS_OBJECT_NAME_INVALID, as are unpaired
 *   UTF-16 surrogates (they would not round-trip through UTF-8) and names over 255 UTF-8 bytes.
 * - Trailing dots and spaces (`a.`, `a `) are STATUS_OBJECT_NAME_INVALID: Win32 strips them, so
 *   a Linux file `a.` next to `a` could never be addressed reliably by Windows clients.
 * - DOS device names (`CON`, `NUL.txt`, `COM1`...) are STATUS_OBJECT_NAME_INVALID unless
 *   allowed: the NT namespace permits them, but Windows applications cannot open or delete them.
 * - `:` introduces an NTFS stream (MS-FSCC §2.1.5.3: `file:stream:$TYPE`). This backend has no
 *   named streams (FileFsAttributeInformation does not set FILE_NAMED_STREAMS), so:
 *   `name::$DATA` is the default data stream, i.e. `name`; `name:stream` on the last component
 *   is STATUS_OBJECT_NAME_NOT_FOUND — what Samba answers when the share has no streams
 *   (source3/smbd/open.c create_file_default: `if (!(conn->fs_capabilities &
 *   FILE_NAMED_STREAMS)) status = NT_STATUS_OBJECT_NAME_NOT_FOUND`), and what NTFS answers
 *   for a stream that does not exist, so Windows clients probing for streams
 *   (Zone.Identifier, AFP_AfpInfo...) treat it as "no such stream" and carry on;
 *   a `:` in an intermediate component (`C:\x`, `dir:s\f`), an empty base name (`:s`) or an
 *   empty stream name (`f:`) is STATUS_OBJECT_NAME_INVALID.
 * - Names are case-sensitive (the Linux file system decides; FILE_CASE_SENSITIVE_SEARCH is set).
 */
import { NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError } from './errors.js';

/** A validated relative path: `[]` is the share root. */
export interface SmbPath {
  readonly components: readonly string[];
  /** The path ended with `\`: the object must be a directory. */
  readonly mustBeDirectory: boolean;
}

export interface NameOptions {
  /** Accept DOS device names (`CON`, `AUX`, `COM1`...). Default false. */
  readonly allowDosDeviceNames?: boolean;
}

/** MS-FSCC §2.1.5.2 limit, and Linux NAME_MAX in bytes. */
export const MAX_COMPONENT_BYTES = 255;
/** Longest path accepted, in UTF-16 code units (the NT limit). */
export const MAX_PATH_CHARS = 32_767;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const INVALID_CHARS = /[\u0000-\u001f<>"|?*/]/;
const DOS_DEVICE =
  /^(?:CON|PRN|AUX|NUL|COM[1-9\u00b9\u00b2\u00b3]|LPT[1-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)(?:\..*)?$/i;
const DEFAULT_DATA_STREAM = /^::\$DATA$/i;

const invalid = (why: string) => new SmbStatusError(NtStatus.OBJECT_NAME_INVALID, why);

/**
 * Validates one name (no separators; no stream syntax), throwing STATUS_OBJECT_NAME_INVALID.
 * Used for every path component and for rename targets.
 */
export function validateName(name: string, opts: NameOptions = {}): void {
  if (name === '') throw invalid('empty name');
  if (name === '.' || name === '..') throw invalid(`"${name}" is not a name`);
  if (INVALID_CHARS.test(name)) throw invalid('reserved or control character');
  if (name.includes(':')) throw invalid('":" outside the last component');
  if (name.includes('\\')) throw invalid('separator in a name');
  if (!name.isWellFormed()) throw invalid('unpaired surrogate');
  if (name.endsWith('.') || name.endsWith(' ')) throw invalid('trailing dot or space');
  if (Buffer.byteLength(name, 'utf8') > MAX_COMPONENT_BYTES) throw invalid('name too long');
  if (!opts.allowDosDeviceNames && DOS_DEVICE.test(name)) throw invalid('DOS device name');
}

/** True when `name` (as found on disk) could be sent by a client and opened. */
export function isRepresentableName(name: string, opts: NameOptions = {}): boolean {
  try {
    validateName(name, opts);
    return true;
  } catch {
    return false;
  }
}

/** Parses and validates an SMB relative path (`dir\file.txt`). */
export function parseSmbPath(path: string, opts: NameOptions = {}): SmbPath {
  if (path.length > MAX_PATH_CHARS) throw invalid('path too long');
  if (path.includes('\u0000')) throw invalid('NUL in path');
  if (path === '') return { components: [], mustBeDirectory: false };
  if (path.startsWith('\\')) {
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'path begins with a separator (MS-SMB2 §3.3.5.9)');
  }
  const parts = path.split('\\');
  let mustBeDirectory = false;
  if (parts.length > 1 && parts[parts.length - 1] === '') {
    parts.pop();
    mustBeDirectory = true;
  }
  const components: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    const last = i === parts.length - 1;
    const colon = part.indexOf(':');
    if (colon >= 0) {
      // Characters that are invalid anywhere win over the stream question.
      if (INVALID_CHARS.test(part)) throw invalid('reserved or control character');
      if (!last) throw invalid('":" in an intermediate component');
      const base = part.slice(0, colon);
      const stream = part.slice(colon);
      if (base === '') throw invalid('empty file name before ":"');
      if (stream === ':') throw invalid('empty stream name');
      validateName(base, opts);
      if (!DEFAULT_DATA_STREAM.test(stream)) {
        throw new SmbStatusError(NtStatus.OBJECT_NAME_NOT_FOUND, 'named streams are not supported');
      }
      part = base;
    }
    validateName(part, opts);
    components.push(part);
  }
  return { components, mustBeDirectory };
}

/** The SMB form of components: joined by `\`. */
export const joinSmbPath = (components: readonly string[]): string => components.join('\\');

/**
 * True when the `..` components of `path` climb above the share root (`..`, `a\..\..\b`):
 * Windows and Samba answer such a name STATUS_OBJECT_PATH_SYNTAX_BAD (smbtorture smb2.mkdir)
 * before looking at anything else. It only picks the status: `parseSmbPath` still refuses
 * every `.` and `..` component, so no path reaches outside the root either way.
 */
export function climbsAboveRoot(path: string): boolean {
  let depth = 0;
  for (const part of path.split('\\')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}
