/** DCE/RPC connection-oriented constants (C706 chapter 12, MS-RPCE §2.2.2). */

export const RPC_VERSION = 5;
/** ncacn minor versions a BIND may carry. */
export const RPC_VERSION_MINORS: readonly number[] = [0, 1];

export const PTYPE = {
  request: 0,
  ping: 1,
  response: 2,
  fault: 3,
  working: 4,
  nocall: 5,
  reject: 6,
  ack: 7,
  clCancel: 8,
  fack: 9,
  cancelAck: 10,
  bind: 11,
  bindAck: 12,
  bindNak: 13,
  alterContext: 14,
  alterContextResp: 15,
  auth3: 16,
  shutdown: 17,
  coCancel: 18,
  orphaned: 19,
} as const;

export const PFC = {
  firstFrag: 0x01,
  lastFrag: 0x02,
  /** PFC_PENDING_CANCEL; in BIND/BIND_ACK MS-RPCE's PFC_SUPPORT_HEADER_SIGN. */
  pendingCancel: 0x04,
  reserved1: 0x08,
  concMpx: 0x10,
  didNotExecute: 0x20,
  maybe: 0x40,
  objectUuid: 0x80,
} as const;

/** Little-endian integers, ASCII characters, IEEE floats. The only drep we speak. */
export const DREP_LE = 0x10;

export const COMMON_HEADER_LENGTH = 16;
export const REQUEST_HEADER_LENGTH = 24;
export const RESPONSE_HEADER_LENGTH = 24;
export const FAULT_PDU_LENGTH = 32;

/** p_cont_def_result_t */
export const CONTEXT_RESULT = {
  acceptance: 0,
  userRejection: 1,
  providerRejection: 2,
  /** MS-RPCE §2.2.2.4: the answer to a bind-time feature negotiation context. */
  negotiateAck: 3,
} as const;

/** p_provider_reason_t */
export const PROVIDER_REASON = {
  notSpecified: 0,
  abstractSyntaxNotSupported: 1,
  proposedTransferSyntaxesNotSupported: 2,
  localLimitExceeded: 3,
} as const;

/** p_reject_reason_t (BIND_NAK) */
export const BIND_NAK_REASON = {
  notSpecified: 0,
  temporaryCongestion: 1,
  localLimitExceeded: 2,
  calledPaddrUnknown: 3,
  protocolVersionNotSupported: 4,
  defaultContextNotSupported: 5,
  userDataNotReadable: 6,
  noPsapAvailable: 7,
  authenticationTypeNotRecognized: 8,
  invalidChecksum: 9,
} as const;

/** FAULT status codes (C706 appendix E, MS-RPCE §2.2.2.11 / §3.3.2.4.4). */
export const FAULT_STATUS = {
  accessDenied: 0x00000005,
  /** RPC_X_BAD_STUB_DATA: the stub data did not unmarshal (Samba's DCERPC_FAULT_NDR). */
  badStubData: 0x000006f7,
  opRangeError: 0x1c010002,
  unknownInterface: 0x1c010003,
  protocolError: 0x1c01000b,
  /** nca_s_fault_remote_no_memory */
  remoteNoMemory: 0x1c000017,
  unspecified: 0x1c000018,
} as const;

/** The NDR 2.0 transfer syntax. */
export const NDR20_SYNTAX = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', version: 2 } as const;
/** NDR64 (MS-RPCE §2.2.5): recognised so it can be turned down politely. */
export const NDR64_SYNTAX = { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', version: 1 } as const;
/**
 * Bind-time feature negotiation (MS-RPCE §3.3.1.5.3): the first 8 octets of the UUID are this
 * prefix, the next two carry the client's feature bitmask.
 */
export const BIND_TIME_FEATURE_PREFIX = '6cb71c2c-9812-4540';
/** SRVSVC (MS-SRVS §1.9). */
export const SRVSVC_SYNTAX = { uuid: '4b324fc8-1670-01d3-1278-5a47bf6ee188', version: 3 } as const;

/** Fragment sizes: Windows and Samba both answer 4280; C706 requires at least 1432 to work. */
export const DEFAULT_MAX_FRAGMENT = 4280;
export const MIN_NEGOTIATED_FRAGMENT = 2048;
