/** RFC 4120 §7.2.2 framing: a 4-byte big-endian length, then the message. */

/** `reply` with its length prefix. */
export function frame(reply: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + reply.length);
  new DataView(out.buffer).setUint32(0, reply.length);
  out.set(reply, 4);
  return out;
}

/** What {@link FrameBuffer.next} found. */
export type NextFrame =
  | { readonly kind: 'frame'; readonly bytes: Uint8Array }
  | { readonly kind: 'need-more' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'bad-framing' };

/**
 * Accumulates stream bytes and cuts them into requests. Holds chunks in a list and joins
 * them once per frame, so a request trickling in byte by byte costs linear time.
 */
export class FrameBuffer {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private expected: number | undefined;

  /** @param maxFrameBytes the longest message accepted (the prefix not counted). */
  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes held. */
  get size(): number {
    return this.length;
  }

  /** Appends received bytes (by reference; joined when a frame completes or chunks pile up). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    // Each chunk costs an object and a backing store: a peer dribbling single bytes must not
    // turn a bounded byte count into unbounded overhead.
    if (this.chunks.length > 32) this.chunks = [concat(this.chunks, this.length)];
  }

  /** The next complete message, or why there is none. */
  next(): NextFrame {
    if (this.expected === undefined) {
      if (this.length < 4) return { kind: 'need-more' };
      const head = this.take(4, false);
      const n = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
      // The high bit is reserved for RFC 5021 extensions, none of which we implement.
      if (n === 0 || n >= 0x80000000) return { kind: 'bad-framing' };
      if (n > this.maxFrameBytes) return { kind: 'too-large' };
      this.expected = n;
    }
    // Remembering the length keeps a request that trickles in from being joined per chunk.
    if (this.length < 4 + this.expected) return { kind: 'need-more' };
    const bytes = this.take(4 + this.expected, true).slice(4);
    this.expected = undefined;
    return { kind: 'frame', bytes };
  }

  private take(n: number, consume: boolean): Uint8Array {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Uint8Array) : concat(this.chunks, this.length);
    this.chunks = [all];
    if (!consume) return all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length === 0 ? [] : [rest];
    this.length = rest.length;
    return all.subarray(0, n);
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
