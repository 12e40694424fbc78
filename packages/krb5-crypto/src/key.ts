/**
 * The key object (RFC 4120 EncryptionKey) and the per-key cache of derived keys.
 *
 * RFC 3961 §5.3 derives a separate key per usage (Kc, Ke, Ki); deriving them costs a few
 * AES or HMAC operations, more than encrypting a small message. They are computed once per
 * (key object, usage) and kept in an ObjectCache keyed by the Key object, so they go away
 * with the key (or, for a key used only once or twice, once newer keys push it out of the
 * cache's ring). Treat `key.bytes` as immutable once the key has been used: the cache
 * does not notice changes to the bytes' contents.
 */
import { InvalidInputError } from './errors.js';
import { ObjectCache } from './object-cache.js';
import { isBytes } from './primitives/index.js';

/** An encryption key: enctype number and key bytes (RFC 4120 EncryptionKey). */
export interface Key {
  readonly enctype: number;
  readonly bytes: Uint8Array;
}

/** Makes a frozen Key; copies the bytes unless told they are already private. */
export function makeKey(enctype: number, bytes: Uint8Array, copy = true): Key {
  return Object.freeze({ enctype, bytes: copy ? new Uint8Array(bytes) : bytes });
}

/** Checks the shape of a Key argument (not its length: that depends on the enctype). */
export function checkKeyShape(key: unknown): asserts key is Key {
  if (typeof key !== 'object' || key === null) throw new InvalidInputError('key must be a Key object');
  const k = key as { enctype?: unknown; bytes?: unknown };
  if (typeof k.enctype !== 'number' || !Number.isInteger(k.enctype)) {
    throw new InvalidInputError('key.enctype must be an integer');
  }
  if (!isBytes(k.bytes)) throw new InvalidInputError('key.bytes must be a Uint8Array');
}

/** Keys derived for one usage; each field is filled on first use. */
export interface UsageKeys {
  ke?: Uint8Array;
  ki?: Uint8Array;
  kc?: Uint8Array;
}

interface KeyState {
  readonly bytes: Uint8Array;
  readonly enctype: number;
  readonly usages: Map<number, UsageKeys>;
  /** Other derived values (PRF key, RC4 signing key...), by name. */
  readonly named: Map<string, Uint8Array>;
}

const states = new ObjectCache<Key, KeyState>();

function state(key: Key): KeyState {
  let s = states.get(key);
  // A mutable (non-frozen) key object whose fields were replaced gets a fresh cache.
  if (s === undefined || s.bytes !== key.bytes || s.enctype !== key.enctype) {
    s = { bytes: key.bytes, enctype: key.enctype, usages: new Map(), named: new Map() };
    states.set(key, s);
  }
  return s;
}

/** The cache entry for (key, usage). */
export function usageKeys(key: Key, usage: number): UsageKeys {
  const s = state(key);
  let u = s.usages.get(usage);
  if (u === undefined) {
    u = {};
    s.usages.set(usage, u);
  }
  return u;
}

/** A named derived value for this key, computed by `make` on first use. */
export function namedDerived(key: Key, name: string, make: () => Uint8Array): Uint8Array {
  const s = state(key);
  let v = s.named.get(name);
  if (v === undefined) {
    v = make();
    s.named.set(name, v);
  }
  return v;
}

/** Validates a usage number: a 32-bit integer (RFC 3961 §3 encodes it in 4 octets). */
export function checkUsage(usage: unknown): asserts usage is number {
  if (typeof usage !== 'number' || !Number.isInteger(usage) || usage < -0x80000000 || usage > 0xffffffff) {
    throw new InvalidInputError(`key usage must be a 32-bit integer, got ${String(usage)}`);
  }
}

/** The 4-byte big-endian encoding of a usage (negative numbers as two's complement). */
export function usageBytesBE(usage: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, usage >>> 0, false);
  return out;
}
