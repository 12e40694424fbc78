/** `postntlm-smb shell //HOST/SHARE`: an interactive session like smbclient's (`smb: \dir> `). */
import { flag, parse, SMB_OPTIONS, str } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { type LineReader, openLineReader } from '../cli/line-reader.js';
import { connect } from '../connect.js';
import { toCliError } from '../errors.js';
import { ExitCode, usageError } from '../exit-codes.js';
import { parseTarget } from '../target.js';
import { SHELL_COMMANDS, type ShellState, words } from './commands.js';

export const SHELL_USAGE =
  'postntlm-smb shell //HOST/SHARE[/DIR] [options]  (--password-stdin: the first input line; typed unechoed on a terminal)';

const prompt = (s: ShellState): string => `smb: \\${s.cwd.replace(/\//g, '\\')}${s.cwd === '' ? '' : '\\'}> `;

function help(io: AppIo): void {
  io.stdout(
    `${Object.values(SHELL_COMMANDS)
      .map((c) => `  ${c.usage}`)
      .join('\n')}\n  help\n  exit | quit\n`,
  );
}

/** With --password-stdin the password is the first line of the same input the commands follow. */
async function shellPassword(reader: LineReader, user: string | undefined): Promise<string> {
  if (user === undefined) throw usageError('--password-stdin needs --user NAME');
  const password = await reader.secret(`Password for ${user}: `);
  if (password === undefined || password.length === 0)
    throw usageError('--password-stdin: standard input holds no password');
  return password;
}

/** Reads commands until exit or the end of input; a failed command prints its error and the shell goes on. */
async function repl(state: ShellState, reader: LineReader): Promise<void> {
  const { io } = state;
  for (;;) {
    reader.rl.setPrompt(prompt(state));
    reader.rl.prompt();
    const line = await reader.next();
    if (line === undefined) return;
    const [name, ...args] = words(line);
    if (name === 'exit' || name === 'quit' || name === 'q') return;
    if (name === undefined) continue;
    if (name === 'help' || name === '?') {
      help(io);
      continue;
    }
    const command = SHELL_COMMANDS[name];
    if (command === undefined) {
      io.stdout(`${name}: command not found (help lists them)\n`);
      continue;
    }
    try {
      await command.run(state, args);
    } catch (e) {
      // The NTSTATUS name and the message; the shell stays open.
      io.stdout(`${toCliError(e).message}\n`);
    }
  }
}

export async function shell(argv: readonly string[], io: AppIo): Promise<number> {
  const p = parse(argv, SMB_OPTIONS, SHELL_USAGE, { min: 1, max: 1 });
  const target = parseTarget(p.positionals[0] as string);
  const reader = openLineReader(io);
  try {
    const password = flag(p, 'password-stdin') ? await shellPassword(reader, str(p, 'user')) : undefined;
    const client = await connect(target, p, io, password);
    try {
      const state: ShellState = { tree: await client.tree(target.share), io, cwd: target.path };
      io.stdout(
        `Connected to \\\\${target.host}\\${target.share} as ${client.user}. Type help for the commands.\n`,
      );
      await repl(state, reader);
      return ExitCode.OK;
    } finally {
      await client.close();
    }
  } finally {
    reader.close();
  }
}
