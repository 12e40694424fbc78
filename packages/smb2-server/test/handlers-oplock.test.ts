import type { SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import {
  AccessMask,
  Command,
  CreateDisposition,
  type CreateRequest,
  type CreateResponse,
  FileInformationClass as F,
  type FileId,
  fileEndOfFileInformation,
  fileRenameInformation,
  InfoType,
  LockFlags,
  NtStatus,
  type OplockBreak,
  OplockLevel,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { climbsAboveRoot } from '../src/backend/names.js';
import { DEFAULT_LIMITS } from '../src/core/limits.js';
import { cachingOf, levelOf } from '../src/core/oplock.js';
import type { ShareOptions } from '../src/core/options.js';
import { Session } from '../src/core/session.js';
import { handleClose } from '../src/handlers/close.js';
import { type Answer, fail, type HandlerContext, statusOf } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { handleLock } from '../src/handlers/lock.js';
import { handleOplockBreak } from '../src/handlers/oplock-break.js';
import { handleSetInfo } from '../src/handlers/set-info.js';
import { handleWrite } from '../src/handlers/write.js';
import { createRequestFor } from './support/create-request.js';
import { diskTree, handlerContext, negotiatedAs, temporaryShare } from './support/handler-fixture.js';

const share = temporaryShare('smb2-oplock-');

const negotiated = negotiatedAs({
  clientGuid: new Uint8Array(16).fill(9),
  clientCapabilities: 0x7f,
  serverCapabilities: 4,
});

/** One client: a session with a tree on the share, and the breaks sent to it. */
function client(id: bigint, oplockBreakTimeoutMs = 5_000) {
  const options: ShareOptions = { name: 'share', path: share.dir };
  const breaks: OplockBreak[] = [];
  const ctx = handlerContext({
    tree: diskTree(share.backend, options),
    command: Command.CREATE,
    session: new Session(id, {} as SpnegoAcceptor, undefined),
    negotiated,
    serverOptions: { shares: [options] },
    server: { limits: { ...DEFAULT_LIMITS, oplockBreakTimeoutMs } },
    sendOplockBreak: (open, level) => breaks.push({ fileId: open.fileId, oplockLevel: level }),
  });
  return { ctx, breaks };
}

const createReq = (name: string, over: Partial<CreateRequest> = {}): CreateRequest =>
  createRequestFor(name, { requestedOplockLevel: OplockLevel.BATCH, ...over });

const created = (a: Answer) => {
  expect(a.status).toBe(NtStatus.SUCCESS);
  return a.body as CreateResponse;
};
/** The handler's answer, or the failure the connection would answer for what it threw. */
function answered(run: () => Answer): Answer {
  try {
    return run();
  } catch (e) {
    return fail(Command.OPLOCK_BREAK, statusOf(e));
  }
}
const ack = (c: ReturnType<typeof client>, fileId: FileId, oplockLevel: number) =>
  answered(() => handleOplockBreak(c.ctx, { kind: 'oplock', fileId, oplockLevel }));
const createStatus = (c: ReturnType<typeof client>, name: string, over: Partial<CreateRequest> = {}) =>
  handleCreate(c.ctx, createReq(name, over)).then(
    (a) => a.status,
    (e: unknown) => statusOf(e),
  );
const close = (c: ReturnType<typeof client>, fileId: FileId) => handleClose(c.ctx, { flags: 0, fileId });
/** The final answer of a CREATE that went async. */
function final(a: Answer): Promise<Answer> {
  expect(a.status).toBe(NtStatus.PENDING);
  if (a.async === undefined) throw new Error('not async');
  return a.async.result;
}
/** Lets pending promise chains (a close's backend work) run. */
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('oplock acquisition', () => {
  it('grants BATCH to the only open; a second open waits for the break to LEVEL_II and gets LEVEL_II', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('batch.dat')));
    expect(h1.oplockLevel).toBe(OplockLevel.BATCH);
    const second = await handleCreate(b.ctx, createReq('batch.dat'));
    expect(second.status).toBe(NtStatus.PENDING);
    expect(a.breaks).toEqual([{ fileId: h1.fileId, oplockLevel: OplockLevel.II }]);
    // A second conflicting open waits on the same break: no second notification.
    const third = await handleCreate(b.ctx, createReq('batch.dat'));
    expect(third.status).toBe(NtStatus.PENDING);
    expect(a.breaks).toHaveLength(1);
    const r = ack(a, h1.fileId, OplockLevel.II);
    expect(r.status).toBe(NtStatus.SUCCESS);
    expect((r.body as OplockBreak).oplockLevel).toBe(OplockLevel.II);
    const h2 = created(await final(second));
    expect(h2.oplockLevel).toBe(OplockLevel.II);
    const h3 = created(await final(third));
    expect(h3.oplockLevel).toBe(OplockLevel.II);
    // No break awaits an acknowledgment any more.
    expect(ack(a, h1.fileId, OplockLevel.II).status).toBe(NtStatus.INVALID_OPLOCK_PROTOCOL);
    for (const [c, h] of [
      [a, h1],
      [b, h2],
      [b, h3],
    ] as const)
      await close(c, h.fileId);
  });

  it('breaks a BATCH oplock despite a sharing violation: the holder closing lets the open through', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('sv.dat', { shareAccess: 0 })));
    expect(h1.oplockLevel).toBe(OplockLevel.BATCH);
    const second = await handleCreate(b.ctx, createReq('sv.dat', { shareAccess: 0 }));
    expect(second.status).toBe(NtStatus.PENDING);
    expect(a.breaks.map((x) => x.oplockLevel)).toEqual([OplockLevel.II]);
    await close(a, h1.fileId);
    const h2 = created(await final(second));
    expect(h2.oplockLevel).toBe(OplockLevel.BATCH);
    await close(b, h2.fileId);
  });

  it('a sharing violation with a BATCH holder that acknowledges is STATUS_SHARING_VIOLATION', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('sv2.dat', { shareAccess: 0 })));
    const second = await handleCreate(b.ctx, createReq('sv2.dat', { shareAccess: 0 }));
    ack(a, h1.fileId, OplockLevel.II);
    expect((await final(second)).status).toBe(NtStatus.SHARING_VIOLATION);
    await close(a, h1.fileId);
  });

  it('an EXCLUSIVE holder is not broken by an open that fails its share check', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(
      await handleCreate(
        a.ctx,
        createReq('ex.dat', { shareAccess: 0, requestedOplockLevel: OplockLevel.EXCLUSIVE }),
      ),
    );
    expect(h1.oplockLevel).toBe(OplockLevel.EXCLUSIVE);
    expect(await createStatus(b, 'ex.dat', { shareAccess: 0 })).toBe(NtStatus.SHARING_VIOLATION);
    expect(a.breaks).toEqual([]);
    await close(a, h1.fileId);
  });

  it('a break that is not acknowledged times out: the oplock is gone and the open proceeds', async () => {
    const a = client(1n, 50);
    const b = client(2n, 50);
    const h1 = created(await handleCreate(a.ctx, createReq('timeout.dat')));
    const second = await handleCreate(b.ctx, createReq('timeout.dat'));
    expect(second.status).toBe(NtStatus.PENDING);
    const h2 = created(await final(second));
    expect(h2.oplockLevel).toBe(OplockLevel.II);
    expect(ack(a, h1.fileId, OplockLevel.II).status).toBe(NtStatus.INVALID_OPLOCK_PROTOCOL);
    await close(a, h1.fileId);
    await close(b, h2.fileId);
  });

  it('a CANCEL ends the wait with STATUS_CANCELLED', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('cancel.dat')));
    const second = await handleCreate(b.ctx, createReq('cancel.dat'));
    second.async?.cancel('cancel');
    expect((await final(second)).status).toBe(NtStatus.CANCELLED);
    await close(a, h1.fileId);
  });

  it('a CREATE in the middle of a compound sends its breaks but opens at once, with no oplock', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('compound.dat')));
    const middle: HandlerContext = { ...b.ctx, header: { ...b.ctx.header, nextCommand: 120 } };
    const h2 = created(await handleCreate(middle, createReq('compound.dat')));
    expect(h2.oplockLevel).toBe(OplockLevel.NONE);
    expect(a.breaks.map((x) => x.oplockLevel)).toEqual([OplockLevel.II]);
    expect((ack(a, h1.fileId, OplockLevel.II).body as OplockBreak).oplockLevel).toBe(OplockLevel.II);
    await close(a, h1.fileId);
    await close(b, h2.fileId);
  });

  it('stat opens break nothing and get no oplock beside another open; an overwrite is no stat open', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(await handleCreate(a.ctx, createReq('stat.dat')));
    const stat = { desiredAccess: AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE };
    const s = created(await handleCreate(b.ctx, createReq('stat.dat', stat)));
    expect(s.oplockLevel).toBe(OplockLevel.NONE);
    expect(a.breaks).toEqual([]);
    const over = await handleCreate(
      b.ctx,
      createReq('stat.dat', { ...stat, createDisposition: CreateDisposition.OVERWRITE_IF }),
    );
    expect(over.status).toBe(NtStatus.PENDING);
    expect(a.breaks.map((x) => x.oplockLevel)).toEqual([OplockLevel.NONE]);
    expect((ack(a, h1.fileId, OplockLevel.NONE).body as OplockBreak).oplockLevel).toBe(OplockLevel.NONE);
    const o = created(await final(over));
    expect(o.oplockLevel).toBe(OplockLevel.II);
    for (const [c, h] of [
      [a, h1],
      [b, s],
      [b, o],
    ] as const)
      await close(c, h.fileId);
  });

  it('grants no oplock on a directory, and none when the request asks for a lease', async () => {
    const a = client(1n);
    const d = created(
      await handleCreate(
        a.ctx,
        createReq('dir', {
          createOptions: 1,
          desiredAccess: AccessMask.FILE_READ_ATTRIBUTES | AccessMask.FILE_LIST_DIRECTORY,
        }),
      ),
    );
    expect(d.oplockLevel).toBe(OplockLevel.NONE);
    const l = created(
      await handleCreate(a.ctx, createReq('lease.dat', { requestedOplockLevel: OplockLevel.LEASE })),
    );
    expect(l.oplockLevel).toBe(OplockLevel.NONE);
    await close(a, d.fileId);
    await close(a, l.fileId);
  });
});

