/**
 * krb5.conf: MIT profile syntax (sans I/O, includes through an injected file system), a Node
 * loader (KRB5_CONFIG or /etc/krb5.conf), and a typed view with MIT's defaults.
 */
export {
  Krb5ConfigError,
  ProfileError,
  ProfileIncludeError,
  type ProfileOrigin,
  ProfileSyntaxError,
  type ProfileSyntaxErrorCode,
} from './errors.js';
export {
  formatKdcAddress,
  type KdcAddress,
  type KdcAddressResult,
  type KdcHostAddress,
  type KdcHttpsAddress,
  type KdcTransportKind,
  type KdcUnixAddress,
  KERBEROS_PORT,
  parseKdcAddress,
} from './kdc-address.js';
export {
  DEFAULT_UDP_PREFERENCE_LIMIT,
  type DomainRealmRule,
  defaultKrb5Config,
  fallbackRealmForHost,
  HARD_UDP_PREFERENCE_LIMIT,
  type Krb5Config,
  type Libdefaults,
  libdefaultsForRealm,
  type RealmConfig,
  readKrb5Config,
  readLibdefaults,
  realmForHost,
} from './krb5-config.js';
export {
  DEFAULT_PROFILE_PATH,
  defaultProfilePaths,
  type LoadProfileOptions,
  loadKrb5Config,
  loadProfile,
} from './load.js';
export { memoryProfileFs } from './memory-fs.js';
export {
  type IncludeDirective,
  includeDirectiveOf,
  includedFileNames,
  isIncludedFileName,
  type ParseProfileOptions,
  type ProfileFileSystem,
  type ProfileSource,
  parseProfile,
  parseProfiles,
} from './parse.js';
export {
  Profile,
  type ProfileNode,
  type ProfileRelation,
  type ProfileSection,
  type ProfileWarning,
} from './profile.js';
export {
  DEFAULT_ENCTYPES,
  type EnctypeList,
  parseBoolean,
  parseDuration,
  parseEnctypeList,
  parseInteger,
} from './values.js';
