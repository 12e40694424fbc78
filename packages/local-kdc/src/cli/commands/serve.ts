/** `lkdc serve`: run the KDC on the configured (or given) listeners until SIGINT/SIGTERM, or idle under systemd. */
import { formatListenAddress, type ListenSpec, parseListenAddress } from '../../admin/listen-address.js';
import { listenSpecs, readConfig, removeRuntime, writeRuntime } from '../../admin/state.js';
import { fileAuditSink, stderrAuditSink } from '../../audit/sinks.js';
import type { AuditSink } from '../../kdc/audit.js';
import { createKdc, type Kdc } from '../../kdc/kdc.js';
import { listen } from '../../listen/listen.js';
import type { KdcListener } from '../../listen/listener.js';
import { listenFromSystemd } from '../../listen/systemd.js';
import { KdcDatabase } from '../../store/kdc-database.js';
import { flag, list, parse, parseDuration, str, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { COMMON, type Command, stateDir } from './common.js';

const USAGE =
  'lkdc serve [--state DIR] [--listen unix:PATH|tcp:HOST:PORT|udp:HOST:PORT]... [--systemd] [--exit-when-idle D] [--audit FILE|-|none] [--pac | --no-pac] [--json]';

function openOne(kdc: Kdc, spec: ListenSpec, exitWhenIdleMs: number | undefined): Promise<KdcListener> {
  const idle = exitWhenIdleMs === undefined ? {} : { exitWhenIdleMs };
  if (spec.transport === 'unix') return listen(kdc, { unix: spec.path, ...idle });
  const address = { host: spec.host, port: spec.port };
  return listen(kdc, spec.transport === 'tcp' ? { tcp: address, ...idle } : { udp: address, ...idle });
}

function endpoints(listeners: readonly KdcListener[]): string[] {
  return listeners.flatMap((l) =>
    l.endpoints.map((e) =>
      e.transport === 'unix'
        ? `unix:${e.address ?? e.name ?? '(systemd socket)'}`
        : formatListenAddress({ transport: e.transport, host: e.address ?? '?', port: e.port ?? 0 }),
    ),
  );
}

/** Resolves on SIGINT/SIGTERM (when the CLI owns the process) or when `io.signal` aborts. */
function stopRequested(io: CliIo): { promise: Promise<string>; dispose: () => void } {
  let dispose: () => void = () => {};
  const promise = new Promise<string>((resolve) => {
    const onSignal = (name: string) => () => resolve(name);
    const int = onSignal('SIGINT');
    const term = onSignal('SIGTERM');
    const abort = () => resolve('abort');
    if (io.handleSignals === true) {
      process.once('SIGINT', int);
      process.once('SIGTERM', term);
    }
    if (io.signal?.aborted === true) resolve('abort');
    io.signal?.addEventListener('abort', abort, { once: true });
    dispose = () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
      io.signal?.removeEventListener('abort', abort);
    };
  });
  return { promise, dispose };
}

export const serve: Command = {
  usage: USAGE,
  summary: 'run the KDC (Unix socket, TCP, UDP, or systemd-passed sockets)',
  async run(argv, io) {
    const p = parse(
      argv,
      {
        ...COMMON,
        listen: { type: 'string', multiple: true },
        systemd: { type: 'boolean' },
        'exit-when-idle': { type: 'string' },
        audit: { type: 'string' },
        pac: { type: 'boolean' },
        'no-pac': { type: 'boolean' },
      },
      { min: 0, max: 0, usage: USAGE },
    );
    const dir = stateDir(p, io);
    const config = await readConfig(dir);
    const given = list(p, 'listen');
    const specs = given.length > 0 ? given.map(parseListenAddress) : listenSpecs(config);
    const idleText = str(p, 'exit-when-idle');
    const exitWhenIdleMs =
      idleText === undefined ? undefined : parseDuration(idleText, '--exit-when-idle') * 1000;
    const auditPath = str(p, 'audit') ?? config.audit;
    const fileSink =
      auditPath === undefined || auditPath === 'none' || auditPath === '-'
        ? undefined
        : fileAuditSink(auditPath);
    const audit: AuditSink | undefined = auditPath === '-' ? stderrAuditSink() : fileSink;

    const db = await KdcDatabase.open(dir);
    const listeners: KdcListener[] = [];
    const stop = stopRequested(io);
    try {
      if (flag(p, 'pac') && flag(p, 'no-pac'))
        throw new UsageError('--pac and --no-pac contradict each other');
      const issuePac = flag(p, 'pac') || (!flag(p, 'no-pac') && config.pac === true);
      const kdc = createKdc({
        realm: db.realm,
        store: db,
        policy: { issuePac },
        ...(audit === undefined ? {} : { audit }),
        onInternalError: (e) =>
          io.stderr(`lkdc: internal error: ${e instanceof Error ? e.message : String(e)}\n`),
      });
      if (flag(p, 'systemd')) {
        listeners.push(await listenFromSystemd(kdc, exitWhenIdleMs === undefined ? {} : { exitWhenIdleMs }));
      } else {
        for (const spec of specs) listeners.push(await openOne(kdc, spec, exitWhenIdleMs));
      }
      const where = endpoints(listeners);
      await writeRuntime(dir, where);
      if (flag(p, 'json'))
        io.stdout(`${JSON.stringify({ event: 'ready', realm: db.realm, state: dir, listen: where })}\n`);
      io.stderr(`lkdc: serving ${db.realm} on ${where.join(', ')}${issuePac ? ' (PAC on)' : ''}\n`);
      const idle = Promise.all(listeners.map((l) => l.closed)).then(() => 'idle');
      const reason = await Promise.race([stop.promise, idle]);
      io.stderr(`lkdc: stopping (${reason})\n`);
      return ExitCode.OK;
    } finally {
      stop.dispose();
      await Promise.all(listeners.map((l) => l.close()));
      if (listeners.length > 0) await removeRuntime(dir);
      await fileSink?.close();
      await db.close();
    }
  },
};
