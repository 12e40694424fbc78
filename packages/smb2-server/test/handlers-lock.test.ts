import {
  Command,
  type CreateResponse,
  type FileId,
  type LockElement,
  LockFlags,
  NtStatus,
} from '@postntlm/smb2-protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleClose } from '../src/handlers/close.js';
import type { Answer, HandlerContext } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { handleLock } from '../src/handlers/lock.js';
import { createRequestFor } from './support/create-request.js';
import { diskTree, handlerContext, temporaryShare } from './support/handler-fixture.js';

const { SHARED_LOCK: S, EXCLUSIVE_LOCK: X, UNLOCK: U, FAIL_IMMEDIATELY: F } = LockFlags;
const STATUS_INVALID_LOCK_RANGE = 0xc00001a1;

const share = temporaryShare('smb2-lock-');
let ctx: HandlerContext;

beforeAll(() => {
  ctx = handlerContext({ tree: diskTree(share.backend, undefined, { share: 's' }), command: Command.LOCK });
});

async function open(name: string): Promise<FileId> {
  const a = await handleCreate(ctx, createRequestFor(name));
  return (a.body as CreateResponse).fileId;
}

const el = (offset: bigint, length: bigint, flags: number): LockElement => ({ offset, length, flags });
const lock = (fileId: FileId, ...locks: LockElement[]): Promise<Answer> =>
  handleLock(ctx, { lockSequenceNumber: 0, lockSequenceIndex: 0, fileId, locks }).catch(
    (e: { status: number }) => ({
      status: e.status,
      codec: undefined as never,
      body: undefined,
    }),
  );
const status = async (p: Promise<Answer>) => (await p).status;
const close = (fileId: FileId) => handleClose(ctx, { flags: 0, fileId });

describe('LOCK validation (§3.3.5.14.1, smbtorture smb2.lock.valid-request / multiple-unlock)', () => {
  it('rejects bad flag combinations before taking anything', async () => {
    const h = await open('valid.bin');
    expect(await status(lock(h))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, 0)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, 0xfffffff0)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, U | X)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, U | F)))).toBe(NtStatus.INVALID_PARAMETER);
    // Several elements must all FAIL_IMMEDIATELY; a lock request carries no UNLOCK.
    expect(await status(lock(h, el(0n, 1n, S | F), el(5n, 1n, S)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, X), el(5n, 1n, X | F)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, el(0n, 1n, X | F), el(5n, 1n, U)))).toBe(NtStatus.INVALID_PARAMETER);
    // Nothing was taken by the refused requests.
    expect(await status(lock(h, el(0n, 1n, U)))).toBe(NtStatus.RANGE_NOT_LOCKED);
    expect(await status(lock(h, el(0xffffffffffffffffn, 2n, X | F)))).toBe(STATUS_INVALID_LOCK_RANGE);
    await close(h);
  });

  it('unlocks in order and stops at the first failure', async () => {
    const h = await open('unlock.bin');
    const first = el(0n, 10n, X | F);
    const second = el(10n, 10n, X | F);
    expect(await status(lock(h, second))).toBe(NtStatus.SUCCESS);
    // First not held: RANGE_NOT_LOCKED, the second stays locked.
    expect(await status(lock(h, el(0n, 10n, U), el(10n, 10n, U)))).toBe(NtStatus.RANGE_NOT_LOCKED);
    expect(await status(lock(h, second))).toBe(NtStatus.LOCK_NOT_GRANTED);
    // UNLOCK then a lock element: the unlock is done, then INVALID_PARAMETER.
    expect(await status(lock(h, el(10n, 10n, U), el(0n, 10n, X | F)))).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status(lock(h, second))).toBe(NtStatus.SUCCESS);
    // Two locks, the second contends: neither is held afterwards.
    expect(await status(lock(h, first, second))).toBe(NtStatus.LOCK_NOT_GRANTED);
    expect(await status(lock(h, first))).toBe(NtStatus.SUCCESS);
    expect(await status(lock(h, el(0n, 10n, U), el(10n, 10n, U)))).toBe(NtStatus.SUCCESS);
    await close(h);
  });

  it('a stacked exclusive lock is unlocked before the shared one (smb2.lock.unlock)', async () => {
    const h = await open('stack.bin');
    const h2 = await open('stack.bin');
    expect(await status(lock(h, el(10n, 10n, X | F)))).toBe(NtStatus.SUCCESS);
    expect(await status(lock(h, el(10n, 10n, S | F)))).toBe(NtStatus.SUCCESS);
    expect(await status(lock(h2, el(5n, 10n, S | F)))).toBe(NtStatus.LOCK_NOT_GRANTED);
    expect(await status(lock(h, el(10n, 10n, U)))).toBe(NtStatus.SUCCESS);
    expect(await status(lock(h2, el(5n, 10n, S | F)))).toBe(NtStatus.SUCCESS);
    await close(h2);
    await close(h);
  });
});

