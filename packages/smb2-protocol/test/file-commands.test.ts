/**
 * File commands (CREATE, CLOSE, FLUSH, READ, WRITE, LOCK, IOCTL, OPLOCK_BREAK), create
 * contexts and FSCTL payloads: round-trips with realistic values, and real messages from
 * the smbclient capture (test/fixtures/file-*.hex, see file-SOURCE.md) decoded and
 * re-encoded byte-exactly.
 */
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import { closeRequest, closeResponse } from '../src/commands/close.js';
import { createRequest, createResponse } from '../src/commands/create.js';
import {
  type CreateRequestContext,
  type CreateResponseContext,
  decodeCreateContextList,
  decodeEaList,
  decodeRequestContexts,
  decodeResponseContexts,
  encodeEaList,
  encodeRequestContexts,
  encodeResponseContexts,
} from '../src/commands/create-contexts.js';
import { flushRequest, flushResponse } from '../src/commands/flush.js';
import {
  copyChunkRequest,
  copyChunkResponse,
  dfsReferralRequest,
  dfsReferralResponse,
  Fsctl,
  formatSockAddr,
  networkInterfaceInfo,
  pipeTransceive,
  resumeKeyResponse,
  validateNegotiateInfoRequest,
  validateNegotiateInfoResponse,
} from '../src/commands/fsctl.js';
import { ioctlRequest, ioctlResponse } from '../src/commands/ioctl.js';
import { lockRequest, lockResponse } from '../src/commands/lock.js';
import {
  leaseBreakAcknowledgment,
  leaseBreakAckResponse,
  leaseBreakNotification,
  oplockBreakAcknowledgment,
  oplockBreakAckResponse,
  oplockBreakNotification,
  oplockBreakRequest,
  oplockBreakResponse,
} from '../src/commands/oplock-break.js';
import { decodeReadResponse, readRequest, readResponse } from '../src/commands/read.js';
import {
  decodeWriteRequest,
  encodeWriteRequestHeaderOnly,
  WRITE_REQUEST_DATA_OFFSET,
  writeRequest,
  writeResponse,
} from '../src/commands/write.js';
import {
  AccessMask,
  ANY_FILE_ID,
  CloseFlags,
  CreateAction,
  CreateDisposition,
  CreateOptions,
  FileAttributes,
  flagNames,
  ImpersonationLevel,
  IoctlFlags,
  LeaseBreakFlags,
  LeaseState,
  LockFlags,
  OplockLevel,
  ShareAccess,
  valueName,
} from '../src/flags.js';
import { Command, HEADER_SIZE, readHeader, writeHeader } from '../src/header.js';
import { decodeMessage as wholeDecode, encodeMessage as wholeMessage } from '../src/message.js';
import { SmbDecodeError, SmbEncodeError } from '../src/wire/errors.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';
import { decodeMessage, encodeMessage, fixture, hex } from './file-commands-helpers.js';

const fileId = { persistent: 0x00000000f19bbeb0n, volatile: 0x000000002fa3e3e6n };
const leaseKey = hex('00112233445566778899aabbccddeeff');
const guid = hex('6ba7b8109dad11d180b400c04fd430c8');
const t0 = 0x01da7a12a3f749dbn;

function roundTrip<T>(codec: BodyCodec<T>, value: T): Uint8Array {
  const bytes = encodeMessage(codec, value);
  expect(decodeMessage(codec, bytes)).toEqual(value);
  return bytes;
}

describe('flags', () => {
  it('names bits and values for logs', () => {
    expect(flagNames(0x0012019f, AccessMask)).toBe(
      'FILE_READ_DATA|FILE_WRITE_DATA|FILE_APPEND_DATA|FILE_READ_EA|FILE_WRITE_EA|FILE_READ_ATTRIBUTES|FILE_WRITE_ATTRIBUTES|READ_CONTROL|SYNCHRONIZE',
    );
    expect(flagNames(FileAttributes.ARCHIVE | FileAttributes.SPARSE | 0x10000000, FileAttributes)).toBe(
      'ARCHIVE|SPARSE_FILE|0x10000000',
    );
    expect(flagNames(0, ShareAccess)).toBe('NONE');
    expect(flagNames(0, CreateOptions)).toBe('0');
    expect(valueName(5, CreateDisposition)).toBe('OVERWRITE_IF');
    expect(valueName(0xff, OplockLevel)).toBe('LEASE');
    expect(valueName(7, CreateAction)).toBe('0x7');
  });
});

