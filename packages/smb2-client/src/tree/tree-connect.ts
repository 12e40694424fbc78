/**
 * TREE_CONNECT (MS-SMB2 §3.2.4.2.4, §3.2.5.5) and, on 3.0 / 3.0.2 connections, the
 * FSCTL_VALIDATE_NEGOTIATE_INFO that follows the first one (§3.2.5.14.12 of the response
 * check): the server repeats what it negotiated under the session's signature, so a
 * man-in-the-middle who downgraded the NEGOTIATE is caught.
 */
import {
  ANY_FILE_ID,
  Command,
  Dialect,
  Fsctl,
  IoctlFlags,
  ioctlRequest,
  ioctlResponse,
  ShareFlags,
  type TreeConnectResponse,
  treeConnectRequest,
  treeConnectResponse,
  validateNegotiateInfoRequest,
  validateNegotiateInfoResponse,
} from '@postntlm/smb2-protocol';
import type { SmbConnection } from '../connection/connection.js';
import type { Negotiated } from '../connection/negotiate.js';
import { SmbError, SmbProtocolError } from '../errors.js';
import { callOnTree, type TreeContext } from './context.js';

export interface TreeConnected {
  readonly ctx: TreeContext;
  readonly response: TreeConnectResponse;
}

/** Connects `\\server\share` on the session; the tree encrypts when the share says so or `encrypt`. */
export async function treeConnect(
  connection: SmbConnection,
  negotiated: Negotiated,
  sessionId: bigint,
  unc: string,
  encrypt: boolean,
  signal?: AbortSignal,
): Promise<TreeConnected> {
  const response = await connection.call(
    {
      codec: treeConnectRequest,
      body: { flags: 0, path: unc },
      responseCodec: treeConnectResponse,
      sessionId,
      // 3.1.1 has no VALIDATE_NEGOTIATE: a TREE_CONNECT is always signed (§3.2.4.2.4).
      sign: negotiated.dialect === Dialect.SMB_3_1_1,
      signal,
    },
    `tree connect ${unc}`,
  );
  const shareEncrypts = (response.body.shareFlags & ShareFlags.ENCRYPT_DATA) !== 0;
  const wantEncrypt = encrypt || shareEncrypts;
  if (wantEncrypt && connection.session(sessionId)?.encryptionKey === undefined)
    throw new SmbError(
      0xc0000022,
      Command.TREE_CONNECT,
      `tree connect ${unc}: the share needs encryption, which ${negotiated.dialect < Dialect.SMB_3_0 ? 'SMB 2.x lacks' : 'was not negotiated'}`,
    );
  const ctx: TreeContext = {
    connection,
    sessionId,
    treeId: response.header.treeId ?? 0,
    encrypt: wantEncrypt,
    maxReadSize: negotiated.maxReadSize,
    maxWriteSize: negotiated.maxWriteSize,
    maxTransactSize: negotiated.maxTransactSize,
  };
  return { ctx, response: response.body };
}

/** Whether the connection needs VALIDATE_NEGOTIATE_INFO (3.0 and 3.0.2 only: 3.1.1 has the preauth hash). */
export const needsValidateNegotiate = (dialect: number): boolean =>
  dialect === Dialect.SMB_3_0 || dialect === Dialect.SMB_3_0_2;

/** Sends FSCTL_VALIDATE_NEGOTIATE_INFO on `tree` and checks the answer; SmbProtocolError on a mismatch. */
export async function validateNegotiate(
  tree: TreeContext,
  negotiated: Negotiated,
  signal?: AbortSignal,
): Promise<void> {
  const req = negotiated.request;
  const response = await callOnTree(
    tree,
    {
      codec: ioctlRequest,
      body: {
        ctlCode: Fsctl.VALIDATE_NEGOTIATE_INFO,
        fileId: ANY_FILE_ID,
        input: validateNegotiateInfoRequest.encode({
          capabilities: req.capabilities,
          guid: req.clientGuid,
          securityMode: req.securityMode,
          dialects: req.dialects,
        }),
        maxInputResponse: 0,
        output: new Uint8Array(0),
        maxOutputResponse: 24,
        flags: IoctlFlags.IS_FSCTL,
      },
      responseCodec: ioctlResponse,
      signal,
    },
    'validate negotiate',
  );
  const v = validateNegotiateInfoResponse.decode(response.body.output);
  const same =
    v.capabilities === negotiated.serverCapabilities &&
    v.securityMode === negotiated.serverSecurityMode &&
    v.dialect === negotiated.dialect &&
    v.guid.every((b, i) => b === negotiated.serverGuid[i]);
  if (!same)
    throw new SmbProtocolError(
      'VALIDATE_NEGOTIATE_INFO does not match the NEGOTIATE response: possible downgrade',
    );
}
