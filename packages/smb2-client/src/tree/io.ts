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
  /** `data` is scratch memory the caller gives up: an encrypted WRITE is sealed over it. */
  owned = false,
): Promise<number> {
  if (data.length === 0) return 0;
  const response = await callOnTree<unknown, WriteResponse>(
    tree,
    {
      codec: writeHeaderOnly as BodyCodec<unknown>,
      body: { offset: BigInt(offset), fileId, channel: 0, remainingBytes: 0, flags: 0, length: data.length },
      payload: data,
      payloadOwned: owned,
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

export interface ChunkReadOptions {
  /** First byte (default 0). */
  readonly start?: number;
  /** Last byte, inclusive (default: the end of the file). */
  readonly end?: number;
  /** Bytes per READ (default: the server's MaxReadSize, at most 8 MiB). */
  readonly chunkSize?: number;
  /** READs in flight (default 4). */
  readonly depth?: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The file's bytes in order, one READ per chunk with `depth` in flight, each chunk lent: it
 * is a view of the received frame and stays valid only until the loop asks for the next
 * one (or ends); its memory then takes a later READ. No allocation or copy per chunk beyond
 * the kernel's, so it is the fastest way to stream a file; copy a chunk to keep it.
 */
export async function* readChunks(
  tree: TreeContext,
  fileId: FileId,
  options: ChunkReadOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunk = chunkSizeOf(tree, false, options.chunkSize ?? MAX_CHUNK);
  const depth = Math.max(1, options.depth ?? 4);
  const end = options.end === undefined ? Number.POSITIVE_INFINITY : options.end + 1;
  let next = options.start ?? 0;
  const ahead: Promise<Uint8Array>[] = [];
  const release = (data: Uint8Array): void => tree.connection.releaseFrame(data);
  try {
    for (;;) {
      while (ahead.length < depth && next < end) {
        const n = Math.min(chunk, end - next);
        const p = readChunk(tree, fileId, next, n, options.signal);
        p.catch(() => undefined);
        ahead.push(p);
        next += n;
      }
      const head = ahead.shift();
      if (head === undefined) return;
      const data = await head;
      if (data.length === 0) return;
      // A short read is the end of the file: what was asked beyond it comes back empty.
      if (data.length < chunk && next < end) next = end;
      try {
        yield data;
      } finally {
        release(data);
      }
    }
  } finally {
    // Requests still out: wait for them (their frames are ours to give back) before returning.
    for (const r of await Promise.allSettled(ahead.splice(0)))
      if (r.status === 'fulfilled' && r.value.length > 0) release(r.value);
  }
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

/**
 * Fills `buffer` with the source's bytes from `position` on; resolves with how many it put
 * there. Fewer than `buffer.length` (0 included) means the source ends there.
 */
export type ChunkSource = (buffer: Uint8Array, position: number) => Promise<number>;

export interface WriteFromOptions {
  /** Where the first byte goes in the file (default 0). */
  readonly start?: number;
  /** Where reading the source begins (default 0). */
  readonly sourceStart?: number;
  /** Most bytes to copy (default: until the source ends). */
  readonly length?: number;
  /** Bytes per WRITE (default: the server's MaxWriteSize, at most 8 MiB). */
  readonly chunkSize?: number;
  /** WRITEs in flight, each with its own buffer (default 4). */
  readonly depth?: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Copies a random-access source (a local file's `read`, for one) into the file: `depth`
 * buffers of one chunk each, filled by `source` and sent as one WRITE each, reused from
 * chunk to chunk (an encrypted WRITE is sealed in place over its buffer). Resolves with the
 * bytes written.
 */
export async function writeFrom(
  tree: TreeContext,
  fileId: FileId,
  source: ChunkSource,
  options: WriteFromOptions = {},
): Promise<number> {
  const chunk = chunkSizeOf(tree, true, options.chunkSize ?? MAX_CHUNK);
  const depth = Math.max(1, options.depth ?? 4);
  const start = options.start ?? 0;
  const sourceStart = options.sourceStart ?? 0;
  let end = options.length ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    // Shared memory: an encrypted WRITE is then sealed by the GCM worker where it lies.
    const size = Math.min(chunk, end);
    const buffer = new Uint8Array(
      typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(size) : new ArrayBuffer(size),
    );
    while (next < end && failure === undefined) {
      const at = next;
      const want = Math.min(chunk, end - at);
      next += want;
      try {
        const n = await source(buffer.subarray(0, want), sourceStart + at);
        if (!Number.isInteger(n) || n < 0 || n > want)
          throw new RangeError(`writeFrom: the source returned ${String(n)} for a ${want}-byte buffer`);
        // A short fill is the end of the source (workers past it find nothing and stop).
        if (n < want) end = Math.min(end, at + n);
        if (n === 0) return;
        options.signal?.throwIfAborted();
        const written = await writeChunk(
          tree,
          fileId,
          start + at,
          buffer.subarray(0, n),
          options.signal,
          true,
        );
        if (written !== n)
          throw new SmbError(NtStatus.DISK_FULL, Command.WRITE, `short write (${written} of ${n})`);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: depth }, worker));
  if (failure !== undefined) throw failure.error;
  return Number.isFinite(end) ? end : next;
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
