import type { SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import {
  AccessMask,
  allocatedRangeQuery,
  allocatedRanges,
  Command,
  CompressionFormat,
  CreateDisposition,
  type CreateResponse,
  compressionState,
  copyChunkRequest,
  copyChunkResponse,
  Dialect,
  FileAttributes,
  type FileId,
  Fsctl,
  fileZeroDataInformation,
  IoctlFlags,
  LockFlags,
  NtStatus,
  networkInterfaceInfo,
  resumeKeyResponse,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { LocalDirectoryBackend } from '../src/backend/index.js';
import { SparseFileBackend } from '../src/backend/sparse.js';
import type { ShareOptions } from '../src/core/options.js';
import { Session } from '../src/core/session.js';
import { handleClose } from '../src/handlers/close.js';
import { type Answer, type HandlerContext, statusOf } from '../src/handlers/common.js';
import { handleCreate } from '../src/handlers/create.js';
import { COPYCHUNK_LIMITS } from '../src/handlers/fsctl-copychunk.js';
import { ipv6Bytes, localInterfaces } from '../src/handlers/fsctl-network.js';
import { handleIoctl } from '../src/handlers/ioctl.js';
import { handleLock } from '../src/handlers/lock.js';
import { handleRead } from '../src/handlers/read.js';
import { handleWrite } from '../src/handlers/write.js';
import { createRequestFor } from './support/create-request.js';
import { diskTree, handlerContext, temporaryShare } from './support/handler-fixture.js';

const share = temporaryShare(
  'smb2-fsctl-',
  async (dir) => new SparseFileBackend(await LocalDirectoryBackend.open(dir)),
);

/** A session with trees 1 and 2 on the same share (as smbtorture's across_shares tests). */
function context(session = new Session(1n, {} as SpnegoAcceptor, undefined), treeId = 1): HandlerContext {
  const options: ShareOptions = { name: 'share', path: share.dir };
  for (const id of [1, 2]) session.trees.set(id, diskTree(share.backend, options, { id }));
  return handlerContext({
    tree: session.trees.get(treeId)!,
    command: Command.IOCTL,
    session,
    header: { creditCharge: 8 },
    serverOptions: { shares: [options] },
  });
}

const noDialect = () => undefined;
const ANY: FileId = { persistent: 2n ** 64n - 1n, volatile: 2n ** 64n - 1n };

/** Runs a handler the way the connection does: a thrown status becomes the answer's status. */
async function run(f: () => Promise<Answer> | Answer): Promise<Answer> {
  try {
    return await f();
  } catch (e) {
    return { status: statusOf(e), codec: undefined as never, body: undefined };
  }
}

const ioctl = (
  ctx: HandlerContext,
  ctlCode: number,
  fileId: FileId,
  input: Uint8Array,
  maxOutputResponse = 1024,
) =>
  run(() =>
    handleIoctl(
      ctx,
      {
        ctlCode,
        fileId,
        input,
        maxInputResponse: 0,
        output: new Uint8Array(0),
        maxOutputResponse,
        flags: IoctlFlags.IS_FSCTL,
      },
      noDialect,
    ),
  );
const output = (a: Answer) => (a.body as { output: Uint8Array }).output;

async function open(
  ctx: HandlerContext,
  name: string,
  desiredAccess: number = AccessMask.FILE_ALL_ACCESS,
  disposition: number = CreateDisposition.OPEN_IF,
): Promise<FileId> {
  const a = await handleCreate(
    ctx,
    createRequestFor(name, { desiredAccess, createDisposition: disposition }),
  );
  expect(a.status).toBe(NtStatus.SUCCESS);
  return (a.body as CreateResponse).fileId;
}

const pattern = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);
const write = (ctx: HandlerContext, fileId: FileId, offset: bigint, data: Uint8Array) =>
  handleWrite(ctx, {
    fileId,
    offset,
    data,
    channel: 0,
    remainingBytes: 0,
    flags: 0,
    channelInfo: new Uint8Array(0),
  } as never);
async function read(
  ctx: HandlerContext,
  fileId: FileId,
  offset: bigint,
  length: number,
): Promise<Uint8Array> {
  const a = await handleRead(ctx, {
    fileId,
    offset,
    length,
    minimumCount: 0,
    channel: 0,
    remainingBytes: 0,
    flags: 0,
    padding: 0,
    channelInfo: new Uint8Array(0),
  } as never);
  return (a.body as { data: Uint8Array }).data;
}

async function resumeKey(ctx: HandlerContext, fileId: FileId): Promise<Uint8Array> {
  const a = await ioctl(ctx, Fsctl.SRV_REQUEST_RESUME_KEY, fileId, new Uint8Array(0), 32);
  expect(a.status).toBe(NtStatus.SUCCESS);
  expect(output(a).length).toBe(32);
  return resumeKeyResponse.decode(output(a)).resumeKey;
}

const copy = (
  ctx: HandlerContext,
  target: FileId,
  sourceKey: Uint8Array,
  chunks: { s: number; t: number; n: number }[],
  ctl: number = Fsctl.SRV_COPYCHUNK,
  max = 12,
) =>
  ioctl(
    ctx,
    ctl,
    target,
    copyChunkRequest.encode({
      sourceKey,
      chunks: chunks.map((c) => ({ sourceOffset: BigInt(c.s), targetOffset: BigInt(c.t), length: c.n })),
    }),
    max,
  );

describe('FSCTL_SRV_REQUEST_RESUME_KEY', () => {
  it('gives one random 24-byte key per open, 32 bytes of output, and refuses a short MaxOutputResponse', async () => {
    const ctx = context();
    const a = await open(ctx, 'rk1');
    const b = await open(ctx, 'rk2');
    const ka = await resumeKey(ctx, a);
    expect(await resumeKey(ctx, a)).toEqual(ka);
    expect(await resumeKey(ctx, b)).not.toEqual(ka);
    expect((await ioctl(ctx, Fsctl.SRV_REQUEST_RESUME_KEY, a, new Uint8Array(0), 31)).status).toBe(
      NtStatus.INVALID_PARAMETER,
    );
    await ctx.session.opens.closeAll();
  });
});

describe('FSCTL_SRV_COPYCHUNK', () => {
  it('copies chunks (overlapping, appending, across trees) and counts them', async () => {
    const ctx = context();
    const src = await open(ctx, 'cc-src');
    await write(ctx, src, 0n, pattern(8192));
    const key = await resumeKey(ctx, src);
    const dst = await open(context(ctx.session, 2), 'cc-dst');
    const a = await copy(context(ctx.session, 2), dst, key, [
      { s: 0, t: 0, n: 4096 },
      { s: 0, t: 4096, n: 4096 },
    ]);
    expect(a.status).toBe(NtStatus.SUCCESS);
    expect(copyChunkResponse.decode(output(a))).toEqual({
      chunksWritten: 2,
      chunkBytesWritten: 0,
      totalBytesWritten: 8192,
    });
    const ctx2 = context(ctx.session, 2);
    expect(Uint8Array.from(await read(ctx2, dst, 4096n, 4096))).toEqual(pattern(4096));
    // Source is destination, ranges overlapping by 8 bytes: the chunk is read whole first.
    const same = await copy(ctx, src, key, [{ s: 0, t: 2040, n: 2048 }]);
    expect(same.status).toBe(NtStatus.SUCCESS);
    expect(Uint8Array.from(await read(ctx, src, 2040n, 2048))).toEqual(pattern(2048));
    await ctx.session.opens.closeAll();
  });

  it('answers the limits for oversize or empty chunks, and checks MaxOutputResponse', async () => {
    const ctx = context();
    const src = await open(ctx, 'lim-src');
    await write(ctx, src, 0n, pattern(4096));
    const key = await resumeKey(ctx, src);
    const dst = await open(ctx, 'lim-dst');
    for (const n of [0, COPYCHUNK_LIMITS.maxChunkSize + 1, 0xffffffff]) {
      const a = await copy(ctx, dst, key, [{ s: 0, t: 0, n }]);
      expect(a.status).toBe(NtStatus.INVALID_PARAMETER);
      expect(copyChunkResponse.decode(output(a))).toEqual({
        chunksWritten: 256,
        chunkBytesWritten: 1 << 20,
        totalBytesWritten: 16 << 20,
      });
    }
    const many = Array.from({ length: 257 }, () => ({ s: 0, t: 0, n: 1 }));
    expect((await copy(ctx, dst, key, many)).status).toBe(NtStatus.INVALID_PARAMETER);
    const a = await copy(ctx, dst, key, [{ s: 0, t: 0, n: 4096 }], Fsctl.SRV_COPYCHUNK, 11);
    expect(a.status).toBe(NtStatus.INVALID_PARAMETER);
    expect(a.body).toBeUndefined();
    await ctx.session.opens.closeAll();
  });

  it('an unknown, closed or other session key is OBJECT_NAME_NOT_FOUND', async () => {
    const ctx = context();
    const src = await open(ctx, 'key-src');
    const key = await resumeKey(ctx, src);
    const dst = await open(ctx, 'key-dst');
    expect(
      (await copy(ctx, dst, new TextEncoder().encode('deadbeefdeadbeefdeadbeef'), [{ s: 0, t: 0, n: 1 }]))
        .status,
    ).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
    const other = context(new Session(2n, {} as SpnegoAcceptor, undefined));
    const otherDst = await open(other, 'key-other');
    expect((await copy(other, otherDst, key, [{ s: 0, t: 0, n: 1 }])).status).toBe(
      NtStatus.OBJECT_NAME_NOT_FOUND,
    );
    await handleClose(ctx, { flags: 0, fileId: src });
    expect((await copy(ctx, dst, key, [{ s: 0, t: 0, n: 1 }])).status).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
    await ctx.session.opens.closeAll();
    await other.session.opens.closeAll();
  });

  it('needs READ (or EXECUTE) on the source, WRITE on the target, and READ too for COPYCHUNK', async () => {
    const ctx = context();
    const full = await open(ctx, 'acc-src');
    await write(ctx, full, 0n, pattern(100));
    const srcExec = await open(ctx, 'acc-src', AccessMask.FILE_EXECUTE | AccessMask.FILE_READ_ATTRIBUTES);
    const srcAttr = await open(ctx, 'acc-src', AccessMask.FILE_READ_ATTRIBUTES);
    const dst = await open(ctx, 'acc-dst');
    const dstWriteOnly = await open(ctx, 'acc-dst', AccessMask.FILE_WRITE_DATA);
    const one = [{ s: 0, t: 0, n: 100 }];
    expect((await copy(ctx, dst, await resumeKey(ctx, srcExec), one)).status).toBe(NtStatus.SUCCESS);
    expect((await copy(ctx, dst, await resumeKey(ctx, srcAttr), one)).status).toBe(NtStatus.ACCESS_DENIED);
    const key = await resumeKey(ctx, full);
    expect((await copy(ctx, dstWriteOnly, key, one)).status).toBe(NtStatus.ACCESS_DENIED);
    expect((await copy(ctx, dstWriteOnly, key, one, Fsctl.SRV_COPYCHUNK_WRITE)).status).toBe(
      NtStatus.SUCCESS,
    );
    await ctx.session.opens.closeAll();
  });

  it('a chunk past the source end is INVALID_VIEW_SIZE, a locked range FILE_LOCK_CONFLICT, with the chunks done', async () => {
    const ctx = context();
    const src = await open(ctx, 'ex-src');
    await write(ctx, src, 0n, pattern(8192));
    const key = await resumeKey(ctx, src);
    const dst = await open(ctx, 'ex-dst');
    const a = await copy(ctx, dst, key, [
      { s: 0, t: 0, n: 4096 },
      { s: 4096, t: 4096, n: 8192 },
    ]);
    expect(a.status).toBe(0xc000001f);
    expect(copyChunkResponse.decode(output(a))).toEqual({
      chunksWritten: 1,
      chunkBytesWritten: 0,
      totalBytesWritten: 4096,
    });
    const locker = await open(ctx, 'ex-src');
    const lock = (flags: number) =>
      handleLock(ctx, {
        fileId: locker,
        lockSequenceNumber: 0,
        lockSequenceIndex: 0,
        locks: [{ offset: 0n, length: 4096n, flags }],
      } as never);
    expect((await lock(LockFlags.EXCLUSIVE_LOCK | LockFlags.FAIL_IMMEDIATELY)).status).toBe(NtStatus.SUCCESS);
    const b = await copy(ctx, dst, key, [{ s: 0, t: 0, n: 4096 }]);
    expect(b.status).toBe(NtStatus.FILE_LOCK_CONFLICT);
    expect(copyChunkResponse.decode(output(b)).chunksWritten).toBe(0);
    await ctx.session.opens.closeAll();
  });
});

describe('sparse files', () => {
  const qar = async (ctx: HandlerContext, f: FileId, offset: number, length: number, max = 1024) => {
    const a = await ioctl(
      ctx,
      Fsctl.QUERY_ALLOCATED_RANGES,
      f,
      allocatedRangeQuery.encode({ fileOffset: BigInt(offset), length: BigInt(length) }),
      max,
    );
    return {
      status: a.status,
      ranges:
        a.body === undefined
          ? []
          : allocatedRanges.decode(output(a)).map((r) => [Number(r.fileOffset), Number(r.length)]),
    };
  };
  const zero = (ctx: HandlerContext, f: FileId, from: number, to: number) =>
    ioctl(
      ctx,
      Fsctl.SET_ZERO_DATA,
      f,
      fileZeroDataInformation.encode({ fileOffset: BigInt(from), beyondFinalZero: BigInt(to) }),
      0,
    );
  const setSparse = (ctx: HandlerContext, f: FileId, input = new Uint8Array([1])) =>
    ioctl(ctx, Fsctl.SET_SPARSE, f, input, 0);
  const isSparse = async (ctx: HandlerContext, f: FileId) => {
    const h = ctx.session.opens.get(f, ctx.tree.id)!.handle;
    return ((await share.backend.stat(h)).attributes & FileAttributes.SPARSE_FILE) !== 0;
  };

  it('the flag is set and cleared, kept across close and reopen, and gone for a new file', async () => {
    const ctx = context();
    const f = await open(ctx, 'sp1');
    expect(await isSparse(ctx, f)).toBe(false);
    expect((await setSparse(ctx, f, new Uint8Array(0))).status).toBe(NtStatus.SUCCESS);
    expect(await isSparse(ctx, f)).toBe(true);
    await handleClose(ctx, { flags: 0, fileId: f });
    const again = await open(ctx, 'sp1');
    expect(await isSparse(ctx, again)).toBe(true);
    expect((await setSparse(ctx, again, new Uint8Array(100))).status).toBe(NtStatus.SUCCESS);
    expect(await isSparse(ctx, again)).toBe(false);
    await setSparse(ctx, again);
    await handleClose(ctx, { flags: 0, fileId: again });
    const fresh = await open(ctx, 'sp1', AccessMask.FILE_ALL_ACCESS, CreateDisposition.OVERWRITE_IF);
    expect(await isSparse(ctx, fresh)).toBe(false);
    expect(share.backend.fsAttributes().attributes & 0x40).toBe(0x40);
    await ctx.session.opens.closeAll();
  });

  it('access rules: SET_SPARSE needs a write right, ZERO_DATA WRITE_DATA, QAR READ_DATA; a directory is INVALID_PARAMETER', async () => {
    const ctx = context();
    await open(ctx, 'perm');
    expect((await setSparse(ctx, await open(ctx, 'perm', AccessMask.FILE_WRITE_ATTRIBUTES))).status).toBe(
      NtStatus.SUCCESS,
    );
    expect((await setSparse(ctx, await open(ctx, 'perm', AccessMask.FILE_WRITE_EA))).status).toBe(
      NtStatus.ACCESS_DENIED,
    );
    expect((await zero(ctx, await open(ctx, 'perm', AccessMask.FILE_APPEND_DATA), 0, 10)).status).toBe(
      NtStatus.ACCESS_DENIED,
    );
    expect((await zero(ctx, await open(ctx, 'perm', AccessMask.FILE_WRITE_DATA), 0, 10)).status).toBe(
      NtStatus.SUCCESS,
    );
    expect((await qar(ctx, await open(ctx, 'perm', AccessMask.FILE_READ_ATTRIBUTES), 0, 10)).status).toBe(
      NtStatus.ACCESS_DENIED,
    );
    expect((await qar(ctx, await open(ctx, 'perm', AccessMask.FILE_READ_DATA), 0, 10)).status).toBe(
      NtStatus.SUCCESS,
    );
    const d = await handleCreate(
      ctx,
      createRequestFor('sdir', {
        desiredAccess: AccessMask.FILE_ALL_ACCESS,
        shareAccess: 7,
        createOptions: 1,
      }),
    );
    expect((await setSparse(ctx, (d.body as CreateResponse).fileId)).status).toBe(NtStatus.INVALID_PARAMETER);
    await ctx.session.opens.closeAll();
  });

  it('QUERY_ALLOCATED_RANGES: whole file when not sparse, written ranges minus zeroed ones when sparse', async () => {
    const ctx = context();
    const f = await open(ctx, 'qar', AccessMask.FILE_ALL_ACCESS, CreateDisposition.OVERWRITE_IF);
    await write(ctx, f, 0n, pattern(128 * 1024));
    expect((await qar(ctx, f, 1, 128 * 1024)).ranges).toEqual([[1, 128 * 1024 - 1]]);
    expect((await qar(ctx, f, 128 * 1024, 10)).ranges).toEqual([]);
    // Not sparse: zeroing really zeros, allocation unchanged.
    expect((await zero(ctx, f, 0, 10)).status).toBe(NtStatus.SUCCESS);
    expect(Uint8Array.from(await read(ctx, f, 0n, 10))).toEqual(new Uint8Array(10));
    expect((await qar(ctx, f, 0, 4096)).ranges).toEqual([[0, 4096]]);
    await setSparse(ctx, f);
    expect((await zero(ctx, f, 65536, 200000)).status).toBe(NtStatus.SUCCESS);
    expect((await qar(ctx, f, 0, 65537)).ranges).toEqual([[0, 65536]]);
    expect((await qar(ctx, f, 65537, 1000)).ranges).toEqual([]);
    await write(ctx, f, 100000n, pattern(10));
    expect((await qar(ctx, f, 0, 200000)).ranges).toEqual([
      [0, 65536],
      [100000, 10],
    ]);
    // Truncated answers: OVERFLOW with what fits, TOO_SMALL when nothing fits.
    expect(await qar(ctx, f, 0, 200000, 31)).toEqual({
      status: NtStatus.BUFFER_OVERFLOW,
      ranges: [[0, 65536]],
    });
    expect((await qar(ctx, f, 0, 200000, 0)).status).toBe(NtStatus.BUFFER_TOO_SMALL);
    // The size never changes; bad parameters.
    expect((await zero(ctx, f, 200000, 300000)).status).toBe(NtStatus.SUCCESS);
    expect((await qar(ctx, f, 0, 1 << 30)).ranges.at(-1)).toEqual([100000, 10]);
    expect((await zero(ctx, f, 11, 10)).status).toBe(NtStatus.INVALID_PARAMETER);
    expect(
      (
        await ioctl(
          ctx,
          Fsctl.QUERY_ALLOCATED_RANGES,
          f,
          allocatedRangeQuery.encode({ fileOffset: 512n, length: (1n << 64n) - 1n }),
        )
      ).status,
    ).toBe(NtStatus.INVALID_PARAMETER);
    expect(
      (
        await ioctl(
          ctx,
          Fsctl.QUERY_ALLOCATED_RANGES,
          f,
          allocatedRangeQuery.encode({ fileOffset: 512n, length: (1n << 63n) - 1n }),
        )
      ).status,
    ).toBe(NtStatus.INVALID_PARAMETER);
    expect((await ioctl(ctx, Fsctl.QUERY_ALLOCATED_RANGES, f, new Uint8Array(0))).status).toBe(
      NtStatus.INVALID_PARAMETER,
    );
    expect((await ioctl(ctx, Fsctl.SET_ZERO_DATA, f, new Uint8Array(8))).status).toBe(
      NtStatus.INVALID_PARAMETER,
    );
    // Clearing the flag makes it all allocated again.
    await setSparse(ctx, f, new Uint8Array([0]));
    expect((await qar(ctx, f, 0, 1 << 30)).ranges).toEqual([[0, 128 * 1024]]);
    await ctx.session.opens.closeAll();
  });

  it("ZERO_DATA honours other opens' byte-range locks", async () => {
    const ctx = context();
    const f = await open(ctx, 'zlock', AccessMask.FILE_ALL_ACCESS, CreateDisposition.OVERWRITE_IF);
    await write(ctx, f, 0n, pattern(8192));
    const other = await open(ctx, 'zlock');
    await handleLock(ctx, {
      fileId: other,
      lockSequenceNumber: 0,
      lockSequenceIndex: 0,
      locks: [{ offset: 0n, length: 8192n, flags: LockFlags.EXCLUSIVE_LOCK | LockFlags.FAIL_IMMEDIATELY }],
    } as never);
    expect((await zero(ctx, f, 0, 4096)).status).toBe(NtStatus.FILE_LOCK_CONFLICT);
    expect((await zero(ctx, f, 8192, 9000)).status).toBe(NtStatus.SUCCESS);
    await ctx.session.opens.closeAll();
  });
});

describe('compression', () => {
  it('GET is NONE; SET NONE succeeds, DEFAULT/LZNT1 NOT_SUPPORTED, others INVALID_PARAMETER', async () => {
    const ctx = context();
    const f = await open(ctx, 'cmp');
    const g = await ioctl(ctx, Fsctl.GET_COMPRESSION, f, new Uint8Array(0), 2);
    expect(g.status).toBe(NtStatus.SUCCESS);
    expect(compressionState.decode(output(g))).toBe(CompressionFormat.NONE);
    const set = (v: number) => ioctl(ctx, Fsctl.SET_COMPRESSION, f, compressionState.encode(v), 0);
    expect((await set(CompressionFormat.NONE)).status).toBe(NtStatus.SUCCESS);
    expect((await set(CompressionFormat.DEFAULT)).status).toBe(NtStatus.NOT_SUPPORTED);
    expect((await set(CompressionFormat.LZNT1)).status).toBe(NtStatus.NOT_SUPPORTED);
    expect((await set(7)).status).toBe(NtStatus.INVALID_PARAMETER);
    expect((await ioctl(ctx, Fsctl.SET_COMPRESSION, f, new Uint8Array(1), 0)).status).toBe(
      NtStatus.INVALID_PARAMETER,
    );
    await ctx.session.opens.closeAll();
  });
});

describe('FSCTL_QUERY_NETWORK_INTERFACE_INFO', () => {
  it('lists the non-loopback addresses in 152-byte entries, refuses a short buffer, a FileId and SMB 2', async () => {
    const ctx = context();
    const a = await ioctl(ctx, Fsctl.QUERY_NETWORK_INTERFACE_INFO, ANY, new Uint8Array(0), 0x10000);
    expect(a.status).toBe(NtStatus.SUCCESS);
    const list = networkInterfaceInfo.decode(output(a));
    expect(list).toEqual(await localInterfaces());
    expect(list.some((n) => n.ifIndex === 0)).toBe(false);
    expect(list.some((n) => n.sockAddr.family === 'ipv4' && n.sockAddr.address[0] === 127)).toBe(false);
    if (list.length > 0) {
      const short = await ioctl(ctx, Fsctl.QUERY_NETWORK_INTERFACE_INFO, ANY, new Uint8Array(0), 151);
      expect(short.status).toBe(NtStatus.BUFFER_TOO_SMALL);
    }
    expect(
      (
        await ioctl(
          ctx,
          Fsctl.QUERY_NETWORK_INTERFACE_INFO,
          { persistent: 1n, volatile: 1n },
          new Uint8Array(0),
          0x10000,
        )
      ).status,
    ).toBe(NtStatus.INVALID_PARAMETER);
    const old = { ...ctx, negotiated: { ...ctx.negotiated, dialect: Dialect.SMB_2_1 } };
    expect(
      (await ioctl(old, Fsctl.QUERY_NETWORK_INTERFACE_INFO, ANY, new Uint8Array(0), 0x10000)).status,
    ).toBe(NtStatus.NOT_SUPPORTED);
  });

  it('parses IPv6 text, compressed or not', () => {
    expect(Buffer.from(ipv6Bytes('fe80::fc:ff:fe00:1')).toString('hex')).toBe(
      'fe8000000000000000fc00fffe000001',
    );
    expect(Buffer.from(ipv6Bytes('::1')).toString('hex')).toBe(`${'00'.repeat(15)}01`);
    expect(Buffer.from(ipv6Bytes('1:2:3:4:5:6:7:8')).toString('hex')).toBe(
      '00010002000300040005000600070008',
    );
  });
});
