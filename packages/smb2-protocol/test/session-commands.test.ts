/**
 * NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_CONNECT, TREE_DISCONNECT, ECHO, CANCEL and ERROR
 * bodies, negotiate contexts and NTSTATUS: real bytes from smbclient/Samba decoded and
 * re-encoded byte for byte, round trips of realistic values, and refusals.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import { cancelRequest } from '../src/commands/cancel.js';
import { echoRequest, echoResponse } from '../src/commands/echo.js';
import {
  decodeShareRedirectError,
  decodeSymlinkError,
  ErrorId,
  type ErrorResponse,
  encodeShareRedirectError,
  encodeSymlinkError,
  errorResponse,
  errorResponseFor,
  hasErrorResponseBody,
  requiredBufferLength,
  SYMLINK_FLAG_RELATIVE,
  symlinkErrorOf,
} from '../src/commands/error-response.js';
import { logoffRequest, logoffResponse } from '../src/commands/logoff.js';
import {
  Dialect,
  GlobalCapabilities,
  type NegotiateRequest,
  type NegotiateResponse,
  negotiateRequest,
  negotiateResponse,
  SecurityMode,
} from '../src/commands/negotiate.js';
import {
  CompressionAlgorithm,
  CompressionCapabilitiesFlags,
  findNegotiateContext,
  type NegotiateContext,
  RdmaTransform,
  TransportCapabilitiesFlags,
} from '../src/commands/negotiate-contexts.js';
import {
  SessionFlags,
  type SessionSetupRequest,
  SessionSetupRequestFlags,
  type SessionSetupResponse,
  sessionSetupRequest,
  sessionSetupResponse,
} from '../src/commands/session-setup.js';
import {
  ShareCapabilities,
  ShareFlags,
  ShareType,
  TreeConnectFlags,
  type TreeConnectRequest,
  treeConnectRequest,
  treeConnectResponse,
} from '../src/commands/tree-connect.js';
import { treeDisconnectRequest, treeDisconnectResponse } from '../src/commands/tree-disconnect.js';
import { CipherId, HashAlgorithmId, SigningAlgorithmId } from '../src/crypto/constants.js';
import { Command, HEADER_SIZE, readHeader, type Smb2Header } from '../src/header.js';
import { isError, isSuccess, isWarning, NtStatus, ntStatusName, ntStatusSeverity } from '../src/status.js';
import { SmbDecodeError, SmbEncodeError } from '../src/wire/errors.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';

function fixture(name: string): Uint8Array {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

function decodeMessage<T>(codec: BodyCodec<T>, message: Uint8Array): { header: Smb2Header; body: T } {
  const r = new Reader(message);
  const header = readHeader(r);
  return { header, body: codec.decode(r) };
}

function encodeBody<T>(codec: BodyCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(value, w);
  return w.finish();
}

function decodeBody<T>(codec: BodyCodec<T>, body: Uint8Array): T {
  const message = new Uint8Array(HEADER_SIZE + body.length);
  message.set(body, HEADER_SIZE);
  const r = new Reader(message);
  r.pos = HEADER_SIZE;
  return codec.decode(r);
}

const roundTrip = <T>(codec: BodyCodec<T>, value: T): T => decodeBody(codec, encodeBody(codec, value));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf16 = (s: string): string => Buffer.from(s, 'utf16le').toString('hex');

function decodeError(f: () => unknown): SmbDecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof SmbDecodeError) return e;
    throw e;
  }
  throw new Error('expected an SmbDecodeError');
}

/** Decodes a captured message, checks the command, and re-encodes the body byte for byte. */
function exact<T>(codec: BodyCodec<T>, file: string): { header: Smb2Header; body: T } {
  const message = fixture(file);
  const decoded = decodeMessage(codec, message);
  expect(decoded.header.command).toBe(codec.command);
  expect(hex(encodeBody(codec, decoded.body))).toBe(hex(message.subarray(HEADER_SIZE)));
  return decoded;
}

const guidA = Uint8Array.from(Buffer.from('353eab4f31ffc446b37ff34268137a16', 'hex'));
const salt = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

