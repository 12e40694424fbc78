/** What a command may touch: output streams, standard input, the environment, a stop signal. Tests pass their own. */
export interface AppIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input as text. */
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (pretty logs) . */
  readonly stderrIsTty: boolean;
  /** Ends `serve` besides SIGINT/SIGTERM. */
  readonly signal?: AbortSignal | undefined;
  /** Install SIGINT/SIGTERM handlers for `serve` (the real program does; in-process tests do not). */
  readonly handleSignals: boolean;
}

export function processIo(): AppIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
    handleSignals: true,
  };
}
