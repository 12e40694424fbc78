/**
 * CREATE (MS-SMB2 §3.3.5.9): opens or creates through the share's backend (dispositions,
 * options, access and share modes are the backend's), refuses write access on read-only
 * shares, answers the MxAc and QFid create contexts, and grants oplocks (§3.3.5.9 "Oplock
 * acquisition", ../core/oplock-acquire.ts): when other opens' oplocks must be broken first,
 * the CREATE goes async (§3.3.4.2) until their holders acknowledge, close, or the break times
 * out (a CANCEL ends the wait with STATUS_CANCELLED). No lease or durable handle: the RqLs,
 * DHnQ, DH2Q and other contexts are ignored (a lease request gets no oplock).
 * On IPC$, named pipes (./pipe.ts).
 */
import {
  AccessMask,
  Command,
  CreateDisposition,
  type CreateRequest,
  type CreateResponseContext,
  createResponse,
  ImpersonationLevel,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { mapGenericAccess, SmbStatusError } from '../backend/index.js';
import { climbsAboveRoot } from '../backend/names.js';
import { type Answer, fail, type HandlerContext, ok, pending } from './common.js';
import { invalidCreateParameters } from './create-checks.js';
import { afterBreaks, grantOplock, oplockBreaks } from './create-oplock.js';
import { pipeCreate } from './pipe.js';
import { isQuotaIndexName, quotaIndexCreate } from './quota-file.js';

/** Rights a read-only share never grants. */
const WRITE_RIGHTS =
  AccessMask.FILE_WRITE_DATA |
  AccessMask.FILE_APPEND_DATA |
  AccessMask.FILE_WRITE_EA |
  AccessMask.FILE_DELETE_CHILD |
  AccessMask.FILE_WRITE_ATTRIBUTES |
  AccessMask.DELETE |
  AccessMask.WRITE_DAC |
  AccessMask.WRITE_OWNER;

export async function handleCreate(ctx: HandlerContext, req: CreateRequest): Promise<Answer> {
  const { tree } = ctx;
  // IPC$: named pipes (srvsvc).
  if (tree.ipc) return pipeCreate(ctx, req);
  const backend = tree.backend;
  if (backend === undefined) return fail(Command.CREATE, NtStatus.BAD_NETWORK_NAME);
  if (req.impersonationLevel > ImpersonationLevel.DELEGATE)
    return fail(Command.CREATE, NtStatus.BAD_IMPERSONATION_LEVEL);
  if (req.name.startsWith('\\')) return fail(Command.CREATE, NtStatus.INVALID_PARAMETER);
  if (climbsAboveRoot(req.name)) return fail(Command.CREATE, NtStatus.OBJECT_PATH_SYNTAX_BAD);
  const invalid = invalidCreateParameters(req);
  if (invalid !== undefined) return fail(Command.CREATE, invalid);
  if (isQuotaIndexName(req.name)) return quotaIndexCreate(ctx, req);

  let desiredAccess = req.desiredAccess >>> 0;
  let disposition = req.createDisposition;
  const readOnly = tree.options?.readOnly === true;
  if (readOnly) {
    if (desiredAccess & AccessMask.MAXIMUM_ALLOWED) desiredAccess = tree.maximalAccess;
    if (mapGenericAccess(desiredAccess) & WRITE_RIGHTS) return fail(Command.CREATE, NtStatus.ACCESS_DENIED);
    if (disposition === CreateDisposition.OPEN_IF) disposition = CreateDisposition.OPEN;
    else if (disposition !== CreateDisposition.OPEN) return fail(Command.CREATE, NtStatus.ACCESS_DENIED);
  }

  // Other opens' oplocks this open breaks first (§3.3.5.9, MS-FSA §2.1.5.17).
  const breaks = oplockBreaks(backend, req, desiredAccess, disposition);
  const open = () => openFile(ctx, req, desiredAccess, disposition);
  const waits = await breaks();
  // Only the last request of a compound can go async (../core/connection.ts); one in the middle
  // does not wait for the breaks it sent (Samba would split the compound there): it opens now,
  // and the holders still caching their handle leave it no oplock (smbtorture compound-break).
  if (waits.length === 0 || ctx.header.nextCommand !== 0) return open();
  return pending(Command.CREATE, afterBreaks(waits, breaks, open));
}

/** Opens or creates the file, and grants the oplock asked for as far as the file's other opens allow. */
async function openFile(
  ctx: HandlerContext,
  req: CreateRequest,
  desiredAccess: number,
  disposition: number,
): Promise<Answer> {
  const { tree } = ctx;
  const backend = tree.backend;
  if (backend === undefined) return fail(Command.CREATE, NtStatus.BAD_NETWORK_NAME);
  const readOnly = tree.options?.readOnly === true;
  let result: Awaited<ReturnType<typeof backend.create>>;
  try {
    result = await backend.create({
      path: req.name,
      desiredAccess,
      shareAccess: req.shareAccess,
      disposition,
      options: req.createOptions,
      attributes: req.fileAttributes,
    });
  } catch (e) {
    // A read-only share cannot create what is missing.
    if (
      readOnly &&
      e instanceof SmbStatusError &&
      e.status === NtStatus.OBJECT_NAME_NOT_FOUND &&
      req.createDisposition === CreateDisposition.OPEN_IF
    ) {
      return fail(Command.CREATE, NtStatus.ACCESS_DENIED);
    }
    throw e;
  }
  const { handle, info, action } = result;
  const open = ctx.session.opens.add(tree.id, backend, handle, req.createOptions);
  const level = grantOplock(ctx, open, info.fileId, req.requestedOplockLevel, disposition);

  const contexts: CreateResponseContext[] = [];
  for (const c of req.createContexts) {
    if (c.tag === 'MxAc') {
      contexts.push({ tag: 'MxAc', queryStatus: NtStatus.SUCCESS, maximalAccess: tree.maximalAccess });
    } else if (c.tag === 'QFid') {
      // The on-disk id: the inode number, then the volume id (the share's), 16 reserved bytes.
      const diskFileId = new Uint8Array(32);
      const v = new DataView(diskFileId.buffer);
      v.setBigUint64(0, info.fileId & 0xffffffffffffffffn, true);
      v.setUint32(8, (await backend.volumeInfo()).serialNumber, true);
      contexts.push({ tag: 'QFid', diskFileId });
    }
  }
  return {
    ...ok(createResponse, {
      oplockLevel: level,
      flags: 0,
      createAction: action,
      creationTime: info.creationTime,
      lastAccessTime: info.lastAccessTime,
      lastWriteTime: info.lastWriteTime,
      changeTime: info.changeTime,
      allocationSize: info.allocationSize,
      endOfFile: info.endOfFile,
      fileAttributes: info.attributes,
      fileId: open.fileId,
      createContexts: contexts,
    }),
    fileId: open.fileId,
  };
}
