/**
 * Paths on a share: callers write `dir/a.txt` or `/dir/a.txt` (or backslashes); SMB2 wants
 * `dir\a.txt` relative to the share root, without a leading separator (MS-SMB2 §2.2.13).
 * `.` segments go; `..` is refused here rather than left to the server, so a path always
 * names something inside the share.
 */

/** The SMB2 name of `path` (empty for the share root). RangeError for `..` or a NUL. */
export function toSmbPath(path: string): string {
  if (path.includes('\0')) throw new RangeError(`path contains a NUL: ${JSON.stringify(path)}`);
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new RangeError(`path leaves the share: ${JSON.stringify(path)}`);
  return parts.join('\\');
}

/** The last segment of a path. */
export function baseName(path: string): string {
  const parts = toSmbPath(path).split('\\');
  return parts[parts.length - 1] ?? '';
}
