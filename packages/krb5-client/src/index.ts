/**
 * @postntlm/krb5-client: a sans-IO Kerberos 5 client — the AS and TGS exchanges (RFC 4120
 * §3.1, §3.3) with pre-authentication, clock-skew correction and referrals — plus its I/O
 * edges: krb5.conf, the KDC locator, UDP/TCP/Unix transports and credential caches.
 */
export {
  type GetInitialCredentialsOptions,
  type GetServiceTicketOptions,
  getInitialCredentials,
  getServiceTicket,
  type KdcConnectionOptions,
  type KdcSend,
  kdcSender,
  renewCredential,
} from './client.js';
export * from './config/index.js';
export * from './credentials/index.js';
export {
  type ErrorData,
  ExchangePolicyError,
  type ExchangePolicyReason,
  ExchangeStateError,
  hintForErrorCode,
  KerberosError,
  type KerberosErrorDetails,
  Krb5ClientError,
  type Krb5ClientErrorCategory,
  MalformedMessageError,
  PasswordIncorrectError,
  type ReplyCheck,
  ReplyVerificationError,
} from './errors.js';
export * from './exchange/index.js';
export * from './locator/index.js';
export * from './transport/index.js';
