/** Options every command takes, and opening the database of the chosen state directory. */
import { KdcDatabase } from '../../store/kdc-database.js';
import { type OptionSpec, type Parsed, str } from '../args.js';
import { type CliIo, defaultStateDir } from '../io.js';

export const COMMON: OptionSpec = {
  state: { type: 'string' },
  json: { type: 'boolean' },
};

export const stateDir = (p: Parsed, io: CliIo): string => str(p, 'state') ?? defaultStateDir(io.env);

export async function withDatabase<T>(dir: string, use: (db: KdcDatabase) => Promise<T>): Promise<T> {
  const db = await KdcDatabase.open(dir);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** One command: its usage line, a summary for `lkdc --help`, and what it does (resolves to the exit code). */
export interface Command {
  readonly usage: string;
  readonly summary: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