describe('LEVEL_II breaks', () => {
  it('a write breaks every LEVEL_II oplock of the file to NONE, the writer its own too, with no acknowledgment', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(
      await handleCreate(a.ctx, createReq('w.dat', { requestedOplockLevel: OplockLevel.II })),
    );
    const h2 = created(
      await handleCreate(b.ctx, createReq('w.dat', { requestedOplockLevel: OplockLevel.II })),
    );
    expect([h1.oplockLevel, h2.oplockLevel]).toEqual([OplockLevel.II, OplockLevel.II]);
    await handleWrite(b.ctx, {
      offset: 0n,
      fileId: h2.fileId,
      data: new Uint8Array([1]),
      channel: 0,
      remainingBytes: 0,
      flags: 0,
    });
    expect(a.breaks).toEqual([{ fileId: h1.fileId, oplockLevel: OplockLevel.NONE }]);
    expect(b.breaks).toEqual([{ fileId: h2.fileId, oplockLevel: OplockLevel.NONE }]);
    // A break from LEVEL_II is not acknowledged (smbtorture smb2.oplock.levelii500).
    expect(ack(a, h1.fileId, OplockLevel.NONE).status).toBe(NtStatus.INVALID_OPLOCK_PROTOCOL);
    await close(a, h1.fileId);
    await close(b, h2.fileId);
  });

  it('a byte-range lock and a size change break LEVEL_II; the holder of BATCH keeps it', async () => {
    const a = client(1n);
    const h1 = created(await handleCreate(a.ctx, createReq('l.dat')));
    expect(h1.oplockLevel).toBe(OplockLevel.BATCH);
    const lock = {
      lockSequenceNumber: 0,
      lockSequenceIndex: 0,
      fileId: h1.fileId,
      locks: [{ offset: 0n, length: 1n, flags: LockFlags.EXCLUSIVE_LOCK | LockFlags.FAIL_IMMEDIATELY }],
    };
    expect((await handleLock(a.ctx, lock)).status).toBe(NtStatus.SUCCESS);
    expect(a.breaks).toEqual([]);
    await close(a, h1.fileId);
    const x = created(
      await handleCreate(a.ctx, createReq('l.dat', { requestedOplockLevel: OplockLevel.II })),
    );
    const eof = fileEndOfFileInformation.encode({ endOfFile: 10n });
    const r = await handleSetInfo(a.ctx, {
      infoType: InfoType.FILE,
      fileInfoClass: F.FileEndOfFileInformation,
      additionalInformation: 0,
      fileId: x.fileId,
      buffer: eof,
    });
    expect(r.status).toBe(NtStatus.SUCCESS);
    expect(a.breaks).toEqual([{ fileId: x.fileId, oplockLevel: OplockLevel.NONE }]);
    await close(a, x.fileId);
  });
});

