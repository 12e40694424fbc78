/**
 * `SmbClient`: one TCP connection, one authenticated session, and the trees opened on it.
 * `SmbClient.connect` runs TCP → NEGOTIATE → Kerberos/IAKerb SESSION_SETUP; `tree(name)`
 * connects a share (and validates the negotiation on 3.0/3.0.2); `close()` logs off and
 * disconnects. When the connection drops, idempotent operations (listing, stat, whole-file
 * reads and writes) connect again, re-authenticate, reconnect their trees and run once
 * more (MS-SMB2 §3.2.4.1.1 leaves recovery to the client; there are no durable handles, so
 * open files are lost). An expired ticket (STATUS_NETWORK_SESSION_EXPIRED) re-authenticates
 * the session in place.
 */
import type { SecurityContext } from '@postntlm/gssapi-spnego';
import { GcmOffload } from '@postntlm/smb2-protocol';
import { type ConnectionOptions, SmbConnection } from './connection/connection.js';
import { type Negotiated, negotiate } from './connection/negotiate.js';
import { connectTcp, type Transport } from './connection/transport.js';
import { SmbConnectionError, SmbProtocolError } from './errors.js';
import { enumerateShares, type ShareEntry } from './rpc/srvsvc.js';
import {
  type IakerbPolicy,
  resolveCredentials,
  type SmbAuthOptions,
  spnegoInitiatorFor,
} from './session/credentials.js';
import { type EstablishedSession, logoff, reauthenticate, setupSession } from './session/session-setup.js';
import type { SmbAuthTraceListener } from './session/trace.js';
import type { TreeContext } from './tree/context.js';
import { SmbTree } from './tree/tree.js';
import { needsValidateNegotiate, treeConnect, validateNegotiate } from './tree/tree-connect.js';

/** `sign` (default): every message signed; `encrypt`: every message encrypted (3.x); `none`: as the server requires. */
export type SmbProtection = 'none' | 'sign' | 'encrypt';

export interface SmbClientOptions {
  readonly host: string;
  /** Default 445. */
  readonly port?: number;
  /** The server's name for the SPN and UNC paths (default `host`); needed when `host` is an address. */
  readonly serverName?: string;
  readonly auth: SmbAuthOptions;
  readonly protection?: SmbProtection;
  /** IAKerb: `auto` (default, when no KDC is reachable), `always`, `never`. */
  readonly iakerb?: IakerbPolicy;
  /** Dialects to offer (`Dialect.*`); default 3.1.1 down to 2.0.2. */
  readonly dialects?: readonly number[];
  /** TCP connect timeout, ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Time allowed for each response, ms (default 60 000). */
  readonly timeoutMs?: number;
  /** Connect again for idempotent operations after the connection dropped (default true). */
  readonly reconnect?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Observes the authentication flow: one event per NEGOTIATE and SESSION_SETUP message,
   * its security token classified (SPNEGO, IAKerb-proxied AS/TGS, AP-REQ/AP-REP).
   */
  readonly onAuthTrace?: SmbAuthTraceListener;
  /** Makes the transport instead of TCP (tests, proxies); called again to reconnect. */
  readonly transport?: () => Promise<Transport>;
  /**
   * AES-GCM of encrypted messages of 256 KiB or more on a worker thread (one per process,
   * shared, never keeping the process alive), so that a large encrypted transfer is not
   * bound by one thread's CPU. Default true where worker_threads exist.
   */
  readonly gcmWorker?: boolean;
}

let sharedOffload: GcmOffload | undefined | null = null;
/** The process's GCM worker, started on first use (undefined where it cannot run). */
function gcmOffload(): GcmOffload | undefined {
  if (sharedOffload === null || sharedOffload?.stopped === true) sharedOffload = GcmOffload.start();
  return sharedOffload;
}

/** One connection with its negotiation and session. */
interface Link {
  readonly connection: SmbConnection;
  readonly negotiated: Negotiated;
  readonly session: EstablishedSession;
  validated: boolean;
}

