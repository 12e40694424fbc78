/**
 * Credential stores: credential caches (`resolveCcache`: FILE, MEMORY and DIR, MIT's
 * formats and naming) and keytabs (`resolveKeytab`, `resolveClientKeytab`: FILE, WRFILE,
 * MEMORY), the in-memory `CredentialStore` the exchanges use, and conversions between
 * exchange credentials and MIT ccache entries.
 */
export {
  CCACHE_TYPES,
  type CcacheOptions,
  type CcacheType,
  type CredentialCache,
  type DirCollection,
  FileCredentialCache,
  type FindCredentialOptions,
  type InitializeCcacheOptions,
  MemoryCredentialCache,
  openDirCollection,
  type ResolveCcacheOptions,
  resolveCcache,
} from './cache.js';
export {
  type CredentialsToCcacheOptions,
  credentialsFromCcache,
  credentialsToCcache,
  fromCcacheCredential,
  loadCredentials,
  saveCredentials,
  toCcacheCredential,
} from './ccache.js';
export {
  CredentialStoreError,
  type CredentialStoreKind,
  KeytabKeyNotFoundError,
  StoreConflictError,
  StoreFormatError,
  StoreNameError,
  StoreNotFoundError,
  StoreOwnershipError,
  UnknownStoreTypeError,
} from './errors.js';
export {
  FileKeytab,
  type GetKeyOptions,
  KEYTAB_TYPES,
  type Keytab,
  type KeytabOptions,
  type KeytabType,
  MemoryKeytab,
  type ResolveKeytabOptions,
  resolveClientKeytab,
  resolveKeytab,
} from './keytab.js';
export {
  defaultCcacheName,
  defaultClientKeytabName,
  defaultKeytabName,
  expandPathTokens,
  MIT_DEFAULT_CCACHE_NAME,
  MIT_DEFAULT_CLIENT_KEYTAB_NAME,
  MIT_DEFAULT_KEYTAB_NAME,
  type ProcessIdentity,
  type StoreName,
  splitCcacheName,
  splitKeytabName,
} from './names.js';
export { type CredentialStore, MemoryCredentialStore, tgtPrincipal } from './store.js';
