import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  fixedClock,
  runExchange,
  seededRandom,
  UnixTransport,
} from '@postntlm/krb5-client';
import { decodeMessage } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KdcListener, listen } from '../src/index.js';
import { PASSWORDS, REALM, T0, testKdc } from './helpers.js';

let dir: string;
let path: string;
let listener: KdcListener;
let request: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lkdc-unix-'));
  path = join(dir, 'kdc.sock');
  const { kdc } = await testKdc();
  listener = await listen(kdc, { unix: path, idleTimeoutMs: 300 });
  const step = createAsExchange({
    client: `alice@${REALM}`,
    credentials: { password: 'x' },
    clock: fixedClock(T0),
  }).start();
  if (step.kind !== 'send') throw new Error('no request');
  request = step.bytes;
});

afterAll(async () => {
  await listener.close();
  await rm(dir, { recursive: true, force: true });
});

const framed = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(bytes.length + 4);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
};

function exchange(
  chunks: Uint8Array[],
  count: number,
): Promise<{ replies: Uint8Array[]; closed: boolean; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ path });
    let buffered = new Uint8Array(0);
    const replies: Uint8Array[] = [];
    const done = (closed: boolean) => {
      socket.destroy();
      resolve({ replies, closed, ms: Date.now() - started });
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

describe('Unix stream socket listener (TCP framing, MIT 1.22 kdc = /path)', () => {
  it('creates the socket with mode 0600 and reports its path', async () => {
    expect(listener.unixPath).toBe(path);
    const st = await stat(path);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('answers several length-prefixed requests on one connection, split or not', async () => {
    const f = framed(request);
    const { replies } = await exchange([f, f.subarray(0, 3), f.subarray(3, 40), f.subarray(40)], 2);
    expect(replies.map((r) => decodeMessage(r).msgType)).toEqual([30, 30]);
  });

  it('closes the connection for an oversized or reserved length or a dropped request', async () => {
    expect(await exchange([Uint8Array.from([0x00, 0x10, 0x00, 0x00])], 1)).toMatchObject({
      replies: [],
      closed: true,
    });
    expect(await exchange([Uint8Array.from([0x80, 0, 0, 4, 1, 2, 3, 4])], 1)).toMatchObject({
      replies: [],
      closed: true,
    });
    expect(await exchange([framed(Uint8Array.from([1, 2, 3]))], 1)).toMatchObject({
      replies: [],
      closed: true,
    });
  });

  it('closes an idle connection', async () => {
    const r = await exchange([], 1);
    expect(r.closed).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(250);
  });

  it('our krb5-client gets a TGT and a service ticket over the socket', async () => {
    const transport = new UnixTransport({ path });
    const send = (_realm: string, bytes: Uint8Array) => transport.send(bytes);
    const clock = fixedClock(T0);
    const tgt: Credential = await runExchange(
      createAsExchange({
        client: `alice@${REALM}`,
        credentials: { password: PASSWORDS.alice },
        options: { etypes: [18] },
        clock,
        random: seededRandom(1),
      }),
      send,
    );
    expect(tgt.client.name.nameString).toEqual(['alice']);
    expect(tgt.server.name.nameString).toEqual(['krbtgt', REALM]);
    expect(tgt.sessionKey.enctype).toBe(18);
    expect(tgt.ticketEnctype).toBe(20);
    const st = await runExchange(
      createTgsExchange({ tgt, server: `cifs/host.test@${REALM}`, clock, random: seededRandom(2) }),
      send,
    );
    expect(st.client.name.nameString).toEqual(['alice']);
    expect(st.server.name.nameString).toEqual(['cifs', 'host.test']);
    expect(st.server.realm).toBe(REALM);
    expect(st.ticketEnctype).toBe(20);
    expect([17, 18, 19, 20]).toContain(st.sessionKey.enctype);
  });
});

describe('Unix socket file handling', () => {
  it('replaces a stale socket, refuses a live one or a non-socket, removes the file on close', async () => {
    const { kdc } = await testKdc();
    const p = join(dir, 'stale.sock');
    // A stale socket: a server that bound the path and went away without unlinking.
    const stale = createServer();
    await new Promise<void>((r) => stale.listen(p, r));
    const live = listen(kdc, { unix: p });
    await expect(live).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await new Promise<void>((r) => stale.close(() => r()));
    await writeFile(p, ''); // stale.close() unlinked it; now a regular file
    await expect(listen(kdc, { unix: p })).rejects.toMatchObject({ code: 'EEXIST' });
    await rm(p);
    // A socket file nobody answers on: bind, then make the server forget it without unlink.
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(p)}, () => process.exit(0))`,
    ]);
    expect((await stat(p)).isSocket()).toBe(true);
    const l = await listen(kdc, { unix: p });
    expect((await stat(p)).mode & 0o777).toBe(0o600);
    await l.close();
    await expect(stat(p)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
