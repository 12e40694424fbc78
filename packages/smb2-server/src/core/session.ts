/**
 * One SMB session (MS-SMB2 §3.3.1.8): its SPNEGO acceptor while authenticating
 * (Kerberos or IAKerb, never NTLM), then its keys, the client principal, its trees and when
 * it expires (the Kerberos ticket's end time, §3.3.5.2.9); a re-authentication (§3.3.5.5.2)
 * runs a new acceptor over the established session and keeps its keys.
 */
import type { SecurityContext, SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import {
  type CipherId,
  deriveSessionKeys,
  type PreauthHash,
  type SessionKeys,
  type SigningAlgorithmId,
} from '@postntlm/smb2-protocol';
import type { ShareBackend } from '../backend/index.js';
import { OpenTable } from './open.js';
import type { ShareOptions } from './options.js';

export interface Tree {
  readonly id: number;
  readonly share: string;
  readonly ipc: boolean;
  readonly encrypt: boolean;
  /** The share's configuration (absent for IPC$). */
  readonly options?: ShareOptions;
  /** The share's storage (absent for IPC$ and for shares without `path`). */
  readonly backend?: ShareBackend;
  /** The access a share grants at most (TREE_CONNECT MaximalAccess). */
  readonly maximalAccess: number;
  /** The server name of the TREE_CONNECT path (`\\files.test\IPC$` → `files.test`), if any. */
  readonly host?: string;
}

export class Session {
  state: 'in-progress' | 'valid' = 'in-progress';
  /** The acceptor of the authentication under way (the first, or a re-authentication). */
  acceptor: SpnegoAcceptor;
  /** A re-authentication of this (valid) session is under way (§3.3.5.5.2). */
  reauthenticating = false;
  /** When the session's Kerberos ticket ends (Session.ExpirationTime, §3.3.5.5.3). */
  expiresAt: Date | undefined;
  keys: SessionKeys | undefined;
  context: SecurityContext | undefined;
  /** Encrypt everything of this session (ENCRYPT_DATA). */
  encrypt = false;
  readonly trees = new Map<number, Tree>();
  /** The session's opens (FileIds of every tree). */
  readonly opens = new OpenTable();
  /** The 3.1.1 session preauth hash (forked from the connection's at the first SESSION_SETUP). */
  readonly preauth: PreauthHash | undefined;

  constructor(
    readonly id: bigint,
    acceptor: SpnegoAcceptor,
    connectionPreauth: PreauthHash | undefined,
  ) {
    this.acceptor = acceptor;
    this.preauth = connectionPreauth?.fork();
  }

  /** The ticket's end time passed (§3.3.5.2.9: STATUS_NETWORK_SESSION_EXPIRED until re-authenticated). */
  isExpired(now: Date = new Date()): boolean {
    return (
      this.state === 'valid' && this.expiresAt !== undefined && this.expiresAt.getTime() <= now.getTime()
    );
  }

  /** Starts a re-authentication of this valid session with a fresh acceptor. */
  beginReauth(acceptor: SpnegoAcceptor): void {
    this.acceptor = acceptor;
    this.reauthenticating = true;
  }

  /**
   * Ends a re-authentication (§3.3.5.5.3): the session takes the new ticket's end time when
   * the same principal authenticated; the keys stay. False (and nothing changes) for another
   * principal.
   */
  completeReauth(context: SecurityContext): boolean {
    this.reauthenticating = false;
    if (principalOf(context) !== this.client) return false;
    this.context = context;
    this.expiresAt = context.endtime;
    return true;
  }

  /** The authenticated client, `alice@REALM`. */
  get client(): string | undefined {
    return this.context === undefined ? undefined : principalOf(this.context);
  }

  /** Derives the session's keys once authentication succeeded (§3.3.5.5.3). */
  establish(context: SecurityContext, dialect: number, cipher: CipherId | undefined): void {
    this.context = context;
    this.expiresAt = context.endtime;
    this.keys = deriveSessionKeys({
      dialect,
      sessionKey: context.smbSessionKey(),
      ...(this.preauth === undefined ? {} : { preauthHash: this.preauth.value }),
      ...(cipher === undefined ? {} : { cipher }),
      role: 'server',
    });
    this.state = 'valid';
  }
}

function principalOf(context: SecurityContext): string {
  const c = context.client;
  return `${c.name.nameString.join('/')}@${c.realm}`;
}

export interface Negotiated {
  readonly dialect: number;
  readonly signing: SigningAlgorithmId;
  readonly cipher: CipherId | undefined;
  /** The client asked for signing to be required, or we require it (always). */
  readonly clientGuid: Uint8Array;
  /** The client's NEGOTIATE request values, for FSCTL_VALIDATE_NEGOTIATE_INFO (§3.3.5.15.12). */
  readonly clientCapabilities: number;
  readonly clientSecurityMode: number;
  readonly clientDialects: readonly number[];
  /** What our NEGOTIATE response said. */
  readonly serverCapabilities: number;
  readonly serverSecurityMode: number;
}
