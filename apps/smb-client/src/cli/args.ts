/** Command-line parsing on node:util's parseArgs; the options every SMB command shares. */
import { parseArgs } from 'node:util';
import { usageError } from '../exit-codes.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** Options of every command that talks to an SMB server. */
export const SMB_OPTIONS: OptionSpec = {
  port: { type: 'string', short: 'p' },
  address: { type: 'string', short: 'I' },
  user: { type: 'string', short: 'U' },
  'password-stdin': { type: 'boolean' },
  keytab: { type: 'string' },
  iakerb: { type: 'string' },
  protection: { type: 'string' },
  json: { type: 'boolean' },
  trace: { type: 'boolean' },
  'trace-svg': { type: 'string' },
};

export function parse(
  argv: readonly string[],
  options: OptionSpec,
  usage: string,
  positionals: { min: number; max: number },
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw usageError(`${(e as Error).message}\nusage: ${usage}`);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max)
    throw usageError(`wrong number of arguments\nusage: ${usage}`);
  return parsed;
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
};

export const flag = (p: Parsed, name: string): boolean => p.values[name] === true;
