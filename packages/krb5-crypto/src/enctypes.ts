/** The table of implemented enctypes and lookups by number or name. */
import { UnsupportedAlgorithmError } from './errors.js';
import { isRc4HmacEnabled } from './policy.js';
import type { EnctypeImpl, EnctypeProfile } from './profile.js';
import { enctypeFromName, enctypeName } from './registry/enctype.js';
import { aes128CtsHmacSha196, aes256CtsHmacSha196 } from './rfc3962-aes-sha1.js';
import { arcfourHmac } from './rfc4757-rc4-hmac.js';
import { aes128CtsHmacSha256128, aes256CtsHmacSha384192 } from './rfc8009-aes-sha2.js';

const IMPLS: ReadonlyMap<number, EnctypeImpl> = new Map(
  [aes128CtsHmacSha196, aes256CtsHmacSha196, aes128CtsHmacSha256128, aes256CtsHmacSha384192, arcfourHmac].map(
    (impl) => [impl.profile.id, impl],
  ),
);

function describe(id: number): string {
  const name = enctypeName(id);
  return name === undefined ? `enctype ${id}` : `enctype ${id} (${name})`;
}

/** Enctype number from a number or an MIT name; UnsupportedAlgorithmError if unknown. */
export function resolveEnctype(enctype: number | string): number {
  if (typeof enctype === 'number') {
    if (!Number.isInteger(enctype)) throw new UnsupportedAlgorithmError(`unknown enctype ${String(enctype)}`);
    return enctype;
  }
  if (typeof enctype === 'string') {
    const id = enctypeFromName(enctype);
    if (id === undefined) throw new UnsupportedAlgorithmError(`unknown enctype name "${enctype}"`);
    return id;
  }
  throw new UnsupportedAlgorithmError('enctype must be a number or a name');
}

/** The implementation, ignoring policy; UnsupportedAlgorithmError when not implemented. */
export function implOf(enctype: number | string): EnctypeImpl {
  const id = resolveEnctype(enctype);
  const impl = IMPLS.get(id);
  if (impl === undefined) throw new UnsupportedAlgorithmError(`${describe(id)} is not implemented`);
  return impl;
}

/** The implementation, honouring policy (RC4-HMAC needs the opt-in). */
export function enabledImpl(enctype: number | string): EnctypeImpl {
  const impl = implOf(enctype);
  if (impl.profile.requiresOptIn && !isRc4HmacEnabled()) {
    throw new UnsupportedAlgorithmError(
      `${describe(impl.profile.id)} is disabled: RC4-HMAC is weak; call enableRc4Hmac() to allow it`,
    );
  }
  return impl;
}

/**
 * Profile of an implemented enctype, by number or MIT name (`aes256-cts`, `rc4-hmac`...).
 * Returned even for RC4-HMAC while it is disabled (see `isEnctypeEnabled`).
 * UnsupportedAlgorithmError for unknown or unimplemented enctypes (DES, DES3, Camellia...).
 */
export function getEnctype(enctype: number | string): EnctypeProfile {
  return implOf(enctype).profile;
}

/** True when the enctype is implemented here (whatever the policy). */
export function isEnctypeSupported(enctype: number | string): boolean {
  try {
    implOf(enctype);
    return true;
  } catch {
    return false;
  }
}

/** True when the enctype is implemented and allowed by policy right now. */
export function isEnctypeEnabled(enctype: number | string): boolean {
  try {
    enabledImpl(enctype);
    return true;
  } catch {
    return false;
  }
}

/** Implemented enctype numbers, strongest first; RC4-HMAC only when enabled unless `includeDisabled`. */
export function supportedEnctypes(includeDisabled = false): number[] {
  const order = [20, 19, 18, 17, 23];
  return order.filter((id) => includeDisabled || isEnctypeEnabled(id));
}
