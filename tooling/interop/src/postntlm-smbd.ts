/**
 * The reference server app, `postntlm-smbd serve`, as a throw-away peer for tests: a child
 * process on free loopback ports (SMB, and the embedded Local KDC on UDP+TCP) serving a
 * fresh temp directory. The caller passes the app's bin (apps/smb-server/bin/postntlm-smbd.mjs),
 * so this harness does not depend on the app package.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Daemon, spawnDaemon } from './daemon.js';
import { findFreePort } from './ports.js';
import { run } from './process.js';

export interface RunningServer {
  /** The temp directory holding everything (state, share, test files). */
  readonly dir: string;
  readonly state: string;
  readonly shareDir: string;
  readonly port: number;
  readonly kdcPort: number;
  readonly ready: { realm: string; host: string };
  readonly daemon: Daemon;
  /** Runs another `postntlm-smbd` command against this state directory. */
  cli(
    args: readonly string[],
    input?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startPostntlmSmbd(bin: string, host = 'files.test'): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'postntlm-smbd-test-'));
  const state = join(dir, 'state');
  const shareDir = join(dir, 'files');
  await mkdir(shareDir);
  const port = await findFreePort();
  const kdcPort = await findFreePort();
  const daemon = spawnDaemon(
    process.execPath,
    [
      bin,
      'serve',
      shareDir,
      '--state',
      state,
      '--host',
      host,
      '--listen',
      `127.0.0.1:${port}`,
      '--kdc-listen',
      `udp:127.0.0.1:${kdcPort}`,
      '--kdc-listen',
      `tcp:127.0.0.1:${kdcPort}`,
      '--json',
    ],
    {},
  );
  const deadline = Date.now() + 30_000;
  let ready: { realm: string; host: string } | undefined;
  while (ready === undefined) {
    const line = daemon
      .stdout()
      .split('\n')
      .find((l) => l.includes('"event":"ready"'));
    if (line !== undefined) ready = JSON.parse(line);
    else if (Date.now() > deadline || daemon.child.exitCode !== null) {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`postntlm-smbd serve did not start: ${daemon.stderr()}`);
    } else await new Promise((r) => setTimeout(r, 100));
  }
  const cli = (args: readonly string[], input?: string) =>
    run(process.execPath, [bin, ...args, '--state', state], {
      ...(input === undefined ? {} : { input }),
      timeoutMs: 30_000,
    });
  return {
    dir,
    state,
    shareDir,
    port,
    kdcPort,
    ready: ready as { realm: string; host: string },
    daemon,
    cli,
    async close() {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
