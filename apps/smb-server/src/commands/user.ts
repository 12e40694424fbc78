/**
 * `postntlm-smbd user add|passwd|del|list`: the Local KDC's user accounts. The work is
 * local-kdc's `lkdc principal` (the same database rules, messages and exit codes); this
 * maps the server's state directory and names onto it. Works while the server runs.
 */
import { KdcDatabase, runLkdc } from '@postntlm/local-kdc';
import { flag, type Parsed, parse } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { asServerMessage } from '../cli/lkdc-messages.js';
import { ExitCode, usageError } from '../exit-codes.js';

export const USER_USAGE = [
  'postntlm-smbd user add NAME [--password-stdin] [--state STATE] [--json]',
  'postntlm-smbd user passwd NAME [--password-stdin] [--state STATE]',
  'postntlm-smbd user del NAME [--state STATE]',
  'postntlm-smbd user list [--state STATE] [--json]',
];

const OPTIONS = {
  state: { type: 'string' },
  json: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
} as const;

/** lkdc's io: the same streams; no terminal prompt unless stdin is one (lkdc asks twice). */
function lkdcIo(io: AppIo) {
  return {
    stdout: io.stdout,
    stderr: (text: string) => io.stderr(asServerMessage(text)),
    readStdin: io.readStdin,
    env: io.env,
  };
}

async function listUsers(dir: string, json: boolean, io: AppIo): Promise<number> {
  const db = await KdcDatabase.open(dir);
  try {
    const users = db
      .listPrincipals()
      .map((n) => db.principalInfo(n))
      .filter((i) => i.kind === 'user');
    if (json)
      io.stdout(
        `${JSON.stringify(
          users.map((u) => ({
            name: u.name,
            kvno: u.kvno,
            disabled: u.disabled,
            lockedOut: u.lockedUntil !== undefined && u.lockedUntil.getTime() > Date.now(),
          })),
          null,
          2,
        )}\n`,
      );
    else
      io.stdout(
        users
          .map(
            (u) =>
              `${u.name}${u.lockedUntil !== undefined && u.lockedUntil.getTime() > Date.now() ? '  (locked out)' : ''}${u.disabled ? '  (disabled)' : ''}\n`,
          )
          .join(''),
      );
    return ExitCode.OK;
  } finally {
    await db.close();
  }
}

export async function user(
  argv: readonly string[],
  io: AppIo,
  stateDir: (p: Parsed) => string,
): Promise<number> {
  const [sub, ...rest] = argv;
  const usage = USER_USAGE.join('\n       ');
  if (sub === 'list') {
    const p = parse(rest, OPTIONS, USER_USAGE[3] as string, 0);
    return listUsers(stateDir(p), flag(p, 'json'), io);
  }
  const verb = { add: 'add', passwd: 'passwd', del: 'del' }[sub ?? ''];
  if (verb === undefined) throw usageError(`user: add, passwd, del or list\nusage: ${usage}`);
  const p = parse(rest, OPTIONS, usage, 1);
  const name = p.positionals[0];
  if (name === undefined) throw usageError(`user ${verb}: give the user name\nusage: ${usage}`);
  if (name.includes('/'))
    throw usageError(`user ${verb}: ${JSON.stringify(name)} is a service name, not a user`);
  const args = ['principal', verb, name, '--state', stateDir(p)];
  if (verb === 'add') args.push('--user');
  if (flag(p, 'password-stdin') && verb !== 'del') args.push('--password-stdin');
  if (flag(p, 'json') && verb === 'add') args.push('--json');
  return runLkdc(args, lkdcIo(io));
}
