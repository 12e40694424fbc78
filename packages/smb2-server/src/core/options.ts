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
}
