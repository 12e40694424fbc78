/** The server's log: pino JSON lines on stderr, readable (pino-pretty) on a terminal. */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import pinoPretty from 'pino-pretty';
import type { AppIo } from './cli/io.js';
import type { ServerConfig } from './config/schema.js';

export function createLogger(io: AppIo, log: ServerConfig['log']): Logger {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.stderr(chunk.toString());
      done();
    },
  });
  const pretty = log.format === 'pretty' || (log.format === 'auto' && io.stderrIsTty);
  const stream = pretty
    ? pinoPretty({ destination: sink, colorize: io.stderrIsTty, sync: true, ignore: 'pid,hostname' })
    : sink;
  return pino({ level: log.level, base: { name: 'postntlm-smbd' } }, stream);
}
