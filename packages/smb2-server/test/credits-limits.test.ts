/**
 * The connection's credit window (MS-SMB2 §3.3.1.2, §3.3.5.2.3), the limits' defaults and
 * checks, and the connection guard's timeouts and backpressure over a stand-in socket.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Command, NtStatus } from '@postntlm/smb2-protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionGuard } from '../src/core/connection-guard.js';
import { CreditWindow } from '../src/core/credits.js';
import { DEFAULT_LIMITS, type ResolvedLimits, resolveLimits } from '../src/core/limits.js';

const req = (command: number, credits: number, creditCharge = 1) => ({ command, credits, creditCharge });

describe('CreditWindow', () => {
  it('starts with MessageId 0 only; NEGOTIATE and an unfinished SESSION_SETUP grant just the charge', () => {
    const w = new CreditWindow();
    expect(w.consume(Command.NEGOTIATE, 1n, 1)).toBe(false);
    expect(w.consume(Command.NEGOTIATE, 0n, 1)).toBe(true);
    expect(w.grant(req(Command.NEGOTIATE, 100), NtStatus.SUCCESS)).toBe(1);
    expect(w.consume(Command.SESSION_SETUP, 1n, 1)).toBe(true);
    expect(w.grant(req(Command.SESSION_SETUP, 100), NtStatus.MORE_PROCESSING_REQUIRED)).toBe(1);
    expect(w.consume(Command.SESSION_SETUP, 2n, 1)).toBe(true);
    expect(w.grant(req(Command.SESSION_SETUP, 65535), NtStatus.SUCCESS)).toBe(8192);
    expect(w.outstanding).toBe(8192);
  });

  it('grants what is asked (at least the charge), never past max outstanding', () => {
    const w = new CreditWindow(8192, true);
    w.consume(Command.NEGOTIATE, 0n, 1);
    expect(w.grant(req(Command.CREATE, 0), NtStatus.SUCCESS)).toBe(1);
    w.consume(Command.CREATE, 1n, 1);
    expect(w.grant(req(Command.CREATE, 1), NtStatus.SUCCESS)).toBe(1);
    w.consume(Command.CREATE, 2n, 1);
    expect(w.grant(req(Command.CREATE, 10_000), NtStatus.SUCCESS)).toBe(8192);
    w.consume(Command.READ, 3n, 1);
    expect(w.grant(req(Command.READ, 10_000), NtStatus.SUCCESS)).toBe(1);
  });

  it('refuses reused MessageIds, ids past the window and charges above the credits held', () => {
    const w = new CreditWindow(16, true);
    w.consume(Command.NEGOTIATE, 0n, 1);
    w.grant(req(Command.NEGOTIATE, 1), 0);
    w.consume(Command.SESSION_SETUP, 1n, 1);
    w.grant(req(Command.SESSION_SETUP, 8), 0);
    expect(w.consume(Command.READ, 1n, 1)).toBe(false);
    expect(w.consume(Command.READ, 10n, 1)).toBe(false);
    expect(w.consume(Command.READ, 2n, 9)).toBe(false);
    // CreditCharge 4 takes MessageIds 2..5.
    expect(w.consume(Command.READ, 2n, 4)).toBe(true);
    expect(w.consume(Command.READ, 5n, 1)).toBe(false);
    expect(w.consume(Command.READ, 6n, 1)).toBe(true);
    // CANCEL reuses the MessageId of what it cancels.
    expect(w.consume(Command.CANCEL, 6n, 1)).toBe(true);
  });

  it('2.0.2 (not multi-credit) charges 1 whatever CreditCharge says', () => {
    const w = new CreditWindow(8192, false);
    w.consume(Command.NEGOTIATE, 0n, 1);
    w.grant(req(Command.NEGOTIATE, 1), 0);
    expect(w.consume(Command.READ, 1n, 8)).toBe(true);
    expect(w.outstanding).toBe(0);
  });

  it('a skipped MessageId holds the window until it is used, then the grants resume (smbtorture skipped_mid)', () => {
    const max = 64;
    const w = new CreditWindow(max, true);
    w.consume(Command.NEGOTIATE, 0n, 1);
    w.grant(req(Command.NEGOTIATE, max), 0);
    w.consume(Command.SESSION_SETUP, 1n, 1);
    expect(w.grant(req(Command.SESSION_SETUP, max), 0)).toBe(max);
    // Skip MessageId 2: every other id of the window is used, no credit comes back.
    for (let id = 3n; id < 2n + BigInt(max); id++) {
      expect(w.consume(Command.WRITE, id, 1)).toBe(true);
      expect(w.grant(req(Command.WRITE, max), 0)).toBe(0);
    }
    expect(w.consume(Command.WRITE, 2n + BigInt(max), 1)).toBe(false);
    expect(w.consume(Command.CLOSE, 2n, 1)).toBe(true);
    expect(w.grant(req(Command.CLOSE, max), 0)).toBe(max);
  });

  it('the final response of an async request grants nothing', () => {
    const w = new CreditWindow();
    w.consume(Command.NEGOTIATE, 0n, 1);
    expect(w.grant(req(Command.NEGOTIATE, 5), 0, true)).toBe(0);
  });
});

describe('CreditWindow against a model', () => {
  it('accepts and refuses exactly what a set of granted, unused numbers allows (in and out of order)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 50; run++) {
      const w = new CreditWindow(64, true);
      const free = new Set<bigint>([0n]); // what the model says the client may use
      let next = 1n; // the next number a grant hands out
      for (let step = 0; step < 300; step++) {
        if (rand(3) === 0) {
          const credits = w.grant({ command: Command.READ, credits: 1 + rand(8), creditCharge: 1 }, 0);
          for (let i = 0; i < credits; i++) free.add(next++);
          continue;
        }
        // in order from the lowest free number most of the time, else anywhere (also invalid)
        const lowest = [...free].sort((a, b) => (a < b ? -1 : 1))[0] ?? next;
        const id = rand(4) === 0 ? BigInt(rand(Number(next) + 3)) : lowest;
        const charge = 1 + rand(3);
        const ids = Array.from({ length: charge }, (_, i) => id + BigInt(i));
        const allowed = charge <= free.size && ids.every((x) => free.has(x));
        expect(w.consume(Command.READ, id, charge)).toBe(allowed);
        if (allowed) for (const x of ids) free.delete(x);
        expect(w.outstanding).toBe(free.size);
      }
    }
  });
});

describe('limits', () => {
  it('fills in the defaults and keeps what is given', () => {
    expect(resolveLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ maxConnections: 3, idleTimeoutMs: 0 })).toMatchObject({
      maxConnections: 3,
      idleTimeoutMs: 0,
      maxCredits: 8192,
    });
  });

  it('refuses negative, non-finite and out-of-range values', () => {
    expect(() => resolveLimits({ maxConnections: -1 })).toThrow(RangeError);
    expect(() => resolveLimits({ authTimeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => resolveLimits({ maxCredits: 0 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxCredits: 70_000 })).toThrow(RangeError);
  });
});

/** Enough of a Socket for the guard: pause/resume, write with a settable backlog, destroy. */
class FakeSocket extends EventEmitter {
  paused = false;
  destroyed = false;
  writableLength = 0;
  written = 0;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  write(b: Uint8Array) {
    this.written += b.length;
    this.writableLength += b.length;
    return true;
  }
  destroy() {
    this.destroyed = true;
  }
}

