/**
 * Kerberos checksum type numbers (IANA "Kerberos Checksum Type Numbers"; RFC 3961 §8,
 * RFC 3962 §7, RFC 4757 §4, RFC 6803, RFC 8009 §7) and MIT krb5's names for them.
 * Which ones are implemented: `isCksumtypeSupported()`.
 */

export const Cksumtype = {
  CRC32: 1,
  RSA_MD4: 2,
  RSA_MD4_DES: 3,
  DESCBC: 4,
  RSA_MD5: 7,
  RSA_MD5_DES: 8,
  NIST_SHA: 14,
  HMAC_SHA1_DES3: 12,
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  CMAC_CAMELLIA128: 17,
  CMAC_CAMELLIA256: 18,
  HMAC_SHA256_128_AES128: 19,
  HMAC_SHA384_192_AES256: 20,
  MD5_HMAC_ARCFOUR: -137,
  HMAC_MD5_ARCFOUR: -138,
} as const;

export type CksumtypeName = keyof typeof Cksumtype;
export type CksumtypeId = (typeof Cksumtype)[CksumtypeName];

const MIT_NAMES: ReadonlyMap<number, readonly string[]> = new Map<number, readonly string[]>([
  [Cksumtype.CRC32, ['crc32']],
  [Cksumtype.RSA_MD4, ['md4']],
  [Cksumtype.RSA_MD4_DES, ['md4-des']],
  [Cksumtype.DESCBC, ['des-cbc']],
  [Cksumtype.RSA_MD5, ['md5']],
  [Cksumtype.RSA_MD5_DES, ['md5-des']],
  [Cksumtype.NIST_SHA, ['sha']],
  [Cksumtype.HMAC_SHA1_DES3, ['hmac-sha1-des3', 'hmac-sha1-des3-kd']],
  [Cksumtype.HMAC_SHA1_96_AES128, ['hmac-sha1-96-aes128']],
  [Cksumtype.HMAC_SHA1_96_AES256, ['hmac-sha1-96-aes256']],
  [Cksumtype.CMAC_CAMELLIA128, ['cmac-camellia128']],
  [Cksumtype.CMAC_CAMELLIA256, ['cmac-camellia256']],
  [Cksumtype.HMAC_SHA256_128_AES128, ['hmac-sha256-128-aes128']],
  [Cksumtype.HMAC_SHA384_192_AES256, ['hmac-sha384-192-aes256']],
  [Cksumtype.MD5_HMAC_ARCFOUR, ['md5-hmac-rc4']],
  [Cksumtype.HMAC_MD5_ARCFOUR, ['hmac-md5-arcfour', 'hmac-md5-rc4', 'hmac-md5-enc', 'hmac-md5-earcfour']],
]);

const BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [id, names] of MIT_NAMES) for (const n of names) m.set(n, id);
  for (const [constName, id] of Object.entries(Cksumtype)) m.set(constName.toLowerCase(), id);
  return m;
})();

/** Canonical name of a checksum type (`hmac-sha1-96-aes256`), or undefined if unknown. */
export function cksumtypeName(id: number): string | undefined {
  return MIT_NAMES.get(id)?.[0];
}

/** All names of a checksum type, canonical first (empty if unknown). */
export function cksumtypeAliases(id: number): readonly string[] {
  return MIT_NAMES.get(id) ?? [];
}

/** Checksum type number from a name or constant name, case-insensitive; undefined if unknown. */
export function cksumtypeFromName(name: string): number | undefined {
  if (typeof name !== 'string') return undefined;
  return BY_NAME.get(name.trim().toLowerCase());
}

/** Every checksum type number in the registry. */
export function knownCksumtypes(): readonly number[] {
  return [...MIT_NAMES.keys()];
}
