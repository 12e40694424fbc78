/** The DCE/RPC and SRVSVC codecs shared by the SMB client and server (src/rpc). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRpcPdu,
  decodeServerGetInfoRequest,
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  decodeShareGetInfoRequest,
  decodeShareGetInfoResponse,
  encodeRpcBind,
  encodeRpcRequest,
  encodeShareEnumRequest,
  encodeShareEnumResponse,
  NDR20_SYNTAX,
  RPC_PFC,
  RpcError,
  SRVSVC_MAX_PREFERRED_LENGTH,
  SRVSVC_SYNTAX,
  STYPE_DISKTREE,
  STYPE_IPC,
} from '../src/index.js';

describe('SRVSVC NetrShareEnum', () => {
  it('the client request decodes as the server reads it', () => {
    for (const request of [
      {
        serverName: '\\\\files.test',
        level: 1,
        preferredMaximumLength: SRVSVC_MAX_PREFERRED_LENGTH,
        resumeHandle: 0,
      },
      { serverName: null, level: 0, preferredMaximumLength: 4096, resumeHandle: null },
    ]) {
      expect(decodeShareEnumRequest(encodeShareEnumRequest(request))).toEqual(request);
    }
  });

  it('the response round-trips', () => {
    const response = {
      level: 1,
      shares: [
        { name: 'share', type: STYPE_DISKTREE, remark: 'files' },
        { name: 'IPC$', type: STYPE_IPC, remark: 'IPC Service' },
      ],
      totalEntries: 2,
      resumeHandle: 0,
      status: 0,
    };
    expect(decodeShareEnumResponse(encodeShareEnumResponse(response))).toEqual(response);
  });

  it('BIND and REQUEST PDUs decode to what was encoded', () => {
    const bind = decodeRpcPdu(
      encodeRpcBind({
        callId: 1,
        contexts: [{ contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] }],
      }),
    );
    expect(bind).toMatchObject({ type: 'bind', contexts: [{ abstractSyntax: SRVSVC_SYNTAX }] });
    const request = decodeRpcPdu(
      encodeRpcRequest({ callId: 2, contextId: 0, opnum: 15, stub: Uint8Array.of(1, 2, 3, 4) }),
    );
    expect(request).toMatchObject({ type: 'request', opnum: 15, stub: Uint8Array.of(1, 2, 3, 4) });
    expect(request.header.flags & RPC_PFC.lastFrag).toBe(RPC_PFC.lastFrag);
  });
});

describe('DCE/RPC and SRVSVC decoders on hostile input', () => {
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['PDU', decodeRpcPdu],
    ['NetrShareEnum request', decodeShareEnumRequest],
    ['NetrShareEnum response', decodeShareEnumResponse],
    ['NetrShareGetInfo request', decodeShareGetInfoRequest],
    ['NetrShareGetInfo response', decodeShareGetInfoResponse],
    ['NetrServerGetInfo request', decodeServerGetInfoRequest],
  ];
  const onlyRpcErrors = (decode: (b: Uint8Array) => unknown) => (b: Uint8Array) => {
    try {
      decode(b);
    } catch (e) {
      expect(e).toBeInstanceOf(RpcError);
    }
  };

  it.each(decoders)('%s: random bytes decode or throw RpcError', (_name, decode) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyRpcErrors(decode)), { numRuns: 2000 });
  });

  it('a valid NetrShareEnum response, mutated, decodes or throws RpcError', () => {
    const valid = encodeShareEnumResponse({
      level: 1,
      shares: [
        { name: 'share', type: STYPE_DISKTREE, remark: 'files' },
        { name: 'IPC$', type: STYPE_IPC, remark: 'IPC' },
      ],
      totalEntries: 2,
      resumeHandle: null,
      status: 0,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(valid.length),
        (flips, cut) => {
          const b = valid.slice(0, cut === 0 ? valid.length : cut);
          for (const [i, v] of flips) if (i < b.length) b[i] = v;
          onlyRpcErrors(decodeShareEnumResponse)(b);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
