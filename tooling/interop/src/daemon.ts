import { type ChildProcess, spawn } from 'node:child_process';
import { type LivePeer, registerLivePeer, unregisterLivePeer } from './cleanup.js';
import { LOOPBACK } from './ports.js';
import { baseEnv, requireCommand, run } from './process.js';

/**
 * A long-running program a test starts (a KDC, gss-server, gss-client...): its own process
 * group, output collected, stopped by `stop()` — or by the interop cleanup if the test
 * process goes away first.
 */
export interface Daemon {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM to its process group, SIGKILL after 2 s. Idempotent. */
  stop(): Promise<void>;
}

/** Whether the process has ended (exit code or signal known). */
export const hasExited = (daemon: Pick<Daemon, 'child'>): boolean =>
  daemon.child.exitCode !== null || daemon.child.signalCode !== null;

/**
 * Spawns `cmd` (looked up on PATH and /usr/sbin) in a new process group, stdin closed,
 * with the harness's clean base environment plus `env`; registered with the interop
 * cleanup until it exits.
 */
export function spawnDaemon(
  cmd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Daemon {
  const child = spawn(requireCommand(cmd), args, {
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (e) => resolve(`error: ${e.message}`));
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  // Killed (its process group) if the test process exits or gets SIGINT/SIGTERM/SIGHUP before stop().
  if (child.pid !== undefined) {
    const live: LivePeer = { description: `${cmd} ${args.join(' ')}`, pid: child.pid, dir: undefined };
    registerLivePeer(live);
    void exited.then(() => unregisterLivePeer(live));
  }
  const kill = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    for (const target of [-child.pid, child.pid]) {
      try {
        process.kill(target, signal);
        return;
      } catch {
        // not there
      }
    }
  };
  let stopping: Promise<void> | undefined;
  const daemon: Daemon = {
    child,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    exited,
    stop() {
      stopping ??= (async () => {
        if (hasExited(daemon)) return;
        kill('SIGTERM');
        const timer = setTimeout(() => kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  return daemon;
}

/** Resolves with the exit code (or signal name), or with `timeout` after `ms`; does not stop it. */
export function exitWithin(daemon: Pick<Daemon, 'exited'>, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    daemon.exited,
    new Promise<string>((r) => {
      timer = setTimeout(() => r('timeout'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Resolves once something listens on TCP 127.0.0.1:`port`, asked of `ss` (iproute2) every
 * 50 ms: no connection is made (gss-server -once would take a probe as its one client).
 * Rejects when `daemon` exits first (with its output) or after `timeoutMs`.
 */
export async function waitForListen(port: number, daemon: Daemon, timeoutMs = 10_000): Promise<void> {
  const ss = requireCommand('ss', 'ss (iproute2)');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run(ss, ['-H', '-lnt', `sport = :${port}`]);
    if (r.stdout.trim() !== '') return;
    if (hasExited(daemon)) {
      throw new Error(
        `the process exited (${daemon.child.exitCode ?? daemon.child.signalCode}) before listening on ${port}\n${daemon.stdout()}${daemon.stderr()}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`nothing listens on ${LOOPBACK}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
