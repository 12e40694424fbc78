/**
 * Recycled memory for big frames (megabyte WRITE requests on a server, READ responses on a
 * client). A frame that spans socket reads needs one buffer of its size; fresh
 * multi-megabyte buffers cost page faults and garbage collection on every message, so the
 * receiver keeps a few and hands them out again once the message that held one is done
 * with. Small frames are ordinary allocations. Pair it with `DirectTcpFrameReader`.
 */
export class FramePool {
  readonly #free: (ArrayBuffer | SharedArrayBuffer)[] = [];
  /** Buffers this pool made that are handed out now (a frame may be released once). */
  readonly #lent = new WeakSet<ArrayBuffer | SharedArrayBuffer>();

  /**
   * @param minSize frames smaller than this are not pooled
   * @param keep most buffers kept free (server-wide memory held: about keep × the largest frame)
   * @param shared pooled frames in SharedArrayBuffer memory, for `GcmOffload` to work on in place
   */
  constructor(
    readonly minSize = 1 << 20,
    readonly keep = 8,
    readonly shared = false,
  ) {}

  /** `n` bytes for a frame (contents undefined: the framer overwrites them all). */
  allocate(n: number): Uint8Array {
    if (n < this.minSize) return new Uint8Array(n);
    const i = this.#free.findIndex((b) => b.byteLength >= n);
    const buffer =
      i >= 0
        ? (this.#free.splice(i, 1)[0] as ArrayBuffer | SharedArrayBuffer)
        : this.shared
          ? new SharedArrayBuffer(n)
          : new ArrayBuffer(n);
    this.#lent.add(buffer);
    return new Uint8Array(buffer, 0, n);
  }

  /**
   * Takes a frame's memory back. The caller must hold no view of it any more (the request it
   * carried has been answered). Frames the pool did not lend are ignored.
   */
  release(frame: Uint8Array): void {
    const buffer = frame.buffer;
    if (!this.#lent.has(buffer)) return;
    this.#lent.delete(buffer);
    if (this.#free.length < this.keep) this.#free.push(buffer);
  }

  /** Buffers kept free now. */
  get freeCount(): number {
    return this.#free.length;
  }
}
