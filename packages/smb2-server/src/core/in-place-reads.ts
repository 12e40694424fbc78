/**
 * Reads that land where the connection says (Node's `onread`), for an accepted socket.
 *
 * A socket Node accepts reads into fresh 64 KiB chunks: an 8 MiB WRITE arrives as 128 chunks,
 * each allocated, emitted through the stream machinery, copied into the frame and collected
 * again. That costs more CPU than the kernel's own copy (measured on loopback: ~1.0 s vs
 * ~0.4 s of CPU per GiB received). `net.connect` takes an `onread` buffer to read into, but
 * `net.createServer` does not, so an accepted socket (paused on connect, nothing read yet) is
 * re-made around its handle with `onread`: a large frame is then read straight into its own
 * buffer, in reads of up to what the kernel holds.
 *
 * This reaches into `Socket#_handle` (the one way to it in Node 20-24). Where the handle is not
 * what is expected (another runtime, a socket already reading) nothing is adopted and the
 * caller reads 'data' events as usual.
 */
import { type OnReadOpts, Socket, type SocketConstructorOpts } from 'node:net';

/** Node's `onread` option: where the next read goes, and how many bytes it put there. */
export interface InPlaceReads {
  /** The buffer the next read fills (called once first, then after every read). */
  buffer(): Uint8Array;
  /** `n` bytes landed in the last buffer; false pauses reading (resume with `socket.resume()`). */
  callback(n: number): boolean;
}

/** What the adoption needs of a libuv TCP handle. */
interface StreamHandle {
  reading?: boolean;
  readStart(): number;
  useUserBuffer(buffer: Uint8Array): void;
}

function isStreamHandle(h: unknown): h is StreamHandle {
  const c = h as Partial<StreamHandle> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.readStart === 'function' &&
    typeof c.useUserBuffer === 'function'
  );
}

/**
 * A socket over `accepted`'s connection that reads through `reads`, or undefined when that is
 * not possible (then `accepted` is untouched). `accepted` must come from a server created with
 * `pauseOnConnect: true`, before anything read from it. The returned socket's 'close' also
 * destroys `accepted` (so the server counts the connection as gone).
 */
export function adoptWithInPlaceReads(accepted: Socket, reads: InPlaceReads): Socket | undefined {
  const holder = accepted as unknown as { _handle?: unknown };
  const handle = holder._handle;
  if (!isStreamHandle(handle) || handle.reading === true || accepted.readableLength > 0) return undefined;
  if (accepted.readableFlowing === true) return undefined;
  holder._handle = null;
  // `handle` and `onread` are options Node's Socket takes that its typings leave out here.
  const options: SocketConstructorOpts & { handle: StreamHandle; onread: OnReadOpts } = {
    handle,
    readable: true,
    writable: true,
    onread: { buffer: () => reads.buffer(), callback: (n: number) => reads.callback(n) },
  };
  const adopted = new Socket(options);
  adopted.once('close', () => accepted.destroy());
  return adopted;
}
