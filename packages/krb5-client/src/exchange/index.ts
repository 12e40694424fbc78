/** Sans-IO AS and TGS exchanges (RFC 4120 §3.1, §3.3) and what they share. */
export {
  type AsCredentials,
  type AsExchange,
  type AsExchangeOptions,
  type AsRequestOptions,
  createAsExchange,
  type KeytabKey,
} from './as.js';
export { type Credential, credentialFlags, describeCredential, isCredentialCurrent } from './credential.js';
export {
  type Clock,
  cryptoRandom,
  fixedClock,
  offsetClock,
  type Random,
  randomNonce,
  seededRandom,
  systemClock,
} from './environment.js';
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_ETYPES,
  DEFAULT_LIFETIME_SECONDS,
  DEFAULT_MAX_REFERRALS,
  DEFAULT_RENEW_LIFETIME_SECONDS,
} from './options.js';
export {
  type DoneStep,
  type ErrorStep,
  type ExchangeMessage,
  type ExchangeStep,
  type KdcExchange,
  runExchange,
  type SendStep,
} from './step.js';
export {
  createTgsExchange,
  kdcRealmOf,
  parseServicePrincipal,
  serviceNameType,
  type TgsExchange,
  type TgsExchangeOptions,
  type TgsRequestOptions,
} from './tgs.js';
