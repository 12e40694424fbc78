import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { SmbFileHandle } from '../src/tree/file-handle.js';
import type { IoOptions } from '../src/tree/io.js';
import { createReadStream, createWriteStream } from '../src/tree/streams.js';

/** A file of `size` bytes whose READs answer on the next turn of the event loop; counts what is in flight. */
function fakeTree(size: number) {
  const stats = {
    outstanding: 0,
    peak: 0,
    reads: [] as { length: number; chunkSize: number | undefined }[],
    writes: [] as { length: number; chunkSize: number | undefined }[],
  };
  const handle = {
    read(position: number, length: number, options?: IoOptions): Promise<Uint8Array> {
      stats.reads.push({ length, chunkSize: options?.chunkSize });
      stats.outstanding++;
      stats.peak = Math.max(stats.peak, stats.outstanding);
      return new Promise((resolve) =>
        setImmediate(() => {
          stats.outstanding--;
          resolve(new Uint8Array(Math.max(0, Math.min(length, size - position))));
        }),
      );
    },
    write(data: Uint8Array, _position: number, options?: IoOptions): Promise<void> {
      stats.writes.push({ length: data.length, chunkSize: options?.chunkSize });
      stats.outstanding++;
      stats.peak = Math.max(stats.peak, stats.outstanding);
      return new Promise((resolve) =>
        setImmediate(() => {
          stats.outstanding--;
          resolve();
        }),
      );
    },
    close: async (): Promise<void> => {},
  };
  const tree = { open: async () => handle as unknown as SmbFileHandle };
  return { tree, stats };
}

describe('createReadStream', () => {
  it('keeps `depth` READs of one chunk each in flight when the consumer is fast', async () => {
    const chunk = 64 * 1024;
    const { tree, stats } = fakeTree(40 * chunk);
    let received = 0;
    await pipeline(
      createReadStream(tree, 'f', { chunkSize: chunk, depth: 6 }),
      new Writable({
        write: (c: Uint8Array, _e, cb) => {
          received += c.length;
          cb();
        },
      }),
    );
    expect(received).toBe(40 * chunk);
    expect(stats.peak).toBe(6);
    // One READ per stream chunk, never split again below it with another chunk size.
    expect(stats.reads.every((r) => r.length <= chunk && r.chunkSize === r.length)).toBe(true);
  });
});

describe('createWriteStream', () => {
  it('sends each chunk as one WRITE at once, `depth` in flight when the producer is fast', async () => {
    const { tree, stats } = fakeTree(0);
    const chunk = new Uint8Array(256 * 1024);
    await pipeline(
      (function* () {
        for (let i = 0; i < 30; i++) yield chunk;
      })(),
      createWriteStream(tree, 'f', { depth: 5 }),
    );
    expect(stats.writes.length).toBe(30);
    expect(stats.peak).toBe(5);
    expect(stats.writes.every((w) => w.chunkSize === w.length)).toBe(true);
  });
});