describe('CREATE', () => {
  const request = {
    requestedOplockLevel: OplockLevel.LEASE,
    impersonationLevel: ImpersonationLevel.IMPERSONATION,
    desiredAccess: (AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.SYNCHRONIZE) >>> 0,
    fileAttributes: FileAttributes.NORMAL,
    shareAccess: ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE,
    createDisposition: CreateDisposition.OPEN_IF,
    createOptions: CreateOptions.NON_DIRECTORY_FILE | CreateOptions.WRITE_THROUGH,
    name: 'dir\\sub\\file name ü.txt',
    createContexts: [
      { tag: 'MxAc' },
      { tag: 'QFid' },
      {
        tag: 'RqLs',
        lease: {
          version: 2,
          leaseKey,
          leaseState: LeaseState.READ_CACHING | LeaseState.HANDLE_CACHING | LeaseState.WRITE_CACHING,
          leaseFlags: 0,
          leaseDuration: 0n,
          parentLeaseKey: new Uint8Array(16),
          epoch: 0,
        },
      },
      { tag: 'DH2Q', timeout: 0, flags: 0, createGuid: guid },
    ] as CreateRequestContext[],
  };

  it('round-trips a request with contexts, aligned as Windows lays them out', () => {
    const bytes = roundTrip(createRequest, request);
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(HEADER_SIZE + 44, true)).toBe(0x78);
    const ctxOffset = view.getUint32(HEADER_SIZE + 48, true);
    expect(ctxOffset % 8).toBe(0);
    expect(ctxOffset).toBe(Math.ceil((0x78 + request.name.length * 2) / 8) * 8);
    expect(view.getUint32(HEADER_SIZE + 52, true)).toBe(bytes.length - ctxOffset);
  });

  it('sends an empty name with a one-byte buffer, and keeps unusual name padding', () => {
    const root = { ...request, name: '', createContexts: [] };
    const bytes = roundTrip(createRequest, root);
    expect(bytes.length).toBe(HEADER_SIZE + 57);
    const padded = { ...request, name: 'a.txt', createContexts: [], namePadding: new Uint8Array(2) };
    expect(roundTrip(createRequest, padded).length).toBe(HEADER_SIZE + 56 + 10 + 2);
    expect(roundTrip(createRequest, { ...root, securityFlags: 1, smbCreateFlags: 2n })).toBeDefined();
  });

  it('round-trips a response with every response context', () => {
    const response = {
      oplockLevel: OplockLevel.LEASE,
      flags: 0,
      createAction: CreateAction.CREATED,
      creationTime: t0,
      lastAccessTime: t0 + 1n,
      lastWriteTime: t0 + 2n,
      changeTime: t0 + 3n,
      allocationSize: 1048576n,
      endOfFile: 1000000n,
      fileAttributes: FileAttributes.ARCHIVE,
      fileId,
      createContexts: [
        { tag: 'MxAc', queryStatus: 0, maximalAccess: AccessMask.FILE_ALL_ACCESS },
        { tag: 'QFid', diskFileId: Uint8Array.from({ length: 32 }, (_, i) => i) },
        {
          tag: 'RqLs',
          lease: {
            version: 1,
            leaseKey,
            leaseState: LeaseState.READ_CACHING,
            leaseFlags: 0,
            leaseDuration: 0n,
          },
        },
        { tag: 'DHnQ' },
        { tag: 'DH2Q', timeout: 120000, flags: 0 },
        { tag: 'raw', name: hex('93ad25509cb411e7b42383de968bcd7c'), data: hex('0102030405') },
      ] as CreateResponseContext[],
    };
    const bytes = roundTrip(createResponse, response);
    expect(new DataView(bytes.buffer).getUint32(HEADER_SIZE + 80, true)).toBe(0x98);
  });

  it('encodes and decodes every request context standalone', () => {
    const all: CreateRequestContext[] = [
      { tag: 'MxAc', timestamp: t0 },
      { tag: 'DHnQ' },
      { tag: 'DHnC', fileId },
      { tag: 'DH2C', fileId, createGuid: guid, flags: 2 },
      {
        tag: 'ExtA',
        eas: [
          { flags: 0, name: 'user.test', value: hex('414243') },
          { flags: 0x80, name: 'X', value: new Uint8Array(0) },
        ],
      },
      { tag: 'SecD', securityDescriptor: hex('0100048000000000000000000000000014000000') },
      { tag: 'AlSi', allocationSize: 4096n },
      { tag: 'TWrp', timestamp: t0 },
      { tag: 'RqLs', lease: { version: 1, leaseKey, leaseState: 7, leaseFlags: 0, leaseDuration: 0n } },
      { tag: 'raw', name: hex('45bca66aefa7f74a9008fa462e144d74'), data: new Uint8Array(20) },
    ];
    const blob = encodeRequestContexts(all);
    expect(decodeRequestContexts(blob)).toEqual(all);
    // Each entry but the last starts 8-aligned and Next chains them.
    const entries = decodeCreateContextList(blob);
    expect(entries.map((e) => String.fromCharCode(...e.name.subarray(0, 4)))).toContain('DH2C');
    const resp: CreateResponseContext[] = [{ tag: 'MxAc', queryStatus: 0xc0000022, maximalAccess: 0 }];
    expect(decodeResponseContexts(encodeResponseContexts(resp))).toEqual(resp);
  });

  it('lays out an MxAc + QFid request list as Windows does', () => {
    // Windows 10: MxAc (no data) then QFid (no data): 24 + 20 bytes.
    const blob = encodeRequestContexts([{ tag: 'MxAc' }, { tag: 'QFid' }]);
    expect(Buffer.from(blob).toString('hex')).toBe(
      `${'18000000' + '1000' + '0400' + '0000' + '0000' + '00000000'}4d78416300000000${'00000000' + '1000' + '0400' + '0000' + '0000' + '00000000'}51466964`,
    );
  });

  it('refuses malformed contexts with SmbDecodeError', () => {
    const blob = encodeRequestContexts([{ tag: 'MxAc', timestamp: 1n }]);
    const truncated = blob.subarray(0, blob.length - 1);
    expect(() => decodeRequestContexts(truncated)).toThrow(SmbDecodeError);
    const wrongSize = blob.slice();
    wrongSize[12] = 4;
    expect(() => decodeRequestContexts(wrongSize)).toThrow(/MxAc/);
    const loop = encodeRequestContexts([{ tag: 'QFid' }, { tag: 'QFid' }]);
    loop[0] = 4;
    expect(() => decodeRequestContexts(loop)).toThrow(SmbDecodeError);
    expect(decodeEaList(encodeEaList([]))).toEqual([]);
  });
});

