/**
 * File-handler behaviour smbtorture checks (smb2.getinfo, smb2.read, smb2.create, smb2.rename,
 * smb2.dir), in process over a `LocalDirectoryBackend`: QUERY_INFO minimum buffer sizes and
 * the Compression, AlternateName, NormalizedName, FullEa, FsControl and FsObjectId classes;
 * READ moving the file position; CREATE parameter checks; TEMPORARY on directories; rename
 * into a directory held open with DELETE; directory scans skipping removed names.
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AccessMask,
  Command,
  CreateDisposition,
  CreateOptions,
  type CreateRequest,
  type CreateResponse,
  Dialect,
  decodeDirectoryEntries,
  FileInformationClass as F,
  FileAttributes,
  type FileId,
  FsInformationClass as FS,
  fileAlternateNameInformation,
  fileBasicInformation,
  fileNormalizedNameInformation,
  filePositionInformation,
  fileRenameInformation,
  InfoType,
  NtStatus,
  type QueryInfoResponse,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { LocalDirectoryBackend } from '../src/backend/index.js';
import type { ShareOptions } from '../src/core/options.js';
import { handleClose } from '../src/handlers/close.js';
import { type Answer, type HandlerContext, lookupOpen } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { handleQueryDirectory, mostEntriesFitting } from '../src/handlers/query-directory.js';
import { handleQueryInfo } from '../src/handlers/query-info.js';
import { handleRead, READ_RESPONSE_HEADROOM } from '../src/handlers/read.js';
import { handleSetInfo } from '../src/handlers/set-info.js';
import { handleWrite } from '../src/handlers/write.js';
import { createRequestFor } from './support/create-request.js';
import { diskTree, handlerContext, negotiatedAs, temporaryShare } from './support/handler-fixture.js';

const share = temporaryShare('smb2-files-', (dir) => LocalDirectoryBackend.open(dir, { volumeLabel: '' }));

function context(dialect: number = Dialect.SMB_3_1_1): HandlerContext {
  const options: ShareOptions = { name: 'share', path: share.dir };
  return handlerContext({
    tree: diskTree(share.backend, options),
    command: Command.READ,
    negotiated: negotiatedAs({ dialect, clientCapabilities: 0x7f, serverCapabilities: 4 }),
    serverOptions: { shares: [options] },
  });
}

const createReq = (name: string, over: Partial<CreateRequest> = {}): CreateRequest =>
  createRequestFor(name, {
    desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.DELETE,
    ...over,
  });

async function open(ctx: HandlerContext, name: string, over: Partial<CreateRequest> = {}): Promise<FileId> {
  const a = await handleCreate(ctx, createReq(name, over));
  expect(a.status, `CREATE ${name}`).toBe(NtStatus.SUCCESS);
  return (a.body as CreateResponse).fileId;
}

const query = (ctx: HandlerContext, fileId: FileId, infoType: number, infoClass: number, length = 65536) =>
  handleQueryInfo(ctx, {
    infoType,
    fileInfoClass: infoClass,
    outputBufferLength: length,
    inputBuffer: new Uint8Array(0),
    additionalInformation: 0,
    flags: 0,
    fileId,
  });
const out = (a: Answer) => (a.body as QueryInfoResponse).outputBuffer;

describe('QUERY_INFO buffer sizes', () => {
  it('below the structure size is INFO_LENGTH_MISMATCH even when the value is shorter', async () => {
    const ctx = context();
    const root = await open(ctx, '', { desiredAccess: AccessMask.FILE_READ_ATTRIBUTES });
    // An empty volume label makes the value 18 bytes; the structure is 24.
    expect(out(await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsVolumeInformation)).length).toBe(18);
    for (const n of [0, 17, 18, 23])
      expect(
        (await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsVolumeInformation, n)).status,
        `${n}`,
      ).toBe(NtStatus.INFO_LENGTH_MISMATCH);
    expect((await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsVolumeInformation, 24)).status).toBe(
      NtStatus.SUCCESS,
    );
    // NTFS is 8 bytes of name: 20 in all, the structure 16: 16..19 overflow.
    const attr = await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsAttributeInformation, 16);
    expect(attr.status).toBe(NtStatus.BUFFER_OVERFLOW);
    expect(out(attr).length).toBe(16);
    expect((await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsAttributeInformation, 15)).status).toBe(
      NtStatus.INFO_LENGTH_MISMATCH,
    );
    await handleClose(ctx, { flags: 0, fileId: root });
  });
});

describe('QUERY_INFO classes', () => {
  it('file-system Control (no quotas) and ObjectId (stable)', async () => {
    const ctx = context();
    const root = await open(ctx, '', { desiredAccess: AccessMask.FILE_READ_ATTRIBUTES });
    const control = out(await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsControlInformation));
    expect(control.length).toBe(48);
    const v = new DataView(control.buffer, control.byteOffset);
    expect(v.getBigUint64(0, true)).toBe(0n);
    expect(v.getBigUint64(24, true)).toBe(0xffffffffffffffffn);
    expect(v.getBigUint64(32, true)).toBe(0xffffffffffffffffn);
    expect(v.getUint32(40, true)).toBe(0);
    const id1 = out(await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsObjectIdInformation));
    const id2 = out(await query(ctx, root, InfoType.FILESYSTEM, FS.FileFsObjectIdInformation));
    expect(id1.length).toBe(64);
    expect(id1).toEqual(id2);
    expect(id1.subarray(0, 16).some((b) => b !== 0)).toBe(true);
    await handleClose(ctx, { flags: 0, fileId: root });
  });

  it('Compression, AlternateName (8.3), NormalizedName (3.1.1 only), FullEa', async () => {
    const ctx = context();
    await mkdir(join(share.dir, 'Sub Dir'), { recursive: true });
    await writeFile(join(share.dir, 'Sub Dir', 'a long file name.text'), '12345');
    const f = await open(ctx, 'Sub Dir\\a long file name.text');
    const compression = out(await query(ctx, f, InfoType.FILE, F.FileCompressionInformation));
    expect(compression.length).toBe(16);
    expect(new DataView(compression.buffer, compression.byteOffset).getBigUint64(0, true)).toBe(5n);
    const alt = fileAlternateNameInformation.decode(
      out(await query(ctx, f, InfoType.FILE, F.FileAlternateNameInformation)),
    );
    expect(alt.fileName).toMatch(/^ALONG~[0-9A-Z]{2}\.TEX$/);
    const normalized = await query(ctx, f, InfoType.FILE, F.FileNormalizedNameInformation);
    expect(fileNormalizedNameInformation.decode(out(normalized)).fileName).toBe(
      'Sub Dir\\a long file name.text',
    );
    // FullEa: FILE_READ_EA is needed; no EAs are kept.
    await expect(query(ctx, f, InfoType.FILE, F.FileFullEaInformation)).rejects.toMatchObject({
      status: NtStatus.NO_EAS_ON_FILE,
    });
    const syncOnly = await open(ctx, 'Sub Dir\\a long file name.text', {
      desiredAccess: AccessMask.SYNCHRONIZE,
    });
    await expect(query(ctx, syncOnly, InfoType.FILE, F.FileFullEaInformation)).rejects.toMatchObject({
      status: NtStatus.ACCESS_DENIED,
    });
    // The unrestricted classes need no access at all.
    for (const c of [
      F.FileAlternateNameInformation,
      F.FileCompressionInformation,
      F.FileNormalizedNameInformation,
    ])
      expect((await query(ctx, syncOnly, InfoType.FILE, c)).status, `class ${c}`).toBe(NtStatus.SUCCESS);
    const short = await open(ctx, 'Sub Dir');
    expect(
      fileAlternateNameInformation.decode(
        out(await query(ctx, short, InfoType.FILE, F.FileAlternateNameInformation)),
      ).fileName,
    ).toMatch(/^SUBDI~[0-9A-Z]{2}$/);
    await ctx.session.opens.closeAll();
  });

  it('NormalizedName is NOT_SUPPORTED before 3.1.1', async () => {
    const ctx = context(Dialect.SMB_3_0_2);
    await writeFile(join(share.dir, 'n.txt'), '');
    const f = await open(ctx, 'n.txt');
    await expect(query(ctx, f, InfoType.FILE, F.FileNormalizedNameInformation)).rejects.toMatchObject({
      status: NtStatus.NOT_SUPPORTED,
    });
    await ctx.session.opens.closeAll();
  });
});

describe('READ and the file position', () => {
  it('a read moves FilePositionInformation to its end; a write does not', async () => {
    const ctx = context();
    const f = await open(ctx, 'pos.bin', { createDisposition: CreateDisposition.OVERWRITE_IF });
    const position = async () =>
      filePositionInformation.decode(out(await query(ctx, f, InfoType.FILE, F.FilePositionInformation)))
        .currentByteOffset;
    await handleWrite(ctx, {
      offset: 0n,
      fileId: f,
      channel: 0,
      remainingBytes: 0,
      flags: 0,
      data: new Uint8Array(100),
    });
    expect(await position()).toBe(0n);
    const r = await handleRead(ctx, {
      padding: 0,
      flags: 0,
      length: 10,
      offset: 20n,
      fileId: f,
      minimumCount: 1,
      channel: 0,
      remainingBytes: 0,
    });
    expect((r.body as { data: Uint8Array }).data.length).toBe(10);
    expect(await position()).toBe(30n);
    await ctx.session.opens.closeAll();
  });
});

describe('READ into the frame', () => {
  it('the data is a view after READ_RESPONSE_HEADROOM free bytes of a buffer of its own', async () => {
    const ctx = context();
    await writeFile(join(share.dir, 'frame.bin'), 'abcdefghij');
    const f = await open(ctx, 'frame.bin');
    const r = await handleRead(ctx, {
      padding: 0,
      flags: 0,
      length: 100,
      offset: 2n,
      fileId: f,
      minimumCount: 0,
      channel: 0,
      remainingBytes: 0,
    });
    const data = (r.body as { data: Uint8Array }).data;
    expect(new TextDecoder().decode(data)).toBe('cdefghij');
    expect(READ_RESPONSE_HEADROOM).toBe(84);
    expect(data.byteOffset).toBe(READ_RESPONSE_HEADROOM);
    expect(data.buffer.byteLength).toBe(READ_RESPONSE_HEADROOM + 100);
    // The backend's own readInto: the count, END_OF_FILE past the end.
    const handle = lookupOpen(ctx, f).handle;
    const into = new Uint8Array(4);
    expect(await share.backend.readInto(handle, 8n, into)).toBe(2);
    expect(new TextDecoder().decode(into.subarray(0, 2))).toBe('ij');
    await expect(share.backend.readInto(handle, 10n, into)).rejects.toMatchObject({
      status: NtStatus.END_OF_FILE,
    });
    await ctx.session.opens.closeAll();
  });
});

describe('READ and WRITE ranges', () => {
  it('signed offsets: past 2^63 - 1 INVALID_PARAMETER, past the end END_OF_FILE, writes within MAXFILESIZE', async () => {
    const ctx = context();
    const f = await open(ctx, 'ranges.bin', { createDisposition: CreateDisposition.OVERWRITE_IF });
    const INT64_MAX = (1n << 63n) - 1n;
    const status = async (p: Promise<Answer>) => {
      try {
        return (await p).status;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    const read = (offset: bigint, length: number) =>
      status(
        handleRead(ctx, {
          padding: 0,
          flags: 0,
          length,
          offset,
          fileId: f,
          minimumCount: 0,
          channel: 0,
          remainingBytes: 0,
        }),
      );
    const write = (offset: bigint, length: number) =>
      status(
        handleWrite(ctx, {
          offset,
          fileId: f,
          channel: 0,
          remainingBytes: 0,
          flags: 0,
          data: new Uint8Array(length),
        }),
      );
    expect(await write(0n, 10)).toBe(NtStatus.SUCCESS);
    expect(await read(10n, 1)).toBe(NtStatus.END_OF_FILE);
    expect(await read(10n, 0)).toBe(NtStatus.SUCCESS);
    expect(await read(INT64_MAX - 1n, 1)).toBe(NtStatus.END_OF_FILE);
    expect(await read(INT64_MAX, 0)).toBe(NtStatus.SUCCESS);
    expect(await read(INT64_MAX, 1)).toBe(NtStatus.INVALID_PARAMETER);
    expect(await read(INT64_MAX + 1n, 0)).toBe(NtStatus.INVALID_PARAMETER);
    expect(await read(0xffffffffffffffffn, 0)).toBe(NtStatus.INVALID_PARAMETER);
    // All 0xFF is no append over SMB2.
    expect(await write(0xffffffffffffffffn, 1)).toBe(NtStatus.INVALID_PARAMETER);
    expect(await write(INT64_MAX, 0)).toBe(NtStatus.SUCCESS);
    expect(await write(INT64_MAX, 1)).toBe(NtStatus.INVALID_PARAMETER);
    expect(await write(0xfffffff0000n, 1)).toBe(NtStatus.INVALID_PARAMETER);
    expect(await write(0xfffffff0000n, 0)).toBe(NtStatus.SUCCESS);
    await ctx.session.opens.closeAll();
  });
});

describe('CREATE parameter checks', () => {
  it('reserved options, unsupported options, invalid attributes, reserved access bits', async () => {
    const ctx = context();
    const status = async (over: Partial<CreateRequest>) =>
      (await handleCreate(ctx, createReq('checks.txt', over))).status;
    expect(await status({ createOptions: 0xf0000000 })).toBe(NtStatus.INVALID_PARAMETER);
    expect(await status({ createOptions: CreateOptions.OPEN_BY_FILE_ID })).toBe(NtStatus.NOT_SUPPORTED);
    expect(await status({ createOptions: CreateOptions.RESERVE_OPFILTER })).toBe(NtStatus.NOT_SUPPORTED);
    expect(await status({ fileAttributes: 0x40 })).toBe(NtStatus.INVALID_PARAMETER); // DEVICE
    expect(await status({ fileAttributes: 0x8 })).toBe(NtStatus.INVALID_PARAMETER); // volume label
    expect(await status({ desiredAccess: 0x08000000 })).toBe(NtStatus.ACCESS_DENIED);
    expect(await status({ desiredAccess: 0x00000200 })).toBe(NtStatus.ACCESS_DENIED);
    // Ignorable options and plain attributes are fine.
    expect(
      await status({
        createOptions: CreateOptions.OPEN_REPARSE_POINT,
        fileAttributes: FileAttributes.ARCHIVE,
      }),
    ).toBe(NtStatus.SUCCESS);
    await ctx.session.opens.closeAll();
  });

  it('a directory cannot be TEMPORARY, at creation or by SET_INFO', async () => {
    const ctx = context();
    const dirOpts = {
      createOptions: CreateOptions.DIRECTORY_FILE,
      createDisposition: CreateDisposition.OPEN_IF,
    };
    await expect(
      handleCreate(ctx, createReq('tmpdir', { ...dirOpts, fileAttributes: FileAttributes.TEMPORARY })),
    ).rejects.toMatchObject({ status: NtStatus.INVALID_PARAMETER });
    const d = await open(ctx, 'tmpdir', { ...dirOpts, fileAttributes: FileAttributes.DIRECTORY });
    const setAttributes = (fileAttributes: number) =>
      handleSetInfo(ctx, {
        infoType: InfoType.FILE,
        fileInfoClass: F.FileBasicInformation,
        additionalInformation: 0,
        fileId: d,
        buffer: fileBasicInformation.encode({
          creationTime: 0n,
          lastAccessTime: 0n,
          lastWriteTime: 0n,
          changeTime: 0n,
          fileAttributes,
        }),
      });
    await expect(setAttributes(FileAttributes.TEMPORARY)).rejects.toMatchObject({
      status: NtStatus.INVALID_PARAMETER,
    });
    expect((await setAttributes(FileAttributes.DIRECTORY)).status).toBe(NtStatus.SUCCESS);
    await ctx.session.opens.closeAll();
  });
});

describe('rename into a directory held open', () => {
  it('SHARING_VIOLATION while an open of the target directory holds DELETE or does not share write', async () => {
    const ctx = context();
    await mkdir(join(share.dir, 'rdir'), { recursive: true });
    const rename = (fileId: FileId, fileName: string) =>
      handleSetInfo(ctx, {
        infoType: InfoType.FILE,
        fileInfoClass: F.FileRenameInformation,
        additionalInformation: 0,
        fileId,
        buffer: fileRenameInformation.encode({ replaceIfExists: false, rootDirectory: 0n, fileName }),
      });
    const dirOpts = {
      createOptions: CreateOptions.DIRECTORY_FILE,
      createDisposition: CreateDisposition.OPEN,
    };
    const d = await open(ctx, 'rdir', {
      ...dirOpts,
      desiredAccess: AccessMask.DELETE | AccessMask.FILE_READ_ATTRIBUTES,
    });
    const f = await open(ctx, 'rdir\\one.txt', { shareAccess: 0 });
    await expect(rename(f, 'rdir\\two.txt')).rejects.toMatchObject({ status: NtStatus.SHARING_VIOLATION });
    // Elsewhere is fine.
    expect((await rename(f, 'moved.txt')).status).toBe(NtStatus.SUCCESS);
    await handleClose(ctx, { flags: 0, fileId: d });
    // Listing it without sharing write: still a conflict with adding an entry.
    const d1 = await open(ctx, 'rdir', {
      ...dirOpts,
      desiredAccess: AccessMask.FILE_LIST_DIRECTORY,
      shareAccess: ShareAccess.READ | ShareAccess.DELETE,
    });
    await expect(rename(f, 'rdir\\two.txt')).rejects.toMatchObject({ status: NtStatus.SHARING_VIOLATION });
    await handleClose(ctx, { flags: 0, fileId: d1 });
    // Listing it sharing read and write, or holding only attribute access: the rename goes through.
    const d2 = await open(ctx, 'rdir', {
      ...dirOpts,
      desiredAccess: AccessMask.FILE_LIST_DIRECTORY,
      shareAccess: ShareAccess.READ | ShareAccess.WRITE,
    });
    const d3 = await open(ctx, 'rdir', {
      ...dirOpts,
      desiredAccess: AccessMask.FILE_READ_ATTRIBUTES,
      shareAccess: 0,
    });
    expect((await rename(f, 'rdir\\two.txt')).status).toBe(NtStatus.SUCCESS);
    await handleClose(ctx, { flags: 0, fileId: d3 });
    await handleClose(ctx, { flags: 0, fileId: d2 });
    await ctx.session.opens.closeAll();
  });
});

describe('QUERY_DIRECTORY during removals', () => {
  it('a name removed after the scan began is not returned', async () => {
    const ctx = context();
    await mkdir(join(share.dir, 'scan'), { recursive: true });
    for (const n of ['a', 'b', 'c', 'd']) await writeFile(join(share.dir, 'scan', n), n);
    const d = await open(ctx, 'scan', {
      createOptions: CreateOptions.DIRECTORY_FILE,
      createDisposition: CreateDisposition.OPEN,
    });
    const names = async (flags: number): Promise<string[] | number> => {
      try {
        const a = await handleQueryDirectory(ctx, {
          fileInformationClass: F.FileNamesInformation,
          flags,
          fileIndex: 0,
          fileId: d,
          fileName: '*',
          outputBufferLength: 65536,
        });
        const bytes = (a.body as { outputBuffer: Uint8Array }).outputBuffer;
        return decodeDirectoryEntries(F.FileNamesInformation, bytes).map((e) => e.fileName);
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(await names(0x02)).toEqual(['.']); // RETURN_SINGLE_ENTRY
    await unlink(join(share.dir, 'scan', 'b'));
    expect(await names(0)).toEqual(['..', 'a', 'c', 'd']);
    expect(await names(0)).toBe(NtStatus.NO_MORE_FILES);
    await ctx.session.opens.closeAll();
  });

  it('Both classes carry the 8.3 name when the name is not already one', async () => {
    const ctx = context();
    await mkdir(join(share.dir, 'short'), { recursive: true });
    for (const n of ['README.TXT', 'readme2.txt', 'a long name.text'])
      await writeFile(join(share.dir, 'short', n), n);
    const d = await open(ctx, 'short', {
      createOptions: CreateOptions.DIRECTORY_FILE,
      createDisposition: CreateDisposition.OPEN,
    });
    const a = await handleQueryDirectory(ctx, {
      fileInformationClass: F.FileBothDirectoryInformation,
      flags: 0,
      fileIndex: 0,
      fileId: d,
      fileName: '*',
      outputBufferLength: 65536,
    });
    const entries = decodeDirectoryEntries(
      F.FileBothDirectoryInformation,
      (a.body as { outputBuffer: Uint8Array }).outputBuffer,
    );
    const short = Object.fromEntries(entries.map((e) => [e.fileName, e.shortName]));
    expect(short['.']).toBe('');
    expect(short['README.TXT']).toBe('');
    expect(short['readme2.txt']).toBe('README2.TXT');
    expect(short['a long name.text']).toMatch(/^ALONG~[0-9A-Z]{2}\.TEX$/);
    await ctx.session.opens.closeAll();
  });

  it('asks the backend for no more entries than the buffer could hold', () => {
    expect(mostEntriesFitting(12, 65536)).toBe(Math.floor((65536 - 14) / 16) + 1);
    expect(mostEntriesFitting(104, 104)).toBe(1);
    expect(mostEntriesFitting(104, 0)).toBe(1);
  });
});

describe('the quota index', () => {
  it('opens read-only as a hidden system directory with no times; QUOTA is NOT_SUPPORTED; CLOSE', async () => {
    const ctx = context();
    const name = '$Extend\\$Quota:$Q:$INDEX_ALLOCATION';
    const read = { desiredAccess: AccessMask.GENERIC_READ, createDisposition: CreateDisposition.OPEN };
    const a = await handleCreate(ctx, createReq(name, read));
    expect(a.status).toBe(NtStatus.SUCCESS);
    const r = a.body as CreateResponse;
    expect(r.fileAttributes).toBe(
      FileAttributes.HIDDEN | FileAttributes.SYSTEM | FileAttributes.DIRECTORY | FileAttributes.ARCHIVE,
    );
    expect([r.creationTime, r.lastAccessTime, r.lastWriteTime, r.changeTime, r.endOfFile]).toEqual([
      0n,
      0n,
      0n,
      0n,
      0n,
    ]);
    expect((await query(ctx, r.fileId, InfoType.QUOTA, 0)).status).toBe(NtStatus.NOT_SUPPORTED);
    expect((await query(ctx, r.fileId, InfoType.FILE, F.FileBasicInformation)).status).toBe(
      NtStatus.INVALID_DEVICE_REQUEST,
    );
    await expect(
      handleRead(ctx, {
        padding: 0,
        flags: 0,
        length: 1,
        offset: 0n,
        fileId: r.fileId,
        minimumCount: 0,
        channel: 0,
        remainingBytes: 0,
      }),
    ).rejects.toMatchObject({ status: NtStatus.INVALID_DEVICE_REQUEST });
    const closed = await handleClose(ctx, { flags: 1, fileId: r.fileId });
    expect(closed.status).toBe(NtStatus.SUCCESS);
    expect((closed.body as { fileAttributes: number }).fileAttributes & FileAttributes.SYSTEM).toBeTruthy();
    expect(ctx.session.opens.size).toBe(0);
    // Write access, creation and other names are not the index.
    expect(
      (await handleCreate(ctx, createReq(name, { ...read, desiredAccess: AccessMask.GENERIC_WRITE }))).status,
    ).toBe(NtStatus.ACCESS_DENIED);
    expect(
      (await handleCreate(ctx, createReq(name, { ...read, createDisposition: CreateDisposition.CREATE })))
        .status,
    ).toBe(NtStatus.OBJECT_NAME_COLLISION);
    await expect(handleCreate(ctx, createReq('$Extend\\$Quota', read))).rejects.toMatchObject({
      status: NtStatus.OBJECT_PATH_NOT_FOUND,
    });
  });
});
