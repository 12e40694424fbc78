/** The file service of LocalDirectoryBackend: CREATE, I/O, share modes, delete, rename, info. */
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessMask,
  CreateAction,
  CreateDisposition,
  CreateOptions,
  FileAttributes,
  FileSystemAttributes,
  NtStatus,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CreateRequest,
  FILETIME_UNIX_EPOCH,
  LocalDirectoryBackend,
  type OpenHandle,
  SmbStatusError,
} from '../src/backend/index.js';

const { GENERIC_READ, GENERIC_WRITE, DELETE, FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES } = AccessMask;
const RW = GENERIC_READ | GENERIC_WRITE;
const SHARE_ALL = ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE;
const D = CreateDisposition;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fixture() {
  const base = realpathSync(await mkdtemp(join(tmpdir(), 'smb2-backend-files-')));
  const root = join(base, 'share');
  await mkdir(root);
  const b = await LocalDirectoryBackend.open(root);
  cleanups.push(async () => {
    await b.dispose();
    await rm(base, { recursive: true, force: true });
  });
  const create = (path: string, extra: Partial<CreateRequest> = {}) =>
    b.create({ path, desiredAccess: RW, shareAccess: SHARE_ALL, disposition: D.OPEN_IF, ...extra });
  return { root, b, create };
}

async function expectStatus(p: Promise<unknown>, status: number): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(SmbStatusError);
  await expect(p).rejects.toMatchObject({ status });
}
const text = (u: Uint8Array) => Buffer.from(u).toString();

