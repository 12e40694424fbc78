/**
 * The shape every command body codec has (one request and one response codec per
 * command), so the message layer can dispatch on (command, response) from one table.
 */
import type { Reader } from './wire/reader.js';
import type { Writer } from './wire/writer.js';

/** How a body is decoded. */
export interface DecodeOptions {
  /**
   * Payloads (READ response and WRITE request data) as views of the message's bytes instead of
   * copies: no copy of megabytes, but the result pins the frame and changes if it is reused.
   * Codecs without a bulk payload ignore it.
   */
  readonly view?: boolean;
}

export interface BodyCodec<T> {
  /** `Command.X`. */
  readonly command: number;
  readonly response: boolean;
  /** Name for error paths, e.g. `CREATE Request`. */
  readonly name: string;
  /**
   * Writes the body. The writer starts right after the 64-byte header, so an offset field
   * "from the beginning of the SMB2 header" is `HEADER_SIZE + w.pos`.
   */
  encode(value: T, w: Writer): void;
  /**
   * Reads the body; `r.pos` is right after the header and `r.base` is the header's start
   * (what body offsets count from). Reads only inside `[r.base, r.end)`.
   */
  decode(r: Reader, options?: DecodeOptions): T;
}
