/** Shared watch scenario: a new file in a watched directory is reported; aborting ends the iteration. */
import { expect } from 'vitest';
import type { SmbClient } from '../../src/index.js';

export async function checkWatch(client: SmbClient, share: string): Promise<void> {
  const tree = await client.tree(share);
  await tree.mkdir('watched');
  try {
    const controller = new AbortController();
    const changes = tree.watch('watched', { signal: controller.signal });
    const first = changes.next();
    // The CHANGE_NOTIFY goes out before the CREATE below on the same connection.
    while (client.connection.outstanding === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    await tree.writeFile('watched/new.txt', 'x');
    expect((await first).value).toEqual({ action: 'added', name: 'new.txt' });
    // Other changes of that write (size, times) may follow; after abort the iteration ends.
    const rest = changes.next();
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    let ended = (await rest).done;
    for (let i = 0; i < 10 && ended !== true; i++) ended = (await changes.next()).done;
    expect(ended).toBe(true);
    // The connection goes on.
    expect((await tree.readdir('watched')).map((e) => e.name)).toEqual(['new.txt']);
  } finally {
    await tree.rm('watched', { recursive: true });
  }
}