describe('captured exchange (smbclient 4.17 ↔ Samba 4.17, SMB 3.1.1): decode → encode is byte-exact', () => {
  it('NEGOTIATE request (frame 8)', () => {
    const { body } = exact(negotiateRequest, 'session-f008-negotiate-req.hex');
    expect(body.dialects).toEqual([0x0202, 0x0210, 0x0300, 0x0302, 0x0311]);
    expect(body.securityMode).toBe(SecurityMode.SIGNING_ENABLED | SecurityMode.SIGNING_REQUIRED);
    expect(body.capabilities).toBe(0x7f);
    expect(body.clientStartTime).toBeUndefined();
    expect(hex(body.clientGuid)).toBe('353eab4f31ffc446b37ff34268137a16');
    const contexts = body.negotiateContexts ?? [];
    expect(contexts.map((c) => c.kind)).toEqual(['preauthIntegrity', 'encryption', 'signing', 'netname']);
    expect(findNegotiateContext(contexts, 'preauthIntegrity')?.hashAlgorithms).toEqual([
      HashAlgorithmId.SHA_512,
    ]);
    expect(hex(findNegotiateContext(contexts, 'preauthIntegrity')?.salt ?? new Uint8Array())).toBe(
      '709f9db5b3a4557b35566260044bb467fdac40247cce1a5d684b7f0e5c7adaba',
    );
    expect(findNegotiateContext(contexts, 'encryption')?.ciphers).toEqual([
      CipherId.AES_128_GCM,
      CipherId.AES_128_CCM,
      CipherId.AES_256_GCM,
      CipherId.AES_256_CCM,
    ]);
    expect(findNegotiateContext(contexts, 'signing')?.algorithms).toEqual([
      SigningAlgorithmId.AES_GMAC,
      SigningAlgorithmId.AES_CMAC,
      SigningAlgorithmId.HMAC_SHA256,
    ]);
    expect(findNegotiateContext(contexts, 'netname')?.netName).toBe('samba.mit.test');
  });

  it('NEGOTIATE response (frame 10)', () => {
    const { header, body } = exact(negotiateResponse, 'session-f010-negotiate-resp.hex');
    expect(header.status).toBe(NtStatus.SUCCESS);
    expect(body.dialectRevision).toBe(Dialect.SMB_3_1_1);
    expect(body.maxTransactSize).toBe(8388608);
    expect(body.maxReadSize).toBe(8388608);
    expect(body.maxWriteSize).toBe(8388608);
    expect(body.serverStartTime).toBe(0n);
    expect(body.capabilities).toBe(0x0f);
    expect(body.securityBuffer.length).toBe(96);
    expect(hex(body.securityBuffer.subarray(0, 10))).toBe('605e06062b0601050502'); // SPNEGO OID
    expect(body.negotiateContexts?.map((c) => c.kind)).toEqual(['preauthIntegrity', 'encryption', 'signing']);
    expect(findNegotiateContext(body.negotiateContexts, 'encryption')?.ciphers).toEqual([
      CipherId.AES_128_GCM,
    ]);
    expect(findNegotiateContext(body.negotiateContexts, 'signing')?.algorithms).toEqual([
      SigningAlgorithmId.AES_GMAC,
    ]);
    // Nov 21 2026 23:47:16.977861 UTC as FILETIME.
    const unixMs = Number(body.systemTime / 10_000n - 11_644_473_600_000n);
    expect(new Date(unixMs).toISOString()).toBe('2026-11-21T23:47:16.977Z');
  });

  it('SESSION_SETUP request and response (frames 14, 15)', () => {
    const req = exact(sessionSetupRequest, 'session-f014-session-setup-req.hex').body;
    expect(req.flags).toBe(0);
    expect(req.securityMode).toBe(SecurityMode.SIGNING_ENABLED | SecurityMode.SIGNING_REQUIRED);
    expect(req.previousSessionId).toBe(0n);
    expect(req.securityBuffer[0]).toBe(0x60); // GSS InitialContextToken
    const res = exact(sessionSetupResponse, 'session-f015-session-setup-resp.hex');
    expect(res.header.status).toBe(NtStatus.SUCCESS);
    expect(res.header.sessionId).toBe(0x614378fbn);
    expect(res.body.sessionFlags).toBe(0);
    expect(res.body.securityBuffer[0]).toBe(0xa1); // SPNEGO negTokenResp
  });

  it('TREE_CONNECT requests and responses (frames 16, 17, 22, 23)', () => {
    expect(exact(treeConnectRequest, 'session-f016-tree-connect-ipc-req.hex').body).toEqual({
      flags: 0,
      path: '\\\\samba.mit.test\\IPC$',
    });
    expect(exact(treeConnectRequest, 'session-f022-tree-connect-share-req.hex').body.path).toBe(
      '\\\\samba.mit.test\\share',
    );
    expect(exact(treeConnectResponse, 'session-f017-tree-connect-ipc-resp.hex').body).toEqual({
      shareType: ShareType.PIPE,
      shareFlags: 0,
      capabilities: 0,
      maximalAccess: 0x001f00a9,
    });
    expect(exact(treeConnectResponse, 'session-f023-tree-connect-share-resp.hex').body.shareType).toBe(
      ShareType.DISK,
    );
  });

  it('TREE_DISCONNECT request and response (frames 20, 21)', () => {
    expect(exact(treeDisconnectRequest, 'session-f020-tree-disconnect-req.hex').body).toEqual({});
    expect(exact(treeDisconnectResponse, 'session-f021-tree-disconnect-resp.hex').body).toEqual({});
  });

  it('ERROR responses to IOCTL and QUERY_DIRECTORY (frames 19, 61)', () => {
    const ioctl = fixture('session-f019-error-ioctl-not-found-resp.hex');
    const h1 = readHeader(new Reader(ioctl));
    expect(ntStatusName(h1.status)).toBe('STATUS_NOT_FOUND');
    expect(hasErrorResponseBody(h1.command, h1.status)).toBe(true);
    const e1 = exact(errorResponseFor(Command.IOCTL), 'session-f019-error-ioctl-not-found-resp.hex').body;
    expect(e1).toEqual({ errorData: new Uint8Array(0), errorContexts: [] });
    const find = exact(
      errorResponseFor(Command.QUERY_DIRECTORY),
      'session-f061-error-find-no-more-files-resp.hex',
    );
    expect(find.header.status).toBe(NtStatus.NO_MORE_FILES);
    expect(isWarning(find.header.status)).toBe(true);
  });
});

