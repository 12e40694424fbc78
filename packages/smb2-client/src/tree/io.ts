/**
 * READ and WRITE on an open file (MS-SMB2 §3.2.4.6, §3.2.4.7): one request per chunk of at
 * most MaxReadSize/MaxWriteSize (and 64 KiB without multi-credit), each charged one credit
 * per 64 KiB, with several chunks in flight so the link stays busy. Data goes out as its
 * own buffer after the WRITE header and comes back as a view of the received frame: no
 * copies beyond the one into the caller's buffer.
 */
import {
  type BodyCodec,
  Command,
  decodeReadResponse,
  encodeWriteRequestHeaderOnly,
  type FileId,
  NtStatus,
  type ReadResponse,
  readRequest,
  type WriteRequest,
  type WriteResponse,
  writeResponse,
} from '@postntlm/smb2-protocol';
import { SmbError } from '../errors.js';
import { callOnTree, creditsFor, type TreeContext } from './context.js';

/** Largest chunk we ever send in one READ or WRITE (what multi-credit allows, §3.2.4.6). */
export const MAX_CHUNK = 8 * 1024 * 1024;
/** Default chunk: 1 MiB keeps 8 requests in flight inside Samba's default 8 MiB window. */
export const DEFAULT_CHUNK = 1024 * 1024;
/** Default number of READs or WRITEs in flight. */
export const DEFAULT_DEPTH = 8;

export interface IoOptions {
  /** Bytes per request (capped by the server's limits); default 1 MiB. */
  readonly chunkSize?: number;
  /** Requests in flight; default 8. */
  readonly depth?: number;
  readonly signal?: AbortSignal | undefined;
}

/** The chunk size for reads (`write` false) or writes on this tree. */
export function chunkSizeOf(tree: TreeContext, write: boolean, wanted?: number): number {
  const serverMax = write ? tree.maxWriteSize : tree.maxReadSize;
  const creditMax = tree.connection.supportsMultiCredit ? MAX_CHUNK : 65_536;
  return Math.max(1, Math.min(wanted ?? DEFAULT_CHUNK, serverMax, creditMax));
}

/** WRITE request body without its data (the data follows as the request's payload). */
const writeHeaderOnly: BodyCodec<Omit<WriteRequest, 'data'> & { readonly length: number }> = {
  command: Command.WRITE,
  response: false,
  name: 'WRITE Request',
  encode: (v, w) => encodeWriteRequestHeaderOnly(v, v.length, w),
  decode: () => {
    throw new Error('request decoding is not used by the client');
  },
};

/** One READ: up to `length` bytes at `offset` (fewer at the end of the file, none past it). */
export async function readChunk(
  tree: TreeContext,
  fileId: FileId,
  offset: number,
  length: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await callOnTree<unknown, ReadResponse>(
    tree,
    {
      codec: readRequest as BodyCodec<unknown>,
      body: {
        padding: 0x50,
        flags: 0,
        length,
        offset: BigInt(offset),
        fileId,
        minimumCount: 0,
        channel: 0,
        remainingBytes: 0,
      },
      decode: (r) => decodeReadResponse(r, { view: true }),
      creditCharge: creditsFor(length),
      signal,
    },
    'read',
    [NtStatus.SUCCESS, NtStatus.END_OF_FILE],
  );
  return response.status === NtStatus.END_OF_FILE ? new Uint8Array(0) : response.body.data;
}

/** One WRITE of `data` at `offset`; resolves with the count written. */
export async function writeChunk(
  tree: TreeContext,
  fileId: FileId,
  offset: number,
  data: Uint8Array,
  signal?: AbortSignal,
): Promise<number> {
  if (data.length === 0) return 0;
  const response = await callOnTree<unknown, WriteResponse>(
    tree,
    {
      codec: writeHeaderOnly as BodyCodec<unknown>,
      body: { offset: BigInt(offset), fileId, channel: 0, remainingBytes: 0, flags: 0, length: data.length },
      payload: data,
      responseCodec: writeResponse,
      creditCharge: creditsFor(data.length),
      signal,
    },
    'write',
  );
  return response.body.count;
}

/**
 * Reads `[offset, offset + length)` into one buffer with `depth` requests in flight. Stops
 * early at the end of the file (the result is then shorter).
 */
export async function readRange(
  tree: TreeContext,
  fileId: FileId,
  offset: number,
  length: number,
  options: IoOptions = {},
): Promise<Uint8Array> {
  const chunk = chunkSizeOf(tree, false, options.chunkSize);
  // One request: its data (a view of the received frame) is the result, no copy.
  if (length <= chunk) return readChunk(tree, fileId, offset, length, options.signal);
  const out = new Uint8Array(length);
  let filled = 0;
  let eof = false;
  await runPipelined(Math.ceil(length / chunk), options.depth ?? DEFAULT_DEPTH, async (i) => {
    if (eof) return;
    const at = i * chunk;
    const n = Math.min(chunk, length - at);
    const data = await readChunk(tree, fileId, offset + at, n, options.signal);
    out.set(data, at);
    if (data.length < n) eof = true;
    if (data.length > 0) filled = Math.max(filled, at + data.length);
  });
  return filled === length ? out : out.subarray(0, filled);
}

/** Writes `data` at `offset` with `depth` requests in flight; SmbError if the server writes less. */
export async function writeRange(
  tree: TreeContext,
  fileId: FileId,
  offset: number,
  data: Uint8Array,
  options: IoOptions = {},
): Promise<void> {
  const chunk = chunkSizeOf(tree, true, options.chunkSize);
  await runPipelined(Math.ceil(data.length / chunk), options.depth ?? DEFAULT_DEPTH, async (i) => {
    const part = data.subarray(i * chunk, Math.min(data.length, (i + 1) * chunk));
    const written = await writeChunk(tree, fileId, offset + i * chunk, part, options.signal);
    if (written !== part.length)
      throw new SmbError(NtStatus.DISK_FULL, Command.WRITE, `short write (${written} of ${part.length})`);
  });
}

/** Runs `task(0..count-1)` with at most `depth` running; the first failure rejects (the rest still settle). */
export async function runPipelined(
  count: number,
  depth: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && failure === undefined) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, depth), count) }, worker));
  if (failure !== undefined) throw failure.error;
}
