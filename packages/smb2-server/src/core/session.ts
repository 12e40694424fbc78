/**
 * One SMB session (MS-SMB2 §3.3.1.8): its SPNEGO acceptor while authenticating
 * (Kerberos or IAKerb, never NTLM), then its keys, the client principal and its trees.
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
    readonly acceptor: SpnegoAcceptor,
    connectionPreauth: PreauthHash | undefined,
  ) {
    this.preauth = connectionPreauth?.fork();
  }

  /** The authenticated client, `alice@REALM`. */
  get client(): string | undefined {
    const c = this.context?.client;
    return c === undefined ? undefined : `${c.name.nameString.join('/')}@${c.realm}`;
  }

  /** Derives the session's keys once authentication succeeded (§3.3.5.5.3). */
  establish(context: SecurityContext, dialect: number, cipher: CipherId | undefined): void {
    this.context = context;
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
