/**
 * Named pipes on IPC$ (MS-SMB2 §3.3.5.9, §3.3.5.10, §3.3.5.12, §3.3.5.13, §3.3.5.15.3,
 * §3.3.5.20): one pipe, `srvsvc` (also `\srvsvc`, any case), served by the DCE/RPC layer's
 * `SrvsvcPipe` in message mode — NetrShareEnum lists the configured shares (STYPE_DISKTREE,
 * their remarks) and IPC$ (STYPE_IPC); other names are STATUS_OBJECT_NAME_NOT_FOUND.
 *
 * WRITE → `pipe.write`; READ → `pipe.read` (a message longer than the READ: its beginning with
 * STATUS_BUFFER_OVERFLOW, the rest by the next READ); FSCTL_PIPE_TRANSCEIVE → `pipe.transceive`
 * (overflow likewise; unread output: STATUS_PIPE_BUSY). A READ with nothing queued is answered
 * STATUS_PIPE_EMPTY at once rather than pended (no async responses yet): Samba's smbclient and
 * impacket only READ after a WRITE, whose answer is queued synchronously, so they never see it.
 * Bytes the RPC layer cannot take (a malformed PDU, too much unread output) fail the request
 * with STATUS_INVALID_PARAMETER and disconnect the pipe: later I/O is STATUS_PIPE_DISCONNECTED,
 * only CLOSE is left (as a Windows RPC server closes its end).
 */
import { hostname } from 'node:os';
import {
  AccessMask,
  CloseFlags,
  type CloseRequest,
  Command,
  CreateAction,
  type CreateRequest,
  closeResponse,
  createResponse,
  FileInformationClass as F,
  FileAttributes,
  Fsctl,
  fileAccessInformation,
  fileBasicInformation,
  fileStandardInformation,
  ImpersonationLevel,
  InfoType,
  type IoctlRequest,
  ioctlResponse,
  NtStatus,
  OplockLevel,
  type QueryInfoRequest,
  queryInfoResponse,
  type ReadRequest,
  readResponse,
  type WriteRequest,
  writeResponse,
} from '@postntlm/smb2-protocol';
import { mapGenericAccess, SmbStatusError } from '../backend/index.js';
import { isAnyFileId, type PipeOpen } from '../core/open.js';
import { RpcError, type ShareInfo, SrvsvcPipe, STYPE_DISKTREE, STYPE_IPC } from '../rpc/index.js';
import { type Answer, fail, type HandlerContext, ok } from './common.js';
import { checkIoLength } from './io.js';

/** What a pipe open may be granted (FILE_GENERIC_READ | FILE_GENERIC_WRITE). */
const PIPE_ACCESS = 0x0012019f;
/** Pipes report an allocation of one page and no end of file (as Windows and Samba do). */
const PIPE_ALLOCATION = 4096n;
/** The remark of IPC$ in share listings (as Windows shows it). */
const IPC_REMARK = 'Remote IPC';

/** The pipes served: lower-case name → a new endpoint for one open. */
const PIPES: ReadonlyMap<string, (ctx: HandlerContext) => SrvsvcPipe> = new Map([
  ['srvsvc', (ctx: HandlerContext) => srvsvcFor(ctx)],
]);

/** The name as a CREATE or FSCTL_PIPE_WAIT gives it, normalized: no leading `\`, lower case. */
const pipeName = (name: string) => (name.startsWith('\\') ? name.slice(1) : name).toLowerCase();

function srvsvcFor(ctx: HandlerContext): SrvsvcPipe {
  const { options } = ctx.server;
  return new SrvsvcPipe({
    serverName: options.serverName ?? ctx.tree.host ?? hostname(),
    // Asked on every call: every configured share, then IPC$.
    shares: (): ShareInfo[] => [
      ...options.shares.map((s) => ({ name: s.name, type: STYPE_DISKTREE, remark: s.remark ?? '' })),
      { name: 'IPC$', type: STYPE_IPC, remark: IPC_REMARK },
    ],
  });
}

/** The pipe open a request names: STATUS_FILE_CLOSED without one, STATUS_PIPE_DISCONNECTED once broken. */
function lookupPipe(ctx: HandlerContext, id: { persistent: bigint; volatile: bigint }, io = true): PipeOpen {
  const real = isAnyFileId(id) && ctx.relatedFileId !== undefined ? ctx.relatedFileId : id;
  const open = ctx.session.opens.getPipe(real, ctx.tree.id);
  if (open === undefined) throw new SmbStatusError(NtStatus.FILE_CLOSED, 'no such pipe open');
  if (io && open.disconnected) throw new SmbStatusError(NtStatus.PIPE_DISCONNECTED, 'pipe disconnected');
  return open;
}

