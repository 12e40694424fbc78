/**
 * Our KDC for real-peer interop tests, run the way an administrator runs it: the real
 * `lkdc` executable (bin/lkdc.mjs over the built dist/cli.js) as separate processes.
 * `lkdc setup` makes a state directory with a generated realm (`LOCALKDC.<UUID>`),
 * `lkdc principal add` adds the principals, `lkdc serve` runs the KDC on TCP+UDP of one
 * free loopback port, `lkdc keytab export` writes keytabs, and the audit log file
 * (STATE/audit.log, JSON lines) tells which requests the KDC saw. Also: a temp directory
 * for profiles, keytabs and caches, a krb5.conf writer and a runner for MIT / Samba tools.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Daemon,
  describeFailure,
  findFreePort,
  hasExited,
  type RunResult,
  run,
  spawnDaemon,
} from '@postntlm/interop';
import type { AuditEvent } from '../../src/index.js';

/** packages/local-kdc */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The committed `lkdc` executable (the `bin` of the package). */
export const LKDC_BIN = join(PACKAGE_DIR, 'bin', 'lkdc.mjs');
/** The program it loads: built by tsup. */
export const LKDC_DIST = join(PACKAGE_DIR, 'dist', 'cli.js');

/** Exit code of `lkdc serve` when a listener cannot be opened (port taken). */
const EXIT_NETWORK = 7;

/**
 * Rejects with a clear error when the CLI has not been built (these tests run the real
 * executable). Waits up to `graceMs` first: a rebuild (tsup cleans dist/) may be under way.
 */
