/**
 * Value syntaxes of krb5.conf relations, as MIT reads them: booleans, integers, durations
 * (krb5.conf(5) "Time duration") and enctype lists (kdc.conf(5) "Encryption types").
 * Each returns undefined (or throws nothing) for text it does not accept; the typed view
 * turns that into a Krb5ConfigError with the file and line.
 */
import { Enctype, enctypeFromName, isEnctypeSupported } from '@postntlm/krb5-crypto';

const TRUE_WORDS = new Set(['y', 'yes', 'true', 't', '1', 'on']);
const FALSE_WORDS = new Set(['n', 'no', 'false', 'nil', 'f', '0', 'off']);

/** MIT `profile_parse_boolean`: yes/y/true/t/1/on and no/n/false/f/nil/0/off, any case. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

/**
 * MIT `profile_get_integer` (C `strtol` with base 0): decimal, `0x` hex or leading-`0`
 * octal, optional sign, within a signed 32-bit integer.
 */
export function parseInteger(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text.trim());
  if (m === null) return undefined;
  const digits = m[2]!;
  let value: number;
  if (/^0[xX]/.test(digits)) value = Number.parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits.startsWith('0')) value = Number.parseInt(digits, 8);
  else value = Number.parseInt(digits, 10);
  if (m[1] === '-') value = -value;
  if (!Number.isSafeInteger(value) || value > INT32_MAX || value < INT32_MIN) return undefined;
  return value === 0 ? 0 : value;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/**
 * A krb5.conf duration in seconds (MIT `krb5_string_to_deltat`): `N` seconds, `NdNhNmNs`
 * (any of the units, in that order, blanks before each number: `1h30m`, `10d 0h 0m 0s`),
 * `h:m[:s]` (`36:00` is 36 hours) or `d-hh:mm:ss`. Negative values are refused here (MIT's
 * grammar has them, but no krb5.conf duration means anything negative); so is anything above
 * 2^31 - 1 seconds.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  let i = 0;
  const blanks = (): void => {
    while (i < s.length && isSpace(s[i])) i++;
  };
  const digits = (max = Number.POSITIVE_INFINITY): number | undefined => {
    const start = i;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9' && i - start < max + 1) i++;
    if (i === start || i - start > max) return undefined;
    const n = Number(s.slice(start, i));
    return n > INT32_MAX ? undefined : n;
  };
  const total = (...parts: number[]): number | undefined => {
    const sum = parts.reduce((a, b) => a + b, 0);
    return sum > INT32_MAX ? undefined : sum;
  };

  blanks();
  const first = digits();
  if (first === undefined) return undefined;
  const unit = s[i];
  if (unit === undefined) return first;
  if (unit === '-' || unit === ':') {
    // d-hh:mm:ss, h:m:s, h:m — the later fields have one or two digits.
    const fields = [first];
    const separators = unit === '-' ? ['-', ':', ':'] : [':', ':'];
    for (const sep of separators) {
      if (s[i] !== sep) break;
      i++;
      const n = digits(2);
      if (n === undefined) return undefined;
      fields.push(n);
    }
    if (i !== s.length) return undefined;
    if (unit === '-') {
      if (fields.length !== 4) return undefined;
      return total(fields[0]! * 86400, fields[1]! * 3600, fields[2]! * 60, fields[3]!);
    }
    return total(fields[0]! * 3600, fields[1]! * 60, fields[2] ?? 0);
  }
  // NdNhNmNs: units in this order, each at most once, blanks allowed before each number.
  const scale: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  const order = 'dhms';
  let last = order.indexOf(unit);
  if (last < 0) return undefined;
  let sum = first * scale[unit]!;
  i++;
  while (i < s.length) {
    if (unit === 's' || order[last] === 's') return undefined; // nothing may follow seconds
    blanks();
    if (i === s.length) break;
    const n = digits();
    const u = s[i];
    const at = u === undefined ? -1 : order.indexOf(u);
    if (n === undefined || at <= last) return undefined;
    sum += n * scale[u!]!;
    if (sum > INT32_MAX) return undefined;
    last = at;
    i++;
  }
  return sum;
}

/**
 * MIT's default enctype list (|defetypes| in krb5.conf(5)) without what PostNTLM does not
 * implement or allow by default (DES3, RC4, Camellia): AES only, strongest first as MIT lists them.
 */
export const DEFAULT_ENCTYPES: readonly number[] = Object.freeze([
  Enctype.AES256_CTS_HMAC_SHA1_96,
  Enctype.AES128_CTS_HMAC_SHA1_96,
  Enctype.AES256_CTS_HMAC_SHA384_192,
  Enctype.AES128_CTS_HMAC_SHA256_128,
]);

/** MIT's enctype families (kdc.conf(5) "Encryption types"). */
const FAMILIES: ReadonlyMap<string, readonly number[]> = new Map<string, readonly number[]>([
  ['aes', DEFAULT_ENCTYPES],
  ['rc4', [Enctype.ARCFOUR_HMAC]],
  ['des3', [Enctype.DES3_CBC_SHA1]],
  ['camellia', [Enctype.CAMELLIA256_CTS_CMAC, Enctype.CAMELLIA128_CTS_CMAC]],
]);

/** The result of reading an enctype list. */
export interface EnctypeList {
  /** Enctype numbers that PostNTLM implements, in preference order, each once. */
  readonly enctypes: readonly number[];
  /** Names that are known enctypes or families PostNTLM does not implement (DES3, Camellia...). */
  readonly unsupported: readonly string[];
  /** Words that name no enctype at all (MIT ignores them too). */
  readonly unknown: readonly string[];
}

/**
 * An MIT enctype list: names and aliases (`aes256-cts`, `aes128-sha2`, `rc4-hmac`),
 * families (`aes`, `rc4`, `des3`, `camellia`), `DEFAULT` for `defaults`, `-name` to remove
 * and `+name` (same as `name`), separated by blanks or commas. Enctypes not implemented by
 * `@postntlm/krb5-crypto` are left out and reported in `unsupported`. RC4-HMAC stays in the
 * list when named, but using it still needs krb5-crypto's `enableRc4Hmac()`.
 */
export function parseEnctypeList(text: string, defaults: readonly number[] = DEFAULT_ENCTYPES): EnctypeList {
  let list: number[] = [];
  const unsupported: string[] = [];
  const unknown: string[] = [];
  for (const word of text.split(/[\s,]+/)) {
    if (word === '') continue;
    let name = word;
    let remove = false;
    if (name.startsWith('-')) {
      remove = true;
      name = name.slice(1);
    } else if (name.startsWith('+')) {
      name = name.slice(1);
    }
    let ids: readonly number[];
    if (name.toUpperCase() === 'DEFAULT') ids = defaults;
    else {
      const family = FAMILIES.get(name.toLowerCase());
      const id = family === undefined ? enctypeFromName(name) : undefined;
      if (family !== undefined) ids = family;
      else if (id !== undefined && id > 0) ids = [id];
      else {
        unknown.push(word);
        continue;
      }
    }
    const supported = ids.filter((id) => isEnctypeSupported(id));
    if (supported.length < ids.length && !remove) unsupported.push(word);
    if (remove) list = list.filter((id) => !ids.includes(id));
    else for (const id of supported) if (!list.includes(id)) list.push(id);
  }
  return { enctypes: list, unsupported, unknown };
}
