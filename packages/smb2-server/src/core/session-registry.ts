/**
 * Every established session of the server (MS-SMB2 §3.3.1.5 GlobalSessionTable), so that a
 * client reconnecting with a PreviousSessionId can have the session it lost torn down
 * (§3.3.5.5.3): its opens closed and its SessionId answered with STATUS_USER_SESSION_DELETED
 * from then on, on whichever connection it lived.
 */
import type { Session } from './session.js';

export interface RegisteredSession {
  readonly session: Session;
  /** Removes the session from its connection and closes its opens. */
  close(): Promise<void>;
}

export class SessionRegistry {
  readonly #sessions = new Map<bigint, RegisteredSession>();

  add(entry: RegisteredSession): void {
    this.#sessions.set(entry.session.id, entry);
  }

  delete(session: Session): void {
    if (this.#sessions.get(session.id)?.session === session) this.#sessions.delete(session.id);
  }

  get(id: bigint): RegisteredSession | undefined {
    return this.#sessions.get(id);
  }

  /**
   * A new session of `client` replaces `previousId` (§3.3.5.5.3): the previous one is closed
   * when it belongs to the same principal; another principal's session is left alone.
   */
  async replacePrevious(previousId: bigint, current: Session): Promise<void> {
    if (previousId === 0n || previousId === current.id) return;
    const previous = this.#sessions.get(previousId);
    if (previous === undefined || previous.session.client !== current.client) return;
    this.#sessions.delete(previousId);
    await previous.close();
  }
}
