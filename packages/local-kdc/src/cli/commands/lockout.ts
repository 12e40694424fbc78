/** `lkdc lockout`: show or change the account lockout policy. */
import { flag, parse, parseCount, parseDuration, str } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { json, lockoutText } from '../format.js';
import { COMMON, type Command, stateDir, withDatabase } from './common.js';

const USAGE = 'lkdc lockout [--max-failures N] [--window D] [--duration D] [--state DIR] [--json]';

export const lockout: Command = {
  usage: USAGE,
  summary: 'show or set the lockout policy (failed logins that lock an account, and for how long)',
  async run(argv, io) {
    const p = parse(
      argv,
      {
        ...COMMON,
        'max-failures': { type: 'string' },
        window: { type: 'string' },
        duration: { type: 'string' },
      },
      { min: 0, max: 0, usage: USAGE },
    );
    const max = str(p, 'max-failures');
    const window = str(p, 'window');
    const duration = str(p, 'duration');
    return withDatabase(stateDir(p, io), async (db) => {
      let policy = db.lockoutPolicy;
      if (max !== undefined || window !== undefined || duration !== undefined) {
        policy = await db.setLockoutPolicy({
          ...(max === undefined ? {} : { maxFailures: parseCount(max, '--max-failures') }),
          ...(window === undefined ? {} : { failureWindowSeconds: parseDuration(window, '--window') }),
          ...(duration === undefined ? {} : { lockoutSeconds: parseDuration(duration, '--duration') }),
        });
      }
      io.stdout(flag(p, 'json') ? json(policy) : `Lockout: ${lockoutText(policy)}.\n`);
      return ExitCode.OK;
    });
  },
};
