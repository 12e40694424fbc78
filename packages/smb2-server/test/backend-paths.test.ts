/**
 * Path safety of LocalDirectoryBackend: every escape attempt of the issue is a test, plus
 * TOCTOU swaps through the resolver's hooks and a fast-check property over random trees.
 */
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessMask, CreateDisposition, CreateOptions, NtStatus, ShareAccess } from '@postntlm/smb2-protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CreateRequest,
  LocalDirectoryBackend,
  type LocalDirectoryBackendOptions,
  parseSmbPath,
  SmbStatusError,
} from '../src/backend/index.js';

const READ = AccessMask.GENERIC_READ;
const RW = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;
const SHARE_ALL = ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE;

interface Fixture {
  base: string;
  root: string;
  outside: string;
  b: LocalDirectoryBackend;
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fixture(opts: LocalDirectoryBackendOptions = {}): Promise<Fixture> {
  const base = realpathSync(await mkdtemp(join(tmpdir(), 'smb2-backend-paths-')));
  const root = join(base, 'share');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'secret');
  const b = await LocalDirectoryBackend.open(root, opts);
  cleanups.push(async () => {
    await b.dispose();
    await rm(base, { recursive: true, force: true });
  });
  return { base, root, outside, b };
}

const open = (b: LocalDirectoryBackend, path: string, extra: Partial<CreateRequest> = {}) =>
  b.create({
    path,
    desiredAccess: READ,
    shareAccess: SHARE_ALL,
    disposition: CreateDisposition.OPEN,
    ...extra,
  });

async function expectStatus(p: Promise<unknown>, status: number): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(SmbStatusError);
  await expect(p).rejects.toMatchObject({ status });
}

describe('lexical escapes', () => {
  const cases: [string, number][] = [
    ['..', NtStatus.OBJECT_NAME_INVALID],
    ['..\\..', NtStatus.OBJECT_NAME_INVALID],
    ['..\\outside\\secret.txt', NtStatus.OBJECT_NAME_INVALID],
    ['a\\..\\..\\outside\\secret.txt', NtStatus.OBJECT_NAME_INVALID],
    ['.', NtStatus.OBJECT_NAME_INVALID],
    ['a\\.\\b', NtStatus.OBJECT_NAME_INVALID],
    ['\\etc\\passwd', NtStatus.INVALID_PARAMETER],
    ['\\\\host\\share', NtStatus.INVALID_PARAMETER],
    ['\\\\?\\C:\\x', NtStatus.INVALID_PARAMETER],
    ['C:\\x', NtStatus.OBJECT_NAME_INVALID],
    ['C:', NtStatus.OBJECT_NAME_INVALID],
    ['/etc/passwd', NtStatus.OBJECT_NAME_INVALID],
    ['a/../../x', NtStatus.OBJECT_NAME_INVALID],
    ['a\u0000b', NtStatus.OBJECT_NAME_INVALID],
    ['a\\\u0000', NtStatus.OBJECT_NAME_INVALID],
    ['a\u0001', NtStatus.OBJECT_NAME_INVALID],
    ['a\\\\b', NtStatus.OBJECT_NAME_INVALID],
    ['a<b', NtStatus.OBJECT_NAME_INVALID],
    ['a>b', NtStatus.OBJECT_NAME_INVALID],
    ['a"b', NtStatus.OBJECT_NAME_INVALID],
    ['a|b', NtStatus.OBJECT_NAME_INVALID],
    ['a?b', NtStatus.OBJECT_NAME_INVALID],
    ['a*b', NtStatus.OBJECT_NAME_INVALID],
    ['CON', NtStatus.OBJECT_NAME_INVALID],
    ['dir\\nul.txt', NtStatus.OBJECT_NAME_INVALID],
    ['COM1', NtStatus.OBJECT_NAME_INVALID],
    ['lpt9.log', NtStatus.OBJECT_NAME_INVALID],
    ['file.', NtStatus.OBJECT_NAME_INVALID],
    ['file ', NtStatus.OBJECT_NAME_INVALID],
    ['file:stream', NtStatus.OBJECT_NAME_NOT_FOUND],
    ['file:stream:$DATA', NtStatus.OBJECT_NAME_NOT_FOUND],
    ['dir:s\\file', NtStatus.OBJECT_NAME_INVALID],
    [':stream', NtStatus.OBJECT_NAME_INVALID],
    ['file:', NtStatus.OBJECT_NAME_INVALID],
    ['\ud800x', NtStatus.OBJECT_NAME_INVALID],
    ['x'.repeat(256), NtStatus.OBJECT_NAME_INVALID],
  ];
  it.each(cases)('%j → 0x%s', async (path, status) => {
    const { b, outside } = await fixture();
    for (const disposition of [CreateDisposition.OPEN, CreateDisposition.OPEN_IF, CreateDisposition.CREATE]) {
      await expectStatus(open(b, path, { disposition, desiredAccess: RW }), status);
    }
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(b.openHandleCount).toBe(0);
  });

  it('parseSmbPath: the root, a trailing separator, ::$DATA', () => {
    expect(parseSmbPath('')).toEqual({ components: [], mustBeDirectory: false });
    expect(parseSmbPath('a\\b\\')).toEqual({ components: ['a', 'b'], mustBeDirectory: true });
    expect(parseSmbPath('a\\f.txt::$DATA').components).toEqual(['a', 'f.txt']);
    expect(parseSmbPath('CON', { allowDosDeviceNames: true }).components).toEqual(['CON']);
  });

  it('file::$DATA opens the file itself; DOS device names when allowed', async () => {
    const { b, root } = await fixture({ allowDosDeviceNames: true });
    await writeFile(join(root, 'f.txt'), 'data');
    const r = await open(b, 'f.txt::$DATA');
    expect(Buffer.from(await b.read(r.handle, 0n, 10)).toString()).toBe('data');
    await b.close(r.handle);
    const c = await open(b, 'CON', { disposition: CreateDisposition.CREATE });
    await b.close(c.handle);
    expect(existsSync(join(root, 'CON'))).toBe(true);
  });

  it('a trailing separator on a file is STATUS_OBJECT_NAME_INVALID', async () => {
    const { b, root } = await fixture();
    await writeFile(join(root, 'f'), '');
    await expectStatus(open(b, 'f\\'), NtStatus.OBJECT_NAME_INVALID);
    await mkdir(join(root, 'd'));
    const d = await open(b, 'd\\');
    expect(d.handle.isDirectory).toBe(true);
  });
});

