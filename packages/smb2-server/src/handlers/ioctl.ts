/**
 * IOCTL (MS-SMB2 §3.3.5.15): FSCTL_VALIDATE_NEGOTIATE_INFO (§3.3.5.15.12: answered for
 * 2.x–3.0.2 from the remembered NEGOTIATE; any mismatch, or a 3.1.1 connection, drops the
 * connection), FSCTL_DFS_GET_REFERRALS(_EX) → STATUS_NOT_FOUND (no DFS, as Samba answers
 * without it), FSCTL_PIPE_TRANSCEIVE and PIPE_WAIT on IPC$ (./pipe.ts; on a disk share
 * STATUS_NOT_SUPPORTED); server-side copy (§3.3.5.15.5 resume keys, §3.3.5.15.6 copychunk:
 * ./fsctl-resume-key.ts, ./fsctl-copychunk.ts); sparse files (./fsctl-sparse.ts);
 * compression state (./fsctl-compression.ts); network interfaces (./fsctl-network.ts);
 * a non-FSCTL request → STATUS_NOT_SUPPORTED; other FSCTLs → STATUS_INVALID_DEVICE_REQUEST.
 */
import {
  Command,
  Dialect,
  Fsctl,
  IoctlFlags,
  type IoctlRequest,
  ioctlResponse,
  NtStatus,
  SmbDecodeError,
  validateNegotiateInfoRequest,
  validateNegotiateInfoResponse,
} from '@postntlm/smb2-protocol';
import { type Answer, fail, type HandlerContext, lookupOpen, ok } from './common.js';
import { handleGetCompression, handleSetCompression } from './fsctl-compression.js';
import { handleCopyChunk } from './fsctl-copychunk.js';
import { handleNetworkInterfaceInfo } from './fsctl-network.js';
import { handleRequestResumeKey } from './fsctl-resume-key.js';
import { handleQueryAllocatedRanges, handleSetSparse, handleSetZeroData } from './fsctl-sparse.js';
import { pipeIoctl } from './pipe.js';

/** The dialect our NEGOTIATE would pick from `dialects` (the server's preference order). */
export type DialectChooser = (dialects: readonly number[]) => number | undefined;

export async function handleIoctl(
  ctx: HandlerContext,
  req: IoctlRequest,
  chooseDialect: DialectChooser,
): Promise<Answer> {
  if (req.flags !== IoctlFlags.IS_FSCTL) return fail(Command.IOCTL, NtStatus.NOT_SUPPORTED);
  switch (req.ctlCode >>> 0) {
    case Fsctl.VALIDATE_NEGOTIATE_INFO:
      return validateNegotiate(ctx, req, chooseDialect);
    case Fsctl.DFS_GET_REFERRALS:
    case Fsctl.DFS_GET_REFERRALS_EX:
      return fail(Command.IOCTL, NtStatus.NOT_FOUND);
    case Fsctl.PIPE_TRANSCEIVE:
    case Fsctl.PIPE_PEEK:
    case Fsctl.PIPE_WAIT:
      return pipeIoctl(ctx, req);
    case Fsctl.SRV_REQUEST_RESUME_KEY:
      return handleRequestResumeKey(ctx, req);
    case Fsctl.SRV_COPYCHUNK:
    case Fsctl.SRV_COPYCHUNK_WRITE:
      return handleCopyChunk(ctx, req);
    case Fsctl.SET_SPARSE:
      return handleSetSparse(ctx, req);
    case Fsctl.SET_ZERO_DATA:
      return handleSetZeroData(ctx, req);
    case Fsctl.QUERY_ALLOCATED_RANGES:
      return handleQueryAllocatedRanges(ctx, req);
    case Fsctl.GET_COMPRESSION:
      return handleGetCompression(ctx, req);
    case Fsctl.SET_COMPRESSION:
      return handleSetCompression(ctx, req);
    case Fsctl.QUERY_NETWORK_INTERFACE_INFO:
      return handleNetworkInterfaceInfo(ctx, req);
    default:
      // A handle-based FSCTL on an unknown FileId is FILE_CLOSED before anything else.
      lookupOpen(ctx, req.fileId);
      return fail(Command.IOCTL, NtStatus.INVALID_DEVICE_REQUEST);
  }
}

function validateNegotiate(ctx: HandlerContext, req: IoctlRequest, chooseDialect: DialectChooser): Answer {
  const n = ctx.negotiated;
  const drop = (): Answer => {
    ctx.disconnect();
    return fail(Command.IOCTL, NtStatus.ACCESS_DENIED);
  };
  if (n.dialect === Dialect.SMB_3_1_1) return drop();
  if (req.maxOutputResponse < 24) return drop();
  let v: ReturnType<typeof validateNegotiateInfoRequest.decode>;
  try {
    v = validateNegotiateInfoRequest.decode(req.input);
  } catch (e) {
    if (e instanceof SmbDecodeError) return drop();
    throw e;
  }
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    chooseDialect(v.dialects) !== n.dialect ||
    !same(v.guid, n.clientGuid) ||
    v.securityMode !== n.clientSecurityMode ||
    v.capabilities !== n.clientCapabilities
  ) {
    return drop();
  }
  return ok(ioctlResponse, {
    ctlCode: Fsctl.VALIDATE_NEGOTIATE_INFO,
    fileId: req.fileId,
    input: new Uint8Array(0),
    output: validateNegotiateInfoResponse.encode({
      capabilities: n.serverCapabilities,
      guid: ctx.server.serverGuid,
      securityMode: n.serverSecurityMode,
      dialect: n.dialect,
    }),
    flags: 0,
  });
}
