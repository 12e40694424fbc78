/**
 * The client's error taxonomy: the server said no (`SmbError`, with the NTSTATUS name), the
 * connection failed or closed (`SmbConnectionError`), a response failed its integrity check
 * (`SmbIntegrityError`), the server broke the protocol (`SmbProtocolError`), or
 * authentication could not start (`SmbAuthError`). Aborts reject with the signal's reason
 * (an `AbortError` DOMException by default).
 */
import { commandName, ntStatusName } from '@postntlm/smb2-protocol';

/** The server answered a request with an error NTSTATUS (MS-ERREF §2.3). */
export class SmbError extends Error {
  override name = 'SmbError';
  /** The NTSTATUS name, `STATUS_OBJECT_NAME_NOT_FOUND`. */
  readonly code: string;
  /** The command that failed, `CREATE`. */
  readonly command: string;

  constructor(
    /** The NTSTATUS value. */
    readonly status: number,
    command: number,
    /** What the client was doing, `open \\dir\\a.txt`. */
    readonly operation?: string,
  ) {
    const code = ntStatusName(status);
    const cmd = commandName(command);
    super(`${operation === undefined ? cmd : `${operation} (${cmd})`}: ${code}`);
    this.code = code;
    this.command = cmd;
  }
}

/** The TCP connection failed, timed out or closed; every pending request rejects with it. */
export class SmbConnectionError extends Error {
  override name = 'SmbConnectionError';
}

/** A response's signature or encryption did not verify, or an encrypted session got plaintext. */
export class SmbIntegrityError extends Error {
  override name = 'SmbIntegrityError';
}

/** The server sent something MS-SMB2 does not allow (bad dialect, a downgrade, a malformed message). */
export class SmbProtocolError extends Error {
  override name = 'SmbProtocolError';
}

/** The client could not get or use Kerberos credentials for the session. */
export class SmbAuthError extends Error {
  override name = 'SmbAuthError';
}

/** The reason an aborted signal rejects with. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
