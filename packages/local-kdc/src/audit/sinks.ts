/**
 * Audit sinks at the Node edge: a JSON-lines file (appended, mode 0600) and stderr. One
 * line per event, `JSON.stringify(event)`. Write failures are reported through the
 * promise `write` returns; the engine only logs them (`onInternalError`).
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { AuditEvent, AuditSink } from '../kdc/audit.js';

export interface FileAuditSink extends AuditSink {
  write(event: AuditEvent): Promise<void>;
  /** Waits for pending lines, then closes the file. */
  close(): Promise<void>;
}

/** Appends one JSON object per line to `path` (created with mode 0600; an existing file is set to 0600). */
export function fileAuditSink(path: string): FileAuditSink {
  const opened: Promise<FileHandle> = open(path, 'a', 0o600).then(async (h) => {
    await h.chmod(0o600);
    return h;
  });
  let tail: Promise<unknown> = opened;
  let closed = false;
  return {
    write(event) {
      if (closed) return Promise.reject(new Error('audit sink closed'));
      const line = `${JSON.stringify(event)}\n`;
      const p = tail
        .then(
          () => opened,
          () => opened,
        )
        .then(async (h) => {
          await h.appendFile(line);
        });
      tail = p.catch(() => undefined);
      return p;
    },
    async close() {
      closed = true;
      await tail;
      await (await opened.catch(() => undefined))?.close();
    },
  };
}

/** Writes one JSON object per line to `process.stderr`. */
export function stderrAuditSink(): AuditSink {
  return {
    write(event) {
      process.stderr.write(`${JSON.stringify(event)}\n`);
    },
  };
}
