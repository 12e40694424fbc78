import { rmSync } from 'node:fs';

/**
 * Best-effort cleanup of peers that are still running when the test process goes away
 * without calling `stop()` (a crash, process.exit, SIGINT/SIGTERM). Runs synchronously:
 * kills the peer's process group and removes its directory. (A SIGKILLed test process
 * runs no handler at all; for that case the scripts start a watchdog that notices the
 * owner is gone — see INTEROP_OWNER_PID in mit-kdc.sh / samba.sh.)
 */
export interface LivePeer {
  readonly description: string;
  /** pid of the daemon, which leads its own process group (started with setsid) */
  readonly pid: number;
  /** directory to remove, or undefined to keep it */
  readonly dir: string | undefined;
}

const live = new Set<LivePeer>();
let installed = false;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killSync(peer: LivePeer): void {
  for (const target of [-peer.pid, peer.pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (peer.dir !== undefined) {
    try {
      rmSync(peer.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

function killAll(): void {
  for (const peer of live) killSync(peer);
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Let the default action (terminate) happen now that our handler is gone.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  // Only when nobody else handles the signal: installing a handler replaces the default
  // "terminate" action, and another handler (a test runner's) will exit the process
  // anyway, which runs the 'exit' hook above.
  for (const s of SIGNALS) if (process.listenerCount(s) === 0) process.once(s, onSignal);
}

export function registerLivePeer(peer: LivePeer): void {
  install();
  live.add(peer);
}

export function unregisterLivePeer(peer: LivePeer): void {
  live.delete(peer);
}
