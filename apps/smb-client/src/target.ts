/** `//HOST/SHARE[/PATH]` (or with backslashes, as smbclient takes it). */
import { usageError } from './exit-codes.js';

export interface SmbTarget {
  readonly host: string;
  readonly share: string;
  /** Inside the share, `/`-separated, no leading slash; `''` for the root. */
  readonly path: string;
}

export function parseTarget(text: string, needShare = true): SmbTarget {
  const unified = text.replace(/\\/g, '/');
  const m = /^\/\/([^/]+)(?:\/([^/]+)(?:\/(.*))?)?$/.exec(unified);
  if (m === null) throw usageError(`${JSON.stringify(text)} is not //HOST/SHARE[/PATH]`);
  const [, host, share, path] = m;
  if (needShare && share === undefined)
    throw usageError(`${JSON.stringify(text)} names no share: //HOST/SHARE`);
  return {
    host: host as string,
    share: share ?? '',
    path: (path ?? '').replace(/\/+$/, '').replace(/\/{2,}/g, '/'),
  };
}

/** `a/b` joined with `c` (`..` and `.` resolved, never above the share root). */
export function joinPath(base: string, next: string): string {
  const parts = next.startsWith('/') ? [] : base.split('/').filter((s) => s !== '');
  for (const seg of next.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
