/** What a server is configured with. */
import type { KdcTransport } from '@postntlm/iakerb';
import type { KeytabEntry } from '@postntlm/krb5-messages';
import type { LocalDirectoryBackendOptions } from '../backend/index.js';

export interface ShareOptions {
  /** The share name clients connect to (`\\server\NAME`), case-insensitive. */
  readonly name: string;
  /** Free text shown by share listings. */
  readonly remark?: string;
  /** Every session on this share must be encrypted (unencrypted access is refused). */
  readonly encrypt?: boolean;
  /** Refuse every write: CREATE asking for a write, delete or overwrite right gets STATUS_ACCESS_DENIED. */
  readonly readOnly?: boolean;
  /**
   * The local directory served (through `LocalDirectoryBackend`, which paths cannot escape).
   * A share without `path` still accepts TREE_CONNECT but serves no files: its CREATEs get
   * STATUS_BAD_NETWORK_NAME. A `path` that cannot be opened fails TREE_CONNECT the same way.
   */
  readonly path?: string;
  /** Options of the share's `LocalDirectoryBackend` (hidden dot-files, file system name, label). */
  readonly backend?: LocalDirectoryBackendOptions;
  /** Principals (`alice@REALM`) allowed to connect; default: every authenticated principal. */
  readonly allow?: readonly string[];
}

export interface NtlmAttempt {
  /** Remote address and port. */
  readonly peer: string;
  readonly at: Date;
  /** What was offered: SPNEGO mechanism OIDs, or `NTLMSSP` for a raw NTLMSSP token. */
  readonly offered: readonly string[];
}

export interface SmbServerOptions {
  /** Service keys (`cifs/HOST@REALM`), e.g. from `loadKeytab`. */
  readonly keytab: readonly KeytabEntry[];
  /** IAKerb proxying: the realm of this server's KDC and how to reach it (the embedded Local KDC by default in the apps). */
  readonly iakerb?: {
    readonly realm: string;
    readonly kdc: KdcTransport;
    readonly allowedRealms?: readonly string[];
  };
  readonly shares: readonly ShareOptions[];
  /** Dialects offered, default 3.1.1, 3.0.2, 3.0, 2.1, 2.0.2. */
  readonly dialects?: readonly number[];
  /** Encrypt every session (3.x) even on shares that do not ask for it. */
  readonly encryptAll?: boolean;
  /** 16 bytes; random by default. */
  readonly serverGuid?: Uint8Array;
  /** Called for every NTLMSSP attempt (also kept in `SmbServer.ntlmAttempts`). */
  readonly onNtlmAttempt?: (attempt: NtlmAttempt) => void;
  /**
   * The server name srvsvc reports (NetrServerGetInfo); default: the host of the client's
   * TREE_CONNECT path to IPC$ (`\\files.test\IPC$` → `files.test`).
   */
  readonly serverName?: string;
  /** Largest read, write and transact size offered (default 8 MiB). */
  readonly maxIoSize?: number;
  /** Resource limits; each has a default (see `SmbServerLimits`). */
  readonly limits?: SmbServerLimits;
  /**
   * AES-GCM of encrypted messages of 256 KiB or more (big READ replies and WRITE requests)
   * on a worker thread shared by every connection, so that encrypted transfers are not
   * bound by the event loop's CPU. Default true where worker_threads exist. A number starts
   * that many worker threads (1 to 64), each job going to the least busy: for many encrypted
   * clients on a machine with cores to spare (one worker serves every connection in turn).
   */
  readonly gcmWorker?: boolean | number;
}

/**
 * What one server, connection or session may hold. Every field is optional and has the
 * default shown; a time of 0 turns that timeout off.
 */
export interface SmbServerLimits {
  /** Connections at once (default 1024); one more is closed as soon as it is accepted. */
  readonly maxConnections?: number;
  /**
   * Sessions per connection (default 64): one more SESSION_SETUP gets
   * STATUS_REQUEST_NOT_ACCEPTED (MS-SMB2 §3.3.5.5.1).
   */
  readonly maxSessionsPerConnection?: number;
  /** Opens (files, directories, pipes) per session (default 16384): one more CREATE gets STATUS_INSUFFICIENT_RESOURCES. */
  readonly maxOpensPerSession?: number;
  /**
   * A connection that sends nothing for this long while it holds no open is closed
   * (default 15 minutes, as Windows' autodisconnect).
   */
  readonly idleTimeoutMs?: number;
  /**
   * A connection that has no authenticated session this long after it was accepted is closed
   * (default 60 s): a peer cannot hold a connection open without authenticating.
   */
  readonly authTimeoutMs?: number;
  /**
   * Credits a client may hold at once (default 8192, as Windows and Samba; MS-SMB2 §3.3.1.2):
   * also the size of the window of MessageIds it may use.
   */
  readonly maxCredits?: number;
  /**
   * Requests received and not yet answered per connection (default 512): past this the
   * server stops reading the socket until it has caught up.
   */
  readonly maxPendingRequests?: number;
  /**
   * Bytes of responses written and not yet taken by the peer per connection (default 32 MiB):
   * past this the server stops reading the socket until the peer reads.
   */
  readonly maxQueuedOutputBytes?: number;
  /**
   * How long an oplock break waits for the holder's acknowledgment before the oplock is
   * taken away and the waiting CREATE goes on (default 35 s, MS-SMB2 §3.3.4.6; 0: no limit).
   */
  readonly oplockBreakTimeoutMs?: number;
}
