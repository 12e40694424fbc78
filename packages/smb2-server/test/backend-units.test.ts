/** Pure parts of the backend: wildcards, share modes, locks, FILETIME, errno mapping. */
import { AccessMask, NtStatus, ShareAccess } from '@postntlm/smb2-protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  errnoToStatus,
  FILETIME_UNIX_EPOCH,
  filetimeToSeconds,
  LockTable,
  mapGenericAccess,
  matchPattern,
  msToFiletime,
  nsToFiletime,
  parseSmbPath,
  SmbStatusError,
  shareConflict,
} from '../src/backend/index.js';
import { FileNode } from '../src/backend/open-table.js';

describe('matchPattern (MS-FSA §2.1.4.4)', () => {
  it.each([
    ['*', 'anything', true],
    ['', 'anything', true],
    ['*.txt', 'a.txt', true],
    ['*.txt', 'a.txt.bak', false],
    ['?', 'a', true],
    ['?', 'ab', false],
    ['??.c', 'ab.c', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['Name', 'name', false], // case-sensitive
    ['<.txt', 'a.b.txt', true], // DOS_STAR stops only at the final dot
    ['<', 'a.b', false],
    ['<.b', 'a.b', true],
    ['<"*', 'noext', true],
    ['<"*', 'a.b.c', true],
    ['>', 'a', true],
    ['>', '', true],
    ['>>>', 'ab', true],
    ['>>>', 'abcd', false],
    ['>.txt', 'a.txt', true],
    ['>.txt', '.txt', true],
    ['a"', 'a', true],
    ['a"', 'a.', true],
    ['a"b', 'a.b', true],
    ['a"b', 'ab', false],
  ])('%j ~ %j → %s', (p, n, r) => {
    expect(matchPattern(p, n)).toBe(r);
  });

  it('properties: * matches all, a literal matches itself, n × ? matches length n', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'b', '.', 'x', ' '), maxLength: 12 });
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(matchPattern('*', a)).toBe(true);
        expect(matchPattern(a, b)).toBe(a === '' || a === b);
        if (a.length > 0) expect(matchPattern('?'.repeat(a.length), b)).toBe(a.length === b.length);
        expect(matchPattern(`*${a}`, b + a)).toBe(true);
      }),
    );
  });
});

