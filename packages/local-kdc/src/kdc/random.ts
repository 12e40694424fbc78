/** Random bytes drawn from the platform CSPRNG in batches (one `getRandomValues` per 4 KiB, not per session key). */
import type { Random } from '@postntlm/krb5-client';

const POOL = 4096;

export function pooledRandom(source: Random): Random {
  let pool: Uint8Array = new Uint8Array(0);
  let used = 0;
  return {
    bytes(length: number): Uint8Array {
      if (length > POOL / 4) return source.bytes(length);
      if (used + length > pool.length) {
        pool = source.bytes(POOL);
        used = 0;
      }
      const out = pool.slice(used, used + length);
      // Bytes handed out are wiped from the pool.
      pool.fill(0, used, used + length);
      used += length;
      return out;
    },
  };
}