describe('CREATE dispositions × existing / not existing', () => {
  // [disposition, existing → action | status, missing → action | status]
  const table: [string, number, number | 'err', number | 'err', number, number][] = [
    ['SUPERSEDE', D.SUPERSEDE, CreateAction.SUPERSEDED, CreateAction.CREATED, 0, 0],
    ['OPEN', D.OPEN, CreateAction.OPENED, 'err', 5, NtStatus.OBJECT_NAME_NOT_FOUND],
    ['CREATE', D.CREATE, 'err', CreateAction.CREATED, NtStatus.OBJECT_NAME_COLLISION, 0],
    ['OPEN_IF', D.OPEN_IF, CreateAction.OPENED, CreateAction.CREATED, 5, 0],
    ['OVERWRITE', D.OVERWRITE, CreateAction.OVERWRITTEN, 'err', 0, NtStatus.OBJECT_NAME_NOT_FOUND],
    ['OVERWRITE_IF', D.OVERWRITE_IF, CreateAction.OVERWRITTEN, CreateAction.CREATED, 0, 0],
  ];
  it.each(table)('%s', async (_name, disposition, onExisting, onMissing, sizeOrStatus, missingStatus) => {
    const { root, create, b } = await fixture();
    await writeFile(join(root, 'f.txt'), 'hello');
    if (onExisting === 'err') {
      await expectStatus(create('f.txt', { disposition }), sizeOrStatus);
    } else {
      const r = await create('f.txt', { disposition });
      expect(r.action).toBe(onExisting);
      expect(r.info.endOfFile).toBe(BigInt(sizeOrStatus));
      await b.close(r.handle);
    }
    if (onMissing === 'err') {
      await expectStatus(create('g.txt', { disposition }), missingStatus);
      expect(existsSync(join(root, 'g.txt'))).toBe(false);
    } else {
      const r = await create('g.txt', { disposition });
      expect(r.action).toBe(onMissing);
      expect(existsSync(join(root, 'g.txt'))).toBe(true);
      await b.close(r.handle);
    }
    expect(b.openHandleCount).toBe(0);
  });

  it('options: DIRECTORY_FILE creates and opens directories only, NON_DIRECTORY_FILE files only', async () => {
    const { root, create, b } = await fixture();
    const d = await create('d', { disposition: D.CREATE, options: CreateOptions.DIRECTORY_FILE });
    expect(d.action).toBe(CreateAction.CREATED);
    expect(d.info.isDirectory).toBe(true);
    expect(d.info.attributes & FileAttributes.DIRECTORY).toBeTruthy();
    expect((await stat(join(root, 'd'))).isDirectory()).toBe(true);
    await b.close(d.handle);
    await writeFile(join(root, 'f'), '');
    await expectStatus(create('f', { options: CreateOptions.DIRECTORY_FILE }), NtStatus.NOT_A_DIRECTORY);
    await expectStatus(
      create('d', { options: CreateOptions.NON_DIRECTORY_FILE }),
      NtStatus.FILE_IS_A_DIRECTORY,
    );
    await expectStatus(
      create('x', { options: CreateOptions.DIRECTORY_FILE | CreateOptions.NON_DIRECTORY_FILE }),
      NtStatus.INVALID_PARAMETER,
    );
    await expectStatus(
      create('d', { disposition: D.OVERWRITE_IF, options: CreateOptions.DIRECTORY_FILE }),
      NtStatus.INVALID_PARAMETER,
    );
    await expectStatus(create('d', { disposition: D.OVERWRITE }), NtStatus.INVALID_PARAMETER);
    await expectStatus(create('d', { disposition: D.CREATE }), NtStatus.OBJECT_NAME_COLLISION);
    await expectStatus(create('missing\\f'), NtStatus.OBJECT_PATH_NOT_FOUND);
    await expectStatus(create('f\\g'), NtStatus.OBJECT_PATH_NOT_FOUND);
    await expectStatus(create('', { disposition: D.CREATE }), NtStatus.OBJECT_NAME_COLLISION);
    await expectStatus(
      create('', { options: CreateOptions.NON_DIRECTORY_FILE }),
      NtStatus.FILE_IS_A_DIRECTORY,
    );
    const r = await create('', { desiredAccess: GENERIC_READ });
    expect(r.handle.isDirectory).toBe(true);
    expect(r.handle.path).toBe('');
  });

  it('access: GENERIC mapping, read-only files refuse write access', async () => {
    const { root, create, b } = await fixture();
    const r = await create('f', { desiredAccess: GENERIC_READ, disposition: D.CREATE });
    expect(r.handle.grantedAccess & AccessMask.FILE_READ_DATA).toBeTruthy();
    expect(r.handle.grantedAccess & AccessMask.FILE_WRITE_DATA).toBe(0);
    await expectStatus(b.write(r.handle, 0n, Buffer.from('x')), NtStatus.ACCESS_DENIED);
    await b.close(r.handle);
    await chmod(join(root, 'f'), 0o444);
    await expectStatus(create('f', { desiredAccess: GENERIC_WRITE }), NtStatus.ACCESS_DENIED);
    await expectStatus(
      create('f', { desiredAccess: GENERIC_READ, disposition: D.OVERWRITE }),
      NtStatus.ACCESS_DENIED,
    );
    const ro = await create('f', { desiredAccess: GENERIC_READ });
    expect(ro.info.attributes & FileAttributes.READONLY).toBeTruthy();
    await b.close(ro.handle);
    const c = await create('ro-new', { disposition: D.CREATE, attributes: FileAttributes.READONLY });
    await b.write(c.handle, 0n, Buffer.from('still writable through the creating handle'));
    await b.close(c.handle);
    expect((await stat(join(root, 'ro-new'))).mode & 0o222).toBe(0);
  });
});

describe('share modes', () => {
  it('conflicting access or share → STATUS_SHARING_VIOLATION, released by close', async () => {
    const { create, b } = await fixture();
    const h1 = await create('f', { shareAccess: ShareAccess.READ | ShareAccess.WRITE });
    // h1 holds write: a reader that does not share write conflicts.
    await expectStatus(
      create('f', { desiredAccess: GENERIC_READ, shareAccess: ShareAccess.READ }),
      NtStatus.SHARING_VIOLATION,
    );
    const h2 = await create('f', {
      desiredAccess: GENERIC_READ,
      shareAccess: ShareAccess.READ | ShareAccess.WRITE,
    });
    // h1 does not share delete.
    await expectStatus(
      create('f', { desiredAccess: DELETE, shareAccess: SHARE_ALL }),
      NtStatus.SHARING_VIOLATION,
    );
    // Attribute-only opens never conflict.
    const h3 = await create('f', { desiredAccess: FILE_READ_ATTRIBUTES, shareAccess: ShareAccess.NONE });
    await b.close(h1.handle);
    await b.close(h2.handle);
    const h4 = await create('f', { desiredAccess: DELETE | GENERIC_READ, shareAccess: ShareAccess.NONE });
    await expectStatus(
      create('f', { desiredAccess: GENERIC_READ, shareAccess: SHARE_ALL }),
      NtStatus.SHARING_VIOLATION,
    );
    await b.close(h4.handle);
    await b.close(h3.handle);
  });

  it('an exclusive open blocks even a sharing reader; directories too', async () => {
    const { create, b } = await fixture();
    await await create('d', { options: CreateOptions.DIRECTORY_FILE }).then((r) => b.close(r.handle));
    const d1 = await create('d', { desiredAccess: GENERIC_READ, shareAccess: ShareAccess.NONE });
    await expectStatus(create('d', { desiredAccess: GENERIC_READ }), NtStatus.SHARING_VIOLATION);
    await b.close(d1.handle);
  });
});

