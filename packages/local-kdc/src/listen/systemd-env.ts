/** Reading the sockets systemd passes, as sd_listen_fds(3) does. */
import { SystemdActivationError } from './errors.js';

/** The first passed file descriptor (SD_LISTEN_FDS_START). */
export const SD_LISTEN_FDS_START = 3;

/** One socket passed by systemd. */
export interface SystemdFd {
  readonly fd: number;
  /** Its `FileDescriptorName=` (from LISTEN_FDNAMES), or `unknown` as sd_listen_fds_with_names(3) says. */
  readonly name: string;
}

/** Where to read the activation variables, and what to do with them. */
export interface SystemdEnvOptions {
  /** The environment to read (default `process.env`). */
  readonly env?: Record<string, string | undefined>;
  /** The pid LISTEN_PID must name (default `process.pid`). */
  readonly pid?: number;
  /**
   * Delete LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES from `env` after reading (default true),
   * so child processes do not believe the sockets are theirs.
   */
  readonly unsetEnvironment?: boolean;
}

function parseCount(name: string, text: string): number {
  if (!/^[0-9]+$/.test(text)) {
    throw new SystemdActivationError(
      'invalid-environment',
      `${name}=${JSON.stringify(text)} is not a number`,
    );
  }
  return Number(text);
}

/**
 * The sockets systemd passed to this process: none unless LISTEN_PID is this process's
 * pid (the variables may have been inherited from a parent they were meant for). fds are
 * numbered from 3.
 */
export function systemdListenFds(options: SystemdEnvOptions = {}): SystemdFd[] {
  const env = options.env ?? process.env;
  const pidText = env.LISTEN_PID;
  const countText = env.LISTEN_FDS;
  const namesText = env.LISTEN_FDNAMES;
  if (options.unsetEnvironment !== false) {
    delete env.LISTEN_PID;
    delete env.LISTEN_FDS;
    delete env.LISTEN_FDNAMES;
  }
  if (pidText === undefined || countText === undefined) return [];
  if (parseCount('LISTEN_PID', pidText) !== (options.pid ?? process.pid)) return [];
  const count = parseCount('LISTEN_FDS', countText);
  if (count === 0) return [];
  const names = namesText === undefined ? [] : namesText.split(':');
  if (namesText !== undefined && names.length !== count) {
    throw new SystemdActivationError(
      'invalid-environment',
      `LISTEN_FDNAMES has ${names.length} names for ${count} fds`,
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    fd: SD_LISTEN_FDS_START + i,
    name: names[i] ?? 'unknown',
  }));
}
