/** The shell's commands (like smbclient's): each takes the session state and its words. */
import { basename } from 'node:path';
import type { SmbTree } from '@postntlm/smb2-client';
import type { AppIo } from '../cli/io.js';
import { download, formatListing, upload } from '../commands/files.js';
import { joinPath } from '../target.js';

export interface ShellState {
  readonly tree: SmbTree;
  readonly io: AppIo;
  /** The current directory inside the share, `/`-separated, `''` at the root. */
  cwd: string;
}

type ShellCommand = (s: ShellState, args: string[]) => Promise<void>;

const need = (args: string[], n: number, usage: string): void => {
  if (args.length < n) throw new Error(`usage: ${usage}`);
};

/** The command's argument `i`, or a usage error. */
const arg = (args: string[], i: number, usage: string): string => {
  need(args, i + 1, usage);
  return args[i] as string;
};

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

export const SHELL_COMMANDS: Record<string, { usage: string; run: ShellCommand }> = {
  ls: {
    usage: 'ls [PATTERN|DIR]',
    async run(s, [arg]) {
      if (arg !== undefined && /[*?]/.test(arg)) {
        const re = globToRegExp(arg);
        s.io.stdout(formatListing((await s.tree.readdir(s.cwd)).filter((e) => re.test(e.name))));
        return;
      }
      s.io.stdout(formatListing(await s.tree.readdir(arg === undefined ? s.cwd : joinPath(s.cwd, arg))));
    },
  },
  cd: {
    usage: 'cd DIR',
    async run(s, [arg]) {
      const next = joinPath(s.cwd, arg ?? '/');
      if (next !== '' && !(await s.tree.stat(next)).isDirectory())
        throw new Error(`${next}: not a directory`);
      s.cwd = next;
    },
  },
  pwd: {
    usage: 'pwd',
    run: async (s) => s.io.stdout(`\\${s.cwd.replace(/\//g, '\\')}\n`),
  },
  get: {
    usage: 'get REMOTE [LOCAL]',
    async run(s, args) {
      need(args, 1, 'get REMOTE [LOCAL]');
      const remote = joinPath(s.cwd, args[0] as string);
      const { bytes } = await download(s.tree, remote, args[1] ?? basename(remote), s.io);
      s.io.stdout(`getting file \\${remote.replace(/\//g, '\\')} (${bytes} bytes)\n`);
    },
  },
  put: {
    usage: 'put LOCAL [REMOTE]',
    async run(s, args) {
      need(args, 1, 'put LOCAL [REMOTE]');
      const remote = joinPath(s.cwd, args[1] ?? basename(args[0] as string));
      const bytes = await upload(s.tree, args[0] as string, remote, s.io);
      s.io.stdout(`putting file ${args[0]} as \\${remote.replace(/\//g, '\\')} (${bytes} bytes)\n`);
    },
  },
  mkdir: { usage: 'mkdir DIR', run: async (s, a) => s.tree.mkdir(joinPath(s.cwd, arg(a, 0, 'mkdir DIR'))) },
  rmdir: { usage: 'rmdir DIR', run: async (s, a) => s.tree.rmdir(joinPath(s.cwd, arg(a, 0, 'rmdir DIR'))) },
  rm: { usage: 'rm FILE', run: async (s, a) => s.tree.rm(joinPath(s.cwd, arg(a, 0, 'rm FILE'))) },
  mv: {
    usage: 'mv FROM TO',
    run: async (s, a) =>
      s.tree.rename(joinPath(s.cwd, arg(a, 0, 'mv FROM TO')), joinPath(s.cwd, arg(a, 1, 'mv FROM TO'))),
  },
  allinfo: {
    usage: 'allinfo PATH',
    async run(s, a) {
      need(a, 1, 'allinfo PATH');
      const st = await s.tree.stat(joinPath(s.cwd, a[0] as string));
      s.io.stdout(
        `create_time:    ${st.birthtime.toISOString()}\naccess_time:    ${st.atime.toISOString()}\n` +
          `write_time:     ${st.mtime.toISOString()}\nchange_time:    ${st.ctime.toISOString()}\n` +
          `attributes:     0x${st.attributes.toString(16)}${st.isDirectory() ? ' (directory)' : ''}\nsize:           ${st.size}\n`,
      );
    },
  },
};

/** Splits a command line into words; double quotes group words with spaces. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push(m[1] ?? (m[2] as string));
  return out;
}
