/**
 * What every operation on a tree needs: the connection, the session and tree ids, whether
 * the tree is encrypted (SMB2_SHAREFLAG_ENCRYPT_DATA), and the server's I/O limits. After a
 * reconnection the client updates these in place, so trees keep working.
 */
import type { RequestSpec, SmbConnection, SmbResponse } from '../connection/connection.js';

export interface TreeContext {
  connection: SmbConnection;
  sessionId: bigint;
  treeId: number;
  encrypt: boolean;
  maxReadSize: number;
  maxWriteSize: number;
  maxTransactSize: number;
}

/** The session, tree and encryption of `tree` added to a request. */
export function onTree<Req, Res>(tree: TreeContext, spec: RequestSpec<Req, Res>): RequestSpec<Req, Res> {
  return { ...spec, sessionId: tree.sessionId, treeId: tree.treeId, encrypt: tree.encrypt };
}

/** Sends a request on the tree; SmbError unless its status is in `ok`. */
export function callOnTree<Req, Res>(
  tree: TreeContext,
  spec: RequestSpec<Req, Res>,
  operation: string,
  ok?: readonly number[],
): Promise<SmbResponse<Res>> {
  return tree.connection.call(onTree(tree, spec), operation, ok);
}

/** Credits a request moving `bytes` of payload uses (§3.1.5.2: one per 64 KiB, at least one). */
export const creditsFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / 65_536));
