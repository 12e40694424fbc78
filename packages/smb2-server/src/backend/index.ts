/** The share storage layer: `ShareBackend` and the local-directory implementation. No SMB wire code. */
export {
  checkShareAccess,
  FILE_GENERIC_EXECUTE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  mapGenericAccess,
  shareConflict,
} from './access.js';
export { errnoToStatus, isSmbStatusError, SmbStatusError, toSmbError } from './errors.js';
export { LocalDirectoryBackend, type LocalDirectoryBackendOptions } from './local.js';
export { type ByteRangeLock, LockTable, STATUS_INVALID_LOCK_RANGE } from './locks.js';
export {
  isRepresentableName,
  joinSmbPath,
  type NameOptions,
  parseSmbPath,
  type SmbPath,
  validateName,
} from './names.js';
export { type ChangeEvent, ChangeHub, DirectoryWatcher, type WatchOptions } from './notify.js';
export { PathResolver, type ResolverHooks } from './resolver.js';
export { FILETIME_UNIX_EPOCH, filetimeToSeconds, msToFiletime, nsToFiletime } from './time.js';
export type * from './types.js';
export { hasWildcard, matchPattern } from './wildcard.js';
