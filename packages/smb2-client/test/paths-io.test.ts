import { describe, expect, it } from 'vitest';
import { runPipelined } from '../src/tree/io.js';
import { toSmbPath } from '../src/tree/paths.js';

describe('toSmbPath', () => {
  it('makes share-relative backslash paths', () => {
    expect(toSmbPath('/a/b.txt')).toBe('a\\b.txt');
    expect(toSmbPath('a\\\\b/./c')).toBe('a\\b\\c');
    expect(toSmbPath('')).toBe('');
    expect(toSmbPath('/')).toBe('');
  });
  it('refuses paths that leave the share or hold a NUL', () => {
    expect(() => toSmbPath('a/../../etc')).toThrow(RangeError);
    expect(() => toSmbPath('a\0b')).toThrow(RangeError);
  });
});

describe('runPipelined', () => {
  it('runs every task with at most `depth` in flight', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runPipelined(20, 4, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      done.push(i);
      running--;
    });
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
  it('rejects with the first failure and starts no new task after it', async () => {
    const started: number[] = [];
    const boom = new Error('boom');
    await expect(
      runPipelined(10, 2, async (i) => {
        started.push(i);
        if (i === 1) throw boom;
      }),
    ).rejects.toBe(boom);
    expect(started.length).toBeLessThan(10);
  });
});
