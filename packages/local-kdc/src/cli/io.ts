/** What a command may touch: output streams, standard input, the environment, a stop signal. Tests pass their own. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input as text. */
  readonly readStdin: () => Promise<string>;
  /** Asks for a secret on the terminal without echo; undefined when there is no terminal. */
  readonly promptSecret?: ((prompt: string) => Promise<string>) | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ends long-running commands (`serve`) besides SIGINT/SIGTERM. */
  readonly signal?: AbortSignal | undefined;
  /** Install SIGINT/SIGTERM handlers for `serve` (the real CLI does; in-process tests do not). */
  readonly handleSignals?: boolean;
}

/** `--state`, else `$LKDC_STATE`, else /var/lib/postntlm-lkdc for root, else the XDG state directory. */
export function defaultStateDir(env: CliIo['env']): string {
  if (env.LKDC_STATE !== undefined && env.LKDC_STATE.length > 0) return env.LKDC_STATE;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/postntlm-lkdc';
  const base = env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'postntlm-lkdc');
}

/** A password from standard input: the first line, without its line ending. */
export function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** The process's real I/O. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    promptSecret: process.stdin.isTTY ? promptSecret : undefined,
    env: process.env,
    handleSignals: true,
  };
}

/** Reads one line from the terminal with echo off (raw mode), as kadmin does for passwords. */
function promptSecret(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error === undefined) resolve(text);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
