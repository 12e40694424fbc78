/**
 * Direct TCP transport framing (MS-SMB2 §2.1): each frame is a zero byte and a 24-bit
 * big-endian length, then that many bytes (one SMB2 message, a compound, or a transform).
 */
import { SmbDecodeError } from './wire/errors.js';

/** The largest frame Direct TCP can carry (2^24 - 1). */
export const MAX_DIRECT_TCP_FRAME = 0xffffff;

/** Prefixes `payload` with the Direct TCP header. */
export function frameDirectTcp(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_DIRECT_TCP_FRAME)
    throw new RangeError(`frame of ${payload.length} bytes exceeds 2^24 - 1`);
  const out = new Uint8Array(4 + payload.length);
  out[1] = payload.length >>> 16;
  out[2] = (payload.length >>> 8) & 0xff;
  out[3] = payload.length & 0xff;
  out.set(payload, 4);
  return out;
}

/** The 4 header bytes alone (write them, then the payload buffers, without concatenating). */
export function directTcpHeader(length: number): Uint8Array {
  if (length > MAX_DIRECT_TCP_FRAME || length < 0)
    throw new RangeError(`frame length ${length} out of range`);
  return Uint8Array.of(0, length >>> 16, (length >>> 8) & 0xff, length & 0xff);
}

/** Options of a `DirectTcpFramer`. */
export interface DirectTcpFramerOptions {
  /**
   * Memory for a frame that spans several pushed chunks (`n` bytes; its content is then
   * overwritten). Default: a new zero-filled `Uint8Array`. A receiver that moves megabytes can
   * hand out recycled buffers here, and take a frame's buffer back once done with the frame.
   */
  readonly allocate?: (n: number) => Uint8Array;
}

/**
 * Cuts frames out of a byte stream. `push` chunks as they arrive; `next()` returns each
 * complete frame. A nonzero first byte or a frame over `maxFrame` is an `SmbDecodeError`
 * (the connection should then be dropped).
 */
export class DirectTcpFramer {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private readonly allocate: (n: number) => Uint8Array;

  constructor(
    private readonly maxFrame: number = 8 * 1024 * 1024 + 1024,
    options: DirectTcpFramerOptions = {},
  ) {
    this.allocate = options.allocate ?? ((n) => new Uint8Array(n));
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  next(): Uint8Array | undefined {
    if (this.buffered < 4) return undefined;
    const head = this.peek(4);
    if (head[0] !== 0)
      throw new SmbDecodeError(
        'Direct TCP header',
        0,
        `first byte is 0x${(head[0] as number).toString(16)}, not 0`,
      );
    const length = ((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number);
    if (length > this.maxFrame)
      throw new SmbDecodeError('Direct TCP header', 1, `frame of ${length} bytes exceeds ${this.maxFrame}`);
    if (this.buffered < 4 + length) return undefined;
    this.take(4);
    return this.take(length);
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0] as Uint8Array;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (at === n) break;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0] as Uint8Array;
    this.buffered -= n;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.slice(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first.slice();
    }
    const out = this.allocate(n);
    if (out.length !== n) throw new RangeError(`allocate(${n}) returned ${out.length} bytes`);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0] as Uint8Array;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}