interface TreeEntry {
  readonly tree: Promise<SmbTree>;
  ctx: TreeContext | undefined;
}

const serverNameOf = (o: SmbClientOptions): string => o.serverName ?? o.host;
const spnOf = (o: SmbClientOptions): string => o.auth.spn ?? `cifs/${serverNameOf(o)}`;

/** TCP (or the given transport), NEGOTIATE and SESSION_SETUP. */
async function establish(options: SmbClientOptions): Promise<Link> {
  const protection = options.protection ?? 'sign';
  const policy = options.iakerb ?? 'auto';
  const spn = spnOf(options);
  // Credentials first: a KDC that is down should fail (or switch to IAKerb) before TCP to the server.
  const resolved = await resolveCredentials(options.auth, spn, policy);
  const transport =
    options.transport !== undefined
      ? await options.transport()
      : await connectTcp({
          host: options.host,
          port: options.port ?? 445,
          ...(options.connectTimeoutMs === undefined ? {} : { timeoutMs: options.connectTimeoutMs }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
  const connectionOptions: ConnectionOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    gcmOffload: options.gcmWorker === false ? undefined : gcmOffload(),
  };
  const connection = new SmbConnection(transport, connectionOptions);
  try {
    const negotiated = await negotiate(connection, {
      requireSigning: protection !== 'none',
      serverName: serverNameOf(options),
      ...(options.dialects === undefined ? {} : { dialects: options.dialects }),
      signal: options.signal,
      onAuthTrace: options.onAuthTrace,
    });
    const initiator = spnegoInitiatorFor(resolved, options.auth, spn, policy);
    const session = await setupSession(connection, negotiated, initiator, {
      requireSigning: protection !== 'none',
      encrypt: protection === 'encrypt',
      signal: options.signal,
      onAuthTrace: options.onAuthTrace,
    });
    return { connection, negotiated, session, validated: false };
  } catch (e) {
    connection.close();
    throw e;
  }
}

export class SmbClient {
  readonly #trees = new Map<string, TreeEntry>();
  readonly #options: SmbClientOptions;
  #link: Link;
  #context: SecurityContext;
  #reconnecting: Promise<void> | undefined;
  #closed = false;

  private constructor(link: Link, options: SmbClientOptions) {
    this.#options = options;
    this.#link = link;
    this.#context = link.session.context;
    this.#install(link);
  }

  /** Connects, negotiates and authenticates. */
  static async connect(options: SmbClientOptions): Promise<SmbClient> {
    return new SmbClient(await establish(options), options);
  }

  /** The current connection. */
  get connection(): SmbConnection {
    return this.#link.connection;
  }

  /** What NEGOTIATE settled. */
  get negotiated(): Negotiated {
    return this.#link.negotiated;
  }

  get session(): EstablishedSession {
    return this.#link.session;
  }

  /** The negotiated dialect (`Dialect.*`). */
  get dialect(): number {
    return this.#link.negotiated.dialect;
  }

  /** The authenticated user, `alice@REALM`. */
  get user(): string {
    const c = this.#context.client;
    return `${c.name.nameString.join('/')}@${c.realm}`;
  }

  /** A share, connected once and shared by every caller. */
  tree(name: string, options: { signal?: AbortSignal } = {}): Promise<SmbTree> {
    if (this.#closed) return Promise.reject(new SmbProtocolError('the client is closed'));
    const key = name.toLowerCase();
    let entry = this.#trees.get(key);
    if (entry === undefined) {
      const created: TreeEntry = {
        tree: this.#retry(async () => {
          const ctx = await this.#connectTree(name, options.signal);
          created.ctx = ctx;
          return new SmbTree(ctx, name, (operation) => this.#retry(operation));
        }),
        ctx: undefined,
      };
      entry = created;
      this.#trees.set(key, entry);
      entry.tree.catch(() => this.#trees.delete(key));
    }
    return entry.tree;
  }

  /** The server's shares (srvsvc NetrShareEnum level 1 over IPC$). */
  listShares(options: { signal?: AbortSignal } = {}): Promise<ShareEntry[]> {
    if (this.#closed) return Promise.reject(new SmbProtocolError('the client is closed'));
    return this.#retry(async () => {
      const link = this.#link;
      const { ctx } = await treeConnect(
        link.connection,
        link.negotiated,
        link.session.sessionId,
        `\\\\${serverNameOf(this.#options)}\\IPC$`,
        this.#options.protection === 'encrypt',
        options.signal,
      );
      try {
        return await enumerateShares(ctx, serverNameOf(this.#options), options.signal);
      } finally {
        await new SmbTree(ctx, 'IPC$').disconnect().catch(() => undefined);
      }
    });
  }

  /**
   * Re-authenticates the session with a fresh ticket (done by itself when the server says
   * STATUS_NETWORK_SESSION_EXPIRED; the keys and open files stay).
   */
  async reauthenticate(signal?: AbortSignal): Promise<void> {
    const link = this.#link;
    const policy = this.#options.iakerb ?? 'auto';
    const spn = spnOf(this.#options);
    const resolved = await resolveCredentials(this.#options.auth, spn, policy);
    const initiator = spnegoInitiatorFor(resolved, this.#options.auth, spn, policy);
    this.#context = await reauthenticate(link.connection, link.session.sessionId, initiator, {
      requireSigning: link.session.security.sign,
      signal,
    });
  }

  /**
   * Drops the connection and makes a new one: NEGOTIATE, SESSION_SETUP and a TREE_CONNECT
   * for every tree, whose objects keep working (open file handles do not).
   */
  reconnect(): Promise<void> {
    this.#reconnecting ??= this.#reconnect().finally(() => {
      this.#reconnecting = undefined;
    });
    return this.#reconnecting;
  }

  /** Disconnects the trees, logs off and closes the connection. Never rejects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const link = this.#link;
    if (!link.connection.closed) {
      for (const entry of this.#trees.values())
        await entry.tree.then((tree) => tree.disconnect()).catch(() => undefined);
      await logoff(link.connection, link.session.sessionId).catch(() => undefined);
    }
    link.connection.close();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) throw new SmbProtocolError('the client is closed');
    this.#link.connection.close();
    const link = await establish(this.#options);
    this.#link = link;
    this.#context = link.session.context;
    this.#install(link);
    for (const [name, entry] of this.#trees) {
      if (entry.ctx === undefined) continue;
      const fresh = await this.#connectTree(name, this.#options.signal);
      Object.assign(entry.ctx, fresh);
    }
  }

  /** Runs an idempotent operation; after a dropped connection, reconnects and runs it once more. */
  async #retry<T>(operation: () => Promise<T>): Promise<T> {
    const link = this.#link;
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof SmbConnectionError) || this.#closed || this.#options.reconnect === false) throw e;
      if (this.#options.signal?.aborted === true) throw e;
      // A timeout leaves the server's state unknown: start afresh (as Windows does).
      if (this.#link === link) await this.reconnect();
      else await this.#reconnecting;
      return operation();
    }
  }

  #install(link: Link): void {
    link.connection.setReauthenticator(link.session.sessionId, () => this.reauthenticate());
  }

  async #connectTree(name: string, signal?: AbortSignal): Promise<TreeContext> {
    const link = this.#link;
    const { ctx } = await treeConnect(
      link.connection,
      link.negotiated,
      link.session.sessionId,
      `\\\\${serverNameOf(this.#options)}\\${name}`,
      this.#options.protection === 'encrypt',
      signal,
    );
    const security = link.session.security;
    if (
      !link.validated &&
      needsValidateNegotiate(link.negotiated.dialect) &&
      (security.sign || security.encryptAll || ctx.encrypt)
    ) {
      try {
        await validateNegotiate(ctx, link.negotiated, signal);
        link.validated = true;
      } catch (e) {
        // §3.2.5.14.12: a failed validation ends the connection.
        link.connection.close();
        throw e;
      }
    }
    return ctx;
  }
}
