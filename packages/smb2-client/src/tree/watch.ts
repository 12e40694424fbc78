/**
 * Directory change notification (MS-SMB2 §3.2.4.14 CHANGE_NOTIFY): one request at a time on an
 * open directory; the server answers it (after an interim STATUS_PENDING) when something
 * changes, with FILE_NOTIFY_INFORMATION entries (MS-FSCC §2.7.1), or with
 * STATUS_NOTIFY_ENUM_DIR when too much changed to list. Aborting sends CANCEL and ends the
 * iteration; the directory is closed whichever way it ends.
 */
import {
  AccessMask,
  ChangeNotifyFlags,
  type ChangeNotifyResponse,
  CompletionFilter,
  CreateDisposition,
  CreateOptions,
  changeNotifyRequest,
  changeNotifyResponse,
  FileAction,
  NtStatus,
} from '@postntlm/smb2-protocol';
import type { RequestSpec } from '../connection/connection.js';
import { callOnTree, type TreeContext } from './context.js';
import { closeFile, openPath } from './open.js';

/** What changed: `overflow` means "too much to list, read the directory again". */
export interface FileChange {
  readonly action: 'added' | 'removed' | 'modified' | 'renamed-from' | 'renamed-to' | 'stream' | 'overflow';
  /** Relative to the watched directory ('' for `overflow`). */
  readonly name: string;
}

export interface WatchOptions {
  /** Also changes in subdirectories (SMB2_WATCH_TREE). */
  readonly recursive?: boolean;
  /** CompletionFilter bits; default names, attributes, size and last write. */
  readonly filter?: number;
  /** Ends the iteration (the pending request is cancelled). */
  readonly signal?: AbortSignal;
}

const DEFAULT_FILTER =
  CompletionFilter.FILE_NAME |
  CompletionFilter.DIR_NAME |
  CompletionFilter.ATTRIBUTES |
  CompletionFilter.SIZE |
  CompletionFilter.LAST_WRITE;

const ACTIONS: Readonly<Record<number, FileChange['action']>> = {
  [FileAction.ADDED]: 'added',
  [FileAction.REMOVED]: 'removed',
  [FileAction.MODIFIED]: 'modified',
  [FileAction.RENAMED_OLD_NAME]: 'renamed-from',
  [FileAction.RENAMED_NEW_NAME]: 'renamed-to',
  [FileAction.REMOVED_BY_DELETE]: 'removed',
};

/** Changes under `path`, as they happen, until the signal aborts or the consumer stops. */
export async function* watchDirectory(
  tree: TreeContext,
  path: string,
  options: WatchOptions = {},
): AsyncGenerator<FileChange> {
  const { signal } = options;
  const dir = await openPath(
    tree,
    path,
    {
      desiredAccess:
        AccessMask.FILE_LIST_DIRECTORY | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE,
      disposition: CreateDisposition.OPEN,
      createOptions: CreateOptions.DIRECTORY_FILE,
    },
    signal,
  );
  try {
    for (;;) {
      let response: ChangeNotifyResponse;
      let status: number;
      try {
        const r = await callOnTree<unknown, ChangeNotifyResponse>(
          tree,
          {
            codec: changeNotifyRequest as RequestSpec<unknown>['codec'],
            body: {
              flags: options.recursive === true ? ChangeNotifyFlags.WATCH_TREE : 0,
              outputBufferLength: 65_536,
              fileId: dir.fileId,
              completionFilter: options.filter ?? DEFAULT_FILTER,
            },
            responseCodec: changeNotifyResponse,
            // The answer waits for a change: no response timeout.
            timeoutMs: 0,
            signal,
          },
          `watch ${path}`,
          [NtStatus.SUCCESS, NtStatus.NOTIFY_ENUM_DIR],
        );
        response = r.body;
        status = r.status;
      } catch (e) {
        if (signal?.aborted === true) return;
        throw e;
      }
      if (status === NtStatus.NOTIFY_ENUM_DIR || response.changes.length === 0) {
        yield { action: 'overflow', name: '' };
        continue;
      }
      for (const c of response.changes)
        yield { action: ACTIONS[c.action] ?? 'stream', name: c.fileName.replaceAll('\\', '/') };
    }
  } finally {
    await closeFile(tree, dir.fileId).catch(() => undefined);
  }
}