describe('READ / WRITE / FLUSH', () => {
  it('at offsets, with holes; end of file; directories refuse', async () => {
    const { root, create, b } = await fixture();
    const { handle } = await create('f');
    expect(await b.write(handle, 0n, Buffer.from('hello'))).toBe(5);
    expect(await b.write(handle, 10n, Buffer.from('world'))).toBe(5);
    expect(text(await b.read(handle, 0n, 100))).toBe('hello\0\0\0\0\0world');
    expect(text(await b.read(handle, 3n, 4))).toBe('lo\0\0');
    await expectStatus(b.read(handle, 15n, 1), NtStatus.END_OF_FILE);
    await expectStatus(b.read(handle, 100n, 1), NtStatus.END_OF_FILE);
    expect((await b.read(handle, 100n, 0)).length).toBe(0);
    await expectStatus(b.read(handle, -1n, 1), NtStatus.INVALID_PARAMETER);
    await b.flush(handle);
    expect(await readFile(join(root, 'f'), 'utf8')).toBe('hello\0\0\0\0\0world');
    const d = await create('', { desiredAccess: GENERIC_READ });
    await expectStatus(b.read(d.handle, 0n, 1), NtStatus.INVALID_DEVICE_REQUEST);
    await expectStatus(b.write(d.handle, 0n, Buffer.from('x')), NtStatus.INVALID_DEVICE_REQUEST);
    await b.close(handle);
    await expectStatus(b.read(handle, 0n, 1), NtStatus.FILE_CLOSED);
    await expectStatus(b.close(handle), NtStatus.FILE_CLOSED);
  });
});

