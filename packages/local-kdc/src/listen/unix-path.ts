/** Taking over a Unix socket path safely. */
import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';

/**
 * Removes `path` if it is a socket nobody answers on (left by a crashed KDC). A live
 * socket is `EADDRINUSE`; anything that is not a socket is left alone (`EEXIST`).
 */
export async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch {
    return; // absent
  }
  if (!isSocket) throw Object.assign(new Error(`${path} exists and is not a socket`), { code: 'EEXIST' });
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw Object.assign(new Error(`a server is listening on ${path}`), { code: 'EADDRINUSE' });
  await unlink(path);
}
