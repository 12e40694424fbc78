/**
 * The races of read-modify-replace next to a writer that appends in place (MIT's
 * fcc_store): a write between our read and our check makes us start over; a write between
 * our check and our rename (into the file we are replacing) is carried into the new file.
 */
import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCcache } from '@postntlm/krb5-messages';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileCredentialCache } from '../../src/credentials/cache.js';
import { toCcacheCredential } from '../../src/credentials/ccache.js';
import { StoreConflictError } from '../../src/credentials/errors.js';
import { updateStoreFile } from '../../src/credentials/file-io.js';
import { FileKeytab } from '../../src/credentials/keytab.js';
import { ALICE, CIFS, credential, keytabEntry, TGT_SERVER, useTempDirs } from './helpers.js';

const beforeRename = vi.hoisted(() => ({ hook: undefined as (() => void) | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      const hook = beforeRename.hook;
      beforeRename.hook = undefined;
      hook?.();
      return real.rename(from, to);
    },
  };
});

const tmp = useTempDirs();
afterEach(() => {
  beforeRename.hook = undefined;
});

const text = (s: string) => new TextEncoder().encode(s);
const host = (h: string) => ({ realm: 'EXAMPLE.TEST', name: { nameType: 3, nameString: ['host', h] } });

describe('updateStoreFile', () => {
  it('starts over when the file changes between our read and our rename', async () => {
    const path = join(await tmp(), 'f');
    await writeFile(path, 'a');
    let calls = 0;
    const result = await updateStoreFile(path, {
      store: 'ccache',
      storeName: `FILE:${path}`,
      apply: (current) => {
        calls++;
        if (calls === 1) appendFileSync(path, 'b'); // another writer, after our read
        return { write: text(`${new TextDecoder().decode(current)}X`), result: calls };
      },
      merge: () => undefined,
    });
    expect(result).toBe(2);
    expect(await readFile(path, 'utf8')).toBe('abX');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(path, '..'))).toEqual(['f']);
  });

  it('gives up with StoreConflictError when the file never holds still', async () => {
    const path = join(await tmp(), 'f');
    await writeFile(path, 'a');
    const e = await updateStoreFile(path, {
      store: 'keytab',
      storeName: `FILE:${path}`,
      attempts: 3,
      apply: () => {
        appendFileSync(path, 'b');
        return { write: text('mine'), result: undefined };
      },
      merge: () => undefined,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreConflictError);
    expect(await readFile(path, 'utf8')).toBe('abbb');
    expect(await readdir(join(path, '..'))).toEqual(['f']);
  });

  it('a credential appended to the replaced file after our check is carried over', async () => {
    const path = join(await tmp(), 'cc');
    const cache = new FileCredentialCache(path);
    await cache.initialize(ALICE, { credentials: [credential(TGT_SERVER)] });
    const header = writeCcache({ version: 4, defaultPrincipal: ALICE, credentials: [] }).length;
    const late = toCcacheCredential(credential(host('late'), { marker: 7 }));
    const lateBytes = writeCcache({ version: 4, defaultPrincipal: ALICE, credentials: [late] }).subarray(
      header,
    );
    // An MIT process that opened the file before our rename appends after our check.
    const fd = openSync(path, 'a');
    beforeRename.hook = () => {
      writeSync(fd, lateBytes);
      closeSync(fd);
    };
    await cache.store(credential(CIFS, { marker: 2 }));
    expect((await cache.list()).map((c) => c.server.name.nameString.join('/')).sort()).toEqual([
      'cifs/fs.example.test',
      'host/late',
      'krbtgt/EXAMPLE.TEST',
    ]);
  });

  it('a keytab entry added to the replaced file after our check is carried over', async () => {
    const path = join(await tmp(), 'kt');
    const kt = new FileKeytab(path);
    await kt.add(keytabEntry('a@R', 1, 18, 1));
    const other = new FileKeytab(join(path, '..', 'other'));
    await other.add([keytabEntry('a@R', 1, 18, 1), keytabEntry('late@R', 3, 17, 3)]);
    const full = new Uint8Array(await readFile(other.path));
    const mine = new Uint8Array(await readFile(path));
    const fd = openSync(path, 'a');
    beforeRename.hook = () => {
      writeSync(fd, full.subarray(mine.length)); // the extra record, appended as MIT's ktutil would
      closeSync(fd);
    };
    await kt.add(keytabEntry('b@R', 2, 18, 2));
    expect((await kt.list()).map((e) => `${e.principal.name.nameString[0]}:${e.kvno}`).sort()).toEqual([
      'a:1',
      'b:2',
      'late:3',
    ]);
  });
});