describe('zero-length locks (smb2.lock.zerobytelength, errorcode)', () => {
  it('contend only with a range that holds their offset strictly inside', async () => {
    const h = await open('zero.bin');
    const h2 = await open('zero.bin');
    const cases: [LockElement, LockElement, number][] = [
      [el(10n, 0n, X | F), el(10n, 0n, X | F), NtStatus.SUCCESS],
      [el(10n, 0n, X | F), el(9n, 1n, X | F), NtStatus.SUCCESS],
      [el(10n, 0n, X | F), el(10n, 1n, X | F), NtStatus.SUCCESS],
      [el(10n, 0n, X | F), el(9n, 2n, X | F), NtStatus.LOCK_NOT_GRANTED],
      [el(9n, 3n, X | F), el(10n, 0n, X | F), NtStatus.LOCK_NOT_GRANTED],
      [el(100n, 10n, X | F), el(102n, 0n, X | F), NtStatus.LOCK_NOT_GRANTED],
    ];
    for (const owners of [
      [h, h],
      [h, h2],
    ] as const) {
      for (const [a, b, expected] of cases) {
        expect(await status(lock(owners[0], a))).toBe(NtStatus.SUCCESS);
        expect(await status(lock(owners[1], b))).toBe(expected);
        if (expected === NtStatus.SUCCESS) await lock(owners[1], el(b.offset, b.length, U));
        expect(await status(lock(owners[0], el(a.offset, a.length, U)))).toBe(NtStatus.SUCCESS);
      }
    }
    await close(h2);
    await close(h);
  });
});

describe('blocking locks go async (§3.3.4.2; smb2.lock.async, cancel)', () => {
  it('a free range is granted at once, a conflicting one pends until the unlock', async () => {
    const h = await open('async.bin');
    const h2 = await open('async.bin');
    expect(await status(lock(h, el(100n, 50n, X)))).toBe(NtStatus.SUCCESS);
    const waiting = await lock(h2, el(100n, 50n, X));
    expect(waiting.status).toBe(NtStatus.PENDING);
    let settled = false;
    void waiting.async?.result.then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    // The pending lock is not held: its handle cannot unlock it.
    expect(await status(lock(h2, el(100n, 50n, U)))).toBe(NtStatus.RANGE_NOT_LOCKED);
    expect(await status(lock(h, el(100n, 50n, U)))).toBe(NtStatus.SUCCESS);
    expect((await waiting.async?.result)?.status).toBe(NtStatus.SUCCESS);
    expect(await status(lock(h, el(100n, 50n, S | F)))).toBe(NtStatus.LOCK_NOT_GRANTED);
    await close(h2);
    await close(h);
  });

  it('CANCEL ends it with STATUS_CANCELLED; a teardown or closing its handle with RANGE_NOT_LOCKED', async () => {
    const h = await open('cancel.bin');
    const h2 = await open('cancel.bin');
    expect(await status(lock(h, el(0n, 10n, X)))).toBe(NtStatus.SUCCESS);
    const cancelled = await lock(h2, el(0n, 10n, X));
    cancelled.async?.cancel();
    cancelled.async?.cancel();
    expect((await cancelled.async?.result)?.status).toBe(NtStatus.CANCELLED);
    // Its session or tree ending stops it as a close does.
    const torn = await lock(h2, el(0n, 10n, X));
    torn.async?.cancel('teardown');
    expect((await torn.async?.result)?.status).toBe(NtStatus.RANGE_NOT_LOCKED);
    const closed = await lock(h2, el(0n, 10n, S));
    expect(closed.status).toBe(NtStatus.PENDING);
    await close(h2);
    expect((await closed.async?.result)?.status).toBe(NtStatus.RANGE_NOT_LOCKED);
    // Neither left anything behind: the range is h's alone, and free after its unlock.
    expect(await status(lock(h, el(0n, 10n, U)))).toBe(NtStatus.SUCCESS);
    const h3 = await open('cancel.bin');
    expect(await status(lock(h3, el(0n, 10n, X | F)))).toBe(NtStatus.SUCCESS);
    await close(h3);
    await close(h);
  });
});
