/**
 * The client's NEGOTIATE (MS-SMB2 §3.2.4.2.2.2, §3.2.5.2): offers 3.1.1 down to 2.0.2 (or the
 * dialects asked for), with the 3.1.1 contexts (SHA-512 preauth integrity, AES-GCM before
 * AES-CCM, AES-GMAC before AES-CMAC signing), then checks and records what the server chose.
 * The 3.1.1 preauth hash of the connection chains the request and the response.
 */

import {
  CipherId,
  Dialect,
  defaultSigningAlgorithm,
  findNegotiateContext,
  GlobalCapabilities,
  HashAlgorithmId,
  type NegotiateContext,
  type NegotiateRequest,
  type NegotiateResponse,
  negotiateRequest,
  negotiateResponse,
  PreauthHash,
  SecurityMode,
  SigningAlgorithmId,
} from '@postntlm/smb2-protocol';
import { SmbProtocolError } from '../errors.js';
import { emitAuthTrace, type SmbAuthTraceListener } from '../session/trace.js';
import type { SmbConnection } from './connection.js';

/** Every dialect this client speaks, newest first. */
export const ALL_DIALECTS: readonly number[] = [
  Dialect.SMB_3_1_1,
  Dialect.SMB_3_0_2,
  Dialect.SMB_3_0,
  Dialect.SMB_2_1,
  Dialect.SMB_2_0_2,
];

/** Ciphers offered, in preference order (GCM first: faster, and GMAC-compatible hardware paths). */
export const OFFERED_CIPHERS: readonly CipherId[] = [
  CipherId.AES_128_GCM,
  CipherId.AES_256_GCM,
  CipherId.AES_128_CCM,
  CipherId.AES_256_CCM,
];

/** Signing algorithms offered (3.1.1 SIGNING_CAPABILITIES), in preference order. */
export const OFFERED_SIGNING: readonly SigningAlgorithmId[] = [
  SigningAlgorithmId.AES_GMAC,
  SigningAlgorithmId.AES_CMAC,
  SigningAlgorithmId.HMAC_SHA256,
];

export interface NegotiateOptions {
  /** Observes the NEGOTIATE request and response (authentication trace). */
  readonly onAuthTrace?: SmbAuthTraceListener | undefined;
  /** Dialects to offer (default {@link ALL_DIALECTS}). */
  readonly dialects?: readonly number[];
  /** Ask the server to require signing (SecurityMode SIGNING_REQUIRED). */
  readonly requireSigning: boolean;
  /** The server name for the 3.1.1 NETNAME context. */
  readonly serverName?: string;
  readonly clientGuid?: Uint8Array;
  readonly signal?: AbortSignal | undefined;
}

/** What NEGOTIATE settled for the connection (Connection.* of §3.2.1.2). */
export interface Negotiated {
  readonly dialect: number;
  readonly serverGuid: Uint8Array;
  readonly serverCapabilities: number;
  readonly serverSecurityMode: number;
  readonly maxTransactSize: number;
  readonly maxReadSize: number;
  readonly maxWriteSize: number;
  /** 3.x: the cipher (3.0/3.0.2: AES-128-CCM when the server has ENCRYPTION). */
  readonly cipher: CipherId | undefined;
  readonly signingAlgorithm: SigningAlgorithmId;
  /** 3.1.1: the connection's preauth hash after the NEGOTIATE exchange. */
  readonly preauth: PreauthHash | undefined;
  /** The server's SPNEGO hint (NegTokenInit2), possibly empty. */
  readonly securityBuffer: Uint8Array;
  /** What we sent, for FSCTL_VALIDATE_NEGOTIATE_INFO. */
  readonly request: NegotiateRequest;
}

/** Capabilities the client announces: LARGE_MTU (multi-credit) and, for 3.x, ENCRYPTION. */
export const CLIENT_CAPABILITIES = GlobalCapabilities.LARGE_MTU | GlobalCapabilities.ENCRYPTION;

/** Builds the NEGOTIATE request. */
export function buildNegotiateRequest(options: NegotiateOptions): NegotiateRequest {
  const dialects = [...(options.dialects ?? ALL_DIALECTS)].sort((a, b) => a - b);
  if (dialects.length === 0 || dialects.some((d) => !ALL_DIALECTS.includes(d)))
    throw new RangeError(`dialects must be among ${ALL_DIALECTS.map(dialectName).join(', ')}`);
  const clientGuid = options.clientGuid ?? randomBytes(16);
  const securityMode =
    SecurityMode.SIGNING_ENABLED | (options.requireSigning ? SecurityMode.SIGNING_REQUIRED : 0);
  const has3 = dialects.some((d) => d >= Dialect.SMB_3_0);
  const capabilities = has3 ? CLIENT_CAPABILITIES : GlobalCapabilities.LARGE_MTU;
  if (!dialects.includes(Dialect.SMB_3_1_1)) {
    return { securityMode, capabilities, clientGuid, dialects, clientStartTime: 0n };
  }
  const contexts: NegotiateContext[] = [
    { kind: 'preauthIntegrity', hashAlgorithms: [HashAlgorithmId.SHA_512], salt: randomBytes(32) },
    { kind: 'encryption', ciphers: OFFERED_CIPHERS },
    { kind: 'signing', algorithms: OFFERED_SIGNING },
  ];
  if (options.serverName !== undefined && options.serverName.length > 0)
    contexts.push({ kind: 'netname', netName: options.serverName });
  return { securityMode, capabilities, clientGuid, dialects, negotiateContexts: contexts };
}

