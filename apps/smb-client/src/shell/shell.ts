/** `postntlm-smb shell //HOST/SHARE`: an interactive session like smbclient's (`smb: \dir> `). */
import { createInterface } from 'node:readline';
import { parse, SMB_OPTIONS } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { connect } from '../connect.js';
import { toCliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseTarget } from '../target.js';
import { SHELL_COMMANDS, type ShellState, words } from './commands.js';

export const SHELL_USAGE =
  'postntlm-smb shell //HOST/SHARE[/DIR] [options]  (the password comes from kinit, or --keytab)';

const prompt = (s: ShellState): string => `smb: \\${s.cwd.replace(/\//g, '\\')}${s.cwd === '' ? '' : '\\'}> `;

function help(io: AppIo): void {
  io.stdout(
    `${Object.values(SHELL_COMMANDS)
      .map((c) => `  ${c.usage}`)
      .join('\n')}\n  help\n  exit | quit\n`,
  );
}

export async function shell(argv: readonly string[], io: AppIo): Promise<number> {
  const p = parse(argv, SMB_OPTIONS, SHELL_USAGE, { min: 1, max: 1 });
  const target = parseTarget(p.positionals[0] as string);
  const client = await connect(target, p, io);
  try {
    const state: ShellState = { tree: await client.tree(target.share), io, cwd: target.path };
    io.stdout(
      `Connected to \\\\${target.host}\\${target.share} as ${client.user}. Type help for the commands.\n`,
    );
    const rl = createInterface({ input: io.stdin, output: process.stdout, terminal: io.stdinIsTty });
    rl.setPrompt(prompt(state));
    rl.prompt();
    for await (const line of rl) {
      const [name, ...args] = words(line);
      if (name === 'exit' || name === 'quit' || name === 'q') break;
      if (name === 'help' || name === '?') help(io);
      else if (name !== undefined) {
        const command = SHELL_COMMANDS[name];
        if (command === undefined) io.stdout(`${name}: command not found (help lists them)\n`);
        else {
          try {
            await command.run(state, args);
          } catch (e) {
            // The NTSTATUS name and the message; the shell stays open.
            io.stdout(`${toCliError(e).message}\n`);
          }
        }
      }
      rl.setPrompt(prompt(state));
      rl.prompt();
    }
    rl.close();
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}
