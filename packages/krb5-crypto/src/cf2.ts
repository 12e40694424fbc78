/**
 * KRB-FX-CF2 (RFC 6113 §5.1): combines two keys into one, as FAST armor and PKINIT/SPAKE
 * reply keys do:
 *
 *   KRB-FX-CF2(K1, K2, pepper1, pepper2) =
 *     random-to-key(PRF+(K1, pepper1) XOR PRF+(K2, pepper2))
 *
 * with PRF+ outputs truncated to the key-generation seed length of K1's enctype; the
 * result has K1's enctype.
 */
import type { Key } from './key.js';
import { makeKey } from './key.js';
import { prfPlus } from './prf.js';
import { utf8Encode } from './primitives/index.js';
import { implForKey } from './rfc3961.js';
import { requireBytesOrString } from './validate.js';

function pepperBytes(name: string, pepper: Uint8Array | string): Uint8Array {
  requireBytesOrString(name, pepper);
  return typeof pepper === 'string' ? utf8Encode(pepper) : pepper;
}

export function cf2(key1: Key, key2: Key, pepper1: Uint8Array | string, pepper2: Uint8Array | string): Key {
  const impl = implForKey(key1);
  implForKey(key2);
  const p1 = pepperBytes('pepper1', pepper1);
  const p2 = pepperBytes('pepper2', pepper2);
  const n = impl.profile.seedLength;
  const a = prfPlus(key1, p1, n);
  const b = prfPlus(key2, p2, n);
  for (let i = 0; i < n; i++) a[i] = a[i]! ^ b[i]!;
  return makeKey(impl.profile.id, impl.randomToKey(a), false);
}