/** Checks the server's NEGOTIATE response against our request (§3.2.5.2) and derives the connection's settings. */
export function acceptNegotiateResponse(
  request: NegotiateRequest,
  response: NegotiateResponse,
  preauth: PreauthHash | undefined,
): Negotiated {
  const dialect = response.dialectRevision;
  if (!request.dialects.includes(dialect))
    throw new SmbProtocolError(`the server chose dialect ${dialectName(dialect)}, which was not offered`);
  let cipher: CipherId | undefined;
  let signingAlgorithm: SigningAlgorithmId = defaultSigningAlgorithm(dialect);
  if (dialect === Dialect.SMB_3_1_1) {
    const integrity = findNegotiateContext(response.negotiateContexts, 'preauthIntegrity');
    if (integrity === undefined || integrity.hashAlgorithms[0] !== HashAlgorithmId.SHA_512)
      throw new SmbProtocolError('3.1.1 without a SHA-512 PREAUTH_INTEGRITY context');
    const enc = findNegotiateContext(response.negotiateContexts, 'encryption');
    const chosen = enc?.ciphers[0];
    if (chosen !== undefined && chosen !== 0) {
      if (!OFFERED_CIPHERS.includes(chosen as CipherId))
        throw new SmbProtocolError(`the server chose cipher ${chosen}, which was not offered`);
      cipher = chosen as CipherId;
    }
    const sig = findNegotiateContext(response.negotiateContexts, 'signing')?.algorithms[0];
    if (sig !== undefined) {
      if (!OFFERED_SIGNING.includes(sig as SigningAlgorithmId))
        throw new SmbProtocolError(`the server chose signing algorithm ${sig}, which was not offered`);
      signingAlgorithm = sig as SigningAlgorithmId;
    }
  } else if (dialect >= Dialect.SMB_3_0 && (response.capabilities & GlobalCapabilities.ENCRYPTION) !== 0) {
    cipher = CipherId.AES_128_CCM;
  }
  return {
    dialect,
    serverGuid: response.serverGuid,
    serverCapabilities: response.capabilities,
    serverSecurityMode: response.securityMode,
    maxTransactSize: response.maxTransactSize,
    maxReadSize: response.maxReadSize,
    maxWriteSize: response.maxWriteSize,
    cipher,
    signingAlgorithm,
    preauth: dialect === Dialect.SMB_3_1_1 ? preauth : undefined,
    securityBuffer: response.securityBuffer,
    request,
  };
}

/** Runs NEGOTIATE on a fresh connection and sets its dialect and multi-credit support. */
export async function negotiate(connection: SmbConnection, options: NegotiateOptions): Promise<Negotiated> {
  const request = buildNegotiateRequest(options);
  const offers311 = request.dialects.includes(Dialect.SMB_3_1_1);
  const preauth = offers311 ? new PreauthHash() : undefined;
  const response = await connection.call(
    {
      codec: negotiateRequest,
      body: request,
      responseCodec: negotiateResponse,
      signal: options.signal,
      onSent: (bytes) => {
        preauth?.update(bytes);
        emitAuthTrace(options.onAuthTrace, { direction: 'send', command: 'NEGOTIATE', bytes: bytes.length });
      },
    },
    'negotiate',
  );
  emitAuthTrace(options.onAuthTrace, {
    direction: 'receive',
    command: 'NEGOTIATE',
    bytes: response.raw.length,
    status: response.status,
    token: response.body.securityBuffer,
  });
  if (response.body.dialectRevision === Dialect.SMB_3_1_1) preauth?.update(response.raw);
  const negotiated = acceptNegotiateResponse(request, response.body, preauth);
  connection.dialect = negotiated.dialect;
  // §3.2.5.2: multi-credit needs 2.1+ and LARGE_MTU from the server.
  connection.supportsMultiCredit =
    negotiated.dialect >= Dialect.SMB_2_1 &&
    (negotiated.serverCapabilities & GlobalCapabilities.LARGE_MTU) !== 0;
  return negotiated;
}

/** `3.1.1` for 0x0311. */
export function dialectName(dialect: number): string {
  switch (dialect) {
    case Dialect.SMB_2_0_2:
      return '2.0.2';
    case Dialect.SMB_2_1:
      return '2.1';
    case Dialect.SMB_3_0:
      return '3.0';
    case Dialect.SMB_3_0_2:
      return '3.0.2';
    case Dialect.SMB_3_1_1:
      return '3.1.1';
    default:
      return `0x${dialect.toString(16).padStart(4, '0')}`;
  }
}

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
