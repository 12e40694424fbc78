/**
 * ObjectCache: a ring of strong references for new keys, a WeakMap for keys used often.
 * What matters to its users is that a lookup returns what was cached for that very object
 * (never another's), however many other keys came and went in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectCache } from '../src/object-cache.js';

const RING = ObjectCache.RING_SIZE;
const PROMOTE = ObjectCache.PROMOTE_AFTER;

describe('ObjectCache', () => {
  it('returns what was set for the same object, and nothing for an equal one', () => {
    const cache = new ObjectCache<object, string>();
    const a = {};
    cache.set(a, 'a');
    expect(cache.get(a)).toBe('a');
    expect(cache.get({})).toBeUndefined();
  });

  it('forgets a key used once after RING_SIZE newer keys', () => {
    const cache = new ObjectCache<object, number>();
    const first = {};
    cache.set(first, 0);
    for (let i = 1; i < RING; i++) cache.set({}, i);
    expect(cache.get(first)).toBe(0); // still in the ring (this is its second use)
    const again = {};
    cache.set(again, -1);
    for (let i = 0; i < RING; i++) cache.set({}, i);
    expect(cache.get(again)).toBeUndefined();
  });

  it(`keeps a key used ${PROMOTE} times however many keys follow`, () => {
    const cache = new ObjectCache<object, string>();
    const hot = {};
    cache.set(hot, 'hot');
    for (let i = 1; i < PROMOTE; i++) expect(cache.get(hot)).toBe('hot');
    for (let i = 0; i < 10 * RING; i++) cache.set({}, String(i));
    expect(cache.get(hot)).toBe('hot');
  });

  it('replaces the value of a key in the ring and of a promoted key', () => {
    const cache = new ObjectCache<object, string>();
    const k = {};
    cache.set(k, 'old');
    cache.set(k, 'new');
    expect(cache.get(k)).toBe('new');
    for (let i = 0; i < PROMOTE; i++) cache.get(k);
    cache.set(k, 'newer');
    for (let i = 0; i < 2 * RING; i++) cache.set({}, 'x');
    expect(cache.get(k)).toBe('newer');
  });

  it('never returns another key’s value (random set/get sequences)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.nat({ max: 40 }), set: fc.boolean() }), { maxLength: 400 }),
        (ops) => {
          const cache = new ObjectCache<object, number>();
          const objects = Array.from({ length: 41 }, () => ({}));
          const last = new Map<number, number>();
          let n = 0;
          for (const { key, set } of ops) {
            if (set) {
              cache.set(objects[key]!, n);
              last.set(key, n++);
            } else {
              const got = cache.get(objects[key]!);
              // a miss is allowed (evicted); a hit must be the latest value set for this key
              if (got !== undefined) expect(got).toBe(last.get(key));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
