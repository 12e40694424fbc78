/** What the AS and TGS handlers share: the realm, the store, time, randomness and policy. */
import type { Clock, Random } from '@postntlm/krb5-client';
import { getEnctype, isEnctypeEnabled, type Key, randomToKey } from '@postntlm/krb5-crypto';
import { ErrorCode, type Principal, type PrincipalName } from '@postntlm/krb5-messages';
import {
  currentKeys,
  type PrincipalEntry,
  type PrincipalKey,
  type PrincipalStore,
} from '../store/principal-store.js';
import { KdcFailure } from './failure.js';
import { enctypeAllowed, type KdcPolicy, strongest } from './policy.js';

export interface KdcContext {
  readonly realm: string;
  readonly store: PrincipalStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly policy: KdcPolicy;
}

/** The TGS principal of the realm, krbtgt/REALM@REALM (RFC 4120 §7.3). */
export function tgsName(realm: string): PrincipalName {
  return { nameType: 2, nameString: ['krbtgt', realm] };
}

export function isTgsName(name: PrincipalName, realm: string): boolean {
  return name.nameString.length === 2 && name.nameString[0] === 'krbtgt' && name.nameString[1] === realm;
}

/** Whether KDC option `bit` is set (KerberosFlags: bit 0 is the most significant). */
export function option(flags: number, bit: number): boolean {
  return (flags & (0x80000000 >>> bit)) !== 0;
}

/** The KerberosFlags value of one bit. */
export const bitOf = (bit: number): number => 0x80000000 >>> bit;

/** An enctype the policy allows and krb5-crypto can use now. */
export function usable(ctx: KdcContext, enctype: number): boolean {
  return enctypeAllowed(ctx.policy, enctype) && isEnctypeEnabled(enctype);
}

/** The current key of each enctype of `entry` that the policy allows, by enctype. */
export function usableKeys(ctx: KdcContext, entry: PrincipalEntry): Map<number, PrincipalKey> {
  const out = new Map<number, PrincipalKey>();
  for (const k of currentKeys(entry)) if (usable(ctx, k.key.enctype)) out.set(k.key.enctype, k);
  return out;
}

/** The key a ticket for `server` is encrypted in: its strongest usable current key. */
export function ticketKey(ctx: KdcContext, server: PrincipalEntry): PrincipalKey {
  const keys = usableKeys(ctx, server);
  const etype = strongest(keys.keys(), () => true);
  if (etype === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP, { eText: 'NO_SERVER_KEY' });
  return keys.get(etype) as PrincipalKey;
}

/** A fresh session key of `enctype`. */
export function sessionKey(ctx: KdcContext, enctype: number): Key {
  return randomToKey(enctype, ctx.random.bytes(getEnctype(enctype).seedLength));
}

const SESSION_KEY_CACHE = 4096;
const sessionKeys = new Map<string, Key>();

/**
 * The `Key` object for a session key or subkey read from a ticket or authenticator. The
 * same TGT is presented for many TGS-REQs; reusing one `Key` per key value lets
 * krb5-crypto reuse its derived keys (cached per object). Bounded, oldest out first.
 */
export function keyFromBytes(enctype: number, bytes: Uint8Array): Key | undefined {
  if (!isEnctypeEnabled(enctype)) return undefined;
  let id = `${enctype}:`;
  for (let i = 0; i < bytes.length; i++) id += String.fromCharCode(bytes[i] ?? 0);
  let key = sessionKeys.get(id);
  if (key === undefined) {
    key = { enctype, bytes: bytes.slice() };
    if (sessionKeys.size >= SESSION_KEY_CACHE) {
      const oldest = sessionKeys.keys().next().value;
      if (oldest !== undefined) sessionKeys.delete(oldest);
    }
    sessionKeys.set(id, key);
  }
  return key;
}

/** Looks a principal up; storage failures propagate (the engine answers KRB_ERR_GENERIC). */
export function lookup(
  ctx: KdcContext,
  realm: string,
  name: PrincipalName,
): Promise<PrincipalEntry | undefined> {
  const principal: Principal = { realm, name };
  return ctx.store.get(principal);
}

/** `a` ≤ `b` with `undefined` meaning no limit. */
export function minLimit(...values: (number | undefined)[]): number {
  let out = Number.POSITIVE_INFINITY;
  for (const v of values) if (v !== undefined && v < out) out = v;
  return out;
}