describe('OPLOCK_BREAK acknowledgment errors', () => {
  it('no such open, a lease acknowledgment, a level other than NONE or LEVEL_II', async () => {
    const a = client(1n);
    const b = client(2n);
    expect(ack(a, { persistent: 5n, volatile: 5n }, OplockLevel.NONE).status).toBe(NtStatus.FILE_CLOSED);
    const lease = handleOplockBreak(a.ctx, {
      kind: 'lease',
      flags: 0,
      leaseKey: new Uint8Array(16),
      leaseState: 0,
      leaseDuration: 0n,
    });
    expect(lease.status).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
    const h1 = created(await handleCreate(a.ctx, createReq('ack.dat')));
    const second = await handleCreate(b.ctx, createReq('ack.dat'));
    expect(ack(a, h1.fileId, OplockLevel.BATCH).status).toBe(NtStatus.INVALID_PARAMETER);
    await close(a, h1.fileId);
    await settle();
    created(await final(second));
  });
});

describe('names above the root', () => {
  it('CREATE of ..\\..\\.. is STATUS_OBJECT_PATH_SYNTAX_BAD; other dot names stay OBJECT_NAME_INVALID', async () => {
    const a = client(1n);
    expect(await createStatus(a, '..\\..\\..')).toBe(NtStatus.OBJECT_PATH_SYNTAX_BAD);
    expect(await createStatus(a, 'a\\..\\..\\x')).toBe(NtStatus.OBJECT_PATH_SYNTAX_BAD);
    expect(await createStatus(a, 'a\\..\\x')).toBe(NtStatus.OBJECT_NAME_INVALID);
    expect(await createStatus(a, '.')).toBe(NtStatus.OBJECT_NAME_INVALID);
    expect(climbsAboveRoot('..')).toBe(true);
    expect(climbsAboveRoot('a\\..')).toBe(false);
    expect(climbsAboveRoot('a\\.\\..\\..')).toBe(true);
  });
});