describe('NEGOTIATE', () => {
  const allContexts: NegotiateContext[] = [
    { kind: 'preauthIntegrity', hashAlgorithms: [HashAlgorithmId.SHA_512], salt },
    {
      kind: 'encryption',
      ciphers: [CipherId.AES_256_GCM, CipherId.AES_128_GCM, CipherId.AES_256_CCM, CipherId.AES_128_CCM],
    },
    {
      kind: 'compression',
      flags: CompressionCapabilitiesFlags.CHAINED,
      algorithms: [CompressionAlgorithm.PATTERN_V1, CompressionAlgorithm.LZ77, CompressionAlgorithm.LZ4],
    },
    { kind: 'netname', netName: 'fileserver.corp.example' },
    { kind: 'transport', flags: TransportCapabilitiesFlags.ACCEPT_TRANSPORT_LEVEL_SECURITY },
    { kind: 'rdmaTransform', transformIds: [RdmaTransform.ENCRYPTION, RdmaTransform.SIGNING] },
    { kind: 'signing', algorithms: [SigningAlgorithmId.AES_GMAC, SigningAlgorithmId.AES_CMAC] },
    { kind: 'raw', type: 0x0100, data: Uint8Array.of(0x93, 0xad, 0x25, 0x50, 0x9c, 0xb4, 0x11, 0xe7) },
  ];

  it('round-trips a 3.1.1 request with every context type, each 8-byte aligned', () => {
    const req: NegotiateRequest = {
      securityMode: SecurityMode.SIGNING_ENABLED,
      capabilities: GlobalCapabilities.DFS | GlobalCapabilities.LEASING | GlobalCapabilities.LARGE_MTU,
      clientGuid: guidA,
      dialects: [Dialect.SMB_2_0_2, Dialect.SMB_2_1, Dialect.SMB_3_0, Dialect.SMB_3_0_2, Dialect.SMB_3_1_1],
      negotiateContexts: allContexts,
    };
    const body = encodeBody(negotiateRequest, req);
    expect(decodeBody(negotiateRequest, body)).toEqual(req);
    const view = new DataView(body.buffer);
    const offset = view.getUint32(28, true);
    expect(offset % 8).toBe(0);
    expect(view.getUint16(32, true)).toBe(allContexts.length);
    // Each context header sits on an 8-byte boundary counted from the SMB2 header.
    let at = offset - HEADER_SIZE;
    for (const _ of allContexts) {
      expect((at + HEADER_SIZE) % 8).toBe(0);
      at += 8 + view.getUint16(at + 2, true);
      at = Math.ceil(at / 8) * 8;
    }
  });

  it('writes ClientStartTime, not contexts, without 3.1.1', () => {
    const req: NegotiateRequest = {
      securityMode: SecurityMode.SIGNING_REQUIRED | SecurityMode.SIGNING_ENABLED,
      capabilities: GlobalCapabilities.DFS,
      clientGuid: guidA,
      dialects: [Dialect.SMB_2_0_2, Dialect.SMB_2_1],
      clientStartTime: 0n,
    };
    const body = encodeBody(negotiateRequest, req);
    expect(body.length).toBe(36 + 4);
    expect(decodeBody(negotiateRequest, body)).toEqual(req);
    expect(() =>
      encodeBody(negotiateRequest, { ...req, negotiateContexts: [{ kind: 'transport', flags: 1 }] }),
    ).toThrow(SmbEncodeError);
  });

  it('round-trips 3.0.2 and 3.1.1 responses', () => {
    const base: NegotiateResponse = {
      securityMode: SecurityMode.SIGNING_ENABLED,
      dialectRevision: Dialect.SMB_3_0_2,
      serverGuid: guidA.slice().reverse(),
      capabilities: GlobalCapabilities.DFS | GlobalCapabilities.LEASING | GlobalCapabilities.ENCRYPTION,
      maxTransactSize: 8 * 1024 * 1024,
      maxReadSize: 8 * 1024 * 1024,
      maxWriteSize: 8 * 1024 * 1024,
      systemTime: 134_085_000_000_000_000n,
      serverStartTime: 0n,
      securityBuffer: Uint8Array.of(0x60, 0x28, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02),
    };
    expect(roundTrip(negotiateResponse, base)).toEqual(base);
    const v311: NegotiateResponse = {
      ...base,
      dialectRevision: Dialect.SMB_3_1_1,
      negotiateContexts: [
        { kind: 'preauthIntegrity', hashAlgorithms: [HashAlgorithmId.SHA_512], salt },
        { kind: 'encryption', ciphers: [CipherId.AES_128_GCM] },
        { kind: 'signing', algorithms: [SigningAlgorithmId.AES_CMAC] },
      ],
    };
    expect(roundTrip(negotiateResponse, v311)).toEqual(v311);
    // 3.1.1 with no contexts and an empty buffer.
    const empty = { ...v311, securityBuffer: new Uint8Array(0), negotiateContexts: [] };
    expect(roundTrip(negotiateResponse, empty)).toEqual(empty);
    // SMB1-negotiate answer with the wildcard dialect.
    const wildcard = { ...base, dialectRevision: Dialect.SMB_2_WILDCARD };
    expect(roundTrip(negotiateResponse, wildcard)).toEqual(wildcard);
  });

  it('refuses bad StructureSize, truncated dialects, buffers and contexts outside the message', () => {
    const good = fixture('session-f008-negotiate-req.hex');
    const badSize = good.slice();
    badSize[HEADER_SIZE] = 37;
    expect(decodeError(() => decodeMessage(negotiateRequest, badSize)).path).toBe(
      'NEGOTIATE Request.StructureSize',
    );
    const truncated = good.slice(0, HEADER_SIZE + 40);
    expect(decodeError(() => decodeMessage(negotiateRequest, truncated)).path).toMatch(/Dialects\[2\]/);
    const shortContexts = good.slice(0, good.length - 12);
    expect(decodeError(() => decodeMessage(negotiateRequest, shortContexts)).path).toMatch(
      /NegotiateContextList\[3\]/,
    );
    const resp = fixture('session-f010-negotiate-resp.hex');
    const badBuffer = resp.slice();
    new DataView(badBuffer.buffer).setUint16(HEADER_SIZE + 58, 0x7fff, true); // SecurityBufferLength
    const e = decodeError(() => decodeMessage(negotiateResponse, badBuffer));
    expect(e.path).toBe('NEGOTIATE Response.SecurityBuffer');
    expect(e.reason).toMatch(/outside the message/);
  });

  it('refuses a known context whose DataLength does not match its contents', () => {
    const good = fixture('session-f008-negotiate-req.hex');
    const bad = good.slice();
    // The encryption context (second) at 0xa0 says CipherCount 4 in 10 bytes; make it 3.
    expect(new DataView(bad.buffer).getUint16(0xa0, true)).toBe(2);
    new DataView(bad.buffer).setUint16(0xa8, 3, true);
    const e = decodeError(() => decodeMessage(negotiateRequest, bad));
    expect(e.path).toMatch(/NegotiateContextList\[1\]\.DataLength/);
  });
});

