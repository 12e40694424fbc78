/**
 * CHANGE_NOTIFY (MS-SMB2 §3.3.5.19) in process over a `LocalDirectoryBackend`: a request pends
 * until a change, changes between requests are queued on the open, the first request's buffer
 * bounds the watch (NOTIFY_ENUM_DIR beyond), and a waiting request ends with CANCELLED
 * (CANCEL), NOTIFY_CLEANUP (close, teardown) or DELETE_PENDING (the directory is deleted).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AccessMask,
  ChangeNotifyFlags,
  type ChangeNotifyResponse,
  Command,
  CompletionFilter,
  CreateOptions,
  type CreateResponse,
  FileAction,
  type FileId,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleChangeNotify, MAX_QUEUED_CHANGES } from '../src/handlers/change-notify.js';
import { handleClose } from '../src/handlers/close.js';
import type { Answer, HandlerContext } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { createRequestFor } from './support/create-request.js';
import { diskTree, handlerContext, temporaryShare } from './support/handler-fixture.js';

const NAME = CompletionFilter.FILE_NAME | CompletionFilter.DIR_NAME;

const share = temporaryShare('smb2-notify-');
let ctx: HandlerContext;

beforeAll(() => {
  ctx = handlerContext({
    tree: diskTree(share.backend, undefined, { share: 's' }),
    command: Command.CHANGE_NOTIFY,
    serverOptions: { maxIoSize: 65536 },
  });
});

async function create(
  name: string,
  opts: { directory?: boolean; deleteOnClose?: boolean } = {},
): Promise<FileId> {
  const a = await handleCreate(
    ctx,
    createRequestFor(name, {
      desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.DELETE,
      createOptions:
        (opts.directory ? CreateOptions.DIRECTORY_FILE : 0) |
        (opts.deleteOnClose ? CreateOptions.DELETE_ON_CLOSE : 0),
    }),
  );
  expect(a.status).toBe(NtStatus.SUCCESS);
  return (a.body as CreateResponse).fileId;
}

const close = (fileId: FileId) => handleClose(ctx, { flags: 0, fileId });
const notify = (fileId: FileId, outputBufferLength = 4096, recursive = false, completionFilter = NAME) =>
  handleChangeNotify(ctx, {
    flags: recursive ? ChangeNotifyFlags.WATCH_TREE : 0,
    outputBufferLength,
    fileId,
    completionFilter,
  });
const changes = (a: Answer | undefined) => (a?.body as ChangeNotifyResponse | undefined)?.changes;

describe('CHANGE_NOTIFY', () => {
  it('refuses files and buffers above MaxTransactSize', async () => {
    await mkdir(join(share.dir, 'refuse'));
    const f = await create('refuse\\f.txt');
    await expect(notify(f)).rejects.toMatchObject({ status: NtStatus.INVALID_PARAMETER });
    const d = await create('refuse', { directory: true });
    await expect(notify(d, 65537)).rejects.toMatchObject({ status: NtStatus.INVALID_PARAMETER });
    await close(f);
    await close(d);
  });

  it('pends until a change; changes between requests are queued and answered at once', async () => {
    await mkdir(join(share.dir, 'w'));
    const d = await create('w', { directory: true });
    const first = await notify(d);
    expect(first.status).toBe(NtStatus.PENDING);
    await close(await create('w\\a.txt'));
    const done = await first.async?.result;
    expect(done?.status).toBe(NtStatus.SUCCESS);
    expect(changes(done)).toEqual([{ action: FileAction.ADDED, fileName: 'a.txt' }]);
    // No request waiting: both changes queue up for the next one.
    await close(await create('w\\b.txt'));
    await close(await create('w\\sub', { directory: true }));
    const queued = await notify(d);
    expect(queued.status).toBe(NtStatus.SUCCESS);
    expect(changes(queued)?.map((c) => c.fileName)).toEqual(['b.txt', 'sub']);
    // Not recursive: a change below a subdirectory is not reported.
    const waiting = await notify(d);
    await close(await create('w\\sub\\deep.txt'));
    await close(await create('w\\c.txt'));
    expect(changes(await waiting.async?.result)).toEqual([{ action: FileAction.ADDED, fileName: 'c.txt' }]);
    await close(d);
  });

  it('WATCH_TREE reports changes below, with their relative path', async () => {
    await mkdir(join(share.dir, 'tree', 'sub'), { recursive: true });
    const d = await create('tree', { directory: true });
    const waiting = await notify(d, 4096, true);
    await close(await create('tree\\sub\\x.txt'));
    expect(changes(await waiting.async?.result)).toEqual([
      { action: FileAction.ADDED, fileName: 'sub\\x.txt' },
    ]);
    await close(d);
  });

  it('answers NOTIFY_ENUM_DIR when the changes do not fit, the first buffer bounding later ones', async () => {
    await mkdir(join(share.dir, 'small'));
    const d = await create('small', { directory: true });
    const tiny = await notify(d, 1);
    await close(await create('small\\a.txt'));
    expect((await tiny.async?.result)?.status).toBe(NtStatus.NOTIFY_ENUM_DIR);
    await close(await create('small\\b.txt'));
    // A larger buffer now does not help: the watch keeps the first request's.
    expect((await notify(d, 4096)).status).toBe(NtStatus.NOTIFY_ENUM_DIR);
    await close(d);
  });

  it('too many queued changes overflow to NOTIFY_ENUM_DIR', async () => {
    await mkdir(join(share.dir, 'many'));
    const d = await create('many', { directory: true });
    const w = await notify(d, 65536);
    await close(await create('many\\first.txt'));
    expect((await w.async?.result)?.status).toBe(NtStatus.SUCCESS);
    for (let i = 0; i <= MAX_QUEUED_CHANGES; i++) await close(await create(`many\\g${i}`));
    expect((await notify(d, 65536)).status).toBe(NtStatus.NOTIFY_ENUM_DIR);
    // The queue starts over afterwards.
    const next = await notify(d, 65536);
    expect(next.status).toBe(NtStatus.PENDING);
    next.async?.cancel();
    await close(d);
  }, 30_000);

  it('ends with CANCELLED, NOTIFY_CLEANUP on teardown and close, DELETE_PENDING on deletion', async () => {
    await mkdir(join(share.dir, 'end'));
    const d = await create('end', { directory: true });
    const cancelled = await notify(d);
    cancelled.async?.cancel();
    cancelled.async?.cancel('teardown');
    expect((await cancelled.async?.result)?.status).toBe(NtStatus.CANCELLED);
    const torn = await notify(d);
    torn.async?.cancel('teardown');
    expect((await torn.async?.result)?.status).toBe(NtStatus.NOTIFY_CLEANUP);
    const two = [await notify(d), await notify(d)];
    await close(d);
    for (const a of two) expect((await a.async?.result)?.status).toBe(NtStatus.NOTIFY_CLEANUP);

    const watched = await create('end', { directory: true });
    const deleted = await notify(watched);
    // Another open deletes the directory: it is delete-pending while `watched` stays open.
    await close(await create('end', { directory: true, deleteOnClose: true }));
    expect((await deleted.async?.result)?.status).toBe(NtStatus.DELETE_PENDING);
    await close(watched);
  });
});
