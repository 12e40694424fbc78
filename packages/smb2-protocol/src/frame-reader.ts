/**
 * Direct TCP framing (MS-SMB2 §2.1) done where the bytes land, sans-IO: the socket reads
 * into the buffer `buffer()` hands out, and `filled(n)` returns the frames that became
 * whole. Small frames gather in a staging buffer; a frame larger than it (a READ response)
 * is read straight into its own buffer, so a megabyte of file data reaches the caller with
 * the kernel's copy only: no 64 KiB chunks to allocate, collect and copy again.
 */
import { SmbDecodeError } from './wire/errors.js';

const DEFAULT_MAX_FRAME = 8 * 1024 * 1024 + 64 * 1024;
const STAGING_SIZE = 64 * 1024;

/**
 * The receiving side of Direct TCP for a transport that can read into a buffer it is given
 * (Node's `net.connect({ onread })`, or any read(2)-style API). `DirectTcpFramer` is the same
 * framing for transports that hand over chunks they allocated. A nonzero first byte or a frame
 * over `maxFrame` is an `SmbDecodeError` (the connection should then be dropped).
 */
export class DirectTcpFrameReader {
  readonly #staging = new Uint8Array(STAGING_SIZE);
  /** Unframed bytes are staging[#start, #end). */
  #start = 0;
  #end = 0;
  /** The large frame being read in place, and how much of it has arrived. */
  #frame: Uint8Array | undefined;
  #frameFilled = 0;

  constructor(
    private readonly maxFrame: number = DEFAULT_MAX_FRAME,
    private readonly allocate: (n: number) => Uint8Array = (n) => new Uint8Array(n),
  ) {}

  /** Where the next read should put its bytes (never empty). */
  buffer(): Uint8Array {
    if (this.#frame !== undefined) return this.#frame.subarray(this.#frameFilled);
    if (this.#start > 0) {
      this.#staging.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    return this.#staging.subarray(this.#end);
  }

  /** `n` bytes arrived in the buffer `buffer()` returned last; the frame bodies now whole, in order. */
  filled(n: number): Uint8Array[] {
    const frames: Uint8Array[] = [];
    if (this.#frame !== undefined) {
      this.#frameFilled += n;
      if (this.#frameFilled === this.#frame.length) {
        frames.push(this.#frame);
        this.#frame = undefined;
      }
      return frames;
    }
    this.#end += n;
    const s = this.#staging;
    while (this.#end - this.#start >= 4) {
      const at = this.#start;
      if (s[at] !== 0)
        throw new SmbDecodeError(
          'Direct TCP header',
          0,
          `first byte is 0x${(s[at] as number).toString(16)}, not 0`,
        );
      const length = ((s[at + 1] as number) << 16) | ((s[at + 2] as number) << 8) | (s[at + 3] as number);
      if (length > this.maxFrame)
        throw new SmbDecodeError('Direct TCP header', 1, `frame of ${length} bytes exceeds ${this.maxFrame}`);
      const have = this.#end - at - 4;
      if (have >= length) {
        frames.push(s.slice(at + 4, at + 4 + length));
        this.#start = at + 4 + length;
        continue;
      }
      // Too big to gather here: the rest goes straight into the frame's own buffer.
      if (4 + length > s.length) {
        const frame = this.allocate(length);
        frame.set(s.subarray(at + 4, this.#end));
        this.#frame = frame;
        this.#frameFilled = have;
        this.#start = 0;
        this.#end = 0;
      }
      break;
    }
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
    }
    return frames;
  }
}