describe('SESSION_SETUP', () => {
  it('round-trips a binding request and guest/encrypted responses', () => {
    const req: SessionSetupRequest = {
      flags: SessionSetupRequestFlags.BINDING,
      securityMode: SecurityMode.SIGNING_REQUIRED,
      capabilities: GlobalCapabilities.DFS,
      channel: 0,
      securityBuffer: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
      previousSessionId: 0x0000040000000011n,
    };
    const body = encodeBody(sessionSetupRequest, req);
    expect(new DataView(body.buffer).getUint16(12, true)).toBe(0x58);
    expect(roundTrip(sessionSetupRequest, req)).toEqual(req);
    const res: SessionSetupResponse = {
      sessionFlags: SessionFlags.IS_GUEST,
      securityBuffer: Uint8Array.of(0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00),
    };
    expect(new DataView(encodeBody(sessionSetupResponse, res).buffer).getUint16(4, true)).toBe(0x48);
    expect(roundTrip(sessionSetupResponse, res)).toEqual(res);
    const final = { sessionFlags: SessionFlags.ENCRYPT_DATA, securityBuffer: new Uint8Array(0) };
    expect(roundTrip(sessionSetupResponse, final)).toEqual(final);
  });

  it('reads an empty SecurityBuffer whatever its offset, refuses one outside the message', () => {
    const body = Uint8Array.of(9, 0, 2, 0, 0, 0, 0, 0);
    expect(decodeBody(sessionSetupResponse, body)).toEqual({
      sessionFlags: 2,
      securityBuffer: new Uint8Array(0),
    });
    const out = Uint8Array.of(9, 0, 0, 0, 0x48, 0, 4, 0, 1);
    expect(decodeError(() => decodeBody(sessionSetupResponse, out)).path).toBe(
      'SESSION_SETUP Response.SecurityBuffer',
    );
  });
});

