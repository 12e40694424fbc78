/**
 * RFC 4757: arcfour-hmac (23), the RC4-HMAC enctype of Windows 2000 and later, and the
 * Microsoft HMAC-MD5 checksums (-138 hmac-md5-arcfour, -137 md5-hmac-rc4).
 *
 * Disabled by default (see policy.ts): RC4 and MD4/MD5 are broken, and the key is the NT
 * hash, which is a password equivalent. It exists only for interoperability with old
 * Active Directory accounts and Samba domains.
 *
 * - string-to-key: K = MD4(UTF-16LE(password)); the salt is ignored; s2kparams must be empty.
 * - usage translation (as MIT and Windows do it): 3 -> 8, 23 -> 13, others unchanged;
 *   usage 9 stays 9 (what Windows sends) but decryption falls back to 8 (RFC 4757's value).
 * - encrypt: K1 = HMAC-MD5(K, usage as 4 bytes little-endian); checksum = HMAC-MD5(K1,
 *   confounder | plaintext); K3 = HMAC-MD5(K1, checksum);
 *   ciphertext = checksum | RC4(K3, confounder | plaintext). Confounder: 8 bytes.
 * - checksum -138: Ksign = HMAC-MD5(K, "signaturekey\0");
 *   HMAC-MD5(Ksign, MD5(usage LE32 | data)). -137 uses K itself instead of Ksign.
 * - PRF (RFC 4757 has none; MIT's and Windows' choice): HMAC-SHA1(K, input).
 */
import { BadS2kParamsError, IntegrityError, InvalidInputError } from './errors.js';
import { type Key, namedDerived, usageKeys } from './key.js';
import { type CryptoBackend, constantTimeEqual, md4, rc4 } from './primitives/index.js';
import type { EnctypeImpl, EnctypeProfile } from './profile.js';
import { Cksumtype } from './registry/cksumtype.js';
import { Enctype, enctypeAliases } from './registry/enctype.js';
import { requireBytes } from './validate.js';

const KEY_LENGTH = 16;
const CONFOUNDER = 8;
const CKSUM = 16;
/** HMAC-MD5 keys longer than the MD5 block are refused, as MIT does. */
const MD5_BLOCK = 64;

/** Windows / MIT key usage translation for RC4-HMAC. */
export function rc4TranslateUsage(usage: number): number {
  switch (usage) {
    case 3:
      return 8;
    case 23:
      return 13;
    default:
      return usage;
  }
}

function le32(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, true);
  return out;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-16LE encoding of the password (a string, or UTF-8 bytes). */
export function utf16le(password: string | Uint8Array): Uint8Array {
  let text: string;
  if (typeof password === 'string') {
    text = password;
  } else {
    requireBytes('password', password);
    try {
      text = fatalUtf8.decode(password);
    } catch {
      throw new InvalidInputError('RC4-HMAC password bytes are not valid UTF-8');
    }
  }
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

function usageKey(backend: CryptoBackend, key: Key, usage: number): Uint8Array {
  // Cached per (key, usage); `ki` is the slot RC4-HMAC uses for K1.
  const u = usageKeys(key, usage);
  if (u.ki === undefined) u.ki = backend.hmac('md5', key.bytes, le32(rc4TranslateUsage(usage)));
  return u.ki;
}

function tryDecrypt(
  backend: CryptoBackend,
  key: Key,
  usage: number,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  const k1 = usageKey(backend, key, usage);
  const checksum = ciphertext.subarray(0, CKSUM);
  const k3 = backend.hmac('md5', k1, checksum);
  const data = rc4(k3, ciphertext.subarray(CKSUM));
  if (!constantTimeEqual(backend.hmac('md5', k1, data), checksum)) {
    data.fill(0);
    return undefined;
  }
  return data.subarray(CONFOUNDER);
}

const SIGNATURE_KEY = new TextEncoder().encode('signaturekey\0');

/** The Microsoft HMAC-MD5 checksum (-138) or MD5-HMAC (-137). Works with any key of ≤ 64 bytes. */
export function hmacMd5Checksum(
  backend: CryptoBackend,
  key: Key,
  usage: number,
  data: Uint8Array,
  signingKey: boolean,
): Uint8Array {
  if (key.bytes.length > MD5_BLOCK)
    throw new InvalidInputError('HMAC-MD5 checksum key is longer than 64 bytes');
  const ks = signingKey
    ? namedDerived(key, 'hmac-md5-signaturekey', () => backend.hmac('md5', key.bytes, SIGNATURE_KEY))
    : key.bytes;
  const input = new Uint8Array(4 + data.length);
  input.set(le32(rc4TranslateUsage(usage)));
  input.set(data, 4);
  return backend.hmac('md5', ks, backend.hash('md5', input));
}

const names = enctypeAliases(Enctype.ARCFOUR_HMAC);
const profile: EnctypeProfile = Object.freeze({
  id: Enctype.ARCFOUR_HMAC,
  name: names[0]!,
  names,
  spec: 'RFC 4757',
  keyLength: KEY_LENGTH,
  seedLength: KEY_LENGTH,
  blockSize: 1,
  messageBlockSize: 1,
  confounderLength: CONFOUNDER,
  integrityLength: CKSUM,
  overhead: CKSUM + CONFOUNDER,
  checksumType: Cksumtype.HMAC_MD5_ARCFOUR,
  checksumLength: 16,
  prfLength: 20,
  defaultIterations: undefined,
  defaultS2kParams: new Uint8Array(0),
  hash: 'md5',
  requiresOptIn: true,
});

export const arcfourHmac: EnctypeImpl = {
  profile,
  async stringToKey(_backend, password, _salt, params) {
    if (params !== undefined) {
      requireBytes('s2kparams', params);
      if (params.length !== 0) throw new BadS2kParamsError('arcfour-hmac takes no s2kparams');
    }
    return md4(utf16le(password));
  },
  randomToKey(seed) {
    if (seed.length !== KEY_LENGTH) {
      throw new InvalidInputError(`arcfour-hmac needs ${KEY_LENGTH} key bytes, got ${seed.length}`);
    }
    return seed;
  },
  encrypt(backend, key, usage, plaintext, confounder) {
    const k1 = usageKey(backend, key, usage);
    const data = new Uint8Array(CONFOUNDER + plaintext.length);
    data.set(confounder);
    data.set(plaintext, CONFOUNDER);
    const checksum = backend.hmac('md5', k1, data);
    const k3 = backend.hmac('md5', k1, checksum);
    const out = new Uint8Array(CKSUM + data.length);
    out.set(checksum);
    out.set(rc4(k3, data), CKSUM);
    data.fill(0);
    return out;
  },
  decrypt(backend, key, usage, ciphertext) {
    if (ciphertext.length < CKSUM + CONFOUNDER) {
      throw new InvalidInputError(
        `ciphertext too short: ${ciphertext.length} bytes, need at least ${CKSUM + CONFOUNDER}`,
      );
    }
    const plain =
      tryDecrypt(backend, key, usage, ciphertext) ??
      // RFC 4757 says 8 for a TGS-REP encrypted in a subkey; Windows uses 9. Accept both.
      (usage === 9 ? tryDecrypt(backend, key, 8, ciphertext) : undefined);
    if (plain === undefined) {
      throw new IntegrityError('decrypt: integrity check failed (wrong key or usage, or altered ciphertext)');
    }
    return plain;
  },
  checksum: (backend, key, usage, data) => hmacMd5Checksum(backend, key, usage, data, true),
  prf: (backend, key, input) => backend.hmac('sha1', key.bytes, input),
};
