import { RpcConnection, type RpcConnectionOptions } from './connection.js';
import { COMMON_HEADER_LENGTH } from './constants.js';
import { RpcError } from './errors.js';
import { decodeHeader } from './header.js';

/** What one READ (or TRANSCEIVE) of a message-mode pipe returns. */
export interface PipeReadResult {
  readonly data: Uint8Array;
  /**
   * The message was longer than the read allowed: `data` is its beginning, the rest waits
   * for the next read. The SMB layer answers STATUS_BUFFER_OVERFLOW (with the data).
   */
  readonly overflow: boolean;
}

/** Unread output beyond which a pipe refuses more requests. */
const MAX_QUEUED_OUTPUT = 1024 * 1024;

/**
 * A DCE/RPC named pipe endpoint in message mode (sans-IO): SMB2 WRITE → {@link write},
 * SMB2 READ → {@link read}, FSCTL_PIPE_TRANSCEIVE → {@link transceive}. Every PDU the
 * server sends is one pipe message.
 */
export class RpcPipe {
  readonly connection: RpcConnection;
  private input: Uint8Array = new Uint8Array(0);
  private readonly output: Uint8Array[] = [];
  private queued = 0;

  constructor(options: RpcConnectionOptions) {
    this.connection = new RpcConnection(options);
  }

  /** Octets waiting to be read (FilePipeLocalInformation.ReadDataAvailable). */
  get available(): number {
    return this.queued;
  }

  /** Octets of a partial PDU written but not yet complete. */
  get partialInput(): number {
    return this.input.length;
  }

  /**
   * Takes bytes a client wrote: whole PDUs, several PDUs, or a PDU split over several writes.
   * Returns the number of bytes accepted (all of them). Throws {@link RpcError} on bytes no
   * PDU can be read from; the pipe then drops its partial input (the SMB layer should fail
   * the WRITE, and may close the pipe).
   */
  write(bytes: Uint8Array): number {
    let buffer = this.input.length === 0 ? bytes : concat(this.input, bytes);
    this.input = new Uint8Array(0);
    try {
      while (buffer.length >= COMMON_HEADER_LENGTH) {
        const { fragLength } = decodeHeader(buffer);
        if (buffer.length < fragLength) break;
        const replies = this.connection.handle(buffer.subarray(0, fragLength));
        for (const reply of replies) this.enqueue(reply);
        buffer = buffer.subarray(fragLength);
      }
    } catch (error) {
      this.input = new Uint8Array(0);
      throw error;
    }
    // Copy: the caller may reuse its buffer.
    this.input = buffer.slice();
    return bytes.length;
  }

  private enqueue(message: Uint8Array): void {
    if (this.queued + message.length > MAX_QUEUED_OUTPUT) {
      throw new RpcError('overflow', `more than ${MAX_QUEUED_OUTPUT} octets of unread responses`);
    }
    this.output.push(message);
    this.queued += message.length;
  }

  /**
   * Up to `maxLength` octets of the next message, or null when nothing is waiting (the SMB
   * layer then pends the READ or answers STATUS_PIPE_EMPTY for a non-blocking pipe).
   */
  read(maxLength: number): PipeReadResult | null {
    const head = this.output[0];
    if (head === undefined) return null;
    const limit = Math.max(0, Math.floor(maxLength));
    if (head.length <= limit) {
      this.output.shift();
      this.queued -= head.length;
      return { data: head, overflow: false };
    }
    this.output[0] = head.subarray(limit);
    this.queued -= limit;
    return { data: head.subarray(0, limit), overflow: true };
  }

  /**
   * FSCTL_PIPE_TRANSCEIVE: writes one message and reads the answer (at most `maxOutput`
   * octets; `overflow` as for {@link read}, the rest comes by READ). Throws
   * {@link RpcError} `pipe-busy` if earlier output is still unread (STATUS_PIPE_BUSY).
   * Returns empty data when the written bytes did not complete a call (a non-last fragment).
   */
  transceive(bytes: Uint8Array, maxOutput: number): PipeReadResult {
    if (this.output.length > 0) throw new RpcError('pipe-busy', 'unread data in the pipe');
    this.write(bytes);
    return this.read(maxOutput) ?? { data: new Uint8Array(0), overflow: false };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
