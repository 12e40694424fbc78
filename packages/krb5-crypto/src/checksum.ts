/**
 * Checksums (RFC 3961 §4 get_mic / verify_mic, and the checksum types of RFC 3962 §7,
 * RFC 8009 §5, RFC 4757 §4, plus the unkeyed MD5 and SHA-1 of RFC 3961 §6.1).
 *
 * Keyed types require a key of their enctype (hmac-sha1-96-aes128 needs an enctype 17
 * key...), except the Microsoft hmac-md5-arcfour (-138) which, as in Windows and MIT, works
 * with a key of any enctype (S4U2Self PA-FOR-USER uses it with AES session keys).
 * Unkeyed types (md5 = 7, sha = 14) ignore the key, which may be null; they protect
 * nothing against an attacker and exist only for old protocol fields.
 */
import { InvalidInputError, UnsupportedAlgorithmError } from './errors.js';
import { checkUsage, type Key } from './key.js';
import { type CryptoBackend, constantTimeEqual, getBackend } from './primitives/index.js';
import { Cksumtype, cksumtypeName } from './registry/cksumtype.js';
import { Enctype } from './registry/enctype.js';
import { implForKey } from './rfc3961.js';
import { hmacMd5Checksum } from './rfc4757-rc4-hmac.js';
import { requireBytes } from './validate.js';

/** Description of an implemented checksum type. */
export interface CksumtypeProfile {
  readonly id: number;
  readonly name: string;
  /** Checksum length in bytes. */
  readonly length: number;
  /** False for the unkeyed md5 / sha types. */
  readonly keyed: boolean;
  /** The enctype whose keys it takes; undefined when any key (or none) is accepted. */
  readonly enctype: number | undefined;
}

interface CksumImpl {
  readonly profile: CksumtypeProfile;
  compute(backend: CryptoBackend, key: Key | null, usage: number, data: Uint8Array): Uint8Array;
}

function profile(id: number, length: number, keyed: boolean, enctype: number | undefined): CksumtypeProfile {
  return Object.freeze({ id, name: cksumtypeName(id) ?? String(id), length, keyed, enctype });
}

function keyedBy(id: number, enctype: number, length: number): CksumImpl {
  return {
    profile: profile(id, length, true, enctype),
    compute(backend, key, usage, data) {
      const impl = implForKey(requireKey(key, id));
      if (key!.enctype !== enctype) {
        throw new InvalidInputError(
          `checksum type ${id} (${cksumtypeName(id)}) needs an enctype ${enctype} key, got enctype ${key!.enctype}`,
        );
      }
      return impl.checksum(backend, key!, usage, data);
    },
  };
}

function requireKey(key: Key | null, id: number): Key {
  if (key === null || key === undefined) {
    throw new InvalidInputError(`checksum type ${id} (${cksumtypeName(id)}) is keyed: a key is required`);
  }
  return key;
}