describe('CLOSE, FLUSH, LOCK, OPLOCK_BREAK', () => {
  it('round-trips CLOSE with and without attributes', () => {
    roundTrip(closeRequest, { flags: CloseFlags.POSTQUERY_ATTRIB, fileId });
    roundTrip(closeResponse, {
      flags: CloseFlags.POSTQUERY_ATTRIB,
      creationTime: t0,
      lastAccessTime: t0,
      lastWriteTime: t0 + 10n,
      changeTime: t0 + 10n,
      allocationSize: 4096n,
      endOfFile: 34n,
      fileAttributes: FileAttributes.ARCHIVE,
    });
  });

  it('round-trips FLUSH', () => {
    expect(roundTrip(flushRequest, { fileId }).length).toBe(HEADER_SIZE + 24);
    expect(roundTrip(flushResponse, {}).length).toBe(HEADER_SIZE + 4);
  });

  it('round-trips LOCK with several elements and refuses zero locks', () => {
    const lock = {
      lockSequenceNumber: 3,
      lockSequenceIndex: 17,
      fileId,
      locks: [
        { offset: 0n, length: 4096n, flags: LockFlags.EXCLUSIVE_LOCK | LockFlags.FAIL_IMMEDIATELY },
        { offset: 1n << 40n, length: 1n, flags: LockFlags.SHARED_LOCK },
        { offset: 0n, length: 4096n, flags: LockFlags.UNLOCK },
      ],
    };
    const bytes = roundTrip(lockRequest, lock);
    expect(bytes.length).toBe(HEADER_SIZE + 24 + 3 * 24);
    expect(new DataView(bytes.buffer).getUint32(HEADER_SIZE + 4, true)).toBe((17 << 4) | 3);
    expect(() => encodeMessage(lockRequest, { ...lock, locks: [] })).toThrow(SmbEncodeError);
    const zero = bytes.slice();
    zero[HEADER_SIZE + 2] = 0;
    expect(() => decodeMessage(lockRequest, zero)).toThrow(SmbDecodeError);
    roundTrip(lockResponse, {});
  });

  it('round-trips the oplock and lease break forms and tells them apart', () => {
    const oplock = { oplockLevel: OplockLevel.II, fileId };
    roundTrip(oplockBreakNotification, oplock);
    roundTrip(oplockBreakAcknowledgment, { oplockLevel: OplockLevel.NONE, fileId });
    roundTrip(oplockBreakAckResponse, oplock);
    const notification = {
      newEpoch: 2,
      flags: LeaseBreakFlags.ACK_REQUIRED,
      leaseKey,
      currentLeaseState: LeaseState.READ_CACHING | LeaseState.WRITE_CACHING,
      newLeaseState: LeaseState.READ_CACHING,
      breakReason: 0,
      accessMaskHint: 0,
      shareMaskHint: 0,
    };
    expect(roundTrip(leaseBreakNotification, notification).length).toBe(HEADER_SIZE + 44);
    const ack = { flags: 0, leaseKey, leaseState: LeaseState.READ_CACHING, leaseDuration: 0n };
    expect(roundTrip(leaseBreakAcknowledgment, ack).length).toBe(HEADER_SIZE + 36);
    roundTrip(leaseBreakAckResponse, ack);
    roundTrip(oplockBreakRequest, { kind: 'oplock', ...oplock });
    roundTrip(oplockBreakRequest, { kind: 'lease', ...ack });
    roundTrip(oplockBreakResponse, { kind: 'oplock', ...oplock });
    roundTrip(oplockBreakResponse, { kind: 'lease', ...ack });
    roundTrip(oplockBreakResponse, { kind: 'leaseNotification', ...notification });
    expect(decodeMessage(oplockBreakResponse, encodeMessage(leaseBreakNotification, notification)).kind).toBe(
      'leaseNotification',
    );
  });
});

