/** Lines from stdin through readline, whose echo can be muted (a password typed at a terminal). */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import type { AppIo } from './io.js';

/** Passes writes on to stdout unless muted; readline draws prompt and echo through it. */
class MutableOutput extends Writable {
  muted = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    if (!this.muted) process.stdout.write(chunk);
    done();
  }

  /** readline wraps long lines at the terminal's width. */
  get columns(): number | undefined {
    return process.stdout.columns;
  }
}

export interface LineReader {
  readonly rl: Interface;
  /** The next line, or `undefined` at the end of input (Ctrl-D, Ctrl-C, a pipe's end). */
  next(): Promise<string | undefined>;
  /** Reads one line without echoing it (a password); `undefined` at the end of input. */
  secret(prompt: string): Promise<string | undefined>;
  close(): void;
}

export function openLineReader(io: AppIo): LineReader {
  const output = new MutableOutput();
  const rl = createInterface({ input: io.stdin, output, terminal: io.stdinIsTty });
  // Ctrl-C ends the session as smbclient's does (readline would only pause without a listener).
  rl.on('SIGINT', () => rl.close());
  const lines = rl[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    return r.done === true ? undefined : r.value;
  };
  return {
    rl,
    next,
    async secret(prompt) {
      if (!io.stdinIsTty) return next();
      io.stderr(prompt);
      output.muted = true;
      try {
        return await next();
      } finally {
        output.muted = false;
        io.stderr('\n');
      }
    },
    close: () => rl.close(),
  };
}
