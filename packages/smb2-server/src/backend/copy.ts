/**
 * Server-side copy (MS-SMB2 §3.3.5.15.6): chunks copied from one open to another through the
 * backends' own READ and WRITE, so access rights and other opens' byte-range locks apply as
 * for a client's I/O (Windows Server 2012 and later behave so). One chunk is held in memory
 * at a time (the caller bounds a chunk's length), read whole before it is written: a chunk
 * whose source and target overlap in one file copies the bytes as they were.
 */
import { NtStatus } from '@postntlm/smb2-protocol';
import { SmbStatusError } from './errors.js';
import type { OpenHandle, ShareBackend } from './types.js';

/** STATUS_INVALID_VIEW_SIZE: a chunk reaches past the end of the source (as Windows answers). */
export const STATUS_INVALID_VIEW_SIZE = 0xc000001f;

export interface CopyEnd {
  readonly backend: ShareBackend;
  readonly handle: OpenHandle;
}

export interface CopyRange {
  readonly sourceOffset: bigint;
  readonly targetOffset: bigint;
  readonly length: number;
}

export interface CopyProgress {
  readonly chunksWritten: number;
  readonly totalBytesWritten: number;
}

/** Thrown when a chunk fails: the NTSTATUS, and what the chunks before it did. */
export class CopyError extends SmbStatusError {
  constructor(
    status: number,
    message: string,
    readonly progress: CopyProgress,
  ) {
    super(status, message);
  }
}

/** Copies every chunk in order; stops at the first failure with a `CopyError`. */
export async function copyRanges(
  src: CopyEnd,
  dst: CopyEnd,
  chunks: readonly CopyRange[],
): Promise<CopyProgress> {
  let chunksWritten = 0;
  let totalBytesWritten = 0;
  for (const c of chunks) {
    try {
      const data = await readExactly(src, c);
      const n = await dst.backend.write(dst.handle, c.targetOffset, data);
      totalBytesWritten += n;
      chunksWritten++;
    } catch (e) {
      const status = e instanceof SmbStatusError ? e.status : NtStatus.INTERNAL_ERROR;
      throw new CopyError(status, e instanceof Error ? e.message : String(e), {
        chunksWritten,
        totalBytesWritten,
      });
    }
  }
  return { chunksWritten, totalBytesWritten };
}

async function readExactly(src: CopyEnd, c: CopyRange): Promise<Uint8Array> {
  let data: Uint8Array;
  try {
    data = await src.backend.read(src.handle, c.sourceOffset, c.length);
  } catch (e) {
    if (e instanceof SmbStatusError && e.status === NtStatus.END_OF_FILE) data = new Uint8Array(0);
    else throw e;
  }
  if (data.length < c.length)
    throw new SmbStatusError(STATUS_INVALID_VIEW_SIZE, 'the chunk reaches past the end of the source');
  return data;
}
