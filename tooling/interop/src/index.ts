/**
 * PostNTLM's real-peer interop harness: throw-away MIT Kerberos 1.20 KDC and Samba 4.17
 * smbd on 127.0.0.1 (free ports, fresh temp directories), MIT tool helpers, and MIT's own
 * string-to-key (ktutil / libkrb5) for key comparisons. Install the peers with
 * `bash tooling/interop/install-peers.sh`.
 */
export { type LoopbackCapture, startLoopbackCapture } from './capture.js';
export { type LivePeer, registerLivePeer, unregisterLivePeer } from './cleanup.js';
export { type Daemon, exitWithin, hasExited, spawnDaemon, waitForListen } from './daemon.js';
export {
  type KeytabEntry,
  ktutil,
  ktutilQuote,
  ktutilStringToKeys,
  MIT_ENCTYPE_NAMES,
  mitEnctypeName,
  type PasswordKeyRequest,
  parseKlistKeys,
  readKeytab,
} from './ktutil.js';
export { type MitKdc, type MitKdcFiles, type MitKdcOptions, startMitKdc } from './mit-kdc.js';
export { mitStringToKey, type StringToKeyRequest, type StringToKeyResult } from './mit-s2k.js';
export {
  type CcacheOptions,
  type GssClientRequest,
  gssClientArgs,
  kinit,
  klist,
  kvno,
} from './mit-tools.js';
export { INTEROP_DIR, MIT_KDC_SCRIPT, SAMBA_SCRIPT } from './paths.js';
export { findFreePort, LOOPBACK } from './ports.js';
export { type RunningServer, startPostntlmSmbd } from './postntlm-smbd.js';
export {
  baseEnv,
  describeFailure,
  type RunOptions,
  type RunResult,
  requireCommand,
  run,
  runChecked,
} from './process.js';
export {
  type SambaKdc,
  type SambaOptions,
  type SambaServer,
  type SambaSigning,
  startSamba,
} from './samba.js';
export { type SmbclientKdc, type SmbclientOptions, smbclient, smbclientArgs } from './smbclient.js';
export { tsharkMalformations, tsharkRead, type UdpMessage, writeUdpPcap } from './tshark.js';
export { useMitKdc, useSamba } from './vitest.js';
