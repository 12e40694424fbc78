/**
 * An open file (an SMB2 Open, MS-SMB2 §3.2.1.6): reads and writes at offsets, truncation
 * (FileEndOfFileInformation, MS-FSCC §2.4.14), times (FileBasicInformation §2.4.7), stat and
 * close. Closing twice is harmless.
 */
import {
  type FileId,
  fileBasicInformation,
  fileEndOfFileInformation,
  fileNetworkOpenInformation,
  InfoType,
  queryInfoRequest,
  queryInfoResponse,
  setInfoRequest,
  setInfoResponse,
} from '@postntlm/smb2-protocol';
import { callOnTree, type TreeContext } from './context.js';
import {
  type ChunkReadOptions,
  type ChunkSource,
  type IoOptions,
  readChunks,
  readRange,
  type WriteFromOptions,
  writeFrom,
  writeRange,
} from './io.js';
import { closeFile } from './open.js';
import { type SmbStats, statsOf } from './stats.js';
import { type TimesToSet, timesInfo } from './times.js';

export class SmbFileHandle {
  #closed = false;

  constructor(
    private readonly tree: TreeContext,
    readonly fileId: FileId,
    /** The path it was opened with. */
    readonly path: string,
  ) {}

  /** Reads up to `length` bytes at `position` (fewer at the end of the file). */
  read(position: number, length: number, options?: IoOptions): Promise<Uint8Array> {
    return readRange(this.tree, this.fileId, position, length, options);
  }

  /**
   * The file's bytes in order as lent chunks (one per READ, `depth` READs in flight): each is
   * valid only until the loop takes the next one, then its memory is reused. Copy to keep.
   *
   * ```ts
   * for await (const chunk of handle.readChunks()) hash.update(chunk);
   * ```
   */
  readChunks(options?: ChunkReadOptions): AsyncGenerator<Uint8Array, void, undefined> {
    return readChunks(this.tree, this.fileId, options);
  }

  /** Writes all of `data` at `position`. */
  write(data: Uint8Array, position: number, options?: IoOptions): Promise<void> {
    return writeRange(this.tree, this.fileId, position, data, options);
  }

  /**
   * Copies a random-access source into the file through `depth` reused buffers, one WRITE
   * each; resolves with the bytes written. `source(buffer, position)` fills the buffer and
   * resolves with the count (fewer than asked: the source ends there).
   *
   * ```ts
   * const local = await fs.open('big.iso');
   * await handle.writeFrom((b, at) => local.read(b, 0, b.length, at).then((r) => r.bytesRead));
   * ```
   */
  writeFrom(source: ChunkSource, options?: WriteFromOptions): Promise<number> {
    return writeFrom(this.tree, this.fileId, source, options);
  }

  /** Sets the file's size (cuts or extends with zeros). */
  async truncate(size = 0, signal?: AbortSignal): Promise<void> {
    await this.#setInfo(
      fileEndOfFileInformation.infoClass,
      fileEndOfFileInformation.encode({ endOfFile: BigInt(size) }),
      signal,
    );
  }

  /** Sets access and modification times (other times unchanged). */
  async setTimes(times: TimesToSet, signal?: AbortSignal): Promise<void> {
    await this.#setInfo(
      fileBasicInformation.infoClass,
      fileBasicInformation.encode(timesInfo(times)),
      signal,
    );
  }

  async stat(signal?: AbortSignal): Promise<SmbStats> {
    const response = await callOnTree(
      this.tree,
      {
        codec: queryInfoRequest,
        body: {
          infoType: InfoType.FILE,
          fileInfoClass: fileNetworkOpenInformation.infoClass,
          outputBufferLength: 56,
          inputBuffer: new Uint8Array(0),
          additionalInformation: 0,
          flags: 0,
          fileId: this.fileId,
        },
        responseCodec: queryInfoResponse,
        signal,
      },
      `stat ${this.path}`,
    );
    return statsOf(fileNetworkOpenInformation.decode(response.body.outputBuffer));
  }

  async close(signal?: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeFile(this.tree, this.fileId, signal);
  }

  async #setInfo(fileInfoClass: number, buffer: Uint8Array, signal?: AbortSignal): Promise<void> {
    await callOnTree(
      this.tree,
      {
        codec: setInfoRequest,
        body: {
          infoType: InfoType.FILE,
          fileInfoClass,
          buffer,
          additionalInformation: 0,
          fileId: this.fileId,
        },
        responseCodec: setInfoResponse,
        signal,
      },
      `set info on ${this.path}`,
    );
  }
}
