/**
 * The quota index, `$Extend\$Quota:$Q:$INDEX_ALLOCATION`: the NTFS metadata file a client
 * opens to query or set user quotas (MS-SMB2 §3.3.5.20.4 uses its handle). This server
 * tracks no quotas, but the index opens as on NTFS and Samba: a hidden system directory with
 * no times or size (smbtorture smb2.create quota-fake-file), readable only. On its handle
 * QUERY_INFO SMB2_0_INFO_QUOTA is STATUS_NOT_SUPPORTED (no quotas), CLOSE closes, and every
 * other command is STATUS_INVALID_DEVICE_REQUEST (there is no file behind it).
 */
import {
  AccessMask,
  CloseFlags,
  Command,
  CreateAction,
  CreateDisposition,
  CreateOptions,
  type CreateRequest,
  closeResponse,
  createResponse,
  FileAttributes,
  type FileId,
  InfoType,
  NtStatus,
  OplockLevel,
  type QueryInfoRequest,
} from '@postntlm/smb2-protocol';
import { FILE_GENERIC_EXECUTE, FILE_GENERIC_READ, mapGenericAccess } from '../backend/index.js';
import { isAnyFileId, type QuotaOpen } from '../core/open.js';
import { type Answer, fail, type HandlerContext, ok } from './common.js';

const QUOTA_INDEX = '$extend\\$quota:$q:$index_allocation';

/** The attributes the index reports: a hidden system directory (as NTFS and Samba do). */
const QUOTA_ATTRIBUTES =
  FileAttributes.HIDDEN | FileAttributes.SYSTEM | FileAttributes.DIRECTORY | FileAttributes.ARCHIVE;

/** What an open of the index may be granted: reading (it cannot be written, renamed or deleted). */
const QUOTA_ACCESS = FILE_GENERIC_READ | FILE_GENERIC_EXECUTE;

/** True when a CREATE names the quota index (case-insensitively, as NTFS names are). */
export const isQuotaIndexName = (name: string): boolean => name.toLowerCase() === QUOTA_INDEX;

/** CREATE of the quota index: open only, read access only. */
export function quotaIndexCreate(ctx: HandlerContext, req: CreateRequest): Answer {
  const d = req.createDisposition;
  if (d === CreateDisposition.CREATE) return fail(Command.CREATE, NtStatus.OBJECT_NAME_COLLISION);
  if (d !== CreateDisposition.OPEN && d !== CreateDisposition.OPEN_IF)
    return fail(Command.CREATE, NtStatus.ACCESS_DENIED);
  if (req.createOptions & CreateOptions.NON_DIRECTORY_FILE)
    return fail(Command.CREATE, NtStatus.FILE_IS_A_DIRECTORY);
  if (req.createOptions & CreateOptions.DELETE_ON_CLOSE) return fail(Command.CREATE, NtStatus.CANNOT_DELETE);
  const asked = req.desiredAccess >>> 0;
  const mapped = mapGenericAccess(asked);
  // MAXIMUM_ALLOWED gets what there is; any other right beyond reading is refused.
  if (!(asked & AccessMask.MAXIMUM_ALLOWED) && mapped & ~QUOTA_ACCESS)
    return fail(Command.CREATE, NtStatus.ACCESS_DENIED);
  const open = ctx.session.opens.addQuota(ctx.tree.id, mapped & QUOTA_ACCESS);
  return {
    ...ok(createResponse, {
      oplockLevel: OplockLevel.NONE,
      flags: 0,
      createAction: CreateAction.OPENED,
      creationTime: 0n,
      lastAccessTime: 0n,
      lastWriteTime: 0n,
      changeTime: 0n,
      allocationSize: 0n,
      endOfFile: 0n,
      fileAttributes: QUOTA_ATTRIBUTES,
      fileId: open.fileId,
      createContexts: [],
    }),
    fileId: open.fileId,
  };
}

/** The quota-index open a request names (the related-compound FileId resolved), if it is one. */
export function findQuotaOpen(ctx: HandlerContext, id: FileId): QuotaOpen | undefined {
  const real = isAnyFileId(id) && ctx.relatedFileId !== undefined ? ctx.relatedFileId : id;
  return ctx.session.opens.getQuota(real, ctx.tree.id);
}

/** CLOSE of the quota index; POSTQUERY_ATTRIB reports its attributes. */
export function quotaIndexClose(ctx: HandlerContext, open: QuotaOpen, flags: number): Answer {
  ctx.session.opens.delete(open);
  const post = (flags & CloseFlags.POSTQUERY_ATTRIB) !== 0;
  return ok(closeResponse, {
    flags: post ? CloseFlags.POSTQUERY_ATTRIB : 0,
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    allocationSize: 0n,
    endOfFile: 0n,
    fileAttributes: post ? QUOTA_ATTRIBUTES : 0,
  });
}

/** QUERY_INFO on the quota index: no quotas are tracked; nothing else is there to ask. */
export function quotaIndexQueryInfo(req: QueryInfoRequest): Answer {
  const status = req.infoType === InfoType.QUOTA ? NtStatus.NOT_SUPPORTED : NtStatus.INVALID_DEVICE_REQUEST;
  return fail(Command.QUERY_INFO, status);
}