const IMPLS: ReadonlyMap<number, CksumImpl> = new Map<number, CksumImpl>([
  [
    Cksumtype.HMAC_SHA1_96_AES128,
    keyedBy(Cksumtype.HMAC_SHA1_96_AES128, Enctype.AES128_CTS_HMAC_SHA1_96, 12),
  ],
  [
    Cksumtype.HMAC_SHA1_96_AES256,
    keyedBy(Cksumtype.HMAC_SHA1_96_AES256, Enctype.AES256_CTS_HMAC_SHA1_96, 12),
  ],
  [
    Cksumtype.HMAC_SHA256_128_AES128,
    keyedBy(Cksumtype.HMAC_SHA256_128_AES128, Enctype.AES128_CTS_HMAC_SHA256_128, 16),
  ],
  [
    Cksumtype.HMAC_SHA384_192_AES256,
    keyedBy(Cksumtype.HMAC_SHA384_192_AES256, Enctype.AES256_CTS_HMAC_SHA384_192, 24),
  ],
  [
    Cksumtype.HMAC_MD5_ARCFOUR,
    {
      profile: profile(Cksumtype.HMAC_MD5_ARCFOUR, 16, true, undefined),
      compute(backend, key, usage, data) {
        const k = requireKey(key, Cksumtype.HMAC_MD5_ARCFOUR);
        implForKey(k);
        return hmacMd5Checksum(backend, k, usage, data, true);
      },
    },
  ],
  [
    Cksumtype.MD5_HMAC_ARCFOUR,
    {
      profile: profile(Cksumtype.MD5_HMAC_ARCFOUR, 16, true, Enctype.ARCFOUR_HMAC),
      compute(backend, key, usage, data) {
        const k = requireKey(key, Cksumtype.MD5_HMAC_ARCFOUR);
        implForKey(k);
        if (k.enctype !== Enctype.ARCFOUR_HMAC) {
          throw new InvalidInputError(`checksum type -137 (md5-hmac-rc4) needs an arcfour-hmac key`);
        }
        return hmacMd5Checksum(backend, k, usage, data, false);
      },
    },
  ],
  [
    Cksumtype.RSA_MD5,
    {
      profile: profile(Cksumtype.RSA_MD5, 16, false, undefined),
      compute: (backend, _key, _usage, data) => backend.hash('md5', data),
    },
  ],
  [
    Cksumtype.NIST_SHA,
    {
      profile: profile(Cksumtype.NIST_SHA, 20, false, undefined),
      compute: (backend, _key, _usage, data) => backend.hash('sha1', data),
    },
  ],
]);

function cksumImpl(cksumtype: number): CksumImpl {
  if (typeof cksumtype !== 'number' || !Number.isInteger(cksumtype)) {
    throw new UnsupportedAlgorithmError(`unknown checksum type ${String(cksumtype)}`);
  }
  const impl = IMPLS.get(cksumtype);
  if (impl === undefined) {
    const name = cksumtypeName(cksumtype);
    throw new UnsupportedAlgorithmError(
      name === undefined
        ? `unknown checksum type ${cksumtype}`
        : `checksum type ${cksumtype} (${name}) is not implemented`,
    );
  }
  return impl;
}

/** Profile of an implemented checksum type; UnsupportedAlgorithmError otherwise. */
export function getCksumtype(cksumtype: number): CksumtypeProfile {
  return cksumImpl(cksumtype).profile;
}

/** True when the checksum type is implemented here. */
export function isCksumtypeSupported(cksumtype: number): boolean {
  return IMPLS.has(cksumtype);
}

function compute(
  key: Key | null,
  usage: number,
  data: Uint8Array,
  cksumtype: number | undefined,
): Uint8Array {
  checkUsage(usage);
  requireBytes('data', data);
  const backend = getBackend();
  if (cksumtype === undefined) {
    if (key === null || key === undefined) throw new InvalidInputError('makeChecksum: a key is required');
    const k = key;
    const impl = implForKey(k);
    return impl.checksum(backend, k, usage, data);
  }
  return cksumImpl(cksumtype).compute(backend, key, usage, data);
}

/**
 * get_mic (RFC 3961 §3): the checksum of `data` under `key` and `usage`. `cksumtype`
 * defaults to the mandatory checksum of the key's enctype.
 */
export function makeChecksum(
  key: Key | null,
  usage: number,
  data: Uint8Array,
  cksumtype?: number,
): Uint8Array {
  return compute(key, usage, data, cksumtype);
}

/**
 * verify_mic (RFC 3961 §3): true when `checksum` is right, compared in constant time.
 * Returns false for a wrong checksum (including a wrong length); throws only for
 * unsupported checksum types, disabled enctypes or malformed arguments.
 */
export function verifyChecksum(
  key: Key | null,
  usage: number,
  data: Uint8Array,
  checksum: Uint8Array,
  cksumtype?: number,
): boolean {
  requireBytes('checksum', checksum);
  const expected = compute(key, usage, data, cksumtype);
  return constantTimeEqual(expected, checksum);
}
