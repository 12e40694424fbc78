/**
 * The KDC locator (krb5.conf, then DNS SRV) and the sender that tries a realm's KDCs over
 * UDP, TCP and UNIX sockets with failover, RESPONSE_TOO_BIG handling and a deadline.
 */
export { type KdcAttempt, KdcNotFoundError, KdcUnreachableError } from './errors.js';
export { isResponseTooBig, type KrbErrorSummary, krbErrorCode, summarizeKrbError } from './krb-error.js';
export { type LocatedKdc, type LocateKdcsOptions, locateKdcs } from './locate.js';
export { type KdcReply, type KdcTransportTarget, type SendToKdcOptions, sendToKdc } from './send.js';
export { kdcSrvName, nodeSrvResolver, type SrvRecord, type SrvResolver, sortSrvRecords } from './srv.js';
