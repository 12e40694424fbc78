/** Command-line parsing on node:util's parseArgs, with usage errors the CLI turns into exit code 2. */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpec = Record<
  string,
  { readonly type: 'string' | 'boolean'; readonly multiple?: boolean; readonly short?: string }
>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** Parses `argv` strictly: unknown options and a wrong count of positionals are usage errors. */
export function parse(
  argv: readonly string[],
  options: OptionSpec,
  positionals: { readonly min: number; readonly max: number; readonly usage: string },
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${positionals.usage}`);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) throw new UsageError(`usage: ${positionals.usage}`);
  return parsed;
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
};
export const flag = (p: Parsed, name: string): boolean => p.values[name] === true;
export const list = (p: Parsed, name: string): string[] => {
  const v = p.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `3600`, `90m`, `10h`, `7d`, `2w` → seconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+)([smhdw]?)$/.exec(text.trim());
  if (m === null)
    throw new UsageError(
      `${what}: expected a duration such as 3600, 90m, 10h or 7d, got ${JSON.stringify(text)}`,
    );
  const value = Number(m[1]) * (UNITS[m[2] || 's'] as number);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${what}: too large`);
  return value;
}

/** An ISO date or date-time → Date. */
export function parseDate(text: string, what: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new UsageError(`${what}: expected a date such as 2027-01-31 or 2027-01-31T12:00:00Z`);
  }
  return d;
}

/** A whole number ≥ 0. */
export function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`${what}: expected a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