function needPipeAccess(open: PipeOpen, bits: number, what: string): void {
  if ((open.grantedAccess & bits) !== bits)
    throw new SmbStatusError(NtStatus.ACCESS_DENIED, `${what} needs access 0x${bits.toString(16)}`);
}

/** Runs a pipe operation, mapping `RpcError`s (pipe-busy → STATUS_PIPE_BUSY; else disconnect). */
function rpc<T>(open: PipeOpen, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    if (e.code === 'pipe-busy') throw new SmbStatusError(NtStatus.PIPE_BUSY, e.message);
    open.disconnected = true;
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, `rpc: ${e.message}`);
  }
}

/** CREATE on an IPC$ tree (§3.3.5.9): opens a served pipe. */
export function pipeCreate(ctx: HandlerContext, req: CreateRequest): Answer {
  if (req.impersonationLevel > ImpersonationLevel.DELEGATE)
    return fail(Command.CREATE, NtStatus.BAD_IMPERSONATION_LEVEL);
  const name = pipeName(req.name);
  const make = PIPES.get(name);
  if (make === undefined) return fail(Command.CREATE, NtStatus.OBJECT_NAME_NOT_FOUND);
  // Granted as asked (generic rights mapped); MAXIMUM_ALLOWED: read and write.
  const asked = req.desiredAccess >>> 0;
  const granted =
    (asked & AccessMask.MAXIMUM_ALLOWED) !== 0
      ? PIPE_ACCESS
      : mapGenericAccess(asked) & AccessMask.FILE_ALL_ACCESS;
  const open = ctx.session.opens.addPipe(ctx.tree.id, name, make(ctx), granted);
  const createContexts = req.createContexts.some((c) => c.tag === 'MxAc')
    ? [{ tag: 'MxAc' as const, queryStatus: NtStatus.SUCCESS, maximalAccess: PIPE_ACCESS }]
    : [];
  return {
    ...ok(createResponse, {
      oplockLevel: OplockLevel.NONE,
      flags: 0,
      createAction: CreateAction.OPENED,
      creationTime: 0n,
      lastAccessTime: 0n,
      lastWriteTime: 0n,
      changeTime: 0n,
      allocationSize: PIPE_ALLOCATION,
      endOfFile: 0n,
      fileAttributes: FileAttributes.NORMAL,
      fileId: open.fileId,
      createContexts,
    }),
    fileId: open.fileId,
  };
}

/** CLOSE of a pipe (§3.3.5.10): the endpoint is dropped with its unread output. */
export function pipeClose(ctx: HandlerContext, req: CloseRequest): Answer {
  const open = lookupPipe(ctx, req.fileId, false);
  ctx.session.opens.delete(open);
  const post = (req.flags & CloseFlags.POSTQUERY_ATTRIB) !== 0;
  return ok(closeResponse, {
    flags: post ? CloseFlags.POSTQUERY_ATTRIB : 0,
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    allocationSize: post ? PIPE_ALLOCATION : 0n,
    endOfFile: 0n,
    fileAttributes: post ? FileAttributes.NORMAL : 0,
  });
}

/** WRITE to a pipe (§3.3.5.13): the bytes go to the RPC layer, whose answers are queued. */
export function pipeWrite(ctx: HandlerContext, req: WriteRequest): Answer {
  const open = lookupPipe(ctx, req.fileId);
  needPipeAccess(open, AccessMask.FILE_WRITE_DATA, 'WRITE');
  checkIoLength(ctx, req.data.length);
  const count = rpc(open, () => open.pipe.write(req.data));
  return ok(writeResponse, { count, remaining: 0 });
}

/** READ from a pipe (§3.3.5.12): the next queued message, or its beginning (BUFFER_OVERFLOW). */
export function pipeRead(ctx: HandlerContext, req: ReadRequest): Answer {
  const open = lookupPipe(ctx, req.fileId);
  needPipeAccess(open, AccessMask.FILE_READ_DATA, 'READ');
  checkIoLength(ctx, req.length);
  const r = rpc(open, () => open.pipe.read(req.length));
  if (r === null) return fail(Command.READ, NtStatus.PIPE_EMPTY);
  return ok(
    readResponse,
    { dataRemaining: 0, flags: 0, data: r.data },
    r.overflow ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS,
  );
}

/** FLUSH of a pipe: nothing is buffered on the way out. */
export function pipeFlush(ctx: HandlerContext, fileId: { persistent: bigint; volatile: bigint }): void {
  lookupPipe(ctx, fileId);
}

/**
 * The pipe FSCTLs (§3.3.5.15): PIPE_TRANSCEIVE (§3.3.5.15.3) on an open; PIPE_WAIT on the
 * tree (SUCCESS for a served pipe: one is always available, OBJECT_NAME_NOT_FOUND otherwise);
 * PIPE_PEEK → STATUS_NOT_SUPPORTED.
 */