export async function requireLkdcBuild(graceMs = 15_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (!existsSync(LKDC_DIST)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${LKDC_DIST} is missing: these tests run the real lkdc executable; build it first with ` +
          '`pnpm -F @postntlm/local-kdc build` (from the repository root)',
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Whether a run of the executable died loading its own or a workspace dependency's dist/
 * (a concurrent rebuild removed it while node was importing it): the command itself never
 * ran, so it is safe to run it again.
 */
function failedToLoad(code: number | string | null, stdout: string, stderr: string): boolean {
  return (
    code === 1 &&
    stdout === '' &&
    /lkdc: not built yet|ERR_MODULE_NOT_FOUND|Cannot find (module|package)|ENOENT[^\n]*\/dist\//.test(stderr)
  );
}

/** Attempts at running the executable while dist/ is being rebuilt (1 s apart). */
const LOAD_ATTEMPTS = 15;

/** Runs `node bin/lkdc.mjs ARGS` (clean environment, stdin `input`); resolves whatever the exit code. */
export async function lkdc(args: readonly string[], input?: string): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    await requireLkdcBuild();
    const r = await run(process.execPath, [LKDC_BIN, ...args], {
      timeoutMs: 20_000,
      ...(input === undefined ? {} : { input }),
    });
    if (!failedToLoad(r.code, r.stdout, r.stderr) || attempt >= LOAD_ATTEMPTS) return r;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Like {@link lkdc}, but rejects with the command and its output unless it exits 0. */
export async function lkdcOk(args: readonly string[], input?: string): Promise<RunResult> {
  const r = await lkdc(args, input);
  if (r.code !== 0) throw new Error(describeFailure('lkdc', args, r));
  return r;
}

/** Like `Promise.all`, but rejects (with the first failure) only once every promise has settled. */
export async function allSettled<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** The `--json` ready line of `lkdc serve`. */
export interface ServeReady {
  readonly event: 'ready';
  readonly realm: string;
  readonly state: string;
  /** The addresses it really bound, e.g. `tcp:127.0.0.1:41234`. */
  readonly listen: readonly string[];
}

/** A running `lkdc serve --json`. */
export interface LkdcServe {
  readonly daemon: Daemon;
  readonly ready: ServeReady;
}

/**
 * Starts `lkdc serve --state STATE --json ...extra` and resolves once it printed its ready
 * line; rejects (after killing it) if it exits first or is not ready within `timeoutMs`.
 */
export async function startServe(
  state: string,
  extra: readonly string[] = [],
  timeoutMs = 15_000,
): Promise<LkdcServe> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServeOnce(state, extra, timeoutMs);
    } catch (e) {
      const { exitCode, stdout, stderr } = e as {
        exitCode?: number | string;
        stdout?: string;
        stderr?: string;
      };
      if (!failedToLoad(exitCode ?? null, stdout ?? '', stderr ?? '') || attempt >= LOAD_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function startServeOnce(
  state: string,
  extra: readonly string[],
  timeoutMs: number,
): Promise<LkdcServe> {
  await requireLkdcBuild();
  const daemon = spawnDaemon(process.execPath, [LKDC_BIN, 'serve', '--state', state, '--json', ...extra], {});
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = daemon
      .stdout()
      .split('\n')
      .find((l) => l.includes('"event":"ready"'));
    if (line !== undefined) return { daemon, ready: JSON.parse(line) as ServeReady };
    const ended = hasExited(daemon);
    if (ended || Date.now() > deadline) {
      await daemon.stop();
      const code = await daemon.exited;
      throw Object.assign(
        new Error(
          `lkdc serve ${ended ? `exited (${code})` : `was not ready after ${timeoutMs} ms`} before its ready line\n` +
            `stdout: ${daemon.stdout()}\nstderr: ${daemon.stderr()}`,
        ),
        { exitCode: code, stdout: daemon.stdout(), stderr: daemon.stderr() },
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The complete lines of a JSON-lines audit log, parsed (a missing file is an empty log). */
export async function readAuditLog(file: string): Promise<AuditEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as AuditEvent;
      } catch (e) {
        throw new Error(`${file} line ${i + 1} is not JSON: ${l}`, { cause: e });
      }
    });
}

/**
 * The audit log once it holds at least `atLeast` events and has not grown for 100 ms (the
 * KDC appends a request's line asynchronously, around the time it sends the reply); after
 * `timeoutMs` whatever it holds (the caller's assertion then shows what is missing).
 */
export async function settledAuditLog(file: string, atLeast = 0, timeoutMs = 3000): Promise<AuditEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let events = await readAuditLog(file);
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await readAuditLog(file);
    if ((next.length >= atLeast && next.length === events.length) || Date.now() > deadline) return next;
    events = next;
  }
}

/** How a principal gets its keys and settings from `lkdc principal add`. */
export interface PrincipalSpec {
  /** Keys from this password (`--password-stdin`); otherwise random keys (`--random-key`). */
  readonly password?: string;
  /** `--no-auth-data-required`: tickets without a PAC (a standalone smbd wants that). */
  readonly noAuthDataRequired?: boolean;
}

export interface OurKdc {
  readonly realm: string;
  /** TCP and UDP port on 127.0.0.1 (`lkdc serve --listen tcp:… --listen udp:…`). */
  readonly port: number;
  /** Temp directory for the state, profiles, keytabs, caches, traces; removed by `stop()`. */
  readonly dir: string;
  /** The lkdc state directory (`lkdc setup --state`). */
  readonly state: string;
  /** The audit log `lkdc serve` appends to. */
  readonly auditLog: string;
  /** The running `lkdc serve`. */
  readonly serve: LkdcServe;
  /** Every audit event so far (waits for at least `atLeast` and for the log to settle). */
  events(atLeast?: number): Promise<AuditEvent[]>;
  /** `lkdc ARGS --state STATE`, failing unless it exits 0. */
  lkdc(args: readonly string[], input?: string): Promise<RunResult>;
  /** Writes DIR/NAME.conf: default realm ours, its only KDC `kdc` (default our listener). */
  profile(name: string, kdc?: string): Promise<string>;
  /** SIGTERM to `lkdc serve`, then removes the directory; resolves with serve's exit code. Idempotent. */
  stop(): Promise<number | string>;
}

/** How {@link startOurKdc} runs `lkdc serve`. */
export interface OurKdcOptions {
  /** `lkdc serve --pac`: an MS-PAC in every ticket (but for `noAuthDataRequired` services). */
  readonly pac?: boolean;
}

/**
 * Starts our KDC: `lkdc setup` (realm generated, services host/HOST and cifs/HOST), then
 * `lkdc principal add` for each of `principals`, then `lkdc serve` on one free port.
 */
export async function startOurKdc(
  principals: Readonly<Record<string, PrincipalSpec>>,
  prefix = 'local-kdc-interop-',
  host = 'kdc.test',
  options: OurKdcOptions = {},
): Promise<OurKdc> {
  await requireLkdcBuild();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const state = join(dir, 'state');
  const auditLog = join(state, 'audit.log');
  let served: { serve: LkdcServe; port: number } | undefined;
  try {
    const setup = await lkdcOk([
      'setup',
      '--state',
      state,
      '--host',
      host,
      '--listen',
      'tcp:127.0.0.1:0',
      '--listen',
      'udp:127.0.0.1:0',
      '--audit',
      auditLog,
      '--json',
    ]);
    const realm = (JSON.parse(setup.stdout) as { realm: string }).realm;
    // Separate processes on one database at once (LMDB serialises the writers).
    const added = Object.entries(principals).map(([name, spec]) =>
      lkdcOk(
        [
          'principal',
          'add',
          name,
          spec.password === undefined ? '--random-key' : '--password-stdin',
          ...(spec.noAuthDataRequired === true ? ['--no-auth-data-required'] : []),
          '--state',
          state,
        ],
        spec.password === undefined ? undefined : `${spec.password}\n`,
      ),
    );
    await allSettled(added);
    served = await serveOnOnePort(state, options.pac === true ? ['--pac'] : []);
    const { serve, port } = served;
    let stopping: Promise<number | string> | undefined;
    return {
      realm,
      port,
      dir,
      state,
      auditLog,
      serve,
      events: (atLeast = 0) => settledAuditLog(auditLog, atLeast),
      lkdc: (args, input) => lkdcOk([...args, '--state', state], input),
      async profile(name, kdcAddress = `127.0.0.1:${port}`) {
        const path = join(dir, `${name}.conf`);
        await writeFile(path, krb5Conf(realm, kdcAddress));
        return path;
      },
      stop() {
        stopping ??= (async () => {
          try {
            await serve.daemon.stop();
            return await serve.daemon.exited;
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        })();
        return stopping;
      },
    };
  } catch (e) {
    await served?.serve.daemon.stop();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** `lkdc serve` with TCP and UDP on the same free port, so `kdc = 127.0.0.1:PORT` reaches both. */
async function serveOnOnePort(
  state: string,
  extra: readonly string[],
): Promise<{ serve: LkdcServe; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    try {
      const serve = await startServe(state, [
        '--listen',
        `tcp:127.0.0.1:${port}`,
        '--listen',
        `udp:127.0.0.1:${port}`,
        ...extra,
      ]);
      return { serve, port };
    } catch (e) {
      // Another process took the port between the probe and the bind: try another one.
      if ((e as { exitCode?: unknown }).exitCode !== EXIT_NETWORK || attempt >= 5) throw e;
    }
  }
}

/** A krb5.conf (MIT and Heimdal syntax) whose default realm is `realm`, served only by `kdc`. */
export function krb5Conf(realm: string, kdc: string): string {
  return [
    '[libdefaults]',
    `  default_realm = ${realm}`,
    '  dns_lookup_kdc = false',
    '  dns_lookup_realm = false',
    '  rdns = false',
    '  dns_canonicalize_hostname = false',
    '[realms]',
    `  ${realm} = {`,
    `    kdc = ${kdc}`,
    '  }',
    '[domain_realm]',
    `  localhost = ${realm}`,
    `  .mit.test = ${realm}`,
    '',
  ].join('\n');
}

/**
 * Writes the keys of `principals` (names in `kdc`'s realm) into the keytab `file` with
 * `lkdc keytab export --out FILE PRINCIPAL...` (every kept kvno, mode 0600).
 */
export async function exportKeytab(
  kdc: OurKdc,
  principals: readonly string[],
  file: string,
): Promise<string> {
  await kdc.lkdc(['keytab', 'export', '--out', file, ...principals]);
  return file;
}

/** Environment for a Kerberos tool: this profile, this cache, replay caches in `dir`, a trace file. */
export function krbEnv(
  kdc: Pick<OurKdc, 'dir'>,
  conf: string,
  ccache: string,
  trace?: string,
): Record<string, string> {
  return {
    KRB5_CONFIG: conf,
    KRB5CCNAME: `FILE:${ccache}`,
    KRB5RCACHEDIR: kdc.dir,
    ...(trace === undefined ? {} : { KRB5_TRACE: trace }),
  };
}

/** Runs a tool (no shell) with `env` on top of the harness's clean base environment. */
export function tool(
  cmd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  input?: string,
): Promise<RunResult> {
  return run(cmd, args, { env, timeoutMs: 20_000, ...(input === undefined ? {} : { input }) });
}

export const show = (r: RunResult): string =>
  `exit ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** `event_name kdc_status transport client -> server` lines, for assertions and failure messages. */
export function eventSummary(events: readonly AuditEvent[]): string[] {
  const name = (p: AuditEvent['req.client']) =>
    p === undefined ? '?' : `${p.components.join('/')}@${p.realm}`;
  return events.map(
    (e) =>
      `${e.event_name} ${e.kdc_status} ${e.transport} ${name(e['req.client'])} -> ${name(e['req.server'])}`,
  );
}
