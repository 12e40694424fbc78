/** What every connection of a server shares. */

import type { FramePool, GcmOffload } from '@postntlm/smb2-protocol';
import type { ShareBackend } from '../backend/index.js';
import type { ResolvedLimits } from './limits.js';
import type { ShareOptions, SmbServerOptions } from './options.js';
import type { SessionRegistry } from './session-registry.js';

export interface ServerContext {
  readonly options: SmbServerOptions;
  readonly serverGuid: Uint8Array;
  readonly startTime: Date;
  /** `options.limits` with every default filled in. */
  readonly limits: ResolvedLimits;
  /** Every established session of every connection (for PreviousSessionId, §3.3.5.5.3). */
  readonly sessions: SessionRegistry;
  /** Recycled memory for big request frames (every connection's WRITEs). */
  readonly framePool?: FramePool;
  /** The AES-GCM worker (`options.gcmWorker`), for big messages in the pool's shared memory. */
  readonly gcmOffload?: GcmOffload | undefined;
  recordNtlm(peer: string, offered: readonly string[]): void;
  newId(): bigint;
  /**
   * The share's backend, opened on first use and kept until the server closes; undefined
   * for a share without `path`. Rejects when the directory cannot be opened.
   */
  backendFor(share: ShareOptions): Promise<ShareBackend | undefined>;
}
