import { describe, expect, it } from 'vitest';
import { FramePool } from '../src/index.js';

describe('FramePool', () => {
  it('lends big buffers, takes them back once, and lends them again', () => {
    const pool = new FramePool(1024, 2);
    const a = pool.allocate(4096);
    expect(a.length).toBe(4096);
    pool.release(a.subarray(100));
    expect(pool.freeCount).toBe(1);
    pool.release(a); // a second release of the same frame is ignored
    expect(pool.freeCount).toBe(1);
    const b = pool.allocate(3000);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(3000);
    expect(pool.freeCount).toBe(0);
  });

  it('does not pool small frames or memory it did not lend, and keeps at most `keep`', () => {
    const pool = new FramePool(1024, 1);
    const small = pool.allocate(100);
    pool.release(small);
    pool.release(new Uint8Array(8192));
    expect(pool.freeCount).toBe(0);
    const x = pool.allocate(2048);
    const y = pool.allocate(2048);
    expect(x.buffer).not.toBe(y.buffer);
    pool.release(x);
    pool.release(y);
    expect(pool.freeCount).toBe(1);
    // a free buffer too small for the request is not used
    expect(pool.allocate(4096).buffer).not.toBe(x.buffer);
  });
});
