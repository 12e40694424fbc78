/**
 * `listenFromSystemd()`: a KDC on sockets systemd opened for it (socket activation,
 * sd_listen_fds(3)), so it can bind port 88 without privileges and run only on demand.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { fstatSync } from 'node:fs';
import type { Server } from 'node:net';
import type { Kdc } from '../kdc/kdc.js';
import { literalLookup } from './datagram.js';
import { SystemdActivationError } from './errors.js';
import { type KdcListener, ListenerBuilder } from './listener.js';
import type { ServeOptions } from './serve.js';
import { type SystemdEnvOptions, type SystemdFd, systemdListenFds } from './systemd-env.js';

/** How {@link listenFromSystemd} finds its sockets and serves them. */
export interface SystemdListenOptions extends ServeOptions, SystemdEnvOptions {
  /**
   * The address family of passed UDP sockets (default `udp4`). Node fixes a UDP socket's
   * family when it is created, before the fd is adopted, and cannot ask the fd; a UDP socket
   * of the other family is an `unsupported-socket` error rather than replies that fail.
   * Use `udp6` for `ListenDatagram=[::]:88` (which also receives IPv4 when dual-stack).
   */
  readonly udpFamily?: 'udp4' | 'udp6';
}

function unsupported(s: SystemdFd, why: string, cause?: unknown): SystemdActivationError {
  return new SystemdActivationError(
    'unsupported-socket',
    `fd ${s.fd} (${s.name}): ${why}`,
    s.fd,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Adopts `s` as a UDP socket. Node's `dgram` takes an fd through `socket.bind({ fd })`, and
 * refuses synchronously (ERR_INVALID_FD_TYPE) an fd that is not UDP, without touching it.
 */
function adoptDatagram(s: SystemdFd, family: 'udp4' | 'udp6'): UdpSocket | undefined {
  const socket = createSocket({ type: family, lookup: literalLookup });
  try {
    socket.bind({ fd: s.fd });
  } catch (e) {
    socket.close();
    if ((e as { code?: unknown }).code === 'ERR_INVALID_FD_TYPE') return undefined;
    throw unsupported(s, 'cannot adopt as UDP', e);
  }
  const bound = socket.address().family;
  if (bound !== (family === 'udp4' ? 'IPv4' : 'IPv6')) {
    socket.close();
    throw unsupported(s, `an ${bound} UDP socket; set udpFamily to match`);
  }
  return socket;
}

/** Adopts `s` as a listening stream socket (TCP or Unix). */
function adoptStream(s: SystemdFd, server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: unknown): void =>
      reject(unsupported(s, 'not a listening TCP or Unix stream socket (Accept=no)', e));
    server.once('error', fail);
    try {
      server.listen({ fd: s.fd }, () => {
        server.off('error', fail);
        resolve();
      });
    } catch (e) {
      fail(e);
    }
  });
}

/**
 * Serves `kdc` on every socket systemd passed (`ListenStream=` TCP or Unix, with
 * `Accept=no`; `ListenDatagram=` UDP). The activation variables are read as
 * sd_listen_fds(3) does (LISTEN_PID must be this process, fds from 3) and unset.
 * Throws {@link SystemdActivationError} when nothing was passed or a socket is of another
 * kind (a Unix datagram socket, an accepted connection, a file), closing what it had adopted.
 *
 * For a KDC that runs on demand, set `exitWhenIdleMs` and exit when `closed` resolves to
 * `'idle'`. Adopted Unix socket files belong to systemd and are never removed.
 */
export async function listenFromSystemd(kdc: Kdc, options: SystemdListenOptions = {}): Promise<KdcListener> {
  const fds = systemdListenFds(options);
  if (fds.length === 0) {
    throw new SystemdActivationError('not-activated', 'no sockets passed by systemd (LISTEN_PID/LISTEN_FDS)');
  }
  const builder = new ListenerBuilder(kdc, options);
  try {
    for (const s of fds) {
      try {
        if (!fstatSync(s.fd).isSocket()) throw unsupported(s, 'not a socket');
      } catch (e) {
        if (e instanceof SystemdActivationError) throw e;
        throw new SystemdActivationError('invalid-environment', `fd ${s.fd} (${s.name}) is not open`, s.fd, {
          cause: e,
        });
      }
      const udp = adoptDatagram(s, options.udpFamily ?? 'udp4');
      if (udp !== undefined) builder.addDatagramSocket(udp, s.name);
      else await adoptStream(s, builder.streamServer(undefined, { name: s.name }));
    }
  } catch (e) {
    await builder.abort();
    throw e;
  }
  return builder.finish();
}