describe('oplock levels', () => {
  it('map to caching bits and back (RH is only LEVEL_II)', () => {
    expect(
      [OplockLevel.NONE, OplockLevel.II, OplockLevel.EXCLUSIVE, OplockLevel.BATCH].map(cachingOf),
    ).toEqual([0, 1, 5, 7]);
    expect([0, 1, 3, 5, 7].map(levelOf)).toEqual([
      OplockLevel.NONE,
      OplockLevel.II,
      OplockLevel.II,
      OplockLevel.EXCLUSIVE,
      OplockLevel.BATCH,
    ]);
    expect(cachingOf(OplockLevel.LEASE)).toBe(0);
  });

  it('a renamed file is found at its new path', async () => {
    const a = client(1n);
    const b = client(2n);
    const h1 = created(
      await handleCreate(
        a.ctx,
        createReq('old-name.dat', {
          desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.DELETE,
        }),
      ),
    );
    const rename = fileRenameInformation.encode({
      replaceIfExists: false,
      rootDirectory: 0n,
      fileName: 'new-name.dat',
    });
    const r = await handleSetInfo(a.ctx, {
      infoType: InfoType.FILE,
      fileInfoClass: F.FileRenameInformation,
      additionalInformation: 0,
      fileId: h1.fileId,
      buffer: rename,
    });
    expect(r.status).toBe(NtStatus.SUCCESS);
    const second = await handleCreate(b.ctx, createReq('new-name.dat'));
    expect(second.status).toBe(NtStatus.PENDING);
    ack(a, h1.fileId, OplockLevel.II);
    const h2 = created(await final(second));
    await close(a, h1.fileId);
    await close(b, h2.fileId);
  });
});
