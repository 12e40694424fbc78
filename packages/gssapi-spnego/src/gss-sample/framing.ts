/**
 * The framing of MIT's gss-sample programs (`gss-client` / `gss-server`, gss-misc.c
 * send_token / recv_token), for talking to them in tests and examples:
 * `flags (1 byte) | length (4 bytes, big-endian) | token`. Sans-IO: feed bytes, take frames.
 */
import { GssTokenError } from '../errors.js';

/** gss-misc.h TOKEN_* flags. */
export const GssSampleFlags = {
  NOOP: 0x01,
  CONTEXT: 0x02,
  DATA: 0x04,
  MIC: 0x08,
  CONTEXT_NEXT: 0x10,
  WRAPPED: 0x20,
  ENCRYPTED: 0x40,
  SEND_MIC: 0x80,
} as const;

export interface GssSampleFrame {
  readonly flags: number;
  readonly token: Uint8Array;
}

/** Largest frame accepted (gss-sample itself allows any 32-bit length). */
const MAX_FRAME = 1 << 20;

/** One frame on the wire. */
export function encodeGssSampleFrame(flags: number, token: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(5 + token.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, token.length, false);
  out.set(token, 5);
  return out;
}

/** Collects bytes from a stream and yields whole frames. */
export class GssSampleFrameReader {
  private buffer = new Uint8Array(0);

  /** Adds received bytes; returns the frames now complete, in order. */
  push(bytes: Uint8Array): GssSampleFrame[] {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    const frames: GssSampleFrame[] = [];
    let pos = 0;
    while (joined.length - pos >= 5) {
      const length = new DataView(joined.buffer, joined.byteOffset + pos + 1, 4).getUint32(0, false);
      if (length > MAX_FRAME) throw new GssTokenError(`gss-sample frame of ${length} bytes is too long`);
      if (joined.length - pos - 5 < length) break;
      frames.push({ flags: joined[pos]!, token: joined.slice(pos + 5, pos + 5 + length) });
      pos += 5 + length;
    }
    this.buffer = joined.slice(pos);
    return frames;
  }

  /** Bytes received that do not yet form a frame. */
  get pending(): number {
    return this.buffer.length;
  }
}