describe('READ and WRITE', () => {
  it('round-trips READ with the one-byte buffer and with channel info', () => {
    const req = {
      padding: 0x50,
      flags: 0,
      length: 8 * 1024 * 1024,
      offset: 1n << 33n,
      fileId,
      minimumCount: 0,
      channel: 0,
      remainingBytes: 0,
    };
    expect(roundTrip(readRequest, req).length).toBe(HEADER_SIZE + 49);
    roundTrip(readRequest, { ...req, channel: 1, readChannelInfo: hex('00000000000000001122334400100000') });
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    roundTrip(readResponse, { dataOffset: 0x50, dataRemaining: 0, flags: 0, data });
    roundTrip(readResponse, { dataOffset: 0x60, dataRemaining: 5, flags: 0, data });
  });

  it('decodes READ data as a view when asked, with its offset in the message', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const msg = encodeMessage(readResponse, { dataRemaining: 0, flags: 0, data });
    const r = new Reader(msg);
    r.pos = HEADER_SIZE;
    const v = decodeReadResponse(r, { view: true });
    expect(v.data.buffer).toBe(msg.buffer);
    expect(v.data.byteOffset).toBe(0x50);
    expect(v.dataOffset).toBe(0x50);
    expect(r.pos).toBe(msg.length);
    const copy = decodeMessage(readResponse, msg);
    expect(copy.data.buffer).not.toBe(msg.buffer);
    expect(copy.data).toEqual(data);
  });

  it('round-trips WRITE and its header-only form matches the full encoding', () => {
    const data = new TextEncoder().encode('reference payload for the capture\n');
    const fixed = { offset: 4096n, fileId, channel: 0, remainingBytes: 0, flags: 0 };
    const full = roundTrip(writeRequest, { ...fixed, dataOffset: WRITE_REQUEST_DATA_OFFSET, data });
    const w = new Writer();
    encodeWriteRequestHeaderOnly(fixed, data.length, w);
    const head = w.finish();
    expect(head.length).toBe(48);
    expect(Buffer.concat([new Uint8Array(HEADER_SIZE), head, data])).toEqual(Buffer.from(full));
    roundTrip(writeRequest, { ...fixed, dataOffset: 0x70, data: new Uint8Array(0) });
    roundTrip(writeRequest, {
      ...fixed,
      channel: 1,
      dataOffset: 0x70,
      data: new Uint8Array(0),
      writeChannelInfo: hex('0000000000000000aabbccdd00000100'),
    });
    expect(() =>
      encodeWriteRequestHeaderOnly({ ...fixed, writeChannelInfo: hex('00') }, 1, new Writer()),
    ).toThrow(SmbEncodeError);
    const r = new Reader(full);
    r.pos = HEADER_SIZE;
    const view = decodeWriteRequest(r, { view: true });
    expect(view.data.buffer).toBe(full.buffer);
    roundTrip(writeResponse, { count: 65536, remaining: 0 });
  });

  it('decodeMessage passes { view } to the body codec: WRITE and READ payloads without a copy', () => {
    const header = {
      creditCharge: 1,
      status: 0,
      command: Command.WRITE,
      credits: 1,
      flags: 0,
      nextCommand: 0,
      messageId: 7n,
      treeId: 1,
      sessionId: 2n,
      signature: new Uint8Array(16),
    };
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    const write = { offset: 0n, fileId, channel: 0, remainingBytes: 0, flags: 0, data };
    const frame = wholeMessage(header, writeRequest, write);
    const viewed = wholeDecode(frame, undefined, { view: true }).body as { data: Uint8Array };
    expect(viewed.data.buffer).toBe(frame.buffer);
    expect(viewed.data).toEqual(data);
    const copied = wholeDecode(frame).body as { data: Uint8Array };
    expect(copied.data.buffer).not.toBe(frame.buffer);
    expect(copied.data).toEqual(data);
    // A view is still bounds-checked: a Length past the message is refused.
    const bad = frame.slice();
    new DataView(bad.buffer).setUint32(HEADER_SIZE + 4, data.length + 1, true);
    expect(() => wholeDecode(bad, undefined, { view: true })).toThrow(SmbDecodeError);
    const response = { ...header, flags: 1, command: Command.READ };
    const read = wholeMessage(response, readResponse, { dataRemaining: 0, flags: 0, data });
    const readView = wholeDecode(read, undefined, { view: true }).body as { data: Uint8Array };
    expect(readView.data.buffer).toBe(read.buffer);
  });
});

