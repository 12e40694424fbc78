/**
 * A cache keyed by object identity for per-key state (derived keys, cipher contexts),
 * where most keys are used once and some are used many times.
 *
 * A WeakMap alone would do, but inserting an object that is still in V8's young
 * generation into a WeakMap is expensive: ~2 µs per insert on Node 20, and the ephemerons
 * make the next scavenges slower and keep garbage alive into the old generation. A KDC
 * makes several such one-use keys per request (the TGS-REQ authenticator's subkey and the
 * Ke and Ki derived from it): with them in WeakMaps a TGS request cost its engine ~226 µs
 * of CPU, without ~130 µs.
 *
 * So a new key first goes into a small ring of strong references, looked up by identity.
 * Only a key used PROMOTE_AFTER times while in the ring moves to the WeakMap, where it
 * stays for as long as the key object lives. A key used once is pushed out of the ring
 * by RING_SIZE newer keys and goes away with its state. That ring keeps up to RING_SIZE
 * keys' state alive after their last use, as an idle process's last keys. The WeakMap
 * keeps state for as long as its key object lives, so this adds nothing new in kind.
 */
export class ObjectCache<K extends object, V> {
  static readonly RING_SIZE = 16;
  /** Uses while in the ring after which an entry moves to the WeakMap (the insert is one use). */
  static readonly PROMOTE_AFTER = 3;

  readonly #settled = new WeakMap<K, V>();
  readonly #ringKeys: (K | undefined)[] = new Array(ObjectCache.RING_SIZE).fill(undefined);
  readonly #ringValues: (V | undefined)[] = new Array(ObjectCache.RING_SIZE).fill(undefined);
  readonly #ringUses: number[] = new Array(ObjectCache.RING_SIZE).fill(0);
  #next = 0;

  /** The value cached for `key`, counting one use of it; undefined if there is none. */
  get(key: K): V | undefined {
    const settled = this.#settled.get(key);
    if (settled !== undefined) return settled;
    const keys = this.#ringKeys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== key) continue;
      const value = this.#ringValues[i] as V;
      if (++this.#ringUses[i]! >= ObjectCache.PROMOTE_AFTER) {
        this.#settled.set(key, value);
        this.#clear(i);
      }
      return value;
    }
    return undefined;
  }

  /** Caches `value` for `key` (replacing what was cached for it), as its first use. */
  set(key: K, value: V): void {
    const keys = this.#ringKeys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) this.#clear(i);
    if (this.#settled.has(key)) {
      this.#settled.set(key, value);
      return;
    }
    const slot = this.#next;
    this.#next = (slot + 1) % keys.length;
    keys[slot] = key;
    this.#ringValues[slot] = value;
    this.#ringUses[slot] = 1;
  }

  #clear(i: number): void {
    this.#ringKeys[i] = undefined;
    this.#ringValues[i] = undefined;
    this.#ringUses[i] = 0;
  }
}
