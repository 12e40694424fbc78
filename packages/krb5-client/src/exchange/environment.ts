/**
 * Time and randomness, injected (STYLE habit 9): the exchanges never read the system clock
 * or a global random source themselves, so tests can run them at a fixed time, with a
 * skewed clock, or with repeatable nonces, confounders and subkeys.
 */

/** A clock: milliseconds since the Unix epoch, UTC. */
export interface Clock {
  now(): number;
}

/** A source of random bytes (cryptographically strong in production). */
export interface Random {
  /** `length` fresh random bytes. */
  bytes(length: number): Uint8Array;
}

/** The host clock (`Date.now()`). */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock stopped at `time` (a Date, an ISO string or milliseconds), for tests. */
export function fixedClock(time: Date | string | number): Clock {
  const ms = typeof time === 'number' ? time : new Date(time).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`fixedClock: not a time: ${String(time)}`);
  return { now: () => ms };
}

/** `clock` shifted by `offsetMs` (a host whose clock is wrong by that much). */
export function offsetClock(clock: Clock, offsetMs: number): Clock {
  return { now: () => clock.now() + offsetMs };
}

/** The platform CSPRNG (`crypto.getRandomValues`: Node ≥ 19, Deno, Bun, browsers). */
export const cryptoRandom: Random = {
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65536 bytes per call.
    for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, i + 65536));
    return out;
  },
};

/**
 * A repeatable, NOT secure, random source (xorshift32 from `seed`), for tests that want the
 * same nonces, confounders and subkeys on every run.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  return {
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[i] = state & 0xff;
      }
      return out;
    },
  };
}

/** A KDC-REQ nonce: 31 random bits (RFC 4120 §5.4.1 UInt32; MIT and Windows keep it below 2^31). */
export function randomNonce(random: Random): number {
  const b = random.bytes(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
}