describe('ConnectionGuard', () => {
  afterEach(() => vi.useRealTimers());
  const limits = (l: Partial<ResolvedLimits>): ResolvedLimits => ({ ...DEFAULT_LIMITS, ...l });
  const state = (authenticated: boolean, busy = false) => ({
    authenticated: () => authenticated,
    busy: () => busy,
  });

  it('closes a connection that has not authenticated within authTimeoutMs', () => {
    vi.useFakeTimers();
    const s = new FakeSocket();
    new ConnectionGuard(s as unknown as Socket, limits({ authTimeoutMs: 1000 }), state(false));
    vi.advanceTimersByTime(999);
    expect(s.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(s.destroyed).toBe(true);
  });

  it('keeps an authenticated connection past authTimeoutMs', () => {
    vi.useFakeTimers();
    const s = new FakeSocket();
    new ConnectionGuard(
      s as unknown as Socket,
      limits({ authTimeoutMs: 1000, idleTimeoutMs: 0 }),
      state(true),
    );
    vi.advanceTimersByTime(5000);
    expect(s.destroyed).toBe(false);
  });

  it('closes a connection idle for idleTimeoutMs, counting from its last frame, unless it holds opens', () => {
    vi.useFakeTimers();
    const s = new FakeSocket();
    const g = new ConnectionGuard(
      s as unknown as Socket,
      limits({ idleTimeoutMs: 1000, authTimeoutMs: 0 }),
      state(true),
    );
    vi.advanceTimersByTime(600);
    g.received();
    g.answered();
    vi.advanceTimersByTime(600);
    expect(s.destroyed).toBe(false);
    vi.advanceTimersByTime(400);
    expect(s.destroyed).toBe(true);

    const busy = new FakeSocket();
    new ConnectionGuard(
      busy as unknown as Socket,
      limits({ idleTimeoutMs: 1000, authTimeoutMs: 0 }),
      state(true, true),
    );
    vi.advanceTimersByTime(10_000);
    expect(busy.destroyed).toBe(false);
  });

  it('stops reading past maxPendingRequests and resumes at half', () => {
    const s = new FakeSocket();
    const g = new ConnectionGuard(s as unknown as Socket, limits({ maxPendingRequests: 4 }), state(true));
    for (let i = 0; i < 3; i++) g.received();
    expect(s.paused).toBe(false);
    g.received();
    expect(s.paused).toBe(true);
    g.answered();
    expect(s.paused).toBe(true);
    g.answered();
    expect(s.paused).toBe(false);
    g.stop();
  });

  it('stops reading while more than maxQueuedOutputBytes wait for the peer, resumes on drain', () => {
    const s = new FakeSocket();
    const g = new ConnectionGuard(s as unknown as Socket, limits({ maxQueuedOutputBytes: 100 }), state(true));
    g.write(new Uint8Array(80));
    expect(s.paused).toBe(false);
    g.write(new Uint8Array(80));
    expect(s.paused).toBe(true);
    s.writableLength = 0;
    s.emit('drain');
    expect(s.paused).toBe(false);
    g.stop();
  });
});
