/**
 * Directory search patterns as MS-FSA §2.1.4.4 (FsRtlIsNameInExpression) defines them:
 * `*` any run of characters, `?` exactly one character, and the DOS wildcards
 *  `<` (DOS_STAR: any run not containing the name's final `.`),
 *  `>` (DOS_QM: one character, or nothing at a `.` or the end of the name),
 *  `"` (DOS_DOT: a `.`, or nothing at the end of the name).
 * Matching is case-sensitive, like the names (see names.ts). An empty pattern matches all.
 */

/** True when `name` matches `pattern`. */
export function matchPattern(pattern: string, name: string): boolean {
  if (pattern === '' || pattern === '*') return true;
  if (!/[*?<>"]/.test(pattern)) return pattern === name;
  const lastDot = name.lastIndexOf('.');
  const memo = new Map<number, boolean>();
  const width = name.length + 1;
  const m = (i: number, j: number): boolean => {
    if (i === pattern.length) return j === name.length;
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const c = pattern[i]!;
    const atEnd = j === name.length;
    let r: boolean;
    switch (c) {
      case '*':
        r = m(i + 1, j) || (!atEnd && m(i, j + 1));
        break;
      case '?':
        r = !atEnd && m(i + 1, j + 1);
        break;
      case '<':
        r = m(i + 1, j) || (!atEnd && j !== lastDot && m(i, j + 1));
        break;
      case '>':
        r = atEnd || name[j] === '.' ? m(i + 1, j) : m(i + 1, j + 1);
        break;
      case '"':
        r = atEnd ? m(i + 1, j) : name[j] === '.' && m(i + 1, j + 1);
        break;
      default:
        r = !atEnd && name[j] === c && m(i + 1, j + 1);
    }
    memo.set(key, r);
    return r;
  };
  return m(0, 0);
}

/** True when `pattern` has a wildcard (else it names one entry). */
export const hasWildcard = (pattern: string): boolean => /[*?<>"]/.test(pattern);
