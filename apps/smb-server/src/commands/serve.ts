/** `postntlm-smbd serve`: the file server with its embedded Local KDC (or an IAKerb proxy to a realm's KDCs). */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { engineTransport, networkTransport } from '@postntlm/iakerb';
import { parseKdcAddress } from '@postntlm/krb5-client';
import { loadKeytab } from '@postntlm/krb5-messages';
import {
  createKdc,
  fileAuditSink,
  formatListenAddress,
  KdcDatabase,
  type KdcListener,
  listen as listenKdc,
  parseListenAddress,
  removeRuntime,
  statePaths,
  writeRuntime,
} from '@postntlm/local-kdc';
import { createSmbServer, type SmbServerOptions } from '@postntlm/smb2-server';
import { flag, type Parsed, parse, str, strings } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { loadConfig, saveConfig } from '../config/load.js';
import { checkHostName, checkHostPort, type ServerConfig } from '../config/schema.js';
import { checkDirectory, checkShareDirectories } from '../config/share-dirs.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { createLogger } from '../logging.js';
import { appendNtlmAudit, toRecord } from '../ntlm-audit-log.js';
import { serverPaths } from '../state-dir.js';
import { connectHelp, type ServingInfo } from './connect-help.js';
import { configFromFlags, ensureLocalKdc, shareToAdd } from './serve-setup.js';

export const SERVE_USAGE =
  'postntlm-smbd serve [DIR] [--state STATE] [--config FILE] [--listen ADDR:PORT] [--host NAME] [--share NAME] ' +
  '[--read-only] [--encrypt] [--allow USER]... [--kdc-listen tcp:ADDR:PORT|udp:ADDR:PORT]... [--realm REALM] [--json]';

export const SERVE_OPTIONS = {
  state: { type: 'string' },
  config: { type: 'string' },
  listen: { type: 'string' },
  host: { type: 'string' },
  share: { type: 'string' },
  'read-only': { type: 'boolean' },
  encrypt: { type: 'boolean' },
  allow: { type: 'string', multiple: true },
  'kdc-listen': { type: 'string', multiple: true },
  realm: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The configuration for this run: the file (made on first run), with the command line on top. */
async function effectiveConfig(
  p: Parsed,
  stateDir: string,
): Promise<{ config: ServerConfig; path: string; created: boolean }> {
  const path = str(p, 'config') ?? serverPaths(stateDir).config;
  const dir = p.positionals[0];
  // Checked before anything is written: a bad flag must not leave a changed configuration.
  const listen = str(p, 'listen');
  if (listen !== undefined) checkHostPort(listen, '--listen');
  const hostFlag = str(p, 'host');
  const host = hostFlag === undefined ? undefined : checkHostName(hostFlag, '--host');
  if (dir !== undefined) await checkDirectory(resolve(dir), 'serve DIR');
  const loaded = await loadConfig(path);
  if (loaded === undefined) {
    if (str(p, 'config') !== undefined) throw usageError(`--config ${path}: no such file`);
    const config = configFromFlags(p, dir);
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await saveConfig(path, config);
    return { config, path, created: true };
  }
  const kdcListen = strings(p, 'kdc-listen');
  if (kdcListen.length > 0 && loaded.kdc.mode !== 'embedded')
    throw usageError('--kdc-listen: the configuration uses an IAKerb proxy, not the embedded Local KDC');
  let config = loaded;
  const added = dir === undefined ? undefined : shareToAdd(config, dir, p);
  if (added !== undefined) {
    config = { ...config, shares: [...config.shares, added] };
    await saveConfig(path, config);
  }
  await checkShareDirectories(config.shares, path);
  return {
    config: {
      ...config,
      ...(listen === undefined ? {} : { listen }),
      ...(host === undefined ? {} : { host }),
      ...(kdcListen.length === 0 || config.kdc.mode !== 'embedded'
        ? {}
        : { kdc: { mode: 'embedded', listen: kdcListen } }),
    },
    path,
    created: false,
  };
}

/** Resolves on SIGINT/SIGTERM (when the program owns the process) or when `io.signal` aborts. */
function stopRequested(io: AppIo): { promise: Promise<string>; dispose: () => void } {
  let dispose = (): void => {};
  const promise = new Promise<string>((done) => {
    const int = (): void => done('SIGINT');
    const term = (): void => done('SIGTERM');
    const abort = (): void => done('abort');
    if (io.handleSignals) {
      process.once('SIGINT', int);
      process.once('SIGTERM', term);
    }
    if (io.signal?.aborted === true) done('abort');
    io.signal?.addEventListener('abort', abort, { once: true });
    dispose = () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
      io.signal?.removeEventListener('abort', abort);
    };
  });
  return { promise, dispose };
}

const inState = (stateDir: string, path: string): string => (isAbsolute(path) ? path : join(stateDir, path));

function kdcEndpoints(listeners: readonly KdcListener[]): string[] {
  return listeners.flatMap((l) =>
    l.endpoints.map((e) =>
      e.transport === 'unix'
        ? `unix:${e.address ?? e.name ?? '?'}`
        : formatListenAddress({ transport: e.transport, host: e.address ?? '?', port: e.port ?? 0 }),
    ),
  );
}

async function openKdcListener(kdc: Parameters<typeof listenKdc>[0], spec: string): Promise<KdcListener> {
  const s = parseListenAddress(spec);
  if (s.transport === 'unix') return listenKdc(kdc, { unix: s.path });
  const address = { host: s.host, port: s.port };
  return listenKdc(kdc, s.transport === 'tcp' ? { tcp: address } : { udp: address });
}

