/**
 * CREATE and CLOSE (MS-SMB2 §3.2.4.3, §3.2.4.5) with the few shapes the file API needs:
 * open a file or directory for reading, writing or deleting, and close it.
 */
import {
  AccessMask,
  CloseFlags,
  type CloseResponse,
  CreateDisposition,
  CreateOptions,
  type CreateResponse,
  closeRequest,
  closeResponse,
  createRequest,
  createResponse,
  FileAttributes,
  type FileId,
  ImpersonationLevel,
  OplockLevel,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import type { RequestSpec } from '../connection/connection.js';
import { callOnTree, type TreeContext } from './context.js';
import { toSmbPath } from './paths.js';

export interface OpenSpec {
  readonly desiredAccess: number;
  readonly disposition: number;
  readonly createOptions?: number;
  readonly fileAttributes?: number;
  readonly shareAccess?: number;
}

/** The CREATE request of `path` with `open`. */
export function createSpec(
  path: string,
  open: OpenSpec,
  signal?: AbortSignal,
): RequestSpec<unknown, CreateResponse> {
  return {
    codec: createRequest as RequestSpec<unknown, CreateResponse>['codec'],
    body: {
      requestedOplockLevel: OplockLevel.NONE,
      impersonationLevel: ImpersonationLevel.IMPERSONATION,
      desiredAccess: open.desiredAccess,
      fileAttributes: open.fileAttributes ?? 0,
      shareAccess: open.shareAccess ?? ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE,
      createDisposition: open.disposition,
      createOptions: open.createOptions ?? 0,
      name: toSmbPath(path),
      createContexts: [],
    },
    responseCodec: createResponse,
    signal,
  };
}

/** The CLOSE request of `fileId` (POSTQUERY_ATTRIB: the response carries the final times and sizes). */
export function closeSpec(fileId: FileId, signal?: AbortSignal): RequestSpec<unknown, CloseResponse> {
  return {
    codec: closeRequest as RequestSpec<unknown, CloseResponse>['codec'],
    body: { flags: CloseFlags.POSTQUERY_ATTRIB, fileId },
    responseCodec: closeResponse,
    signal,
  };
}

export async function openPath(
  tree: TreeContext,
  path: string,
  open: OpenSpec,
  signal?: AbortSignal,
): Promise<CreateResponse> {
  return (await callOnTree(tree, createSpec(path, open, signal), `open ${path}`)).body;
}

export async function closeFile(
  tree: TreeContext,
  fileId: FileId,
  signal?: AbortSignal,
): Promise<CloseResponse> {
  return (await callOnTree(tree, closeSpec(fileId, signal), 'close')).body;
}

/** Opens for reading a file's data and attributes. */
export const READ_FILE: OpenSpec = {
  desiredAccess: AccessMask.FILE_READ_DATA | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
  disposition: CreateDisposition.OPEN,
  createOptions: CreateOptions.NON_DIRECTORY_FILE,
};

/** Creates or truncates a file for writing. */
export const WRITE_FILE: OpenSpec = {
  desiredAccess:
    AccessMask.FILE_WRITE_DATA |
    AccessMask.FILE_READ_DATA |
    AccessMask.FILE_READ_ATTRIBUTES |
    AccessMask.FILE_WRITE_ATTRIBUTES |
    AccessMask.SYNCHRONIZE,
  disposition: CreateDisposition.OVERWRITE_IF,
  createOptions: CreateOptions.NON_DIRECTORY_FILE,
  fileAttributes: FileAttributes.NORMAL,
};

/** Opens anything to read its attributes. */
export const STAT_ONLY: OpenSpec = {
  desiredAccess: AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
  disposition: CreateDisposition.OPEN,
};
