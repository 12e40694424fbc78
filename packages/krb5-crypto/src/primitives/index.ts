/**
 * `@postntlm/krb5-crypto/primitives`: the AES modes, hashes and KDFs under Kerberos
 * (RFC 3961/3962/8009) and SMB 3, on two interchangeable backends (node:crypto, noble),
 * plus the legacy MD4/RC4 that only the opt-in RC4-HMAC enctype (RFC 4757) needs.
 */

/** Error classes (re-exported so users of this entry alone can tell the failures apart). */
export { IntegrityError, InvalidInputError, Krb5CryptoError, UnsupportedAlgorithmError } from '../errors.js';
export { isBytes } from './assert.js';
export type { BackendName, CryptoBackend, HashAlgorithm } from './backend.js';
export { bytesToHex, concatBytes, constantTimeEqual, hexToBytes, utf8Encode, xorBytes } from './bytes.js';
export { aesCcmOpenGeneric, aesCcmSealGeneric, type CcmModes } from './ccm.js';
export { aesCmacGeneric } from './cmac.js';
export { md4 } from './md4.js';
export { nobleBackend } from './noble.js';
export { createNodeBackend } from './node.js';
export { rc4 } from './rc4.js';
export {
  availableBackends,
  type BackendChoice,
  getBackend,
  getBackendByName,
  setBackend,
} from './select.js';
