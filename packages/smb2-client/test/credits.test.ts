import { describe, expect, it } from 'vitest';
import { CreditWindow } from '../src/connection/credits.js';

describe('CreditWindow', () => {
  it('starts with one credit and MessageId 0, and asks towards its target', () => {
    const w = new CreditWindow(64);
    const g = w.tryAcquire(1);
    expect(g).toEqual({ messageId: 0n, charge: 1, creditRequest: 64 });
    expect(w.tryAcquire(1)).toBeUndefined();
    w.grant(64, g?.creditRequest ?? 0);
    expect(w.available).toBe(64);
    // Held 63 after the next one, nothing asked: it asks for 1 more to stay at 64.
    expect(w.tryAcquire(1)).toEqual({ messageId: 1n, charge: 1, creditRequest: 1 });
  });

  it('a multi-credit request takes N MessageIds and N credits, never more than granted', () => {
    const w = new CreditWindow(16, 10);
    expect(w.tryAcquire(8)).toMatchObject({ messageId: 0n, charge: 8 });
    expect(w.nextMessageId).toBe(8n);
    expect(w.tryAcquire(8)).toBeUndefined();
    expect(w.tryAcquire(2)).toMatchObject({ messageId: 8n, charge: 2 });
    expect(w.available).toBe(0);
  });

  it('waiters are served in order once credits come back; aborting one lets the next go', async () => {
    const w = new CreditWindow(8, 1);
    w.tryAcquire(1);
    const big = w.acquire(4);
    const controller = new AbortController();
    const aborted = w.acquire(1, controller.signal);
    const small = w.acquire(1);
    expect(w.waiting).toBe(3);
    w.grant(4, 0);
    expect(await big).toMatchObject({ messageId: 1n, charge: 4 });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    w.grant(1, 0);
    expect(await small).toMatchObject({ messageId: 5n });
  });

  it('fail() rejects waiters and later requests', async () => {
    const w = new CreditWindow(8, 0);
    const waiting = w.acquire(1);
    const boom = new Error('gone');
    w.fail(boom);
    await expect(waiting).rejects.toBe(boom);
    expect(() => w.tryAcquire(1)).toThrow(boom);
  });
});
