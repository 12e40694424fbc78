/** A real NetrShareEnum exchange (smbclient -L against Samba 4.17; see fixtures/rpc-SOURCE.md). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  decodeShareEnumRequest,
  decodeShareEnumResponse,
  encodeBind,
  encodeBindAck,
  encodeRequest,
  encodeResponse,
  NDR20_SYNTAX,
  SRVSVC_SYNTAX,
  SrvsvcPipe,
  STYPE_DISKTREE,
  STYPE_IPC,
} from '../src/rpc/index.js';
import { encodeShareEnumResponse } from '../src/rpc/srvsvc-ndr.js';

const fixture = (name: string): Uint8Array =>
  Uint8Array.from(
    Buffer.from(
      readFileSync(new URL(`./fixtures/rpc-samba-${name}.hex`, import.meta.url), 'utf8').trim(),
      'hex',
    ),
  );

const bind = fixture('bind');
const bindAck = fixture('bind-ack');
const request = fixture('share-enum-request');
const response = fixture('share-enum-response');

const sambaShares = [
  { name: 'share', type: STYPE_DISKTREE, remark: 'Test share' },
  { name: 'IPC$', type: STYPE_IPC, remark: 'IPC Service (Samba 4.17.12-Debian)' },
];

describe('Samba golden bytes', () => {
  it('decodes and re-encodes smbclient’s BIND byte for byte', () => {
    const pdu = decodePdu(bind);
    expect(pdu.type).toBe('bind');
    if (pdu.type !== 'bind') return;
    expect(pdu.header.callId).toBe(1);
    expect(pdu.maxXmitFrag).toBe(4280);
    expect(pdu.contexts).toEqual([
      { contextId: 0, abstractSyntax: SRVSVC_SYNTAX, transferSyntaxes: [NDR20_SYNTAX] },
    ]);
    expect(encodeBind({ callId: 1, contexts: pdu.contexts })).toEqual(bind);
  });

  it('decodes and re-encodes Samba’s BIND_ACK byte for byte', () => {
    const pdu = decodePdu(bindAck);
    expect(pdu.type).toBe('bind_ack');
    if (pdu.type !== 'bind_ack') return;
    expect(pdu.secondaryAddress).toBe('\\pipe\\srvsvc');
    expect(pdu.assocGroupId).toBe(0x764c);
    expect(pdu.results).toEqual([{ result: 0, reason: 0, transferSyntax: NDR20_SYNTAX }]);
    expect(encodeBindAck({ ...pdu, callId: 1 })).toEqual(bindAck);
  });

  it('answers smbclient’s BIND like Samba (but for the address case and the group id)', () => {
    const pipe = new SrvsvcPipe({ serverName: 'SAMBA', shares: () => sambaShares, assocGroupId: 0x764c });
    const ours = pipe.transceive(bind, 1024);
    expect(ours.overflow).toBe(false);
    const samba = decodePdu(bindAck);
    if (samba.type !== 'bind_ack') throw new Error(samba.type);
    const expected = encodeBindAck({
      ...samba,
      callId: 1,
      secondaryAddress: '\\PIPE\\srvsvc',
    });
    expect(ours.data).toEqual(expected);
  });

  it('decodes smbclient’s NetrShareEnum request', () => {
    const pdu = decodePdu(request);
    expect(pdu.type).toBe('request');
    if (pdu.type !== 'request') return;
    expect(pdu.opnum).toBe(15);
    expect(decodeShareEnumRequest(pdu.stub)).toEqual({
      serverName: '127.0.0.1',
      level: 1,
      preferredMaximumLength: 0xffffffff,
      resumeHandle: 0,
    });
    expect(encodeRequest({ callId: 2, contextId: 0, opnum: 15, stub: pdu.stub })).toEqual(request);
  });

  it('decodes Samba’s response and reproduces its stub (Samba’s referent ids start at 0x2000c)', () => {
    const pdu = decodePdu(response);
    expect(pdu.type).toBe('response');
    if (pdu.type !== 'response') return;
    const decoded = decodeShareEnumResponse(pdu.stub);
    expect(decoded).toEqual({ level: 1, shares: sambaShares, totalEntries: 2, resumeHandle: 0, status: 0 });
    expect(encodeShareEnumResponse(decoded, 0x2000c)).toEqual(pdu.stub);
  });

  it('answers smbclient’s request with Samba’s response, referent ids aside', () => {
    const pipe = new SrvsvcPipe({ serverName: 'SAMBA', shares: () => sambaShares });
    pipe.transceive(bind, 1024);
    const ours = pipe.transceive(request, 4280);
    expect(ours.overflow).toBe(false);
    expect(ours.data.length).toBe(response.length);
    expect(ours.data.subarray(0, 24)).toEqual(response.subarray(0, 24));
    const pdu = decodePdu(ours.data);
    if (pdu.type !== 'response') throw new Error(pdu.type);
    const sambaStub = (decodePdu(response) as { stub: Uint8Array }).stub;
    expect(decodeShareEnumResponse(pdu.stub)).toEqual(decodeShareEnumResponse(sambaStub));
    // Same bytes once our referent ids are renumbered from Samba's base.
    const renumbered = encodeResponse({
      callId: 2,
      contextId: 0,
      flags: 3,
      allocHint: pdu.allocHint,
      stub: encodeShareEnumResponse(decodeShareEnumResponse(pdu.stub), 0x2000c),
    });
    expect(renumbered).toEqual(response);
  });
});
