/** `RangeSet` and `SparseFileBackend`: the sparse flag in every attribute view, allocation bookkeeping. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessMask,
  CreateDisposition,
  CreateOptions,
  FileAttributes,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RANGES, RangeSet } from '../src/backend/allocation.js';
import { LocalDirectoryBackend } from '../src/backend/index.js';
import { SparseFileBackend } from '../src/backend/sparse.js';

const pairs = (s: RangeSet, a = 0n, b = 1n << 40n) =>
  s.within(a, b).map((r) => [Number(r.start), Number(r.end)]);

describe('RangeSet', () => {
  it('merges touching and overlapping ranges, splits on removal, clips queries', () => {
    const s = new RangeSet([{ start: 0n, end: 10n }]);
    s.add(10n, 20n);
    s.add(30n, 40n);
    s.add(35n, 50n);
    s.add(5n, 5n);
    expect(pairs(s)).toEqual([
      [0, 20],
      [30, 50],
    ]);
    s.remove(5n, 35n);
    expect(pairs(s)).toEqual([
      [0, 5],
      [35, 50],
    ]);
    s.add(1n, 100n);
    expect(pairs(s)).toEqual([[0, 100]]);
    s.remove(40n, 60n);
    expect(pairs(s, 30n, 70n)).toEqual([
      [30, 40],
      [60, 70],
    ]);
    expect(s.size).toBe(2);
  });
});

describe('SparseFileBackend', () => {
  let dir: string;
  let b: SparseFileBackend;
  const req = (path: string, over = {}) => ({
    path,
    desiredAccess: AccessMask.FILE_ALL_ACCESS,
    shareAccess: ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE,
    disposition: CreateDisposition.OPEN_IF,
    ...over,
  });
  const sparseBit = (a: number) => (a & FileAttributes.SPARSE_FILE) !== 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smb2-sparse-'));
    b = new SparseFileBackend(await LocalDirectoryBackend.open(dir));
  });
  afterAll(async () => {
    await b?.dispose();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('reports SPARSE_FILE (without NORMAL) in stat, directory entries, CREATE and CLOSE', async () => {
    const f = await b.create(req('s.bin'));
    await b.write(f.handle, 0n, new Uint8Array(10));
    await b.setSparse(f.handle, true);
    expect(b.isSparse(f.handle)).toBe(true);
    expect(sparseBit((await b.stat(f.handle)).attributes)).toBe(true);
    expect((await b.stat(f.handle)).attributes & FileAttributes.NORMAL).toBe(0);
    expect(sparseBit((await b.close(f.handle)).attributes)).toBe(true);
    const d = await b.create(
      req('', { disposition: CreateDisposition.OPEN, options: CreateOptions.DIRECTORY_FILE }),
    );
    const entries = await b.queryDirectory(d.handle, { pattern: 's.bin' });
    expect(sparseBit(entries[0]!.attributes)).toBe(true);
    await b.close(d.handle);
    const again = await b.create(req('s.bin'));
    expect(sparseBit(again.info.attributes)).toBe(true);
    await b.close(again.handle);
    expect(b.fsAttributes().attributes & 0x40).toBe(0x40);
  });

  it('writes allocate, truncation and zeroing deallocate; extension leaves a hole', async () => {
    const f = await b.create(req('alloc.bin', { disposition: CreateDisposition.OVERWRITE_IF }));
    await b.write(f.handle, 0n, new Uint8Array(100).fill(7));
    await b.setSparse(f.handle, true);
    await b.setEndOfFile(f.handle, 1000n);
    await b.write(f.handle, 500n, new Uint8Array(100).fill(7));
    expect(await b.allocatedRanges(f.handle, 0n, 2000n)).toEqual([
      { offset: 0n, length: 100n },
      { offset: 500n, length: 100n },
    ]);
    await b.zeroData(f.handle, 50n, 550n);
    expect(await b.read(f.handle, 40n, 20)).toEqual(
      Buffer.from([...new Array(10).fill(7), ...new Array(10).fill(0)]),
    );
    await b.setEndOfFile(f.handle, 560n);
    expect(await b.allocatedRanges(f.handle, 0n, 2000n)).toEqual([
      { offset: 0n, length: 50n },
      { offset: 550n, length: 10n },
    ]);
    expect((await b.stat(f.handle)).endOfFile).toBe(560n);
    await b.close(f.handle);
  });
});

describe('RangeSet bounds', () => {
  it('never holds more than MAX_RANGES ranges: the smallest holes are filled, data is never a hole', () => {
    const s = new RangeSet();
    for (let i = 0n; i < BigInt(MAX_RANGES) * 3n; i++) s.add(i * 10n, i * 10n + (i % 7n === 0n ? 1n : 5n));
    expect(s.size).toBeLessThanOrEqual(MAX_RANGES);
    for (let i = 0n; i < BigInt(MAX_RANGES) * 3n; i++) {
      const at = i * 10n;
      expect(s.within(at, at + 1n)).toHaveLength(1);
    }
  });
});