export function pipeIoctl(ctx: HandlerContext, req: IoctlRequest): Answer {
  const ctlCode = req.ctlCode >>> 0;
  // Pipe FSCTLs on a disk share: as before pipes existed.
  if (!ctx.tree.ipc) return fail(Command.IOCTL, NtStatus.NOT_SUPPORTED);
  const max = ctx.server.options.maxIoSize ?? 8 << 20;
  if (req.input.length > max || req.maxOutputResponse > max || req.maxInputResponse > max)
    return fail(Command.IOCTL, NtStatus.INVALID_PARAMETER);
  switch (ctlCode) {
    case Fsctl.PIPE_TRANSCEIVE: {
      const open = lookupPipe(ctx, req.fileId);
      needPipeAccess(open, AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA, 'PIPE_TRANSCEIVE');
      const r = rpc(open, () => open.pipe.transceive(req.input, req.maxOutputResponse));
      return ok(
        ioctlResponse,
        { ctlCode, fileId: req.fileId, input: new Uint8Array(0), output: r.data, flags: 0 },
        r.overflow ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS,
      );
    }
    case Fsctl.PIPE_WAIT: {
      // FSCTL_PIPE_WAIT_BUFFER (MS-FSCC §2.3.49): Timeout (8), NameLength (4), TimeoutSpecified, Padding, Name.
      const v = new DataView(req.input.buffer, req.input.byteOffset, req.input.byteLength);
      if (req.input.length < 14) return fail(Command.IOCTL, NtStatus.INVALID_PARAMETER);
      const length = v.getUint32(8, true);
      if (length % 2 !== 0 || 14 + length > req.input.length)
        return fail(Command.IOCTL, NtStatus.INVALID_PARAMETER);
      const name = new TextDecoder('utf-16le').decode(req.input.subarray(14, 14 + length));
      if (!PIPES.has(pipeName(name))) return fail(Command.IOCTL, NtStatus.OBJECT_NAME_NOT_FOUND);
      return ok(ioctlResponse, {
        ctlCode,
        fileId: req.fileId,
        input: new Uint8Array(0),
        output: new Uint8Array(0),
        flags: 0,
      });
    }
    default:
      lookupPipe(ctx, req.fileId, false);
      return fail(Command.IOCTL, NtStatus.NOT_SUPPORTED);
  }
}

/**
 * QUERY_INFO on a pipe (§3.3.5.20): FileBasic (NORMAL, no times), FileStandard (one page,
 * no end of file), FileAccess, FilePipe (message read mode, blocking), FilePipeLocal
 * (message type, full duplex, connected, the bytes waiting); other file classes
 * STATUS_INVALID_INFO_CLASS, file-system, security and quota information STATUS_NOT_SUPPORTED.
 */
export function pipeQueryInfo(ctx: HandlerContext, req: QueryInfoRequest): Answer {
  const open = lookupPipe(ctx, req.fileId, false);
  if (req.infoType !== InfoType.FILE) return fail(Command.QUERY_INFO, NtStatus.NOT_SUPPORTED);
  let bytes: Uint8Array;
  switch (req.fileInfoClass) {
    case F.FileBasicInformation:
      bytes = fileBasicInformation.encode({
        creationTime: 0n,
        lastAccessTime: 0n,
        lastWriteTime: 0n,
        changeTime: 0n,
        fileAttributes: FileAttributes.NORMAL,
      });
      break;
    case F.FileStandardInformation:
      bytes = fileStandardInformation.encode({
        allocationSize: PIPE_ALLOCATION,
        endOfFile: 0n,
        numberOfLinks: 1,
        deletePending: false,
        directory: false,
      });
      break;
    case F.FileAccessInformation:
      bytes = fileAccessInformation.encode({ accessFlags: open.grantedAccess });
      break;
    case F.FilePipeInformation:
      // ReadMode FILE_PIPE_MESSAGE_MODE, CompletionMode FILE_PIPE_QUEUE_OPERATION (MS-FSCC §2.4.31).
      bytes = u32s(1, 0);
      break;
    case F.FilePipeLocalInformation:
      // MS-FSCC §2.4.32: type MESSAGE, configuration FULL_DUPLEX, unlimited instances, one
      // current, quotas, ReadDataAvailable, state CONNECTED, the server end.
      bytes = u32s(1, 2, 0xffffffff, 1, 4280, open.pipe.available, 4280, 4280, 3, 1);
      break;
    default:
      return fail(Command.QUERY_INFO, NtStatus.INVALID_INFO_CLASS);
  }
  if (bytes.length > req.outputBufferLength) return fail(Command.QUERY_INFO, NtStatus.INFO_LENGTH_MISMATCH);
  return ok(queryInfoResponse, { outputBuffer: bytes });
}

function u32s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  for (const [i, x] of values.entries()) v.setUint32(i * 4, x >>> 0, true);
  return out;
}