describe('byte-range locks', () => {
  it('exclusive and shared locks, conflicts, I/O checks, unlock, release on close', async () => {
    const { create, b } = await fixture();
    const h1 = (await create('f')).handle;
    const h2 = (await create('f')).handle;
    await b.write(h1, 0n, Buffer.alloc(100, 1));
    await b.lock(h1, 0n, 10n, { exclusive: true });
    await expectStatus(b.lock(h2, 5n, 10n, { exclusive: false }), NtStatus.LOCK_NOT_GRANTED);
    await expectStatus(b.lock(h1, 5n, 10n, { exclusive: true }), NtStatus.LOCK_NOT_GRANTED);
    await expectStatus(b.read(h2, 0n, 5), NtStatus.FILE_LOCK_CONFLICT);
    await expectStatus(b.write(h2, 9n, Buffer.from('x')), NtStatus.FILE_LOCK_CONFLICT);
    expect((await b.read(h1, 0n, 5)).length).toBe(5);
    await b.write(h1, 0n, Buffer.from('own'));
    await b.read(h2, 10n, 5); // adjacent, not overlapping
    await b.lock(h2, 10n, 0n, { exclusive: true }); // zero length overlaps nothing
    // Shared locks coexist; writes into a shared range fail for everyone.
    await b.lock(h1, 50n, 10n, { exclusive: false });
    await b.lock(h2, 55n, 10n, { exclusive: false });
    await b.read(h2, 50n, 10);
    await expectStatus(b.write(h1, 52n, Buffer.from('x')), NtStatus.FILE_LOCK_CONFLICT);
    await expectStatus(b.unlock(h2, 0n, 10n), NtStatus.RANGE_NOT_LOCKED);
    await expectStatus(b.unlock(h1, 0n, 9n), NtStatus.RANGE_NOT_LOCKED);
    await b.unlock(h1, 0n, 10n);
    await b.read(h2, 0n, 5);
    await b.lock(h1, 0n, 10n, { exclusive: true });
    await b.close(h1);
    await b.lock(h2, 0n, 10n, { exclusive: true });
    await expectStatus(b.lock(h2, 0xffffffffffffffffn, 2n, { exclusive: true }), 0xc00001a1);
  });

  it('waiting locks are granted on unlock and cancelled by abort', async () => {
    const { create, b } = await fixture();
    const h1 = (await create('f')).handle;
    const h2 = (await create('f')).handle;
    await b.lock(h1, 0n, 10n, { exclusive: true });
    let granted = false;
    const waiting = b.lock(h2, 0n, 1n, { exclusive: true, wait: true }).then(() => {
      granted = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(granted).toBe(false);
    await b.unlock(h1, 0n, 10n);
    await waiting;
    expect(granted).toBe(true);
    const ac = new AbortController();
    const cancelled = b.lock(h1, 0n, 5n, { exclusive: false, wait: true, signal: ac.signal });
    ac.abort();
    await expectStatus(cancelled, NtStatus.CANCELLED);
    const closed = expectStatus(b.lock(h1, 0n, 5n, { exclusive: false, wait: true }), NtStatus.FILE_CLOSED);
    await b.close(h1);
    await closed;
  });
});

describe('delete on close and disposition', () => {
  it('DELETE_ON_CLOSE deletes at the last close; new opens see DELETE_PENDING', async () => {
    const { root, create, b } = await fixture();
    const h1 = await create('f', { desiredAccess: RW | DELETE, options: CreateOptions.DELETE_ON_CLOSE });
    const h2 = await create('f', { desiredAccess: GENERIC_READ });
    await b.close(h1.handle);
    expect(existsSync(join(root, 'f'))).toBe(true);
    await expectStatus(create('f', { desiredAccess: GENERIC_READ }), NtStatus.DELETE_PENDING);
    expect((await b.stat(h2.handle)).deletePending).toBe(true);
    await b.close(h2.handle);
    expect(existsSync(join(root, 'f'))).toBe(false);
  });

  it('DELETE_ON_CLOSE needs DELETE access; read-only files cannot be deleted', async () => {
    const { root, create } = await fixture();
    await expectStatus(create('f', { options: CreateOptions.DELETE_ON_CLOSE }), NtStatus.ACCESS_DENIED);
    await writeFile(join(root, 'ro'), '');
    await chmod(join(root, 'ro'), 0o444);
    await expectStatus(
      create('ro', { desiredAccess: GENERIC_READ | DELETE, options: CreateOptions.DELETE_ON_CLOSE }),
      NtStatus.CANNOT_DELETE,
    );
  });

  it('disposition: set, unset, directories must be empty (rmdir via create options)', async () => {
    const { root, create, b } = await fixture();
    const f = await create('f', { desiredAccess: RW | DELETE });
    await b.setDeleteOnClose(f.handle, true);
    await b.setDeleteOnClose(f.handle, false);
    await b.close(f.handle);
    expect(existsSync(join(root, 'f'))).toBe(true);
    const noDelete = await create('f');
    await expectStatus(b.setDeleteOnClose(noDelete.handle, true), NtStatus.ACCESS_DENIED);
    await b.close(noDelete.handle);

    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd', 'child'), '');
    const d = await create('d', {
      desiredAccess: GENERIC_READ | DELETE,
      options: CreateOptions.DIRECTORY_FILE,
    });
    await expectStatus(b.setDeleteOnClose(d.handle, true), NtStatus.DIRECTORY_NOT_EMPTY);
    await b.close(d.handle);
    await expectStatus(
      create('d', {
        desiredAccess: DELETE,
        options: CreateOptions.DIRECTORY_FILE | CreateOptions.DELETE_ON_CLOSE,
      }),
      NtStatus.DIRECTORY_NOT_EMPTY,
    );
    await rm(join(root, 'd', 'child'));
    const rmdir = await create('d', {
      desiredAccess: DELETE,
      options: CreateOptions.DIRECTORY_FILE | CreateOptions.DELETE_ON_CLOSE,
    });
    await b.close(rmdir.handle);
    expect(existsSync(join(root, 'd'))).toBe(false);
    const rootH = await create('', { desiredAccess: GENERIC_READ | DELETE });
    await expectStatus(b.setDeleteOnClose(rootH.handle, true), NtStatus.CANNOT_DELETE);
  });
});

describe('rename', () => {
  it('files, with and without replace', async () => {
    const { root, create, b } = await fixture();
    await writeFile(join(root, 'a'), 'A');
    await writeFile(join(root, 'b'), 'B');
    await mkdir(join(root, 'dir'));
    const h = (await create('a', { desiredAccess: RW | DELETE })).handle;
    await expectStatus(b.rename(h, 'b'), NtStatus.OBJECT_NAME_COLLISION);
    await expectStatus(b.rename(h, 'dir', { replace: true }), NtStatus.ACCESS_DENIED);
    await expectStatus(b.rename(h, 'nodir\\a'), NtStatus.OBJECT_PATH_NOT_FOUND);
    await b.rename(h, 'b', { replace: true });
    expect(await readFile(join(root, 'b'), 'utf8')).toBe('A');
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(h.path).toBe('b');
    await b.rename(h, 'dir\\moved');
    expect(h.path).toBe('dir\\moved');
    expect(text(await b.read(h, 0n, 10))).toBe('A');
    const noDelete = (await create('dir\\moved')).handle;
    await expectStatus(b.rename(noDelete, 'x'), NtStatus.ACCESS_DENIED);
    await b.close(noDelete);
    const target = (await create('t', { disposition: D.CREATE })).handle;
    await expectStatus(b.rename(h, 't', { replace: true }), NtStatus.ACCESS_DENIED);
    await b.close(target);
  });

  it('directories: paths of opens below follow; refused while children are open or into itself', async () => {
    const { root, create, b } = await fixture();
    await mkdir(join(root, 'd', 'sub'), { recursive: true });
    await writeFile(join(root, 'd', 'sub', 'f'), 'F');
    const d = (await create('d', { desiredAccess: GENERIC_READ | DELETE })).handle;
    const f = (await create('d\\sub\\f')).handle;
    await expectStatus(b.rename(d, 'e'), NtStatus.ACCESS_DENIED);
    await b.close(f);
    await expectStatus(b.rename(d, 'd\\sub\\x'), NtStatus.INVALID_PARAMETER);
    await b.rename(d, 'e');
    expect(d.path).toBe('e');
    expect(existsSync(join(root, 'e', 'sub', 'f'))).toBe(true);
    const again = (await create('e\\sub\\f')).handle;
    expect(text(await b.read(again, 0n, 5))).toBe('F');
    const rootH = (await create('', { desiredAccess: GENERIC_READ | DELETE })).handle;
    await expectStatus(b.rename(rootH, 'x'), NtStatus.ACCESS_DENIED);
  });
});

describe('information', () => {
  it('stat: FILETIMEs, sizes, attributes; set times; attributes; end of file; allocation', async () => {
    const { root, create, b } = await fixture();
    const before = BigInt(Date.now() - 5_000) * 10_000n + FILETIME_UNIX_EPOCH;
    const { handle, info } = await create('.hidden', {
      desiredAccess: RW | FILE_WRITE_ATTRIBUTES,
      disposition: D.CREATE,
    });
    expect(info.creationTime).toBeGreaterThan(before);
    expect(info.lastWriteTime).toBeGreaterThan(before);
    expect(info.attributes).toBe(FileAttributes.ARCHIVE | FileAttributes.HIDDEN);
    await b.write(handle, 0n, Buffer.alloc(5000, 7));
    let s = await b.stat(handle);
    expect(s.endOfFile).toBe(5000n);
    expect(s.allocationSize).toBeGreaterThanOrEqual(5000n);
    expect(s.fileId).toBe((await stat(join(root, '.hidden'), { bigint: true })).ino);

    const t = FILETIME_UNIX_EPOCH + 1_600_000_000n * 10_000_000n; // 2020-09-13T12:26:40Z
    await b.setTimes(handle, { lastWriteTime: t, lastAccessTime: t + 10_000_000n, creationTime: 0n });
    s = await b.stat(handle);
    expect(s.lastWriteTime).toBe(t);
    expect(s.lastAccessTime).toBe(t + 10_000_000n);
    expect((await stat(join(root, '.hidden'))).mtimeMs).toBe(1_600_000_000_000);
    await b.setTimes(handle, { lastWriteTime: 0n, lastAccessTime: -1n });
    expect((await b.stat(handle)).lastWriteTime).toBe(t);

    await b.setAttributes(handle, FileAttributes.READONLY);
    expect((await b.stat(handle)).attributes & FileAttributes.READONLY).toBeTruthy();
    expect((await stat(join(root, '.hidden'))).mode & 0o222).toBe(0);
    await b.setAttributes(handle, FileAttributes.NORMAL);
    expect((await b.stat(handle)).attributes & FileAttributes.READONLY).toBe(0);
    await expectStatus(b.setAttributes(handle, FileAttributes.DIRECTORY), NtStatus.INVALID_PARAMETER);

    await b.setEndOfFile(handle, 10n);
    expect((await b.stat(handle)).endOfFile).toBe(10n);
    await b.setEndOfFile(handle, 1n << 20n);
    expect((await stat(join(root, '.hidden'))).size).toBe(1 << 20);
    await b.setAllocationSize(handle, 1n << 30n); // above EOF: no change
    expect((await b.stat(handle)).endOfFile).toBe(1n << 20n);
    await b.setAllocationSize(handle, 3n);
    expect((await b.stat(handle)).endOfFile).toBe(3n);

    const ro = (await create('.hidden', { desiredAccess: GENERIC_READ })).handle;
    await expectStatus(b.setTimes(ro, { lastWriteTime: t }), NtStatus.ACCESS_DENIED);
    await expectStatus(b.setEndOfFile(ro, 0n), NtStatus.ACCESS_DENIED);
    const d = await create('', { desiredAccess: GENERIC_READ });
    expect(d.info.attributes).toBe(FileAttributes.DIRECTORY);
    expect(d.info.endOfFile).toBe(0n);
  });

  it('file system size, attributes and volume', async () => {
    const { b } = await fixture();
    const size = await b.fsSize();
    expect(size.bytesPerSector).toBe(512);
    expect(size.totalAllocationUnits).toBeGreaterThan(0n);
    expect(size.callerAvailableAllocationUnits).toBeLessThanOrEqual(size.actualAvailableAllocationUnits);
    const attrs = b.fsAttributes();
    expect(attrs.fileSystemName).toBe('NTFS');
    expect(attrs.attributes & FileSystemAttributes.FILE_CASE_SENSITIVE_SEARCH).toBeTruthy();
    expect(attrs.attributes & FileSystemAttributes.FILE_NAMED_STREAMS).toBe(0);
    expect(attrs.maxComponentLength).toBe(255);
    const vol = await b.volumeInfo();
    expect(vol.creationTime).toBeGreaterThan(FILETIME_UNIX_EPOCH);
  });
});

describe('directory listing', () => {
  async function tree() {
    const f = await fixture();
    for (const n of ['a.txt', 'b.txt', 'ab.txt', 'c.md', 'README', 'x.y.z', '.hidden']) {
      await writeFile(join(f.root, n), n);
    }
    await mkdir(join(f.root, 'sub'));
    const dir = (await f.create('', { desiredAccess: GENERIC_READ })).handle;
    return { ...f, dir };
  }
  const names = (es: { name: string }[]) => es.map((e) => e.name);

  it.each([
    ['*', ['.', '..', '.hidden', 'README', 'a.txt', 'ab.txt', 'b.txt', 'c.md', 'sub', 'x.y.z']],
    ['*.txt', ['a.txt', 'ab.txt', 'b.txt']],
    ['?.txt', ['a.txt', 'b.txt']],
    ['a*', ['a.txt', 'ab.txt']],
    ['c.md', ['c.md']],
    ['*.*', ['.', '..', '.hidden', 'a.txt', 'ab.txt', 'b.txt', 'c.md', 'x.y.z']],
    ['<.txt', ['a.txt', 'ab.txt', 'b.txt']],
    ['<.z', ['x.y.z']],
    ['>.txt', ['a.txt', 'b.txt']],
    ['>>>.txt', ['a.txt', 'ab.txt', 'b.txt']],
    ['README"', ['README']],
    ['<"*', ['.', '..', '.hidden', 'README', 'a.txt', 'ab.txt', 'b.txt', 'c.md', 'sub', 'x.y.z']],
    ['readme', []],
  ])('pattern %j', async (pattern, expected) => {
    const { b, dir } = await tree();
    if (expected.length === 0) {
      await expectStatus(b.queryDirectory(dir, { pattern }), NtStatus.NO_SUCH_FILE);
      return;
    }
    expect(names(await b.queryDirectory(dir, { pattern }))).toEqual(expected);
    await expectStatus(b.queryDirectory(dir), NtStatus.NO_MORE_FILES);
  });

  it('entries carry info; resume across calls, by index, and restart', async () => {
    const { b, dir } = await tree();
    const first = await b.queryDirectory(dir, { maxEntries: 3 });
    expect(names(first)).toEqual(['.', '..', '.hidden']);
    expect(first[2]!.attributes & FileAttributes.HIDDEN).toBeTruthy();
    const next = await b.queryDirectory(dir, { maxEntries: 2, pattern: 'ignored-after-start' });
    expect(names(next)).toEqual(['README', 'a.txt']);
    expect(next[1]!.endOfFile).toBe(5n);
    const resumed = await b.queryDirectory(dir, { resumeAfterIndex: next[0]!.index, maxEntries: 1 });
    expect(names(resumed)).toEqual(['a.txt']);
    const rest = await b.queryDirectory(dir);
    expect(names(rest)).toEqual(['ab.txt', 'b.txt', 'c.md', 'sub', 'x.y.z']);
    expect(rest.find((e) => e.name === 'sub')!.isDirectory).toBe(true);
    await expectStatus(b.queryDirectory(dir), NtStatus.NO_MORE_FILES);
    expect(names(await b.queryDirectory(dir, { restart: true, pattern: '*.md' }))).toEqual(['c.md']);
    const file = (
      await b.create({ path: 'a.txt', desiredAccess: GENERIC_READ, shareAccess: 7, disposition: 1 })
    ).handle;
    await expectStatus(b.queryDirectory(file), NtStatus.INVALID_PARAMETER);
  });

  it('names no client could use are not listed; subdirectory .. is the parent', async () => {
    const { root, b, create } = await tree();
    await writeFile(join(root, 'sub', 'bad:name'), '');
    await writeFile(join(root, 'sub', 'trailing.'), '');
    await writeFile(join(root, 'sub', 'ok'), '');
    const sub = (await create('sub', { desiredAccess: GENERIC_READ })).handle;
    const es = await b.queryDirectory(sub);
    expect(names(es)).toEqual(['.', '..', 'ok']);
    expect(es[1]!.fileId).toBe((await stat(root, { bigint: true })).ino);
  });
});

describe('change notification', () => {
  it('fires for the backend’s own operations; recursive and not; closed with the handle', async () => {
    const { create, b } = await fixture();
    const rootDir = (await create('', { desiredAccess: GENERIC_READ })).handle;
    const events: string[] = [];
    const treeEvents: string[] = [];
    const w = b.watch(rootDir);
    w.on('change', (e) => events.push(`${e.action}:${e.name}`));
    b.watch(rootDir, { recursive: true }).on('change', (e) => treeEvents.push(`${e.action}:${e.name}`));
    const f = (await create('f', { desiredAccess: RW | DELETE, disposition: D.CREATE })).handle;
    await b.write(f, 0n, Buffer.from('x'));
    await b.rename(f, 'g');
    const sub = (await create('sub', { options: CreateOptions.DIRECTORY_FILE })).handle;
    const inner = (await create('sub\\x', { desiredAccess: RW | DELETE })).handle;
    await b.setDeleteOnClose(inner, true);
    await b.close(inner);
    await b.setDeleteOnClose(f, true);
    await b.close(f);
    expect(events).toEqual(['1:f', '3:f', '4:f', '5:g', '1:sub', '2:g']);
    expect(treeEvents).toEqual(['1:f', '3:f', '4:f', '5:g', '1:sub', '1:sub\\x', '2:sub\\x', '2:g']);
    const filtered: string[] = [];
    b.watch(sub, { filter: 0x1 }).on('change', (e) => filtered.push(`${e.action}:${e.name}`));
    await await create('sub\\dir2', { options: CreateOptions.DIRECTORY_FILE }).then((r) => b.close(r.handle));
    await await create('sub\\file2').then((r) => b.close(r.handle));
    expect(filtered).toEqual(['1:file2']);
    expect(b.notifications.size).toBe(3);
    await b.close(sub);
    await b.close(rootDir);
    expect(b.notifications.size).toBe(0);
    expect(w.closed).toBe(true);
  });
});

describe('handles', () => {
  it('a handle from another backend is STATUS_INVALID_HANDLE; dispose closes everything', async () => {
    const one = await fixture();
    const two = await fixture();
    const h: OpenHandle = (await one.create('f')).handle;
    await expectStatus(two.b.stat(h), NtStatus.INVALID_HANDLE);
    const d = await one.create('d', { desiredAccess: DELETE, options: CreateOptions.DELETE_ON_CLOSE | 1 });
    expect(d.handle.isDirectory).toBe(true);
    await one.b.dispose();
    expect(one.b.openHandleCount).toBe(0);
    expect(existsSync(join(one.root, 'd'))).toBe(false);
  });
});
