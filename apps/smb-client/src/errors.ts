/** Library failures as the exit codes and one-line messages the CLI reports. */
import {
  KdcNotFoundError,
  KdcTransportError,
  KdcUnreachableError,
  KerberosError,
  Krb5ClientError,
  Krb5ConfigError,
  ProfileError,
  StoreNotFoundError,
} from '@postntlm/krb5-client';
import {
  SmbAuthError,
  SmbConnectionError,
  SmbError,
  SmbIntegrityError,
  SmbProtocolError,
} from '@postntlm/smb2-client';
import { CliError, ExitCode } from './exit-codes.js';

const NOT_FOUND = new Set([
  'STATUS_OBJECT_NAME_NOT_FOUND',
  'STATUS_OBJECT_PATH_NOT_FOUND',
  'STATUS_NO_SUCH_FILE',
  'STATUS_BAD_NETWORK_NAME',
  'STATUS_NOT_FOUND',
]);
const DENIED = new Set(['STATUS_ACCESS_DENIED', 'STATUS_MEDIA_WRITE_PROTECTED', 'STATUS_SHARING_VIOLATION']);
const AUTH = new Set(['STATUS_LOGON_FAILURE', 'STATUS_ACCOUNT_DISABLED', 'STATUS_NETWORK_SESSION_EXPIRED']);

export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SmbError) {
    const code = NOT_FOUND.has(e.code)
      ? ExitCode.NOT_FOUND
      : DENIED.has(e.code)
        ? ExitCode.ACCESS_DENIED
        : AUTH.has(e.code)
          ? ExitCode.AUTH
          : ExitCode.SMB;
    return new CliError(code, `${e.code}: ${message}`, { cause: e });
  }
  if (e instanceof SmbAuthError || e instanceof KerberosError || e instanceof StoreNotFoundError)
    return new CliError(ExitCode.AUTH, message, { cause: e });
  if (
    e instanceof SmbConnectionError ||
    e instanceof KdcUnreachableError ||
    e instanceof KdcNotFoundError ||
    e instanceof KdcTransportError
  )
    return new CliError(ExitCode.NETWORK, message, { cause: e });
  if (e instanceof SmbIntegrityError || e instanceof SmbProtocolError)
    return new CliError(ExitCode.NETWORK, `protocol: ${message}`, { cause: e });
  // A broken krb5.conf is the user's to fix, not a refused login.
  if (e instanceof ProfileError || e instanceof Krb5ConfigError)
    return new CliError(ExitCode.USAGE, `krb5.conf: ${message}`, { cause: e });
  if (e instanceof Krb5ClientError) return new CliError(ExitCode.AUTH, message, { cause: e });
  if (e instanceof Error && e.name === 'PrincipalParseError')
    return new CliError(ExitCode.USAGE, `bad principal name: ${message}`, { cause: e });
  const errno = (e as NodeJS.ErrnoException)?.code;
  if (errno === 'ENOENT') return new CliError(ExitCode.NOT_FOUND, message, { cause: e });
  if (errno === 'EACCES') return new CliError(ExitCode.ACCESS_DENIED, message, { cause: e });
  if (errno === 'EISDIR' || errno === 'ENOTDIR' || errno === 'EEXIST')
    return new CliError(ExitCode.USAGE, message, { cause: e });
  // A bug: the error's name and message (no stack trace); POSTNTLM_DEBUG=1 shows the stack.
  const detail = e instanceof Error ? `${e.name}: ${message}` : message;
  const stack = process.env.POSTNTLM_DEBUG === '1' && e instanceof Error ? `\n${e.stack}` : '';
  return new CliError(ExitCode.INTERNAL, `unexpected: ${detail}${stack}`, { cause: e });
}
