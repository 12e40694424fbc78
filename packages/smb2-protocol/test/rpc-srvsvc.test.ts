/** The DCE/RPC and SRVSVC codecs shared by the SMB client and server (src/rpc). */
import { describe, expect, it } from 'vitest';
import {
  decodeRpcPdu,
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  encodeRpcBind,
  encodeRpcRequest,
  encodeShareEnumRequest,
  encodeShareEnumResponse,
  NDR20_SYNTAX,
  RPC_PFC,
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
