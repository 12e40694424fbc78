/** What the AS and TGS handlers share: the realm, the store, time, randomness and policy. */
import type { Clock, Random } from '@postntlm/krb5-client';
import {
  decrypt,
  getEnctype,
  isEnctypeEnabled,
  type Key,
  KeyUsage,
  randomToKey,
} from '@postntlm/krb5-crypto';
import {
  decode,
  EncTicketPart,
  ErrorCode,
  type Principal,
  type PrincipalName,
} from '@postntlm/krb5-messages';
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
  /** The realm's domain SID for PACs (`S-1-5-21-a-b-c`). */
  readonly domainSid: string;
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

/**
 * A `Key` for a key value that is new with each request (an authenticator subkey): no
 * lookup in the session key cache, which such keys would only churn. `undefined` for an
 * enctype krb5-crypto does not enable.
 */
export function freshKey(enctype: number, bytes: Uint8Array): Key | undefined {
  if (!isEnctypeEnabled(enctype)) return undefined;
  return { enctype, bytes: bytes.slice() };
}

/** A ticket's decrypted and decoded EncTicketPart, with its session key as a `Key`. */
export interface OpenedTicket {
  /** Shared by every request that presents the same ticket: frozen, never to be modified. */
  readonly part: EncTicketPart;
  /** `undefined` when krb5-crypto does not enable the session key's enctype. */
  readonly session: Key | undefined;
}

interface OpenedEntry {
  readonly enctype: number;
  /** Copies of the key bytes and of the ciphertext this entry was opened from. */
  readonly keyBytes: Uint8Array;
  readonly cipher: Uint8Array;
  readonly opened: OpenedTicket;
}

const OPENED_TICKET_CACHE = 1024;
const openedTickets = new Map<string, OpenedEntry>();

/** Whether `a` and `b` hold the same bytes; no early exit on the contents. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value))
    return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * Decrypts a ticket's enc-part under `key` (key usage 2, RFC 4120 §5.3) and decodes its
 * EncTicketPart; throws on an integrity failure or malformed contents. A TGT is presented
 * for many TGS-REQs, and the result depends only on the key and the ciphertext, so a
 * result is kept (bounded, oldest out first) and reused only for byte-identical ciphertext
 * under a key of the same enctype and bytes: exactly the input that already passed the
 * integrity check. Everything time- or policy-dependent is still checked per request.
 */
export function openTicket(key: Key, cipher: Uint8Array): OpenedTicket {
  const n = cipher.length;
  // Any 16 ciphertext bytes look random (confounder, MAC); the exact match follows.
  let id = `${key.enctype}:${n}:`;
  for (let i = 0; i < 8 && i < n; i++) id += String.fromCharCode(cipher[i] ?? 0, cipher[n - 1 - i] ?? 0);
  const hit = openedTickets.get(id);
  if (
    hit !== undefined &&
    hit.enctype === key.enctype &&
    sameBytes(hit.keyBytes, key.bytes) &&
    sameBytes(hit.cipher, cipher)
  ) {
    return hit.opened;
  }
  const part = deepFreeze(decode(EncTicketPart, decrypt(key, KeyUsage.KDC_REP_TICKET, cipher)));
  const session = keyFromBytes(part.key.keytype, part.key.keyvalue);
  const opened: OpenedTicket = { part, session };
  if (session !== undefined) {
    if (hit === undefined && openedTickets.size >= OPENED_TICKET_CACHE) {
      const oldest = openedTickets.keys().next().value;
      if (oldest !== undefined) openedTickets.delete(oldest);
    }
    openedTickets.set(id, {
      enctype: key.enctype,
      keyBytes: key.bytes.slice(),
      cipher: cipher.slice(),
      opened,
    });
  }
  return opened;
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
