/**
 * What the handler tests drive handlers with, in process and without a connection: a share
 * backend over a temporary directory, trees, and a `HandlerContext` of a hand-made session
 * (the negotiated state, the request header and a stand-in for the server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import { Dialect, SigningAlgorithmId, type Smb2Header } from '@postntlm/smb2-protocol';
import { afterAll, beforeAll } from 'vitest';
import { LocalDirectoryBackend } from '../../src/backend/index.js';
import type { ShareBackend } from '../../src/backend/types.js';
import type { ShareOptions, SmbServerOptions } from '../../src/core/options.js';
import type { ServerContext } from '../../src/core/server-context.js';
import { type Negotiated, Session, type Tree } from '../../src/core/session.js';
import type { HandlerContext } from '../../src/handlers/common.js';

/** FILE_ALL_ACCESS: the MaximalAccess of a share that grants everything. */
export const FULL_ACCESS = 0x001f01ff;

export interface TemporaryShare<B extends ShareBackend> {
  /** The directory (made by the fixture's beforeAll). */
  readonly dir: string;
  /** The backend over `dir` (opened by the fixture's beforeAll). */
  readonly backend: B;
}

/**
 * A temporary directory and a backend over it, made before all tests and disposed of and
 * removed after all. Call at a test file's top level (it registers the hooks).
 */
export function temporaryShare(dirPrefix: string): TemporaryShare<LocalDirectoryBackend>;
export function temporaryShare<B extends ShareBackend>(
  dirPrefix: string,
  open: (dir: string) => Promise<B>,
): TemporaryShare<B>;
export function temporaryShare(
  dirPrefix: string,
  open: (dir: string) => Promise<ShareBackend> = (dir) => LocalDirectoryBackend.open(dir),
): TemporaryShare<ShareBackend> {
  let dir: string | undefined;
  let backend: ShareBackend | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), dirPrefix));
    backend = await open(dir);
  });
  afterAll(async () => {
    await backend?.dispose();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the temporary share is made in beforeAll');
    return value;
  };
  return {
    get dir() {
      return made(dir);
    },
    get backend() {
      return made(backend);
    },
  };
}

/** A client's NEGOTIATE as the server kept it: 3.0 with AES-CMAC signing unless `over` says otherwise. */
export function negotiatedAs(over: Partial<Negotiated> = {}): Negotiated {
  const dialect = over.dialect ?? Dialect.SMB_3_0;
  return {
    dialect,
    signing: SigningAlgorithmId.AES_CMAC,
    cipher: undefined,
    clientGuid: new Uint8Array(16),
    clientCapabilities: 0,
    clientSecurityMode: 1,
    clientDialects: [dialect],
    serverCapabilities: 0,
    serverSecurityMode: 3,
    ...over,
  };
}

/** A tree on a disk share served by `backend` (id 1, named `share`, full access unless `over` says otherwise). */
export function diskTree(
  backend: ShareBackend,
  options: ShareOptions | undefined,
  over: Partial<Tree> = {},
): Tree {
  return {
    id: 1,
    share: 'share',
    ipc: false,
    encrypt: false,
    ...(options === undefined ? {} : { options }),
    backend,
    maximalAccess: FULL_ACCESS,
    ...over,
  };
}

export interface HandlerContextOptions {
  /** The tree of the request; added to the session's trees. */
  readonly tree: Tree;
  /** The request's command (the header field). */
  readonly command: number;
  /** Default: session 1 of an unused acceptor. */
  readonly session?: Session;
  /** Default: `negotiatedAs()`. */
  readonly negotiated?: Negotiated;
  /** Header fields besides the command (default: one credit charged, MessageId 1, the tree's and session's ids). */
  readonly header?: Partial<Smb2Header>;
  /** The server's options (keytab and shares empty unless given). */
  readonly serverOptions?: Partial<SmbServerOptions>;
  /** Other server fields the handlers read (serverGuid is all zero unless given). */
  readonly server?: Partial<ServerContext>;
  readonly relatedFileId?: HandlerContext['relatedFileId'];
  readonly disconnect?: () => void;
  readonly sendOplockBreak?: HandlerContext['sendOplockBreak'];
}

/** A handler's context for a request on `o.tree` (the handlers read only what a test sets here). */
export function handlerContext(o: HandlerContextOptions): HandlerContext {
  const session = o.session ?? new Session(1n, {} as SpnegoAcceptor, undefined);
  session.trees.set(o.tree.id, o.tree);
  const header: Smb2Header = {
    creditCharge: 1,
    status: 0,
    command: o.command,
    credits: 1,
    flags: 0,
    nextCommand: 0,
    messageId: 1n,
    treeId: o.tree.id,
    sessionId: session.id,
    signature: new Uint8Array(16),
    ...o.header,
  };
  const server = {
    options: { keytab: [], shares: [], ...o.serverOptions },
    serverGuid: new Uint8Array(16),
    ...o.server,
  } as unknown as ServerContext;
  return {
    server,
    negotiated: o.negotiated ?? negotiatedAs(),
    header,
    session,
    tree: o.tree,
    relatedFileId: o.relatedFileId,
    disconnect: o.disconnect ?? (() => {}),
    ...(o.sendOplockBreak === undefined ? {} : { sendOplockBreak: o.sendOplockBreak }),
  };
}
