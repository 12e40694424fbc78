/**
 * QUERY_DIRECTORY (MS-SMB2 §3.3.5.18): the Directory, FullDirectory, BothDirectory,
 * IdBothDirectory, IdFullDirectory and Names classes. The pattern of the first request of a
 * scan (or of a RESTART_SCANS / REOPEN request) holds for the scan; RETURN_SINGLE_ENTRY and
 * OutputBufferLength bound the answer (`fitDirectoryEntries`), entries that did not fit come
 * next time. STATUS_NO_SUCH_FILE when nothing matches, STATUS_NO_MORE_FILES at the end.
 * Entries are looked up as they are returned, so files removed during a scan do not appear.
 */
import {
  Command,
  DIRECTORY_ENTRY_FIXED_SIZE,
  type DirectoryEntry,
  directoryInfoCodec,
  fitDirectoryEntries,
  NtStatus,
  QueryDirectoryFlags,
  type QueryDirectoryRequest,
  queryDirectoryResponse,
} from '@postntlm/smb2-protocol';
import type { DirectoryEntry as BackendEntry } from '../backend/index.js';
import { shortNameOf } from '../backend/short-name.js';
import { type Answer, fail, type HandlerContext, lookupOpen, ok } from './common.js';

const FIXED: Readonly<Record<number, number>> = DIRECTORY_ENTRY_FIXED_SIZE as unknown as Record<
  number,
  number
>;

/**
 * The ShortName of the Both/IdBoth classes: the name's 8.3 form (the one FileAlternateName
 * reports), empty when the name already is exactly that (as Samba and NTFS leave it).
 */
function shortNameFor(name: string): string {
  const short = shortNameOf(name);
  return short === name ? '' : short;
}

export function toWireEntry(e: BackendEntry): DirectoryEntry {
  return {
    fileIndex: 0,
    fileName: e.name,
    creationTime: e.creationTime,
    lastAccessTime: e.lastAccessTime,
    lastWriteTime: e.lastWriteTime,
    changeTime: e.changeTime,
    endOfFile: e.endOfFile,
    allocationSize: e.allocationSize,
    fileAttributes: e.attributes,
    eaSize: 0,
    shortName: shortNameFor(e.name),
    fileId: e.fileId,
  };
}

/**
 * How many entries could fit in `outputBufferLength` at most (each at least its fixed part
 * and a one-character name, 8-byte aligned): the backend looks no further than that.
 */
export function mostEntriesFitting(fixed: number, outputBufferLength: number): number {
  const smallest = fixed + 2;
  return Math.max(1, Math.floor((outputBufferLength - smallest) / ((smallest + 7) & ~7)) + 1);
}

export async function handleQueryDirectory(ctx: HandlerContext, req: QueryDirectoryRequest): Promise<Answer> {
  const open = lookupOpen(ctx, req.fileId);
  if (!open.isDirectory) return fail(Command.QUERY_DIRECTORY, NtStatus.INVALID_PARAMETER);
  if (directoryInfoCodec(req.fileInformationClass) === undefined)
    return fail(Command.QUERY_DIRECTORY, NtStatus.INVALID_INFO_CLASS);
  const fixed = FIXED[req.fileInformationClass] ?? 0;
  if (req.outputBufferLength < fixed) return fail(Command.QUERY_DIRECTORY, NtStatus.INFO_LENGTH_MISMATCH);
  const restart =
    !open.scanning || (req.flags & (QueryDirectoryFlags.RESTART_SCANS | QueryDirectoryFlags.REOPEN)) !== 0;
  const single = (req.flags & QueryDirectoryFlags.RETURN_SINGLE_ENTRY) !== 0;
  const pattern = req.fileName === '' ? '*' : req.fileName;
  const entries = await open.backend.queryDirectory(open.handle, {
    pattern,
    ...(restart
      ? { restart: true }
      : open.resumeAfter !== undefined
        ? { resumeAfterIndex: open.resumeAfter }
        : {}),
    maxEntries: single ? 1 : mostEntriesFitting(fixed, req.outputBufferLength),
  });
  open.scanning = true;
  const { bytes, count } = fitDirectoryEntries(
    req.fileInformationClass,
    entries.map(toWireEntry),
    req.outputBufferLength,
    single ? 1 : undefined,
  );
  if (count === 0) {
    // Not even the first entry fits: it stays for the next request.
    open.resumeAfter = (entries[0]?.index ?? 0) - 1;
    return fail(Command.QUERY_DIRECTORY, NtStatus.BUFFER_OVERFLOW);
  }
  open.resumeAfter = entries[count - 1]?.index;
  return ok(queryDirectoryResponse, { outputBuffer: bytes });
}
