/**
 * Kerberos encryption type numbers (IANA "Kerberos Encryption Type Numbers"; RFC 3961 §8,
 * RFC 3962 §7, RFC 4757, RFC 6803, RFC 8009 §7) and the names MIT krb5 uses for them in
 * krb5.conf / kadmin / ktutil (canonical name first, then the aliases MIT accepts).
 *
 * This registry lists every enctype a peer may send, including the ones this package does
 * not implement (DES, DES3, Camellia, RC4-EXP), so that they can be named in logs and
 * errors. Which ones are implemented: `getEnctype()` / `isEnctypeSupported()`.
 */

export const Enctype = {
  DES_CBC_CRC: 1,
  DES_CBC_MD4: 2,
  DES_CBC_MD5: 3,
  DES_CBC_RAW: 4,
  DES3_CBC_SHA: 5,
  DES3_CBC_RAW: 6,
  DES_HMAC_SHA1: 8,
  DES3_CBC_SHA1: 16,
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
  ARCFOUR_HMAC: 23,
  ARCFOUR_HMAC_EXP: 24,
  CAMELLIA128_CTS_CMAC: 25,
  CAMELLIA256_CTS_CMAC: 26,
} as const;

export type EnctypeName = keyof typeof Enctype;
export type EnctypeId = (typeof Enctype)[EnctypeName];

/** MIT names: [canonical, ...aliases]. */
const MIT_NAMES: ReadonlyMap<number, readonly string[]> = new Map<number, readonly string[]>([
  [Enctype.DES_CBC_CRC, ['des-cbc-crc']],
  [Enctype.DES_CBC_MD4, ['des-cbc-md4']],
  [Enctype.DES_CBC_MD5, ['des-cbc-md5', 'des']],
  [Enctype.DES_CBC_RAW, ['des-cbc-raw']],
  [Enctype.DES3_CBC_SHA, ['des3-cbc-sha']],
  [Enctype.DES3_CBC_RAW, ['des3-cbc-raw']],
  [Enctype.DES_HMAC_SHA1, ['des-hmac-sha1']],
  [Enctype.DES3_CBC_SHA1, ['des3-cbc-sha1', 'des3-hmac-sha1', 'des3-cbc-sha1-kd']],
  [Enctype.AES128_CTS_HMAC_SHA1_96, ['aes128-cts-hmac-sha1-96', 'aes128-cts', 'aes128-sha1']],
  [Enctype.AES256_CTS_HMAC_SHA1_96, ['aes256-cts-hmac-sha1-96', 'aes256-cts', 'aes256-sha1']],
  [Enctype.AES128_CTS_HMAC_SHA256_128, ['aes128-cts-hmac-sha256-128', 'aes128-sha2']],
  [Enctype.AES256_CTS_HMAC_SHA384_192, ['aes256-cts-hmac-sha384-192', 'aes256-sha2']],
  [Enctype.ARCFOUR_HMAC, ['arcfour-hmac', 'rc4-hmac', 'arcfour-hmac-md5']],
  [Enctype.ARCFOUR_HMAC_EXP, ['arcfour-hmac-exp', 'rc4-hmac-exp', 'arcfour-hmac-md5-exp']],
  [Enctype.CAMELLIA128_CTS_CMAC, ['camellia128-cts-cmac', 'camellia128-cts']],
  [Enctype.CAMELLIA256_CTS_CMAC, ['camellia256-cts-cmac', 'camellia256-cts']],
]);

const BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [id, names] of MIT_NAMES) for (const n of names) m.set(n, id);
  for (const [constName, id] of Object.entries(Enctype)) m.set(constName.toLowerCase(), id);
  return m;
})();

/** MIT canonical name of an enctype (`aes256-cts-hmac-sha1-96`), or undefined if unknown. */
export function enctypeName(id: number): string | undefined {
  return MIT_NAMES.get(id)?.[0];
}

/** All MIT names of an enctype, canonical first (empty if unknown). */
export function enctypeAliases(id: number): readonly string[] {
  return MIT_NAMES.get(id) ?? [];
}

/**
 * Enctype number from a name: MIT canonical names and aliases (`aes256-cts`, `rc4-hmac`),
 * the constant names of `Enctype` (`AES256_CTS_HMAC_SHA1_96`), or a decimal number.
 * Case-insensitive. Undefined if unknown.
 */
export function enctypeFromName(name: string): number | undefined {
  if (typeof name !== 'string') return undefined;
  const n = name.trim().toLowerCase();
  const id = BY_NAME.get(n);
  if (id !== undefined) return id;
  if (/^-?\d{1,10}$/.test(n)) {
    const v = Number(n);
    if (Number.isSafeInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  }
  return undefined;
}

/** Every enctype number in the registry. */
export function knownEnctypes(): readonly number[] {
  return [...MIT_NAMES.keys()];
}
