import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { createAsExchange, fixedClock } from '@postntlm/krb5-client';
import { decodeMessage } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KdcListener, listen } from '../src/index.js';
import { REALM, T0, testKdc } from './helpers.js';

let listener: KdcListener;
let request: Uint8Array;

beforeAll(async () => {
  const { kdc } = await testKdc();
  listener = await listen(kdc, { tcp: {}, udp: {} });
  const step = createAsExchange({
    client: `alice@${REALM}`,
    credentials: { password: 'x' },
    clock: fixedClock(T0),
  }).start();
  if (step.kind !== 'send') throw new Error('no request');
  request = step.bytes;
});

afterAll(() => listener.close());

const framed = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(bytes.length + 4);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
};

/** Writes `chunks` and collects what comes back until the server closes or `count` replies arrived. */
function exchange(chunks: Uint8Array[], count: number): Promise<{ replies: Uint8Array[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(listener.tcpPort ?? 0, '127.0.0.1');
    let buffered = new Uint8Array(0);
    const replies: Uint8Array[] = [];
    const done = (closed: boolean) => {
      socket.destroy();
      resolve({ replies, closed });
    };
    socket.on('error', reject);
    socket.on('close', () => done(true));
    socket.on('data', (chunk) => {
      buffered = Uint8Array.from([...buffered, ...chunk]);
      while (buffered.length >= 4) {
        const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(0);
        if (buffered.length < 4 + length) break;
        replies.push(buffered.slice(4, 4 + length));
        buffered = buffered.slice(4 + length);
      }
      if (replies.length >= count) done(false);
    });
    socket.on('connect', async () => {
      for (const c of chunks) {
        socket.write(c);
        await new Promise((r) => setTimeout(r, 1));
      }
    });
  });
}

describe('TCP/UDP listener (RFC 4120 §7.2)', () => {
  it('answers two length-prefixed requests on one TCP connection', async () => {
    const { replies } = await exchange([framed(request), framed(request)], 2);
    expect(replies.map((r) => decodeMessage(r).msgType)).toEqual([30, 30]);
  });

  it('reassembles a request split across segments', async () => {
    const f = framed(request);
    const { replies } = await exchange([f.subarray(0, 3), f.subarray(3, 40), f.subarray(40)], 1);
    expect(decodeMessage(replies[0] ?? new Uint8Array(0)).msgType).toBe(30);
  });

  it('closes the connection for an oversized length or a dropped request', async () => {
    expect(await exchange([Uint8Array.from([0x00, 0x10, 0x00, 0x00])], 1)).toEqual({
      replies: [],
      closed: true,
    });
    expect(await exchange([Uint8Array.from([0x80, 0, 0, 4, 1, 2, 3, 4])], 1)).toEqual({
      replies: [],
      closed: true,
    });
    expect(await exchange([framed(Uint8Array.from([1, 2, 3]))], 1)).toEqual({ replies: [], closed: true });
  });

  it('answers a UDP datagram with one datagram', async () => {
    const socket = createSocket('udp4');
    const reply = await new Promise<Uint8Array>((resolve) => {
      socket.on('message', (msg) => resolve(new Uint8Array(msg)));
      socket.send(request, listener.udpPort ?? 0, '127.0.0.1');
    });
    socket.close();
    const m = decodeMessage(reply);
    expect(m.msgType).toBe(30);
    if (m.msgType === 30) expect(m.value.errorCode).toBe(25);
  });
});
