/**
 * 8.3 ("short") names for FileAlternateNameInformation (MS-FSCC §2.4.5) and the ShortName of
 * FileBothDirectoryInformation. POSIX file systems keep no short names, so like Samba's
 * "mangled names" we derive one from the long name: a name that already is a valid 8.3
 * name is its own short name (upper-cased); any other gets up to five characters of its
 * base, `~`, two characters of a hash of the whole name, and up to three of its extension.
 * The result is stable (the same long name always maps to the same short name).
 */

/** Characters an 8.3 name may not contain (beyond control characters and space). */
const INVALID_8_3 = /[\s"*+,/:;<=>?[\\\]|]/;
const HASH_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A printable ASCII character allowed in 8.3 names. */
const isLegal = (c: string) => c > ' ' && c <= '~' && !INVALID_8_3.test(c);
/** The legal characters of `s`, upper-cased (one for one: they are ASCII). */
const legal = (s: string) => [...s].filter(isLegal).map((c) => c.toUpperCase());

/** True when `name` already fits 8.3: 1–8 base characters, an optional `.` and 1–3 more, all legal. */
export function isValid83(name: string): boolean {
  if (name === '.' || name === '..') return true;
  const dot = name.lastIndexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length < 1 || base.length > 8 || ext.length > 3 || (dot >= 0 && ext.length === 0)) return false;
  if (base.includes('.')) return false;
  return [...base].every(isLegal) && [...ext].every(isLegal);
}

/** FNV-1a over the UTF-16 code units, folded to two base-36 characters. */
function hash2(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  const n = h % (36 * 36);
  return HASH_ALPHABET[Math.floor(n / 36)]! + HASH_ALPHABET[n % 36]!;
}

/** The 8.3 name of the long name `name` (a single path component). */
export function shortNameOf(name: string): string {
  if (isValid83(name)) return name.toUpperCase();
  const dot = name.lastIndexOf('.');
  const hasExt = dot > 0 && dot < name.length - 1;
  const base = legal(hasExt ? name.slice(0, dot) : name).filter((c) => c !== '.');
  const ext = hasExt ? legal(name.slice(dot + 1)).filter((c) => c !== '.') : [];
  const prefix = (base.length > 0 ? base : ['_']).slice(0, 5).join('');
  const suffix = ext.length > 0 ? `.${ext.slice(0, 3).join('')}` : '';
  return `${prefix}~${hash2(name)}${suffix}`;
}