describe('TREE_CONNECT', () => {
  it('round-trips plain requests and the 3.1.1 extension', () => {
    const plain: TreeConnectRequest = {
      flags: TreeConnectFlags.REDIRECT_TO_OWNER,
      path: '\\\\fs1.corp.example\\Data',
    };
    const body = encodeBody(treeConnectRequest, plain);
    expect(hex(body.subarray(0, 8))).toBe('0900020048002e00');
    expect(hex(body.subarray(8))).toBe(utf16(plain.path));
    expect(roundTrip(treeConnectRequest, plain)).toEqual(plain);

    const ext: TreeConnectRequest = {
      flags: TreeConnectFlags.EXTENSION_PRESENT | TreeConnectFlags.CLUSTER_RECONNECT,
      path: '\\\\fs1\\IPC$',
      contexts: [
        { type: 1, data: Uint8Array.of(1, 0, 0x20, 0, 1, 2, 3) },
        { type: 1, data: Uint8Array.of(9, 9) },
      ],
    };
    const extBody = encodeBody(treeConnectRequest, ext);
    const view = new DataView(extBody.buffer);
    expect(view.getUint16(4, true)).toBe(HEADER_SIZE + 24); // PathOffset → the extension's PathName
    expect(view.getUint32(8, true) % 8).toBe(0);
    expect(roundTrip(treeConnectRequest, ext)).toEqual(ext);
    // Contexts given without the flag: the flag is set on the wire.
    const implied = roundTrip(treeConnectRequest, { flags: 0, path: '\\\\a\\b', contexts: [] });
    expect(implied).toEqual({ flags: TreeConnectFlags.EXTENSION_PRESENT, path: '\\\\a\\b', contexts: [] });
  });

  it('round-trips responses', () => {
    const res = {
      shareType: ShareType.DISK,
      shareFlags: ShareFlags.ENCRYPT_DATA | ShareFlags.ACCESS_BASED_DIRECTORY_ENUM | ShareFlags.NO_CACHING,
      capabilities: ShareCapabilities.CONTINUOUS_AVAILABILITY | ShareCapabilities.CLUSTER,
      maximalAccess: 0x001f01ff,
    };
    expect(roundTrip(treeConnectResponse, res)).toEqual(res);
    expect(() => encodeBody(treeConnectResponse, { ...res, shareType: 256 })).toThrow(SmbEncodeError);
  });

  it('refuses odd path lengths and an extension that leaves the message', () => {
    const odd = Uint8Array.of(9, 0, 0, 0, 0x48, 0, 3, 0, 0x41, 0, 0x42);
    expect(decodeError(() => decodeBody(treeConnectRequest, odd)).reason).toMatch(/odd length/);
    const ext = encodeBody(treeConnectRequest, {
      flags: TreeConnectFlags.EXTENSION_PRESENT,
      path: '\\\\s\\x',
      contexts: [{ type: 1, data: new Uint8Array(4) }],
    });
    const e = decodeError(() => decodeBody(treeConnectRequest, ext.subarray(0, ext.length - 2)));
    expect(e.path).toMatch(/TreeConnectContexts\[0\]\.Data/);
  });
});

