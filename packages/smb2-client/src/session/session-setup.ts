/**
 * SESSION_SETUP as the client runs it (MS-SMB2 §3.2.4.2.3, §3.2.5.3): SPNEGO tokens go out
 * in requests until the server answers STATUS_SUCCESS; the last response token (the AP-REP)
 * completes mutual authentication. The session's 3.1.1 preauth hash forks from the
 * connection's and chains every request and every response but the final one; then the keys
 * are derived (§3.2.5.3.1) and the final response's signature is checked with them. LOGOFF
 * ends the session (§3.2.4.22).
 */
import type { SecurityContext, SpnegoInitiator } from '@postntlm/gssapi-spnego';
import {
  Command,
  deriveSessionKeys,
  HeaderFlags,
  logoffRequest,
  logoffResponse,
  NtStatus,
  type PreauthHash,
  SecurityMode,
  SessionFlags,
  type SessionKeys,
  type SessionSetupResponse,
  sessionSetupRequest,
  sessionSetupResponse,
  verifySignature,
} from '@postntlm/smb2-protocol';
import type { SessionSecurity, SmbConnection, SmbResponse } from '../connection/connection.js';
import type { Negotiated } from '../connection/negotiate.js';
import { SmbAuthError, SmbError, SmbIntegrityError } from '../errors.js';
import { emitAuthTrace, type SmbAuthTraceListener } from './trace.js';

export interface SessionSetupOptions {
  /** Sign the session's messages even when the server does not require it. */
  readonly requireSigning: boolean;
  /** Encrypt everything of the session (3.x only). */
  readonly encrypt: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Observes each SESSION_SETUP request and response (authentication trace). */
  readonly onAuthTrace?: SmbAuthTraceListener | undefined;
}

/** An authenticated session. */
export interface EstablishedSession {
  readonly sessionId: bigint;
  readonly keys: SessionKeys;
  readonly context: SecurityContext;
  readonly security: SessionSecurity;
  /** SessionFlags of the final response. */
  readonly flags: number;
}

/** A SESSION_SETUP leg may take a while when the server proxies IAKerb to a KDC. */
const LEG_TIMEOUT_MS = 60_000;

interface LegsResult {
  readonly sessionId: bigint;
  readonly context: SecurityContext;
  readonly response: SmbResponse<SessionSetupResponse>;
}

/**
 * Sends `initiator`'s tokens until the server answers STATUS_SUCCESS and the initiator is
 * done (mutual authentication). `preauth` chains every request and every response but the
 * last (§3.2.5.3.1).
 */
async function runLegs(
  connection: SmbConnection,
  initiator: SpnegoInitiator,
  firstSessionId: bigint,
  preauth: PreauthHash | undefined,
  options: Pick<SessionSetupOptions, 'requireSigning' | 'signal' | 'onAuthTrace'>,
): Promise<LegsResult> {
  let sessionId = firstSessionId;
  let step = await initiator.stepAsync();
  for (let leg = 0; ; leg++) {
    if (step.error !== undefined)
      throw new SmbAuthError(`Kerberos: ${step.error.message}`, { cause: step.error });
    if (step.outputToken === undefined) throw new SmbAuthError('SPNEGO produced no token to send');
    if (leg > 16) throw new SmbAuthError('SESSION_SETUP did not finish in 16 legs');
    const response = await connection.send({
      codec: sessionSetupRequest,
      body: {
        flags: 0,
        securityMode:
          SecurityMode.SIGNING_ENABLED | (options.requireSigning ? SecurityMode.SIGNING_REQUIRED : 0),
        capabilities: 0,
        channel: 0,
        securityBuffer: step.outputToken,
        previousSessionId: 0n,
      },
      responseCodec: sessionSetupResponse,
      sessionId,
      timeoutMs: LEG_TIMEOUT_MS,
      signal: options.signal,
      onSent: (bytes) => {
        preauth?.update(bytes);
        emitAuthTrace(options.onAuthTrace, {
          direction: 'send',
          command: 'SESSION_SETUP',
          bytes: bytes.length,
          token: step.outputToken,
        });
      },
    });
    emitAuthTrace(options.onAuthTrace, {
      direction: 'receive',
      command: 'SESSION_SETUP',
      bytes: response.raw.length,
      status: response.status,
      token: response.body.securityBuffer,
    });
    sessionId = response.header.sessionId;
    if (response.status === NtStatus.MORE_PROCESSING_REQUIRED) {
      preauth?.update(response.raw);
      step = await initiator.stepAsync(response.body.securityBuffer);
      continue;
    }
    if (response.status !== NtStatus.SUCCESS)
      throw new SmbError(response.status, Command.SESSION_SETUP, 'session setup');
    if (!step.done) step = await initiator.stepAsync(response.body.securityBuffer);
    if (step.error !== undefined)
      throw new SmbAuthError(`Kerberos: ${step.error.message}`, { cause: step.error });
    if (!step.done || step.context === undefined)
      throw new SmbAuthError('the server accepted the session but mutual authentication did not complete');
    return { sessionId, context: step.context, response };
  }
}