function networkError(e: unknown, what: string): CliError {
  const code = (e as NodeJS.ErrnoException)?.code;
  return new CliError(
    ExitCode.NETWORK,
    `${what}: ${(e as Error).message ?? String(e)}${code === 'EACCES' ? ' (ports below 1024 need root or CAP_NET_BIND_SERVICE)' : ''}`,
    { cause: e },
  );
}

export async function serve(
  argv: readonly string[],
  io: AppIo,
  stateDir: (p: Parsed) => string,
): Promise<number> {
  const p = parse(argv, SERVE_OPTIONS, SERVE_USAGE, 1);
  const dir = stateDir(p);
  const { config, path: configPath, created } = await effectiveConfig(p, dir);
  if (config.shares.length === 0)
    throw usageError(`${configPath} has no [[share]]: add one, or run serve DIR`);
  const log = createLogger(io, config.log);
  if (created) log.info({ config: configPath }, 'first run: configuration written');

  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = stopRequested(io);
  try {
    let realm: string;
    let smbAuth: Pick<SmbServerOptions, 'keytab' | 'iakerb'>;
    const kdcListeners: KdcListener[] = [];
    if (config.kdc.mode === 'embedded') {
      if (await ensureLocalKdc(dir, config.host, str(p, 'realm')))
        log.info({ state: dir }, 'Local KDC realm created');
      const db = await KdcDatabase.open(dir);
      cleanups.push(() => db.close());
      realm = db.realm;
      const auditPath = config.log.kdcAudit === 'none' ? undefined : inState(dir, config.log.kdcAudit);
      const audit = auditPath === undefined ? undefined : fileAuditSink(auditPath);
      if (audit !== undefined) cleanups.push(() => audit.close());
      const kdc = createKdc({
        realm,
        store: db,
        ...(audit === undefined ? {} : { audit }),
        onInternalError: (e) => log.error({ err: e }, 'KDC internal error'),
      });
      // Registered before opening: when a later listener fails, the ones already open close too.
      cleanups.push(() => Promise.all(kdcListeners.map((l) => l.close())));
      for (const spec of [`unix:${statePaths(dir).socket}`, ...config.kdc.listen]) {
        try {
          kdcListeners.push(await openKdcListener(kdc, spec));
        } catch (e) {
          throw networkError(e, `KDC listener ${spec}`);
        }
      }
      smbAuth = {
        keytab: db.exportKeytab([`cifs/${config.host}`]),
        iakerb: { realm, kdc: engineTransport(kdc) },
      };
    } else {
      realm = config.kdc.realm;
      const kdcs = config.kdc.kdcs.map((spec) => {
        const r = parseKdcAddress(spec);
        if (!r.ok) throw usageError(`configuration: kdc.kdcs: ${JSON.stringify(spec)}: ${r.reason}`);
        return { address: r.address, source: 'config' as const };
      });
      const keytab = await loadKeytab(config.kdc.keytab).catch((e: unknown) => {
        throw usageError(`configuration: kdc.keytab: ${(e as Error).message}`);
      });
      smbAuth = { keytab, iakerb: { realm, kdc: networkTransport({ kdcs: { [realm]: kdcs } }) } };
    }

    const ntlmPath = inState(dir, config.log.ntlmAudit);
    const server = createSmbServer({
      ...smbAuth,
      encryptAll: config.encryptAll,
      shares: config.shares.map((s) => ({
        name: s.name,
        path: s.path,
        readOnly: s.readOnly,
        encrypt: s.encrypt,
        remark: s.remark,
        ...(s.allow.length === 0
          ? {}
          : { allow: s.allow.map((u) => (u.includes('@') ? u : `${u}@${realm}`)) }),
      })),
      onNtlmAttempt: (attempt) => {
        log.warn(toRecord(attempt), 'NTLM refused');
        appendNtlmAudit(ntlmPath, attempt).catch((e: unknown) =>
          log.error({ err: e }, 'cannot write the NTLM audit'),
        );
      },
    });
    cleanups.push(() => server.close());
    const want = checkHostPort(config.listen, 'server.listen');
    let bound: { host: string; port: number };
    try {
      bound = await server.listen(want);
    } catch (e) {
      throw networkError(e, `SMB listener ${config.listen}`);
    }
    const kdcWhere = kdcEndpoints(kdcListeners);
    if (config.kdc.mode === 'embedded') {
      await writeRuntime(dir, kdcWhere);
      cleanups.push(() => removeRuntime(dir));
    }
    const runtime = serverPaths(dir).runtime;
    await writeFile(
      runtime,
      `${JSON.stringify({ pid: process.pid, smb: `${bound.host}:${bound.port}`, kdc: kdcWhere, realm, host: config.host })}\n`,
      { mode: 0o600 },
    );
    cleanups.push(() => rm(runtime, { force: true }));

    const info: ServingInfo = {
      stateDir: dir,
      realm,
      host: config.host,
      address: bound.host,
      port: bound.port,
      shares: config.shares,
      kdcListeners: kdcWhere,
      embedded: config.kdc.mode === 'embedded',
    };
    if (flag(p, 'json')) io.stdout(`${JSON.stringify({ event: 'ready', ...info })}\n`);
    else io.stdout(connectHelp(info));
    log.info({ smb: `${bound.host}:${bound.port}`, realm, kdc: kdcWhere }, 'serving');
    const reason = await stop.promise;
    log.info({ reason }, 'stopping');
    return ExitCode.OK;
  } finally {
    stop.dispose();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/** The running server's runtime file, if a server is running from `stateDir`. */
export async function readServerRuntime(
  stateDir: string,
): Promise<{ pid: number; smb: string; kdc: string[]; realm: string; host: string } | undefined> {
  try {
    const r = JSON.parse(await readFile(serverPaths(stateDir).runtime, 'utf8'));
    process.kill(r.pid, 0);
    return r;
  } catch {
    return undefined;
  }
}
