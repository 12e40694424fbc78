import { describe, expect, it } from 'vitest';
import { DirectTcpFrameReader as FrameReader } from '../src/frame-reader.js';
import { SmbDecodeError } from '../src/wire/errors.js';

/** A Direct TCP frame (§2.1): 0, a 24-bit length, the body. */
const frame = (body: Uint8Array): Uint8Array => {
  const out = new Uint8Array(4 + body.length);
  out.set([0, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]);
  out.set(body, 4);
  return out;
};
const bytes = (n: number, seed: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
};
const joined = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const same = (a: Uint8Array | undefined, b: Uint8Array): boolean =>
  a !== undefined && Buffer.from(a).equals(b);

/** Feeds `stream` as a socket would, at most `step` bytes per read; returns the frames and the buffers handed out. */
function feed(
  reader: FrameReader,
  stream: Uint8Array,
  step: number,
): { frames: Uint8Array[]; buffers: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const buffers: Uint8Array[] = [];
  for (let at = 0; at < stream.length; ) {
    const buffer = reader.buffer();
    buffers.push(buffer);
    const n = Math.min(step, buffer.length, stream.length - at);
    buffer.set(stream.subarray(at, at + n));
    at += n;
    frames.push(...reader.filled(n));
  }
  return { frames, buffers };
}

describe('FrameReader', () => {
  it('splits small frames that share a read and joins one cut across reads', () => {
    const a = bytes(10, 1);
    const b = bytes(300, 2);
    const c = bytes(5, 3);
    const stream = joined(frame(a), frame(b), frame(c));
    for (const step of [1, 3, 64, stream.length]) {
      const { frames } = feed(new FrameReader(), stream, step);
      expect(frames).toEqual([a, b, c]);
    }
  });

  it('reads a frame larger than its staging buffer straight into the frame', () => {
    const small = bytes(20, 4);
    const big = bytes(1024 * 1024, 5);
    const stream = joined(frame(small), frame(big), frame(small));
    const reader = new FrameReader();
    const { frames, buffers } = feed(reader, stream, 64 * 1024);
    expect(frames.length).toBe(3);
    expect(same(frames[0], small) && same(frames[1], big) && same(frames[2], small)).toBe(true);
    // After the first read, the socket writes into the big frame's own memory: no copy of it.
    const bigFrame = frames[1] as Uint8Array;
    const inPlace = buffers.filter((b) => b.buffer === bigFrame.buffer);
    expect(inPlace.length).toBe(16);
  });

  it('refuses a header that does not start with 0 and a frame over the limit', () => {
    const bad = new FrameReader();
    bad.buffer().set([1, 0, 0, 4]);
    expect(() => bad.filled(4)).toThrow(SmbDecodeError);
    const large = new FrameReader(1000);
    large.buffer().set([0, 0, 0x03, 0xe9]);
    expect(() => large.filled(4)).toThrow(SmbDecodeError);
  });
});