/** Authenticates a new session with `initiator`'s tokens and installs its keys on the connection. */
export async function setupSession(
  connection: SmbConnection,
  negotiated: Negotiated,
  initiator: SpnegoInitiator,
  options: SessionSetupOptions,
): Promise<EstablishedSession> {
  const preauth = negotiated.preauth?.fork();
  const { sessionId, context, response } = await runLegs(connection, initiator, 0n, preauth, options);
  const sessionFlags = response.body.sessionFlags;
  const keys = deriveSessionKeys({
    dialect: negotiated.dialect,
    sessionKey: context.smbSessionKey(),
    ...(preauth === undefined ? {} : { preauthHash: preauth.value }),
    ...(negotiated.cipher === undefined ? {} : { cipher: negotiated.cipher }),
    role: 'client',
  });
  const serverRequires = (negotiated.serverSecurityMode & SecurityMode.SIGNING_REQUIRED) !== 0;
  const sign = options.requireSigning || serverRequires;
  const signed = (response.header.flags & HeaderFlags.SIGNED) !== 0;
  // §3.2.5.3.1: a signed final response must verify; a session that signs must get one signed.
  if (signed && !verifySignature(response.raw, keys.signingKey, negotiated.signingAlgorithm))
    throw new SmbIntegrityError('the final SESSION_SETUP response has a bad signature');
  if (!signed && sign && !response.encrypted)
    throw new SmbIntegrityError('the final SESSION_SETUP response is not signed');
  const encryptAll = (sessionFlags & SessionFlags.ENCRYPT_DATA) !== 0 || options.encrypt;
  if (encryptAll && keys.encryptionKey === undefined)
    throw new SmbAuthError('encryption was asked for, but the negotiated dialect has no cipher');
  const security: SessionSecurity = {
    signingKey: keys.signingKey,
    signingAlgorithm: negotiated.signingAlgorithm,
    encryptionKey: keys.encryptionKey,
    decryptionKey: keys.decryptionKey,
    cipher: negotiated.cipher,
    sign,
    encryptAll,
  };
  connection.setSession(sessionId, security);
  return { sessionId, keys, context, security, flags: sessionFlags };
}

/**
 * Re-authenticates an established session (§3.2.4.2.3, §3.3.5.5.2), e.g. after
 * STATUS_NETWORK_SESSION_EXPIRED: SESSION_SETUP on its SessionId, signed (or encrypted) with
 * its keys, which stay as they are. Resolves with the new security context.
 */
export async function reauthenticate(
  connection: SmbConnection,
  sessionId: bigint,
  initiator: SpnegoInitiator,
  options: Pick<SessionSetupOptions, 'requireSigning' | 'signal'>,
): Promise<SecurityContext> {
  if (connection.session(sessionId) === undefined)
    throw new SmbAuthError('no such session to re-authenticate');
  return (await runLegs(connection, initiator, sessionId, undefined, options)).context;
}

/** LOGOFF (§3.2.4.22); the session's keys are dropped afterwards. */
export async function logoff(
  connection: SmbConnection,
  sessionId: bigint,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await connection.call(
      { codec: logoffRequest, body: {}, responseCodec: logoffResponse, sessionId, signal },
      'logoff',
    );
  } finally {
    connection.removeSession(sessionId);
  }
}
