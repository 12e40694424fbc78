/** Long-term keys for a new principal or a password change: from a password, or random. */
import { getEnctype, type Key, randomToKey, stringToKey } from '@postntlm/krb5-crypto';
import { defaultSalt, type Principal } from '@postntlm/krb5-messages';
import type { PrincipalKey } from './principal-store.js';

/** Enctypes of new keys, strongest first. */
export const DEFAULT_KEY_ENCTYPES: readonly number[] = [20, 18, 19, 17];

export interface KeySource {
  /** Derive keys from this password (string-to-key with the salt). */
  readonly password?: string | undefined;
  /** Random keys (from `random`, or the platform CSPRNG). */
  readonly randomKey?: boolean | undefined;
  /** Enctypes (default 20, 18, 19, 17). */
  readonly enctypes?: readonly number[] | undefined;
  /** Salt for `password` (default: realm + components). */
  readonly salt?: string | undefined;
  /** Source of random key bytes (default `crypto.getRandomValues`). */
  readonly random?: ((length: number) => Uint8Array) | undefined;
}

export function systemRandom(length: number): Uint8Array {
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** The keys `source` asks for, all with `kvno`; empty when it names neither a password nor random keys. */
export async function deriveKeys(
  principal: Principal,
  source: KeySource,
  kvno: number,
): Promise<PrincipalKey[]> {
  const enctypes = source.enctypes ?? DEFAULT_KEY_ENCTYPES;
  const keys: PrincipalKey[] = [];
  if (source.password !== undefined) {
    const salt = source.salt ?? defaultSalt(principal);
    for (const enctype of enctypes) {
      const key: Key = await stringToKey(enctype, source.password, salt);
      keys.push({ key, kvno, ...(source.salt === undefined ? {} : { salt }) });
    }
  }
  if (source.randomKey === true) {
    const random = source.random ?? systemRandom;
    for (const enctype of enctypes) {
      keys.push({ key: randomToKey(enctype, random(getEnctype(enctype).seedLength)), kvno });
    }
  }
  return keys;
}
