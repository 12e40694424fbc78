/** Option handling shared by the AS and TGS exchanges: enctype lists and request lifetimes. */
import { Enctype, enctypeName, isEnctypeEnabled, isEnctypeSupported } from '@postntlm/krb5-crypto';
import { ExchangePolicyError } from '../errors.js';

/**
 * The enctypes requested by default, in preference order: AES only (RFC 3962, RFC 8009),
 * aes256-sha1 first as in MIT's default list (what keytabs and KDCs have most widely),
 * then the SHA-2 ones.
 */
export const DEFAULT_ETYPES: readonly number[] = Object.freeze([
  Enctype.AES256_CTS_HMAC_SHA1_96,
  Enctype.AES128_CTS_HMAC_SHA1_96,
  Enctype.AES256_CTS_HMAC_SHA384_192,
  Enctype.AES128_CTS_HMAC_SHA256_128,
]);

/** MIT's default ticket lifetime (krb5.conf `ticket_lifetime`): one day. */
export const DEFAULT_LIFETIME_SECONDS = 24 * 3600;
/** Renewable lifetime asked for when `renewable` is set without a lifetime: 7 days. */
export const DEFAULT_RENEW_LIFETIME_SECONDS = 7 * 24 * 3600;
/** MIT's default `clockskew`: 5 minutes. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
/** How many realms a referral chain may visit (client and server referrals). */
export const DEFAULT_MAX_REFERRALS = 5;

const describe = (etype: number): string => `${etype} (${enctypeName(etype) ?? 'unknown'})`;

/**
 * The enctype list of a request: the caller's list (default `DEFAULT_ETYPES`), checked:
 * every entry implemented, RC4-HMAC (23) only with `allowRc4` and `enableRc4Hmac()`,
 * no duplicates, not empty.
 */
export function resolveEtypes(etypes: readonly number[] | undefined, allowRc4: boolean): readonly number[] {
  const list = etypes ?? DEFAULT_ETYPES;
  if (list.length === 0) {
    throw new ExchangePolicyError('no-usable-enctype', 'the enctype list is empty', {
      hint: 'leave `etypes` out for the AES default',
    });
  }
  const out: number[] = [];
  for (const etype of list) {
    if (!isEnctypeSupported(etype)) {
      throw new ExchangePolicyError('no-usable-enctype', `enctype ${describe(etype)} is not implemented`, {
        hint: 'PostNTLM implements 17, 18, 19, 20 and (opt-in) 23',
      });
    }
    if (etype === Enctype.ARCFOUR_HMAC && (!allowRc4 || !isEnctypeEnabled(etype))) {
      throw new ExchangePolicyError('no-usable-enctype', 'RC4-HMAC (23) is weak and off by default', {
        hint: 'pass `allowRc4: true` and call enableRc4Hmac() from @postntlm/krb5-crypto to request it',
      });
    }
    if (!out.includes(etype)) out.push(etype);
  }
  return Object.freeze(out);
}

/** Checks a positive number of seconds. */
export function positiveSeconds(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) {
    throw new ExchangePolicyError(
      'bad-argument',
      `${name} must be a positive number of seconds, got ${String(v)}`,
    );
  }
  return v;
}