describe('parseSmbPath', () => {
  it('never yields a component that could leave the directory', () => {
    const part = fc.oneof(
      fc.constantFrom('..', '.', '', 'a', '/', 'a/b', 'c:', '\u0000', 'x'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        let comps: readonly string[];
        try {
          comps = parseSmbPath(parts.join('\\')).components;
        } catch (e) {
          expect(e).toBeInstanceOf(SmbStatusError);
          return;
        }
        for (const c of comps) {
          expect(c === '' || c === '.' || c === '..' || c.includes('/') || c.includes('\0')).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('share access (MS-FSA §2.1.5.1.2)', () => {
  const R = AccessMask.FILE_READ_DATA;
  const W = AccessMask.FILE_WRITE_DATA;
  const DEL = AccessMask.DELETE;
  const A = AccessMask.FILE_READ_ATTRIBUTES;
  const { READ: SR, WRITE: SW, DELETE: SD } = ShareAccess;
  it.each([
    [R, SR, R, SR, false],
    [R, SR, W, SR | SW, true], // existing does not share write
    [R, SR, R, 0, true], // new does not share the existing read
    [W, SW | SR, R, SR | SW, false],
    [R, SR | SW, DEL, SR | SW | SD, true],
    [DEL, SD, DEL, SD, false],
    [A, 0, R | W, 0, false], // attribute-only opens do not count
    [R | W, 0, A, 0, false],
  ])('existing %i/%i, new %i/%i → conflict %s', (ea, es, na, ns, conflict) => {
    expect(shareConflict({ grantedAccess: ea, shareAccess: es }, na, ns)).toBe(conflict);
  });

  it('generic mapping', () => {
    expect(mapGenericAccess(AccessMask.GENERIC_READ)).toBe(0x00120089);
    expect(mapGenericAccess(AccessMask.GENERIC_WRITE)).toBe(0x00120116);
    expect(mapGenericAccess(AccessMask.GENERIC_ALL)).toBe(AccessMask.FILE_ALL_ACCESS);
    expect(mapGenericAccess(AccessMask.MAXIMUM_ALLOWED)).toBe(AccessMask.FILE_ALL_ACCESS);
    expect(() => mapGenericAccess(AccessMask.ACCESS_SYSTEM_SECURITY)).toThrow(SmbStatusError);
  });
});

describe('LockTable', () => {
  it('matches a brute-force model of conflicts (single byte granularity)', async () => {
    const op = fc.record({
      owner: fc.constantFrom(0, 1, 2),
      offset: fc.integer({ min: 0, max: 20 }),
      length: fc.integer({ min: 0, max: 8 }),
      exclusive: fc.boolean(),
      unlock: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 20 }), async (ops) => {
        const owners = [{}, {}, {}];
        const t = new LockTable();
        const model: { owner: number; offset: number; length: number; exclusive: boolean }[] = [];
        // Windows' rule: a zero-length lock contends with a range holding its offset strictly inside.
        const inside = (x: number, r: { offset: number; length: number }) =>
          r.offset < x && x < r.offset + r.length;
        const over = (a: { offset: number; length: number }, o: number, l: number) =>
          a.length === 0 && l === 0
            ? false
            : a.length === 0
              ? inside(a.offset, { offset: o, length: l })
              : l === 0
                ? inside(o, a)
                : a.offset < o + l && o < a.offset + a.length;
        for (const x of ops) {
          const o = owners[x.owner]!;
          if (x.unlock) {
            // Of stacked locks on one range, the exclusive one is unlocked first.
            const same = (m: (typeof model)[number]) =>
              m.owner === x.owner && m.offset === x.offset && m.length === x.length;
            const ex = model.findIndex((m) => same(m) && m.exclusive);
            const i = ex >= 0 ? ex : model.findIndex(same);
            if (i >= 0) {
              t.unlock(o, BigInt(x.offset), BigInt(x.length));
              model.splice(i, 1);
            } else {
              expect(() => t.unlock(o, BigInt(x.offset), BigInt(x.length))).toThrow('RANGE_NOT_LOCKED');
            }
            continue;
          }
          const conflict = model.some(
            (m) => over(m, x.offset, x.length) && (x.exclusive || (m.exclusive && m.owner !== x.owner)),
          );
          const r = await t.lock(o, BigInt(x.offset), BigInt(x.length), x.exclusive).then(
            () => true,
            (e: SmbStatusError) => {
              expect(e.status).toBe(NtStatus.LOCK_NOT_GRANTED);
              return false;
            },
          );
          expect(r).toBe(!conflict);
          if (r) model.push({ owner: x.owner, offset: x.offset, length: x.length, exclusive: x.exclusive });
        }
        expect(t.size).toBe(model.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('FILETIME and errno', () => {
  it('converts', () => {
    expect(nsToFiletime(0n)).toBe(FILETIME_UNIX_EPOCH);
    expect(nsToFiletime(1_000_000_000n)).toBe(FILETIME_UNIX_EPOCH + 10_000_000n);
    expect(msToFiletime(1000)).toBe(FILETIME_UNIX_EPOCH + 10_000_000n);
    expect(filetimeToSeconds(FILETIME_UNIX_EPOCH + 15_000_000n)).toBe(1.5);
  });
  it.each([
    ['ENOENT', 'name', NtStatus.OBJECT_NAME_NOT_FOUND],
    ['ENOENT', 'path', NtStatus.OBJECT_PATH_NOT_FOUND],
    ['ENOTDIR', 'path', NtStatus.OBJECT_PATH_NOT_FOUND],
    ['EEXIST', 'name', NtStatus.OBJECT_NAME_COLLISION],
    ['EACCES', 'name', NtStatus.ACCESS_DENIED],
    ['ELOOP', 'name', NtStatus.ACCESS_DENIED],
    ['ENOTEMPTY', 'name', NtStatus.DIRECTORY_NOT_EMPTY],
    ['ENOSPC', 'name', NtStatus.DISK_FULL],
    ['EWHATEVER', 'name', NtStatus.UNSUCCESSFUL],
  ] as const)('%s (%s) → 0x%s', (code, where, status) => {
    expect(errnoToStatus(Object.assign(new Error(code), { code }), where)).toBe(status);
  });
});

describe('FileNode.serializeWrite', () => {
  it('runs one write at a time, in order, and goes on after a failed one', async () => {
    const node = new FileNode('1:2', ['f'], false);
    const log: string[] = [];
    const write = (name: string, fail = false) =>
      node.serializeWrite(async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name}-`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([write('a'), write('b', true), write('c')]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'c' });
  });
});
