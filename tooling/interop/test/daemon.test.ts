import { describe, expect, it } from 'vitest';
import { exitWithin, findFreePort, hasExited, spawnDaemon, waitForListen } from '../src/index.js';

/** A node program listening on 127.0.0.1:PORT until killed (ignores SIGTERM when told). */
const listener = (port: number, ignoreTerm = false): string =>
  `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}` +
  `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'));`;

describe('spawnDaemon / waitForListen / exitWithin', () => {
  it('waits for the listen without connecting, then stops the process group with SIGTERM', async () => {
    const port = await findFreePort();
    const d = spawnDaemon(process.execPath, ['-e', listener(port)], {});
    try {
      await waitForListen(port, d);
      // The socket can be listening before the child's 'up' has come through its stdout pipe.
      for (let i = 0; i < 100 && d.stdout() === ''; i++) await new Promise((r) => setTimeout(r, 20));
      expect(d.stdout()).toBe('up\n');
      expect(await exitWithin(d, 100)).toBe('timeout');
    } finally {
      await d.stop();
    }
    expect(await d.exited).toBe('SIGTERM');
    expect(hasExited(d)).toBe(true);
    await d.stop(); // idempotent
  });

  it('SIGKILL after 2 s when SIGTERM is ignored', async () => {
    const port = await findFreePort();
    const d = spawnDaemon(process.execPath, ['-e', listener(port, true)], {});
    await waitForListen(port, d);
    await d.stop();
    expect(await d.exited).toBe('SIGKILL');
  });

  it('waitForListen rejects with the output when the process exits first', async () => {
    const port = await findFreePort();
    const d = spawnDaemon(process.execPath, ['-e', "console.error('no listener'); process.exit(3)"], {});
    await expect(waitForListen(port, d)).rejects.toThrow(/exited \(3\) before listening.*\n.*no listener/);
    expect(await exitWithin(d, 1000)).toBe(3);
  });
});
