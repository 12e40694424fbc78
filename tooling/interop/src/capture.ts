/**
 * A live loopback capture with tshark (needs root or capture rights; CI runs as root), for
 * tests that compare what crossed the wire with what a program reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { requireCommand } from './process.js';

export interface LoopbackCapture {
  /** Lets the last packets reach the file, then stops tshark. */
  stop(): Promise<void>;
}

/** Starts tshark writing `file` for TCP port `port` on lo; resolves once packets reach the file. */
export async function startLoopbackCapture(file: string, port: number): Promise<LoopbackCapture> {
  const p: ChildProcess = spawn(
    requireCommand('tshark'),
    ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${err}`)), 15_000);
    p.stderr?.on('data', (d: Buffer) => {
      err += d;
      if (err.includes('Capturing on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    p.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}): ${err}`));
    });
  });
  // "Capturing on" comes before dumpcap has even created the file (on a loaded machine the
  // first exchange was missed): probe with TCP connections until the capture file has grown.
  const size = () =>
    stat(file).then(
      (st) => st.size,
      () => -1,
    );
  let first = -1;
  for (let i = 0; i < 200; i++) {
    const now = await size();
    if (first < 0) first = now;
    else if (now > first) break;
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.end());
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 500));
      if (p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGINT');
      await exited;
    },
  };
}
