/**
 * The file-command handlers in process, over a `LocalDirectoryBackend` in a temporary
 * directory, with a hand-made session and tree: CREATE (contexts, read-only shares), READ
 * limits and END_OF_FILE, QUERY_DIRECTORY buffer handling and scan state, QUERY_INFO buffer
 * rules and the security descriptor, SET_INFO, LOCK, IOCTL and related-compound FileIds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AccessMask,
  ANY_FILE_ID,
  Command,
  CreateAction,
  CreateDisposition,
  CreateOptions,
  type CreateRequest,
  type CreateResponse,
  Dialect,
  decodeDirectoryEntries,
  decodeSecurityDescriptor,
  FileInformationClass as F,
  type FileId,
  FsInformationClass as FS,
  Fsctl,
  fileAllInformation,
  fileFsAttributeInformation,
  fileRenameInformation,
  fileStandardInformation,
  InfoType,
  IoctlFlags,
  LockFlags,
  NtStatus,
  QueryDirectoryFlags,
  type QueryInfoResponse,
  SecurityInformation,
  validateNegotiateInfoRequest,
  validateNegotiateInfoResponse,
} from '@postntlm/smb2-protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ShareOptions } from '../src/core/options.js';
import { handleClose } from '../src/handlers/close.js';
import { type Answer, type HandlerContext, lookupOpen } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { handleIoctl } from '../src/handlers/ioctl.js';
import { handleLock } from '../src/handlers/lock.js';
import { handleQueryDirectory } from '../src/handlers/query-directory.js';
import { handleQueryInfo } from '../src/handlers/query-info.js';
import { handleRead } from '../src/handlers/read.js';
import { handleSetInfo } from '../src/handlers/set-info.js';
import { handleWrite } from '../src/handlers/write.js';
import { createRequestFor } from './support/create-request.js';
import {
  diskTree,
  FULL_ACCESS,
  handlerContext,
  negotiatedAs,
  temporaryShare,
} from './support/handler-fixture.js';

const share = temporaryShare('smb2-handlers-');
const serverGuid = new Uint8Array(16).fill(7);
const clientGuid = new Uint8Array(16).fill(9);

const negotiated = negotiatedAs({
  clientGuid,
  clientCapabilities: 0x7f,
  clientDialects: [0x202, 0x210, 0x300],
  serverCapabilities: 4,
});

function context(opts: { readOnly?: boolean; creditCharge?: number; related?: FileId } = {}) {
  const options: ShareOptions = {
    name: 'share',
    path: share.dir,
    ...(opts.readOnly ? { readOnly: true } : {}),
  };
  let disconnected = false;
  const ctx = handlerContext({
    tree: diskTree(share.backend, options, { maximalAccess: opts.readOnly ? 0x001200a9 : FULL_ACCESS }),
    command: Command.READ,
    negotiated,
    header: { creditCharge: opts.creditCharge ?? 1 },
    serverOptions: { shares: [options] },
    server: { serverGuid },
    relatedFileId: opts.related,
    disconnect: () => {
      disconnected = true;
    },
  });
  return {
    ...ctx,
    get disconnected() {
      return disconnected;
    },
  };
}

const createReq = (name: string, over: Partial<CreateRequest> = {}): CreateRequest =>
  createRequestFor(name, {
    desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.DELETE,
    ...over,
  });

const body = <T>(a: Answer) => a.body as T;

beforeAll(async () => {
  for (const n of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(share.dir, n), `content of ${n}`);
});

describe('CREATE', () => {
  it('creates, answers MxAc and QFid, grants no oplock', async () => {
    const ctx = context();
    const a = await handleCreate(
      ctx,
      createReq('new.dat', { createContexts: [{ tag: 'MxAc' }, { tag: 'QFid' }], requestedOplockLevel: 9 }),
    );
    expect(a.status).toBe(NtStatus.SUCCESS);
    const r = body<CreateResponse>(a);
    expect(r.createAction).toBe(CreateAction.CREATED);
    expect(r.oplockLevel).toBe(0);
    expect(r.createContexts.map((c) => c.tag)).toEqual(['MxAc', 'QFid']);
    expect(r.createContexts[0]).toMatchObject({ queryStatus: 0, maximalAccess: 0x001f01ff });
    const close = await handleClose(ctx, { flags: 1, fileId: r.fileId });
    expect(close.status).toBe(NtStatus.SUCCESS);
    expect(ctx.session.opens.size).toBe(0);
    // A closed FileId is FILE_CLOSED.
    await expect(handleClose(ctx, { flags: 0, fileId: r.fileId })).rejects.toMatchObject({
      status: NtStatus.FILE_CLOSED,
    });
  });

  it('a read-only share refuses write access and creation', async () => {
    const ctx = context({ readOnly: true });
    expect((await handleCreate(ctx, createReq('a.txt'))).status).toBe(NtStatus.ACCESS_DENIED);
    const ro = { desiredAccess: AccessMask.GENERIC_READ, createDisposition: CreateDisposition.OPEN_IF };
    expect((await handleCreate(ctx, createReq('missing.txt', ro))).status).toBe(NtStatus.ACCESS_DENIED);
    const a = await handleCreate(ctx, createReq('a.txt', ro));
    expect(a.status).toBe(NtStatus.SUCCESS);
    const m = await handleCreate(ctx, createReq('a.txt', { desiredAccess: AccessMask.MAXIMUM_ALLOWED }));
    expect(m.status).toBe(NtStatus.SUCCESS);
    expect(ctx.session.opens.get(body<CreateResponse>(m).fileId, 1)?.grantedAccess).toBe(0x001200a9);
    await ctx.session.opens.closeAll();
  });

  it('maps backend errors to their NTSTATUS', async () => {
    const ctx = context();
    await expect(
      handleCreate(ctx, createReq('nope.txt', { createDisposition: CreateDisposition.OPEN })),
    ).rejects.toMatchObject({ status: NtStatus.OBJECT_NAME_NOT_FOUND });
  });
});

describe('READ, WRITE', () => {
  it('reads within the credit charge; END_OF_FILE at the end; related FileId', async () => {
    const ctx = context();
    const { fileId } = body<CreateResponse>(await handleCreate(ctx, createReq('rw.bin')));
    await expect(
      handleWrite(ctx, {
        offset: 0n,
        fileId,
        channel: 0,
        remainingBytes: 0,
        flags: 0,
        data: new Uint8Array(70_000),
      } as never),
    ).rejects.toMatchObject({ status: NtStatus.INVALID_PARAMETER });
    const w = await handleWrite({ ...ctx, header: { ...ctx.header, creditCharge: 2 } }, {
      offset: 0n,
      fileId,
      channel: 0,
      remainingBytes: 0,
      flags: 0,
      data: new Uint8Array(100_000).fill(5),
    } as never);
    expect(w.status).toBe(NtStatus.SUCCESS);
    const read = (c: HandlerContext, length: number, offset = 0n, id = fileId) =>
      handleRead(c, {
        padding: 0,
        flags: 0,
        length,
        offset,
        fileId: id,
        minimumCount: 0,
        channel: 0,
        remainingBytes: 0,
      });
    // 100 000 bytes need 2 credits.
    await expect(read(ctx, 100_000)).rejects.toMatchObject({ status: NtStatus.INVALID_PARAMETER });
    const ok2 = await read(context({ creditCharge: 2 }), 100_000).catch((e) => e);
    // A different session's context does not know the FileId.
    expect(ok2.status).toBe(NtStatus.FILE_CLOSED);
    const related = Object.assign(Object.create(null), ctx, {
      relatedFileId: fileId,
      header: { ...ctx.header, creditCharge: 2 },
    });
    const r = await read(related, 100_000, 0n, ANY_FILE_ID);
    expect((r.body as { data: Uint8Array }).data.length).toBe(100_000);
    await expect(read(ctx, 10, 100_000n)).rejects.toMatchObject({ status: NtStatus.END_OF_FILE });
    expect(lookupOpen(related, ANY_FILE_ID).fileId).toEqual(fileId);
    await handleClose(ctx, { flags: 0, fileId });
  });
});

describe('QUERY_DIRECTORY', () => {
  const qd = (ctx: HandlerContext, fileId: FileId, over: Record<string, unknown> = {}) =>
    handleQueryDirectory(ctx, {
      fileInformationClass: F.FileNamesInformation,
      flags: 0,
      fileIndex: 0,
      fileId,
      fileName: '*.txt',
      outputBufferLength: 65536,
      ...over,
    });

  it('single entries, small buffers, the first pattern, restart, NO_MORE_FILES, NO_SUCH_FILE', async () => {
    const ctx = context();
    const { fileId } = body<CreateResponse>(
      await handleCreate(
        ctx,
        createReq('', {
          desiredAccess: AccessMask.GENERIC_READ,
          createDisposition: CreateDisposition.OPEN,
          createOptions: CreateOptions.DIRECTORY_FILE,
        }),
      ),
    );
    const names = (a: Answer) =>
      decodeDirectoryEntries(
        F.FileNamesInformation,
        (a.body as { outputBuffer: Uint8Array }).outputBuffer,
      ).map((e) => e.fileName);
    const first = await qd(ctx, fileId, { flags: QueryDirectoryFlags.RETURN_SINGLE_ENTRY });
    expect(names(first)).toEqual(['a.txt']);
    // Too small for the fixed part; then too small for the next entry: it stays for later.
    expect((await qd(ctx, fileId, { outputBufferLength: 4 })).status).toBe(NtStatus.INFO_LENGTH_MISMATCH);
    expect((await qd(ctx, fileId, { outputBufferLength: 14 })).status).toBe(NtStatus.BUFFER_OVERFLOW);
    // The pattern of later requests is ignored until a restart.
    expect(names(await qd(ctx, fileId, { fileName: 'zzz' }))).toEqual(['b.txt', 'c.txt']);
    await expect(qd(ctx, fileId)).rejects.toMatchObject({ status: NtStatus.NO_MORE_FILES });
    const all = await qd(ctx, fileId, { flags: QueryDirectoryFlags.RESTART_SCANS, fileName: '*' });
    expect(names(all)).toEqual(expect.arrayContaining(['.', '..', 'a.txt', 'b.txt', 'c.txt']));
    await expect(
      qd(ctx, fileId, { flags: QueryDirectoryFlags.RESTART_SCANS, fileName: 'x*' }),
    ).rejects.toMatchObject({ status: NtStatus.NO_SUCH_FILE });
    expect((await qd(ctx, fileId, { fileInformationClass: F.FileBasicInformation })).status).toBe(
      NtStatus.INVALID_INFO_CLASS,
    );
    for (const c of [1, 2, 3, 37, 38]) {
      const a = await qd(ctx, fileId, { fileInformationClass: c, flags: QueryDirectoryFlags.RESTART_SCANS });
      expect(a.status, `class ${c}`).toBe(NtStatus.SUCCESS);
    }
    await handleClose(ctx, { flags: 0, fileId });
  });
});

describe('QUERY_INFO, SET_INFO', () => {
  it('classes, buffer rules, security descriptor, rename and delete', async () => {
    const ctx = context();
    const { fileId } = body<CreateResponse>(await handleCreate(ctx, createReq('info.txt')));
    const qi = (
      infoType: number,
      fileInfoClass: number,
      outputBufferLength = 65536,
      additionalInformation = 0,
    ) =>
      handleQueryInfo(ctx, {
        infoType,
        fileInfoClass,
        outputBufferLength,
        inputBuffer: new Uint8Array(0),
        additionalInformation,
        flags: 0,
        fileId,
      });
    const out = (a: Answer) => (a.body as QueryInfoResponse).outputBuffer;
    const all = fileAllInformation.decode(out(await qi(InfoType.FILE, F.FileAllInformation)));
    expect(all.name.fileName).toBe('\\info.txt');
    expect(all.standard.directory).toBe(false);
    for (const c of [4, 5, 6, 7, 8, 14, 16, 17, 34, 35, 22])
      expect((await qi(InfoType.FILE, c)).status, `class ${c}`).toBe(NtStatus.SUCCESS);
    for (const c of [1, 3, 4, 5, 7, 11])
      expect((await qi(InfoType.FILESYSTEM, c)).status, `fs class ${c}`).toBe(NtStatus.SUCCESS);
    expect(
      fileFsAttributeInformation.decode(out(await qi(InfoType.FILESYSTEM, FS.FileFsAttributeInformation)))
        .fileSystemName,
    ).toBe('NTFS');
    // Variable classes truncate with BUFFER_OVERFLOW down to their structure size (104 for
    // FileAllInformation, as Windows and smbtorture's qfile_buffercheck have it); below it, and
    // for fixed classes, INFO_LENGTH_MISMATCH.
    const short = await qi(InfoType.FILE, F.FileAllInformation, 104);
    expect(short.status).toBe(NtStatus.BUFFER_OVERFLOW);
    expect(out(short).length).toBe(104);
    expect((await qi(InfoType.FILE, F.FileAllInformation, 103)).status).toBe(NtStatus.INFO_LENGTH_MISMATCH);
    expect((await qi(InfoType.FILE, F.FileStandardInformation, 8)).status).toBe(
      NtStatus.INFO_LENGTH_MISMATCH,
    );
    expect((await qi(InfoType.FILE, 0x63)).status).toBe(NtStatus.INVALID_INFO_CLASS);
    // Security: owner, group, DACL with Everyone; too small a buffer says how much is needed.
    const sel = SecurityInformation.OWNER | SecurityInformation.GROUP | SecurityInformation.DACL;
    const sd = decodeSecurityDescriptor(out(await qi(InfoType.SECURITY, 0, 4096, sel)));
    expect(sd.owner).toMatch(/^S-1-5-21-/);
    expect(sd.dacl?.aces).toEqual([{ type: 0, flags: 0, mask: 0x001f01ff, sid: 'S-1-1-0' }]);
    const tooSmall = await qi(InfoType.SECURITY, 0, 8, sel);
    expect(tooSmall.status).toBe(NtStatus.BUFFER_TOO_SMALL);
    expect((tooSmall.body as { errorData: Uint8Array }).errorData.length).toBe(4);

    const si = (fileInfoClass: number, buffer: Uint8Array) =>
      handleSetInfo(ctx, {
        infoType: InfoType.FILE,
        fileInfoClass,
        buffer,
        additionalInformation: 0,
        fileId,
      });
    expect(
      (
        await si(
          F.FileRenameInformation,
          fileRenameInformation.encode({
            replaceIfExists: false,
            rootDirectory: 0n,
            fileName: 'renamed.txt',
          }),
        )
      ).status,
    ).toBe(NtStatus.SUCCESS);
    expect(await readFile(join(share.dir, 'renamed.txt'), 'utf8')).toBe('');
    expect((await si(F.FileEndOfFileInformation, new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0]))).status).toBe(
      NtStatus.SUCCESS,
    );
    expect(
      fileStandardInformation.decode(out(await qi(InfoType.FILE, F.FileStandardInformation))).endOfFile,
    ).toBe(3n);
    expect((await si(F.FileDispositionInformation, new Uint8Array([1]))).status).toBe(NtStatus.SUCCESS);
    expect((await si(F.FileEndOfFileInformation, new Uint8Array(2))).status).toBe(
      NtStatus.INFO_LENGTH_MISMATCH,
    );
    await handleClose(ctx, { flags: 0, fileId });
    await expect(readFile(join(share.dir, 'renamed.txt'))).rejects.toThrow();
  });
});

describe('LOCK', () => {
  it('exclusive locks conflict across opens; a blocking request pends until the unlock', async () => {
    const ctx = context();
    const a = body<CreateResponse>(await handleCreate(ctx, createReq('lock.bin'))).fileId;
    const b = body<CreateResponse>(await handleCreate(ctx, createReq('lock.bin'))).fileId;
    const lock = (fileId: FileId, flags: number) =>
      handleLock(ctx, {
        lockSequenceNumber: 0,
        lockSequenceIndex: 0,
        fileId,
        locks: [{ offset: 0n, length: 10n, flags }],
      });
    expect((await lock(a, LockFlags.EXCLUSIVE_LOCK | LockFlags.FAIL_IMMEDIATELY)).status).toBe(
      NtStatus.SUCCESS,
    );
    await expect(lock(b, LockFlags.SHARED_LOCK | LockFlags.FAIL_IMMEDIATELY)).rejects.toMatchObject({
      status: NtStatus.LOCK_NOT_GRANTED,
    });
    const blocked = await lock(b, LockFlags.EXCLUSIVE_LOCK);
    expect(blocked.status).toBe(NtStatus.PENDING);
    expect((await lock(a, LockFlags.UNLOCK | LockFlags.SHARED_LOCK)).status).toBe(NtStatus.INVALID_PARAMETER);
    expect((await lock(a, LockFlags.UNLOCK)).status).toBe(NtStatus.SUCCESS);
    expect((await blocked.async?.result)?.status).toBe(NtStatus.SUCCESS);
    expect((await lock(b, LockFlags.SHARED_LOCK)).status).toBe(NtStatus.SUCCESS);
    await ctx.session.opens.closeAll();
  });
});

describe('IOCTL', () => {
  const choose = (d: readonly number[]) => [0x311, 0x302, 0x300, 0x210, 0x202].find((x) => d.includes(x));
  const vni = (over: Partial<Parameters<typeof validateNegotiateInfoRequest.encode>[0]> = {}) => ({
    ctlCode: Fsctl.VALIDATE_NEGOTIATE_INFO,
    fileId: ANY_FILE_ID,
    input: validateNegotiateInfoRequest.encode({
      capabilities: 0x7f,
      guid: clientGuid,
      securityMode: 1,
      dialects: [0x202, 0x210, 0x300],
      ...over,
    }),
    maxInputResponse: 0,
    output: new Uint8Array(0),
    maxOutputResponse: 24,
    flags: IoctlFlags.IS_FSCTL,
  });

  it('FSCTL_VALIDATE_NEGOTIATE_INFO answers from the remembered NEGOTIATE, drops on a mismatch', async () => {
    const ctx = context();
    const a = await handleIoctl(ctx, vni(), choose);
    expect(a.status).toBe(NtStatus.SUCCESS);
    expect(validateNegotiateInfoResponse.decode((a.body as { output: Uint8Array }).output)).toEqual({
      capabilities: 4,
      guid: serverGuid,
      securityMode: 3,
      dialect: Dialect.SMB_3_0,
    });
    const bad = context();
    await handleIoctl(bad, vni({ securityMode: 2 }), choose);
    expect(bad.disconnected).toBe(true);
    const downgraded = context();
    await handleIoctl(downgraded, vni({ dialects: [0x202] }), choose);
    expect(downgraded.disconnected).toBe(true);
  });

  it('DFS referrals are NOT_FOUND; non-FSCTLs NOT_SUPPORTED; others INVALID_DEVICE_REQUEST', async () => {
    const ctx = context();
    const base = { ...vni(), input: new Uint8Array(0) };
    expect((await handleIoctl(ctx, { ...base, ctlCode: Fsctl.DFS_GET_REFERRALS }, choose)).status).toBe(
      NtStatus.NOT_FOUND,
    );
    expect((await handleIoctl(ctx, { ...base, flags: 0 }, choose)).status).toBe(NtStatus.NOT_SUPPORTED);
    const { fileId } = body<CreateResponse>(await handleCreate(ctx, createReq('a.txt')));
    expect((await handleIoctl(ctx, { ...base, fileId, ctlCode: Fsctl.SET_SPARSE }, choose)).status).toBe(
      NtStatus.INVALID_DEVICE_REQUEST,
    );
    await ctx.session.opens.closeAll();
  });
});