describe('IOCTL and FSCTL payloads', () => {
  it('round-trips a VALIDATE_NEGOTIATE_INFO exchange', () => {
    const vni = {
      capabilities: 0x7f,
      guid,
      securityMode: 1,
      dialects: [0x0202, 0x0210, 0x0300, 0x0302, 0x0311],
    };
    const input = validateNegotiateInfoRequest.encode(vni);
    expect(input.length).toBe(24 + 10);
    expect(validateNegotiateInfoRequest.decode(input)).toEqual(vni);
    const req = {
      ctlCode: Fsctl.VALIDATE_NEGOTIATE_INFO,
      fileId: ANY_FILE_ID,
      input,
      maxInputResponse: 0,
      output: new Uint8Array(0),
      maxOutputResponse: 24,
      flags: IoctlFlags.IS_FSCTL,
    };
    roundTrip(ioctlRequest, req);
    const out = { capabilities: 0x2f, guid, securityMode: 1, dialect: 0x0302 };
    const output = validateNegotiateInfoResponse.encode(out);
    expect(validateNegotiateInfoResponse.decode(output)).toEqual(out);
    const resp = roundTrip(ioctlResponse, {
      ctlCode: req.ctlCode,
      fileId: ANY_FILE_ID,
      input: new Uint8Array(0),
      output,
      flags: 0,
    });
    const view = new DataView(resp.buffer);
    expect(view.getUint32(HEADER_SIZE + 24, true)).toBe(0x70);
    expect(view.getUint32(HEADER_SIZE + 32, true)).toBe(0x70);
  });

  it('places output after input, aligned, and a dummy byte for an empty request', () => {
    const both = {
      ctlCode: Fsctl.PIPE_TRANSCEIVE,
      fileId,
      input: hex('050000031000'),
      maxInputResponse: 0,
      output: hex('aa'),
      maxOutputResponse: 4280,
      flags: 1,
    };
    const bytes = roundTrip(ioctlRequest, both);
    expect(new DataView(bytes.buffer).getUint32(HEADER_SIZE + 36, true)).toBe(0x80);
    const empty = roundTrip(ioctlRequest, {
      ...both,
      ctlCode: Fsctl.SRV_REQUEST_RESUME_KEY,
      input: new Uint8Array(0),
      output: new Uint8Array(0),
    });
    expect(empty.length).toBe(HEADER_SIZE + 57);
    expect(pipeTransceive.decode(pipeTransceive.encode(hex('0102')))).toEqual(hex('0102'));
  });

  it('round-trips network interfaces, resume keys, copychunk and DFS referrals', () => {
    const ifaces = [
      {
        ifIndex: 2,
        capability: 1,
        linkSpeed: 10_000_000_000n,
        sockAddr: { family: 'ipv4' as const, port: 0, address: hex('c0a80a05') },
      },
      {
        ifIndex: 2,
        capability: 3,
        linkSpeed: 10_000_000_000n,
        sockAddr: {
          family: 'ipv6' as const,
          port: 445,
          flowInfo: 0,
          address: hex('fe800000000000000211223344556677'),
          scopeId: 2,
        },
      },
      {
        ifIndex: 9,
        capability: 0,
        linkSpeed: 0n,
        sockAddr: { family: 0x1c, raw: new Uint8Array(126).fill(7) },
      },
    ];
    const blob = networkInterfaceInfo.encode(ifaces);
    expect(blob.length).toBe(3 * 152);
    expect(networkInterfaceInfo.decode(blob)).toEqual(ifaces);
    expect(formatSockAddr(ifaces[0]!.sockAddr)).toBe('192.168.10.5');
    expect(formatSockAddr(ifaces[1]!.sockAddr)).toBe('fe80:0:0:0:211:2233:4455:6677');
    const key = { resumeKey: Uint8Array.from({ length: 24 }, (_, i) => i + 1), context: new Uint8Array(0) };
    expect(resumeKeyResponse.decode(resumeKeyResponse.encode(key))).toEqual(key);
    const copy = {
      sourceKey: key.resumeKey,
      chunks: [
        { sourceOffset: 0n, targetOffset: 0n, length: 1048576 },
        { sourceOffset: 1048576n, targetOffset: 1048576n, length: 4096 },
      ],
    };
    expect(copyChunkRequest.encode(copy).length).toBe(32 + 48);
    expect(copyChunkRequest.decode(copyChunkRequest.encode(copy))).toEqual(copy);
    const done = { chunksWritten: 2, chunkBytesWritten: 0, totalBytesWritten: 1052672 };
    expect(copyChunkResponse.decode(copyChunkResponse.encode(done))).toEqual(done);
    const dfs = { maxReferralLevel: 4, requestFileName: '\\server\\share\\dir' };
    expect(dfsReferralRequest.decode(dfsReferralRequest.encode(dfs))).toEqual(dfs);
    const dfsResp = {
      pathConsumed: 28,
      numberOfReferrals: 1,
      referralHeaderFlags: 3,
      referrals: hex('0400220000000400'),
    };
    expect(dfsReferralResponse.decode(dfsReferralResponse.encode(dfsResp))).toEqual(dfsResp);
    expect(() => dfsReferralRequest.decode(hex('0400410042'))).toThrow(SmbDecodeError);
  });
});

