/**
 * @postntlm/krb5-crypto: Kerberos cryptography (RFC 3961 framework) with the AES enctypes
 * of RFC 3962 (17, 18) and RFC 8009 (19, 20), opt-in RC4-HMAC (RFC 4757, 23), the PRF,
 * PRF+ and KRB-FX-CF2 (RFC 6113 §5.1), on node:crypto or @noble (see `setBackend`).
 *
 * The building blocks (AES modes, hashes, MD4, RC4) are in `@postntlm/krb5-crypto/primitives`.
 */

export { cf2 } from './cf2.js';
export {
  type CksumtypeProfile,
  getCksumtype,
  isCksumtypeSupported,
  makeChecksum,
  verifyChecksum,
} from './checksum.js';
export { aesCtsDecrypt, aesCtsEncrypt, ctsNextIv } from './cts.js';
export {
  getEnctype,
  isEnctypeEnabled,
  isEnctypeSupported,
  supportedEnctypes,
} from './enctypes.js';
export {
  BadS2kParamsError,
  IntegrityError,
  InvalidInputError,
  Krb5CryptoError,
  UnsupportedAlgorithmError,
} from './errors.js';
export type { Key } from './key.js';
export { nfold } from './nfold.js';
export { disableRc4Hmac, enableRc4Hmac, isRc4HmacEnabled } from './policy.js';
export { prf, prfPlus } from './prf.js';
// Backend selection, re-exported so that one import controls everything.
export {
  availableBackends,
  type BackendChoice,
  type BackendName,
  getBackend,
  setBackend,
} from './primitives/index.js';
export type { EnctypeProfile, StringToKeyOptions } from './profile.js';
export {
  Cksumtype,
  type CksumtypeId,
  type CksumtypeName,
  cksumtypeAliases,
  cksumtypeFromName,
  cksumtypeName,
  knownCksumtypes,
} from './registry/cksumtype.js';
export {
  Enctype,
  type EnctypeId,
  type EnctypeName,
  enctypeAliases,
  enctypeFromName,
  enctypeName,
  knownEnctypes,
} from './registry/enctype.js';
export {
  KeyUsage,
  type KeyUsageId,
  type KeyUsageName,
  keyUsageFromName,
  keyUsageName,
} from './registry/key-usage.js';
export {
  decrypt,
  deriveKey,
  deriveRandom,
  type EncryptOptions,
  encrypt,
  encryptedLength,
  generateKey,
  randomToKey,
  stringToKey,
} from './rfc3961.js';
export { MAX_PBKDF2_ITERATIONS } from './rfc3962-aes-sha1.js';
