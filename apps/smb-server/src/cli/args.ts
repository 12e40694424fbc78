/** Command-line parsing on node:util's parseArgs, with failures as usage errors. */
import { parseArgs } from 'node:util';
import { usageError } from '../exit-codes.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

export function parse(
  argv: readonly string[],
  options: OptionSpec,
  usage: string,
  maxPositionals: number,
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw usageError(`${(e as Error).message}\nusage: ${usage}`);
  }
  if (parsed.positionals.length > maxPositionals)
    throw usageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}\nusage: ${usage}`,
    );
  return parsed;
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
};

export const strings = (p: Parsed, name: string): string[] => {
  const v = p.values[name];
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
};

export const flag = (p: Parsed, name: string): boolean => p.values[name] === true;
