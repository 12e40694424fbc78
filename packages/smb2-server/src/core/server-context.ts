/** What every connection of a server shares. */
import type { ShareBackend } from '../backend/index.js';
import type { ShareOptions, SmbServerOptions } from './options.js';

export interface ServerContext {
  readonly options: SmbServerOptions;
  readonly serverGuid: Uint8Array;
  readonly startTime: Date;
  recordNtlm(peer: string, offered: readonly string[]): void;
  newId(): bigint;
  /**
   * The share's backend, opened on first use and kept until the server closes; undefined
   * for a share without `path`. Rejects when the directory cannot be opened.
   */
  backendFor(share: ShareOptions): Promise<ShareBackend | undefined>;
}