describe('symbolic links are never followed', () => {
  it('a symlink to /etc: neither it nor anything below it opens', async () => {
    const { b, root } = await fixture();
    await symlink('/etc', join(root, 'etc'));
    await expectStatus(open(b, 'etc\\passwd'), NtStatus.ACCESS_DENIED);
    await expectStatus(open(b, 'etc'), NtStatus.ACCESS_DENIED);
    await expectStatus(open(b, 'etc', { options: CreateOptions.DIRECTORY_FILE }), NtStatus.ACCESS_DENIED);
    await expectStatus(
      open(b, 'etc\\new.txt', { disposition: CreateDisposition.CREATE }),
      NtStatus.ACCESS_DENIED,
    );
    const dir = await open(b, '');
    const names = (await b.queryDirectory(dir.handle)).map((e) => e.name);
    expect(names).not.toContain('etc');
  });

  it('a symlink to a file outside: open, overwrite and create all refuse', async () => {
    const { b, root, outside } = await fixture();
    await symlink(join(outside, 'secret.txt'), join(root, 'secret'));
    for (const disposition of Object.values(CreateDisposition)) {
      await open(b, 'secret', { disposition, desiredAccess: RW }).then(
        () => expect.unreachable(`disposition ${disposition} opened the link`),
        (e: SmbStatusError) =>
          expect([NtStatus.ACCESS_DENIED, NtStatus.OBJECT_NAME_COLLISION]).toContain(e.status),
      );
    }
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('a relative symlink climbing out (../outside) is refused', async () => {
    const { b, root } = await fixture();
    await symlink('../outside', join(root, 'up'));
    await expectStatus(open(b, 'up\\secret.txt'), NtStatus.ACCESS_DENIED);
  });

  it('a symlink to a sibling inside the root is refused too (by design)', async () => {
    const { b, root } = await fixture();
    await mkdir(join(root, 'real'));
    await writeFile(join(root, 'real', 'f.txt'), 'in');
    await symlink('real', join(root, 'alias'));
    await symlink('real/f.txt', join(root, 'f-alias'));
    await expectStatus(open(b, 'alias\\f.txt'), NtStatus.ACCESS_DENIED);
    await expectStatus(open(b, 'f-alias'), NtStatus.ACCESS_DENIED);
    const r = await open(b, 'real\\f.txt');
    await b.close(r.handle);
  });

  it('the share root itself may be reached through a symlink (resolved once at start)', async () => {
    const { base, root } = await fixture();
    await writeFile(join(root, 'f'), 'x');
    await symlink(root, join(base, 'share-link'));
    const b2 = await LocalDirectoryBackend.open(join(base, 'share-link'));
    try {
      const r = await b2.create({ path: 'f', desiredAccess: READ, shareAccess: 0, disposition: 1 });
      expect(await b2.realPathOf(r.handle)).toBe(join(root, 'f'));
    } finally {
      await b2.dispose();
    }
  });

  it('rename cannot move a file out of the root or through a symlink', async () => {
    const { b, root, outside } = await fixture();
    await symlink(outside, join(root, 'out'));
    const r = await b.create({
      path: 'f.txt',
      desiredAccess: RW | AccessMask.DELETE,
      shareAccess: SHARE_ALL,
      disposition: CreateDisposition.CREATE,
    });
    await expectStatus(b.rename(r.handle, '..\\outside\\f.txt'), NtStatus.OBJECT_NAME_INVALID);
    await expectStatus(b.rename(r.handle, '\\tmp\\f.txt'), NtStatus.INVALID_PARAMETER);
    await expectStatus(b.rename(r.handle, '\\\\host\\share\\f.txt'), NtStatus.INVALID_PARAMETER);
    await expectStatus(b.rename(r.handle, 'out\\f.txt'), NtStatus.ACCESS_DENIED);
    await expectStatus(b.rename(r.handle, 'out', { replace: true }), NtStatus.ACCESS_DENIED);
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(existsSync(join(root, 'f.txt'))).toBe(true);
  });
});

describe('TOCTOU: objects swapped during resolution', () => {
  it('a directory swapped for a symlink after the parent chain was opened: the open stays inside', async () => {
    let swapped = false;
    const hooks = {
      afterParentOpen: async (c: readonly string[]) => {
        if (swapped || c[0] !== 'dir') return;
        swapped = true;
        await rename(join(f.root, 'dir'), join(f.root, 'dir.old'));
        await symlink(f.outside, join(f.root, 'dir'));
      },
    };
    const f = await fixture({ hooks });
    await mkdir(join(f.root, 'dir'));
    await writeFile(join(f.root, 'dir', 'secret.txt'), 'inside');
    const r = await open(f.b, 'dir\\secret.txt');
    expect(swapped).toBe(true);
    expect(Buffer.from(await f.b.read(r.handle, 0n, 100)).toString()).toBe('inside');
    expect(await f.b.realPathOf(r.handle)).toBe(join(f.root, 'dir.old', 'secret.txt'));
    // The next resolution sees the symlink and refuses it.
    await expectStatus(open(f.b, 'dir\\secret.txt'), NtStatus.ACCESS_DENIED);
  });

  it('a directory swapped for a symlink right after its lookup is refused (O_NOFOLLOW)', async () => {
    const hooks = {
      afterLookup: async (c: readonly string[]) => {
        if (c.join('\\') !== 'sub') return;
        await rename(join(f.root, 'sub'), join(f.root, 'sub.old'));
        await symlink('/etc', join(f.root, 'sub'));
      },
    };
    const f = await fixture({ hooks });
    await mkdir(join(f.root, 'sub'));
    await expectStatus(open(f.b, 'sub', { options: CreateOptions.DIRECTORY_FILE }), NtStatus.ACCESS_DENIED);
  });

  it('a file swapped for a symlink right after its lookup is refused, even with OVERWRITE_IF', async () => {
    const hooks = {
      afterLookup: async (c: readonly string[]) => {
        if (c.join('\\') !== 'f.txt') return;
        await rm(join(f.root, 'f.txt'));
        await symlink(join(f.outside, 'secret.txt'), join(f.root, 'f.txt'));
      },
    };
    const f = await fixture({ hooks });
    await writeFile(join(f.root, 'f.txt'), 'x');
    await expectStatus(
      open(f.b, 'f.txt', { disposition: CreateDisposition.OVERWRITE_IF, desiredAccess: RW }),
      NtStatus.ACCESS_DENIED,
    );
    expect(await readFile(join(f.outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('a name created as a symlink between lookup and create is refused (O_EXCL)', async () => {
    let planted = false;
    const hooks = {
      afterLookup: async (c: readonly string[]) => {
        if (c.join('\\') !== 'new.txt' || planted) return;
        planted = true;
        await symlink(join(f.outside, 'planted'), join(f.root, 'new.txt'));
      },
    };
    const f = await fixture({ hooks });
    await expectStatus(
      open(f.b, 'new.txt', { disposition: CreateDisposition.CREATE, desiredAccess: RW }),
      NtStatus.OBJECT_NAME_COLLISION,
    );
    // OPEN_IF retries as an open, which sees the symlink.
    await expectStatus(
      open(f.b, 'new.txt', { disposition: CreateDisposition.OPEN_IF, desiredAccess: RW }),
      NtStatus.ACCESS_DENIED,
    );
    expect(existsSync(join(f.outside, 'planted'))).toBe(false);
  });

  it('an intermediate component swapped before it is opened is refused', async () => {
    const hooks = {
      beforeComponent: async (c: readonly string[], i: number) => {
        if (c.join('\\') !== 'a\\b' || i !== 1) return;
        await rename(join(f.root, 'a', 'b'), join(f.root, 'a', 'b.old'));
        await symlink(f.outside, join(f.root, 'a', 'b'));
      },
    };
    const f = await fixture({ hooks });
    await mkdir(join(f.root, 'a', 'b'), { recursive: true });
    await writeFile(join(f.root, 'a', 'b', 'f.txt'), 'x');
    await expectStatus(open(f.b, 'a\\b\\f.txt'), NtStatus.ACCESS_DENIED);
  });

  it('a held directory moved out of the root before the final open: the kernel path check refuses', async () => {
    const hooks = {
      afterParentOpen: async (c: readonly string[]) => {
        if (c.join('\\') === 'mv\\f.txt') await rename(join(f.root, 'mv'), join(f.outside, 'mv'));
      },
    };
    const f = await fixture({ hooks });
    await mkdir(join(f.root, 'mv'));
    await writeFile(join(f.root, 'mv', 'f.txt'), 'x');
    await expectStatus(open(f.b, 'mv\\f.txt'), NtStatus.ACCESS_DENIED);
    expect(f.b.openHandleCount).toBe(0);
  });

  it('fallback mode (no /proc): symlinks and swaps are refused too', async () => {
    const hooks = {
      afterLookup: async (c: readonly string[]) => {
        if (c.join('\\') !== 'd\\f.txt') return;
        await rm(join(f.root, 'd', 'f.txt'));
        await symlink(join(f.outside, 'secret.txt'), join(f.root, 'd', 'f.txt'));
      },
    };
    const f = await fixture({ hooks, useProcFd: false });
    expect(f.b.resolver.useProcFd).toBe(false);
    await symlink('/etc', join(f.root, 'etc'));
    await mkdir(join(f.root, 'd'));
    await writeFile(join(f.root, 'd', 'f.txt'), 'x');
    await expectStatus(open(f.b, 'etc\\passwd'), NtStatus.ACCESS_DENIED);
    await expectStatus(open(f.b, '..\\outside\\secret.txt'), NtStatus.OBJECT_NAME_INVALID);
    await expectStatus(open(f.b, 'd\\f.txt'), NtStatus.ACCESS_DENIED);
    const ok = await open(f.b, 'd', { options: CreateOptions.DIRECTORY_FILE });
    expect((await f.b.queryDirectory(ok.handle)).map((e) => e.name)).toEqual(['.', '..']);
  });
});

describe('property: nothing outside the root is ever opened or created', () => {
  const NAME = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'l1', 'l2', 'f.txt', 'new', 'n2') },
    { weight: 2, arbitrary: fc.constantFrom('..', '.', '', 'x:y', '/etc', 'C:') },
  );
  const TARGETS = [
    '/etc',
    '/',
    '..',
    '../..',
    '../outside',
    'a',
    'a/b',
    '../outside/secret.txt',
    'f.txt',
    '.',
  ];

  it.each([true, false])(
    'random paths over random trees with random symlinks (/proc: %s)',
    async (useProcFd) => {
      let opened = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            links: fc.array(
              fc.tuple(fc.constantFrom('l1', 'l2', 'a/l1', 'a/b/l2'), fc.constantFrom(...TARGETS)),
              {
                maxLength: 4,
              },
            ),
            paths: fc.array(
              fc.tuple(
                fc.array(NAME, { minLength: 1, maxLength: 4 }),
                fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
                fc.constantFrom(...Object.values(CreateDisposition)),
                fc.constantFrom(0, CreateOptions.DIRECTORY_FILE, CreateOptions.NON_DIRECTORY_FILE),
              ),
              { minLength: 1, maxLength: 6 },
            ),
          }),
          async ({ links, paths }) => {
            const f = await fixture({ useProcFd });
            await mkdir(join(f.root, 'a', 'b'), { recursive: true });
            await writeFile(join(f.root, 'f.txt'), 'in');
            for (const [at, target] of links) await symlink(target, join(f.root, at)).catch(() => {});
            for (const [parts, leading, disposition, options] of paths) {
              const path = (leading ? '\\' : '') + parts.join('\\');
              try {
                const r = await f.b.create({
                  path,
                  desiredAccess: RW,
                  shareAccess: SHARE_ALL,
                  disposition,
                  options,
                });
                opened++;
                // In fallback mode there is no kernel path: check with realpath of what was named.
                const real = useProcFd
                  ? await f.b.realPathOf(r.handle)
                  : realpathSync(join(f.root, ...r.handle.path.split('\\')));
                expect(real === f.root || real.startsWith(`${f.root}/`)).toBe(true);
                await f.b.close(r.handle);
              } catch (e) {
                if (!(e instanceof SmbStatusError)) throw e;
              }
            }
            expect(await readdir(f.outside)).toEqual(['secret.txt']);
            expect(await readFile(join(f.outside, 'secret.txt'), 'utf8')).toBe('secret');
            for (const c of cleanups.splice(0)) await c();
          },
        ),
        { numRuns: 200 },
      );
      expect(opened).toBeGreaterThan(20);
    },
  );
});