/** Decodes a captured message (header + body) and re-encodes it byte for byte. */
function captured<T>(file: string, codec: BodyCodec<T>): T {
  const bytes = fixture(file);
  const r = new Reader(bytes, 0, bytes.length, codec.name);
  const header = readHeader(r);
  expect(header.command).toBe(codec.command);
  const value = codec.decode(r);
  expect(r.pos).toBe(bytes.length);
  const w = new Writer();
  writeHeader(w, header);
  const body = new Writer();
  codec.encode(value, body);
  expect(Buffer.from([...w.finish(), ...body.finish()]).toString('hex')).toBe(
    Buffer.from(bytes).toString('hex'),
  );
  return value;
}

describe('smbclient capture (SMB 3.1.1, Samba server)', () => {
  it('CREATE requests: a file, hello.txt with 2 bytes of name padding, the share root with a dummy byte', () => {
    const txt = captured('file-f024-create-txt-req.hex', createRequest);
    expect(txt).toMatchObject({
      requestedOplockLevel: OplockLevel.NONE,
      impersonationLevel: ImpersonationLevel.IMPERSONATION,
      desiredAccess: 0x0012019f,
      shareAccess: ShareAccess.READ | ShareAccess.WRITE,
      createDisposition: CreateDisposition.OVERWRITE_IF,
      createOptions: CreateOptions.NON_DIRECTORY_FILE,
      name: 'ref-smbclient-krb5.txt',
      createContexts: [],
    });
    expect(txt.namePadding).toBeUndefined();
    expect(captured('file-f040-create-open-txt-req.hex', createRequest).createDisposition).toBe(
      CreateDisposition.OPEN,
    );
    const hello = captured('file-f048-create-hello-req.hex', createRequest);
    expect(hello.name).toBe('hello.txt');
    expect(hello.namePadding).toEqual(new Uint8Array(2));
    const root = captured('file-f056-create-empty-name-req.hex', createRequest);
    expect(root.name).toBe('');
    expect(root.namePadding).toBeUndefined();
    expect(root.createOptions).toBe(CreateOptions.DIRECTORY_FILE);
  });

  it('CREATE responses', () => {
    const created = captured('file-f025-create-txt-resp.hex', createResponse);
    expect(created).toMatchObject({
      createAction: CreateAction.CREATED,
      fileAttributes: FileAttributes.ARCHIVE,
      endOfFile: 0n,
    });
    expect(created.fileId).toEqual({ persistent: 0xf19bbeb0n, volatile: 0x2fa3e3e6n });
    expect(created.creationTime).toBe(0x01dd7a12a3f749dbn);
    const opened = captured('file-f041-create-open-txt-resp.hex', createResponse);
    expect(opened).toMatchObject({
      createAction: CreateAction.OPENED,
      endOfFile: 34n,
      allocationSize: 4096n,
    });
    captured('file-f049-create-hello-resp.hex', createResponse);
    expect(captured('file-f057-create-empty-name-resp.hex', createResponse).fileAttributes).toBe(
      FileAttributes.DIRECTORY,
    );
  });

  it('WRITE request and responses; the 64 KiB write header equals the header-only encoding', () => {
    const write = captured('file-f026-write-req.hex', writeRequest);
    expect(new TextDecoder().decode(write.data)).toBe('reference payload for the capture\n');
    expect(write).toMatchObject({ dataOffset: 0x70, offset: 0n, fileId });
    expect(captured('file-f027-write-resp.hex', writeResponse)).toEqual({ count: 34, remaining: 0 });
    expect(captured('file-f037-write-64k-resp.hex', writeResponse)).toEqual({ count: 65536, remaining: 0 });
    const prefix = fixture('file-f032-write-64k-req-prefix.hex');
    const header = readHeader(new Reader(prefix));
    expect(header.command).toBe(Command.WRITE);
    const w = new Writer();
    writeHeader(w, header);
    encodeWriteRequestHeaderOnly(
      {
        offset: 0n,
        fileId: { persistent: 0xb1c0a8c2n, volatile: 0xda988d40n },
        channel: 0,
        remainingBytes: 0,
        flags: 0,
      },
      65536,
      w,
    );
    expect(Buffer.from(w.finish()).toString('hex')).toBe(Buffer.from(prefix).toString('hex'));
  });

  it('CLOSE requests and responses', () => {
    expect(captured('file-f028-close-req.hex', closeRequest)).toEqual({ flags: 0, fileId });
    captured('file-f038-close-bin-req.hex', closeRequest);
    expect(captured('file-f029-close-resp.hex', closeResponse).endOfFile).toBe(0n);
  });

  it('READ request (with its one-byte buffer) and response', () => {
    const read = captured('file-f044-read-req.hex', readRequest);
    expect(read).toMatchObject({ length: 34, offset: 0n, minimumCount: 0, channel: 0 });
    const resp = captured('file-f045-read-resp.hex', readResponse);
    expect(resp.dataOffset).toBe(0x50);
    expect(new TextDecoder().decode(resp.data)).toBe('reference payload for the capture\n');
  });

  it('IOCTL FSCTL_DFS_GET_REFERRALS request and its input', () => {
    const ioctl = captured('file-f018-ioctl-dfs-referrals-req.hex', ioctlRequest);
    expect(ioctl).toMatchObject({
      ctlCode: Fsctl.DFS_GET_REFERRALS,
      fileId: ANY_FILE_ID,
      maxOutputResponse: 0xffff,
      flags: IoctlFlags.IS_FSCTL,
    });
    expect(dfsReferralRequest.decode(ioctl.input)).toEqual({
      maxReferralLevel: 3,
      requestFileName: '\\samba.mit.test\\share',
    });
    expect(dfsReferralRequest.encode(dfsReferralRequest.decode(ioctl.input))).toEqual(ioctl.input);
  });
});
