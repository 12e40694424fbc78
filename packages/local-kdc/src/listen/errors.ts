/** Errors of systemd socket activation. */

/**
 * Why socket activation failed:
 * - `not-activated`: no sockets were passed (LISTEN_PID unset or another process's, LISTEN_FDS 0);
 * - `invalid-environment`: LISTEN_PID, LISTEN_FDS or LISTEN_FDNAMES malformed, or an fd not open;
 * - `unsupported-socket`: an fd that is not a listening TCP/Unix stream socket or a UDP socket
 *   of the expected address family (see `SystemdListenOptions.udpFamily`).
 */
export type SystemdActivationErrorCode = 'not-activated' | 'invalid-environment' | 'unsupported-socket';

/** Thrown by `systemdListenFds()` and `listenFromSystemd()`. */
export class SystemdActivationError extends Error {
  override readonly name = 'SystemdActivationError';

  constructor(
    readonly code: SystemdActivationErrorCode,
    message: string,
    /** The file descriptor concerned, if one. */
    readonly fd?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
