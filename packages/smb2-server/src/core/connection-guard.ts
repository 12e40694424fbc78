/**
 * What keeps one connection from holding the server's resources for free
 * (`SmbServerOptions.limits`): it is closed when it has not authenticated a session within
 * `authTimeoutMs` of being accepted, or has sent nothing for `idleTimeoutMs` while holding no
 * open; and its socket stops being read while `maxPendingRequests` frames wait for an answer
 * or `maxQueuedOutputBytes` of answers wait for the peer to read them (TCP then pushes back
 * on the client), resuming once half of that has drained.
 */
import type { Socket } from 'node:net';
import type { ResolvedLimits } from './limits.js';

export interface ConnectionState {
  /** The connection has an established session. */
  authenticated(): boolean;
  /** The connection holds something an idle client keeps: an open or a pending request. */
  busy(): boolean;
}

export class ConnectionGuard {
  #pendingFrames = 0;
  #paused = false;
  #lastActivity = Date.now();
  #authTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly limits: ResolvedLimits,
    private readonly state: ConnectionState,
  ) {
    if (limits.authTimeoutMs > 0) {
      this.#authTimer = setTimeout(() => {
        if (!state.authenticated()) socket.destroy();
      }, limits.authTimeoutMs);
      this.#authTimer.unref();
    }
    this.#armIdle(limits.idleTimeoutMs);
    socket.on('drain', () => this.#maybeResume());
    socket.on('close', () => this.stop());
  }

  /** A frame arrived (and waits for its answer). */
  received(): void {
    this.#lastActivity = Date.now();
    this.#pendingFrames++;
    if (this.#pendingFrames >= this.limits.maxPendingRequests) this.#pause();
  }

  /** A frame was answered (or dropped). */
  answered(): void {
    this.#pendingFrames = Math.max(0, this.#pendingFrames - 1);
    this.#maybeResume();
  }

  /**
   * Writes `bytes` to the socket; stops reading while too much waits for the peer. `written`
   * runs once the socket is done with the bytes (not if the socket is already gone).
   */
  write(bytes: Uint8Array, written?: () => void): void {
    this.writeParts([bytes], written);
  }

  /** Writes `parts` as one vectored write (no concatenation); the same back-pressure as `write`. */
  writeParts(parts: readonly Uint8Array[], written?: () => void): void {
    if (this.socket.destroyed) return;
    const last = parts.length - 1;
    const done = written === undefined ? undefined : () => written();
    if (last === 0) this.socket.write(parts[0] as Uint8Array, done);
    else {
      this.socket.cork();
      parts.forEach((p, i) => {
        if (i === last) this.socket.write(p, done);
        else if (p.length > 0) this.socket.write(p);
      });
      this.socket.uncork();
    }
    if (this.socket.writableLength > this.limits.maxQueuedOutputBytes) this.#pause();
  }

  /** Frames received and not yet answered. */
  get pendingFrames(): number {
    return this.#pendingFrames;
  }

  /** Whether the socket is not being read for now. */
  get paused(): boolean {
    return this.#paused;
  }

  stop(): void {
    clearTimeout(this.#authTimer);
    clearTimeout(this.#idleTimer);
  }

  #pause(): void {
    if (this.#paused || this.socket.destroyed) return;
    this.#paused = true;
    this.socket.pause();
  }

  #maybeResume(): void {
    if (!this.#paused || this.socket.destroyed) return;
    if (this.#pendingFrames > this.limits.maxPendingRequests / 2) return;
    if (this.socket.writableLength > this.limits.maxQueuedOutputBytes / 2) return;
    this.#paused = false;
    this.socket.resume();
  }

  #armIdle(delay: number): void {
    if (this.limits.idleTimeoutMs <= 0) return;
    this.#idleTimer = setTimeout(() => this.#checkIdle(), Math.max(1, delay));
    this.#idleTimer.unref();
  }

  #checkIdle(): void {
    if (this.socket.destroyed) return;
    const idle = Date.now() - this.#lastActivity;
    const limit = this.limits.idleTimeoutMs;
    if (idle >= limit && this.#pendingFrames === 0 && !this.state.busy()) {
      this.socket.destroy();
      return;
    }
    this.#armIdle(idle >= limit ? limit : limit - idle);
  }
}