describe('four-byte bodies (LOGOFF, TREE_DISCONNECT, ECHO, CANCEL)', () => {
  const codecs = [
    logoffRequest,
    logoffResponse,
    treeDisconnectRequest,
    treeDisconnectResponse,
    echoRequest,
    echoResponse,
    cancelRequest,
  ];
  it.each(codecs.map((c) => [c.name, c] as const))('%s', (_name, codec) => {
    expect(hex(encodeBody(codec, {}))).toBe('04000000');
    expect(decodeBody(codec, Uint8Array.of(4, 0, 0, 0))).toEqual({});
    expect(decodeBody(codec, Uint8Array.of(4, 0, 0xff, 0xff))).toEqual({}); // Reserved is ignored
    expect(decodeError(() => decodeBody(codec, Uint8Array.of(5, 0, 0, 0))).path).toBe(
      `${codec.name}.StructureSize`,
    );
    expect(decodeError(() => decodeBody(codec, Uint8Array.of(4, 0, 0))).path).toBe(`${codec.name}.Reserved`);
  });
  it('commands and directions', () => {
    expect(codecs.map((c) => [c.command, c.response])).toEqual([
      [Command.LOGOFF, false],
      [Command.LOGOFF, true],
      [Command.TREE_DISCONNECT, false],
      [Command.TREE_DISCONNECT, true],
      [Command.ECHO, false],
      [Command.ECHO, true],
      [Command.CANCEL, false],
    ]);
  });
});

