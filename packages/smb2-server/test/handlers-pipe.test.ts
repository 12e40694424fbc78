/**
 * Named pipes on IPC$ through the command handlers, in process: CREATE of `srvsvc` (and
 * `\SRVSVC`; other names not found), a Samba bind by WRITE and its BIND_ACK by READ,
 * NetrShareEnum by FSCTL_PIPE_TRANSCEIVE listing the shares and IPC$, BUFFER_OVERFLOW with the
 * rest by READ, PIPE_EMPTY, PIPE_BUSY, a malformed PDU disconnecting the pipe, QUERY_INFO,
 * FSCTL_PIPE_WAIT, file commands on a pipe, CLOSE.
 */
import { readFileSync } from 'node:fs';
import {
  AccessMask,
  Command,
  CreateDisposition,
  type CreateRequest,
  type CreateResponse,
  Dialect,
  FileInformationClass as F,
  type FileId,
  Fsctl,
  fileStandardInformation,
  InfoType,
  IoctlFlags,
  type IoctlResponse,
  NtStatus,
  type QueryInfoResponse,
  type ReadResponse,
  ShareAccess,
  type WriteResponse,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import type { Tree } from '../src/core/session.js';
import { handleClose } from '../src/handlers/close.js';
import { type Answer, fail, type HandlerContext, statusOf } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { handleFlush } from '../src/handlers/flush.js';
import { handleIoctl } from '../src/handlers/ioctl.js';
import { handleQueryDirectory } from '../src/handlers/query-directory.js';
import { handleQueryInfo } from '../src/handlers/query-info.js';
import { handleRead } from '../src/handlers/read.js';
import { handleWrite } from '../src/handlers/write.js';
import { decodePdu, decodeShareEnumResponse, PTYPE, STYPE_DISKTREE, STYPE_IPC } from '../src/rpc/index.js';
import { createRequestFor } from './support/create-request.js';
import { FULL_ACCESS, handlerContext, negotiatedAs } from './support/handler-fixture.js';

const fixture = (name: string) =>
  new Uint8Array(
    Buffer.from(
      readFileSync(new URL(`./fixtures/rpc-samba-${name}.hex`, import.meta.url), 'utf8').trim(),
      'hex',
    ),
  );
const BIND = fixture('bind');
const SHARE_ENUM = fixture('share-enum-request');

const negotiated = negotiatedAs({ dialect: Dialect.SMB_3_1_1, serverCapabilities: 4 });

function context(shares = [{ name: 'docs', path: '/nonexistent', remark: 'Documents' }, { name: 'bare' }]) {
  const tree: Tree = {
    id: 5,
    share: 'IPC$',
    ipc: true,
    encrypt: false,
    maximalAccess: FULL_ACCESS,
    host: 'files.test',
  };
  return handlerContext({ tree, command: Command.CREATE, negotiated, serverOptions: { shares } });
}

const createReq = (name: string, over: Partial<CreateRequest> = {}): CreateRequest =>
  createRequestFor(name, {
    desiredAccess: AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA | AccessMask.FILE_READ_ATTRIBUTES,
    shareAccess: ShareAccess.READ | ShareAccess.WRITE,
    createDisposition: CreateDisposition.OPEN,
    ...over,
  });

const body = <T>(a: Answer) => a.body as T;

/** What the connection does with a handler: exceptions become their NTSTATUS. */
const guard = (p: Promise<Answer>): Promise<Answer> => p.catch((e: unknown) => fail(0, statusOf(e)));

async function open(ctx: HandlerContext, name = 'srvsvc'): Promise<FileId> {
  const a = await handleCreate(ctx, createReq(name));
  expect(a.status).toBe(NtStatus.SUCCESS);
  return body<CreateResponse>(a).fileId;
}

const write = (ctx: HandlerContext, fileId: FileId, data: Uint8Array) =>
  guard(handleWrite(ctx, { fileId, offset: 0n, data, channel: 0, remainingBytes: 0, flags: 0 }));
const read = (ctx: HandlerContext, fileId: FileId, length: number) =>
  guard(
    handleRead(ctx, {
      fileId,
      offset: 0n,
      length,
      minimumCount: 0,
      padding: 0,
      flags: 0,
      channel: 0,
      remainingBytes: 0,
    }),
  );
const transceive = (ctx: HandlerContext, fileId: FileId, input: Uint8Array, maxOutputResponse = 4280) =>
  guard(
    handleIoctl(
      ctx,
      {
        ctlCode: Fsctl.PIPE_TRANSCEIVE,
        fileId,
        input,
        maxInputResponse: 0,
        output: new Uint8Array(0),
        maxOutputResponse,
        flags: IoctlFlags.IS_FSCTL,
      },
      () => undefined,
    ),
  );

async function bind(ctx: HandlerContext, fileId: FileId): Promise<void> {
  const w = await write(ctx, fileId, BIND);
  expect(w.status).toBe(NtStatus.SUCCESS);
  expect(body<WriteResponse>(w).count).toBe(BIND.length);
  const r = await read(ctx, fileId, 4280);
  expect(r.status).toBe(NtStatus.SUCCESS);
  expect(decodePdu(body<ReadResponse>(r).data).header.ptype).toBe(PTYPE.bindAck);
}

describe('named pipes on IPC$', () => {
  it('opens srvsvc (any case, with a leading backslash); other names are not found', async () => {
    const ctx = context();
    for (const name of ['srvsvc', '\\SRVSVC', 'SrvSvc']) {
      const a = await handleCreate(ctx, createReq(name));
      expect(a.status, name).toBe(NtStatus.SUCCESS);
      const r = body<CreateResponse>(a);
      expect(r.fileAttributes).toBe(0x80);
      expect(r.endOfFile).toBe(0n);
    }
    for (const name of ['lsarpc', 'winreg', 'srvsvc\\x', '']) {
      expect((await handleCreate(ctx, createReq(name))).status, name).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
    }
    expect(ctx.session.opens.size).toBe(3);
  });

  it('binds by WRITE and READ, lists the shares and IPC$ by TRANSCEIVE', async () => {
    const ctx = context();
    const fileId = await open(ctx);
    expect((await read(ctx, fileId, 4280)).status).toBe(NtStatus.PIPE_EMPTY);
    await bind(ctx, fileId);
    const t = await transceive(ctx, fileId, SHARE_ENUM);
    expect(t.status).toBe(NtStatus.SUCCESS);
    const pdu = decodePdu(body<IoctlResponse>(t).output);
    expect(pdu.type).toBe('response');
    if (pdu.type !== 'response') return;
    const listing = decodeShareEnumResponse(pdu.stub);
    expect(listing.shares).toEqual([
      { name: 'docs', type: STYPE_DISKTREE, remark: 'Documents' },
      { name: 'bare', type: STYPE_DISKTREE, remark: '' },
      { name: 'IPC$', type: STYPE_IPC, remark: 'Remote IPC' },
    ]);
    expect((await guard(handleClose(ctx, { flags: 0, fileId }))).status).toBe(NtStatus.SUCCESS);
    expect(ctx.session.opens.size).toBe(0);
    expect((await read(ctx, fileId, 10)).status).toBe(NtStatus.FILE_CLOSED);
  });

  it('a short TRANSCEIVE or READ is BUFFER_OVERFLOW with the beginning; the rest by READ', async () => {
    const ctx = context();
    const fileId = await open(ctx);
    await bind(ctx, fileId);
    const t = await transceive(ctx, fileId, SHARE_ENUM, 40);
    expect(t.status).toBe(NtStatus.BUFFER_OVERFLOW);
    const first = body<IoctlResponse>(t).output;
    expect(first.length).toBe(40);
    // Unread output: another TRANSCEIVE is refused.
    expect((await transceive(ctx, fileId, SHARE_ENUM)).status).toBe(NtStatus.PIPE_BUSY);
    const r1 = await read(ctx, fileId, 16);
    expect(r1.status).toBe(NtStatus.BUFFER_OVERFLOW);
    const r2 = await read(ctx, fileId, 4280);
    expect(r2.status).toBe(NtStatus.SUCCESS);
    const whole = Buffer.concat([first, body<ReadResponse>(r1).data, body<ReadResponse>(r2).data]);
    expect(decodePdu(new Uint8Array(whole)).type).toBe('response');
    expect((await read(ctx, fileId, 4280)).status).toBe(NtStatus.PIPE_EMPTY);
  });

  it('a malformed PDU fails the WRITE and disconnects the pipe; CLOSE still works', async () => {
    const ctx = context();
    const fileId = await open(ctx);
    const junk = new Uint8Array(32).fill(0x41);
    expect((await write(ctx, fileId, junk)).status).toBe(NtStatus.INVALID_PARAMETER);
    expect((await write(ctx, fileId, BIND)).status).toBe(NtStatus.PIPE_DISCONNECTED);
    expect((await read(ctx, fileId, 100)).status).toBe(NtStatus.PIPE_DISCONNECTED);
    expect((await guard(handleClose(ctx, { flags: 0, fileId }))).status).toBe(NtStatus.SUCCESS);
  });

  it('QUERY_INFO answers FileStandard and FilePipeLocal; file commands are INVALID_DEVICE_REQUEST', async () => {
    const ctx = context();
    const fileId = await open(ctx);
    const q = (fileInfoClass: number, outputBufferLength = 1024) =>
      handleQueryInfo(ctx, {
        infoType: InfoType.FILE,
        fileInfoClass,
        outputBufferLength,
        inputBuffer: new Uint8Array(0),
        additionalInformation: 0,
        flags: 0,
        fileId,
      });
    const std = await q(F.FileStandardInformation);
    expect(std.status).toBe(NtStatus.SUCCESS);
    expect(fileStandardInformation.decode(body<QueryInfoResponse>(std).outputBuffer).directory).toBe(false);
    const local = await q(F.FilePipeLocalInformation);
    expect(body<QueryInfoResponse>(local).outputBuffer.length).toBe(40);
    expect((await q(F.FilePipeInformation, 4)).status).toBe(NtStatus.INFO_LENGTH_MISMATCH);
    expect((await q(F.FileEaInformation)).status).toBe(NtStatus.INVALID_INFO_CLASS);
    expect((await handleFlush(ctx, { fileId } as never)).status).toBe(NtStatus.SUCCESS);
    // A file command on a pipe open: the pipe is not a file.
    const qd = await guard(
      handleQueryDirectory(ctx, {
        fileInformationClass: 1,
        flags: 0,
        fileIndex: 0,
        fileId,
        outputBufferLength: 1024,
        fileName: '*',
      } as never),
    );
    expect(qd.status).toBe(NtStatus.INVALID_DEVICE_REQUEST);
  });

  it('FSCTL_PIPE_WAIT: served pipes are available, others not found', async () => {
    const ctx = context();
    const wait = (name: string) => {
      const utf16 = new Uint8Array(Buffer.from(name, 'utf16le'));
      const input = new Uint8Array(14 + utf16.length);
      new DataView(input.buffer).setUint32(8, utf16.length, true);
      input.set(utf16, 14);
      return handleIoctl(
        ctx,
        {
          ctlCode: Fsctl.PIPE_WAIT,
          fileId: { persistent: 0xffffffffffffffffn, volatile: 0xffffffffffffffffn },
          input,
          maxInputResponse: 0,
          output: new Uint8Array(0),
          maxOutputResponse: 0,
          flags: IoctlFlags.IS_FSCTL,
        },
        () => undefined,
      );
    };
    expect((await wait('srvsvc')).status).toBe(NtStatus.SUCCESS);
    expect((await wait('lsarpc')).status).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
  });
});
