/**
 * node:stream adapters at the edge of the file API: a Readable that reads a file in
 * pipelined batches, and a Writable that writes at increasing offsets. The core API stays
 * Uint8Array and promises.
 */
import { Readable, Writable } from 'node:stream';
import type { SmbFileHandle } from './file-handle.js';
import type { OpenFlags } from './tree.js';

/** What the streams need of a tree (kept small so tree.ts and this file do not tie in a knot). */
interface Opener {
  open(path: string, flags?: OpenFlags, options?: { signal?: AbortSignal }): Promise<SmbFileHandle>;
}

export interface ReadStreamOptions {
  /** First byte (default 0). */
  readonly start?: number;
  /** Last byte, inclusive (default: the end of the file). */
  readonly end?: number;
  /** Bytes per READ (default 1 MiB). */
  readonly chunkSize?: number;
  /** READs in flight (default 8). */
  readonly depth?: number;
  readonly signal?: AbortSignal;
}

export interface WriteStreamOptions {
  /** `w` (default: create or truncate) or `wx` (must not exist) or `r+` (write into an existing file). */
  readonly flags?: 'w' | 'wx' | 'r+';
  /** First byte written (default 0). */
  readonly start?: number;
  /** Chunks written concurrently (default 4). */
  readonly depth?: number;
  readonly signal?: AbortSignal;
}

const sig = (signal: AbortSignal | undefined): { signal?: AbortSignal } =>
  signal === undefined ? {} : { signal };

export function createReadStream(tree: Opener, path: string, options: ReadStreamOptions = {}): Readable {
  const chunk = options.chunkSize ?? 1024 * 1024;
  const depth = options.depth ?? 8;
  let handle: SmbFileHandle | undefined;
  let next = options.start ?? 0;
  const end = options.end === undefined ? Number.POSITIVE_INFINITY : options.end + 1;
  // READs in flight, in file order: the stream takes the oldest and asks for one more, so
  // `depth` requests stay outstanding however fast the consumer is.
  const ahead: Promise<Uint8Array>[] = [];
  const fill = (): void => {
    while (ahead.length < depth && next < end) {
      const n = Math.min(chunk, end - next);
      // One READ per stream chunk: readRange would otherwise split it with its own default.
      const p = (handle as SmbFileHandle).read(next, n, { chunkSize: n, ...sig(options.signal) });
      p.catch(() => undefined);
      ahead.push(p);
      next += n;
    }
  };
  return new Readable({
    highWaterMark: chunk * 2,
    ...sig(options.signal),
    async construct(callback) {
      try {
        handle = await tree.open(path, 'r', sig(options.signal));
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    async read() {
      try {
        fill();
        const head = ahead.shift();
        const data = head === undefined ? new Uint8Array(0) : await head;
        if (data.length === 0) {
          this.push(null);
          return;
        }
        // A short read is the end of the file: what was asked beyond it comes back empty.
        if (data.length < chunk) next = Number.POSITIVE_INFINITY;
        this.push(data);
      } catch (e) {
        this.destroy(e as Error);
      }
    },
    destroy(error, callback) {
      const h = handle;
      handle = undefined;
      const pending = ahead.splice(0);
      if (h === undefined) callback(error);
      else
        Promise.allSettled(pending)
          .then(() => h.close())
          .then(
            () => callback(error),
            (e: unknown) => callback(error ?? (e as Error)),
          );
    },
  });
}

export function createWriteStream(tree: Opener, path: string, options: WriteStreamOptions = {}): Writable {
  let handle: SmbFileHandle | undefined;
  let position = options.start ?? 0;
  const depth = options.depth ?? 4;
  // Writes in flight: each chunk goes out at once at its own offset; the stream only waits
  // when `depth` are outstanding, so the link stays busy (§3.2.4.7 allows any order).
  const inflight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const start = (data: Uint8Array): void => {
    const at = position;
    position += data.length;
    // One WRITE per stream chunk (capped by MaxWriteSize), as reads do.
    const p = (handle as SmbFileHandle)
      .write(data, at, { chunkSize: data.length, ...sig(options.signal) })
      .then(
        () => {
          inflight.delete(p);
        },
        (e: unknown) => {
          inflight.delete(p);
          failure ??= e as Error;
        },
      );
    inflight.add(p);
  };
  const room = async (limit: number): Promise<void> => {
    while (inflight.size > limit) await Promise.race(inflight);
    if (failure !== undefined) throw failure;
  };
  return new Writable({
    highWaterMark: 8 * 1024 * 1024,
    ...sig(options.signal),
    async construct(callback) {
      try {
        handle = await tree.open(path, options.flags ?? 'w', sig(options.signal));
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    write(chunk: Uint8Array, _encoding, callback) {
      if (failure !== undefined) {
        callback(failure);
        return;
      }
      // The callback below may come before the data is on the wire: keep our own copy.
      start(chunk.slice());
      room(depth - 1).then(() => callback(), callback);
    },
    final(callback) {
      room(0)
        .then(async () => {
          const h = handle;
          handle = undefined;
          await h?.close();
        })
        .then(() => callback(), callback);
    },
    destroy(error, callback) {
      const h = handle;
      handle = undefined;
      Promise.allSettled(inflight)
        .then(() => h?.close())
        .then(
          () => callback(error),
          () => callback(error),
        );
    },
  });
}