describe('ERROR response', () => {
  it('writes one zero byte of ErrorData when ByteCount is 0, tolerates its absence', () => {
    const empty: ErrorResponse = { errorData: new Uint8Array(0), errorContexts: [] };
    expect(hex(encodeBody(errorResponse, empty))).toBe('090000000000000000');
    expect(decodeBody(errorResponse, Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0))).toEqual(empty);
  });

  it('STATUS_BUFFER_TOO_SMALL carries the required length', () => {
    const v: ErrorResponse = { errorData: Uint8Array.of(0x38, 0, 0, 0), errorContexts: [] };
    const back = roundTrip(errorResponse, v);
    expect(back).toEqual(v);
    expect(requiredBufferLength(back)).toBe(56);
    expect(requiredBufferLength({ errorData: new Uint8Array(0), errorContexts: [] })).toBeUndefined();
  });

  it('STATUS_STOPPED_ON_SYMLINK: symbolic link error response, plain and as a 3.1.1 error context', () => {
    const link = {
      unparsedPathLength: 18,
      substituteName: '..\\target\\dir',
      printName: '..\\target\\dir',
      flags: SYMLINK_FLAG_RELATIVE,
    };
    const data = encodeSymlinkError(link);
    const view = new DataView(data.buffer);
    expect(view.getUint32(0, true)).toBe(data.length - 4);
    expect(view.getUint32(4, true)).toBe(0x4c4d5953);
    expect(view.getUint32(8, true)).toBe(0xa000000c);
    expect(decodeSymlinkError(data)).toEqual(link);
    const plain = roundTrip(errorResponse, { errorData: data, errorContexts: [] });
    expect(symlinkErrorOf(plain)).toEqual(link);
    const withContexts: ErrorResponse = {
      errorData: new Uint8Array(0),
      errorContexts: [
        { errorId: ErrorId.DEFAULT, data },
        { errorId: 0x12345678, data: Uint8Array.of(1, 2, 3) },
      ],
    };
    const body = encodeBody(errorResponse, withContexts);
    expect(body[2]).toBe(2); // ErrorContextCount
    const back = decodeBody(errorResponse, body);
    expect(back).toEqual(withContexts);
    expect(symlinkErrorOf(back)).toEqual(link);
    // A symlink response with the wrong tag is refused.
    const bad = data.slice();
    bad[4] = 0;
    expect(decodeError(() => decodeSymlinkError(bad)).path).toBe(
      'Symbolic Link Error Response.SymLinkErrorTag',
    );
    const outside = data.slice();
    new DataView(outside.buffer).setUint16(18, 200, true); // SubstituteNameLength
    expect(decodeError(() => decodeSymlinkError(outside)).path).toBe(
      'Symbolic Link Error Response.SubstituteName',
    );
  });

  it('share redirect error context (STATUS_BAD_NETWORK_NAME, 3.1.1)', () => {
    const redirect = {
      ipAddrMoveList: [
        { type: 1 as const, address: Uint8Array.of(10, 0, 0, 7) },
        {
          type: 2 as const,
          address: Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xfe : i === 1 ? 0x80 : i)),
        },
      ],
      resourceName: 'Data',
    };
    const data = encodeShareRedirectError(redirect);
    expect(decodeShareRedirectError(data)).toEqual(redirect);
    const resp = roundTrip(errorResponse, {
      errorData: new Uint8Array(0),
      errorContexts: [{ errorId: ErrorId.SHARE_REDIRECT, data }],
    });
    expect(decodeShareRedirectError(resp.errorContexts[0]?.data ?? new Uint8Array())).toEqual(redirect);
  });

  it('refuses ErrorData longer than the message and contexts that overrun ByteCount', () => {
    expect(decodeError(() => decodeBody(errorResponse, Uint8Array.of(9, 0, 0, 0, 5, 0, 0, 0, 1))).path).toBe(
      'ERROR Response.ErrorData',
    );
    const ctx = Uint8Array.of(9, 0, 1, 0, 8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4);
    expect(decodeError(() => decodeBody(errorResponse, ctx)).path).toMatch(
      /ErrorContext\[0\]\.ErrorContextData/,
    );
    expect(() =>
      encodeBody(errorResponse, {
        errorData: Uint8Array.of(1),
        errorContexts: [{ errorId: 0, data: Uint8Array.of(1) }],
      }),
    ).toThrow(SmbEncodeError);
  });

  it('knows which statuses carry an ERROR body (§3.3.4.4)', () => {
    expect(hasErrorResponseBody(Command.CREATE, NtStatus.SUCCESS)).toBe(false);
    expect(hasErrorResponseBody(Command.CREATE, NtStatus.PENDING)).toBe(true);
    expect(hasErrorResponseBody(Command.SESSION_SETUP, NtStatus.MORE_PROCESSING_REQUIRED)).toBe(false);
    expect(hasErrorResponseBody(Command.TREE_CONNECT, NtStatus.MORE_PROCESSING_REQUIRED)).toBe(true);
    expect(hasErrorResponseBody(Command.QUERY_INFO, NtStatus.BUFFER_OVERFLOW)).toBe(false);
    expect(hasErrorResponseBody(Command.QUERY_DIRECTORY, NtStatus.NO_MORE_FILES)).toBe(true);
    expect(hasErrorResponseBody(Command.CHANGE_NOTIFY, NtStatus.NOTIFY_ENUM_DIR)).toBe(false);
    expect(hasErrorResponseBody(Command.CREATE, NtStatus.STOPPED_ON_SYMLINK)).toBe(true);
    expect(hasErrorResponseBody(Command.IOCTL, NtStatus.INVALID_PARAMETER, 49)).toBe(false);
    expect(hasErrorResponseBody(Command.IOCTL, NtStatus.INVALID_PARAMETER, 9)).toBe(true);
    expect(hasErrorResponseBody(Command.IOCTL, NtStatus.PENDING, 9)).toBe(true);
  });
});

