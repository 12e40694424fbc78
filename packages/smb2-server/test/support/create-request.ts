/**
 * The CREATE request the tests send most (MS-SMB2 §2.2.13): no oplock, Impersonation,
 * read and write access, every sharing mode, OPEN_IF, no options or contexts. Tests name
 * only what they change.
 */
import { AccessMask, CreateDisposition, type CreateRequest, ShareAccess } from '@postntlm/smb2-protocol';

export function createRequestFor(name: string, over: Partial<CreateRequest> = {}): CreateRequest {
  return {
    requestedOplockLevel: 0,
    impersonationLevel: 2,
    desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
    fileAttributes: 0,
    shareAccess: ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE,
    createDisposition: CreateDisposition.OPEN_IF,
    createOptions: 0,
    name,
    createContexts: [],
    ...over,
  };
}