describe('NTSTATUS', () => {
  it('has the MS-ERREF values', () => {
    expect(NtStatus.SUCCESS).toBe(0);
    expect(NtStatus.PENDING).toBe(0x103);
    expect(NtStatus.MORE_PROCESSING_REQUIRED).toBe(0xc0000016);
    expect(NtStatus.BUFFER_OVERFLOW).toBe(0x80000005);
    expect(NtStatus.ACCESS_DENIED).toBe(0xc0000022);
    expect(NtStatus.OBJECT_NAME_NOT_FOUND).toBe(0xc0000034);
    expect(NtStatus.LOGON_FAILURE).toBe(0xc000006d);
    expect(NtStatus.BAD_NETWORK_NAME).toBe(0xc00000cc);
    expect(NtStatus.USER_SESSION_DELETED).toBe(0xc0000203);
    expect(NtStatus.NETWORK_SESSION_EXPIRED).toBe(0xc000035c);
    expect(NtStatus.NOT_FOUND).toBe(0xc0000225);
    expect(NtStatus.STOPPED_ON_SYMLINK).toBe(0x8000002d);
    expect(new Set(Object.values(NtStatus)).size).toBe(Object.keys(NtStatus).length);
  });

  it('names codes, with a hex fallback, and signed input', () => {
    expect(ntStatusName(0xc000000d)).toBe('STATUS_INVALID_PARAMETER');
    expect(ntStatusName(0xc000000d | 0)).toBe('STATUS_INVALID_PARAMETER'); // as a signed int32
    expect(ntStatusName(0xc0001234)).toBe('0xc0001234');
    expect(ntStatusName(0)).toBe('STATUS_SUCCESS');
  });

  it('classifies by severity', () => {
    expect([isSuccess(0), isWarning(0), isError(0)]).toEqual([true, false, false]);
    expect(isSuccess(NtStatus.PENDING)).toBe(true);
    expect(isSuccess(NtStatus.OBJECT_NAME_EXISTS)).toBe(true);
    expect(ntStatusSeverity(NtStatus.OBJECT_NAME_EXISTS)).toBe(1);
    expect([isSuccess(NtStatus.NO_MORE_FILES), isWarning(NtStatus.NO_MORE_FILES)]).toEqual([false, true]);
    expect([isWarning(NtStatus.ACCESS_DENIED), isError(NtStatus.ACCESS_DENIED)]).toEqual([false, true]);
    expect(isError(NtStatus.ACCESS_DENIED | 0)).toBe(true);
  });
});
