import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CipherId,
  decryptMessage,
  encryptMessage,
  encryptMessageParts,
  GcmOffload,
  SmbCryptoError,
} from '../src/index.js';

const SESSION = 0x1122334455667788n;
const offload = GcmOffload.start({ minBytes: 64 * 1024 }) as GcmOffload;
afterAll(async () => {
  await offload.close();
});

const shared = (bytes: Uint8Array, headroom = 0): Uint8Array => {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length + headroom), headroom);
  out.set(bytes);
  return out;
};
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
const join = (parts: readonly Uint8Array[]): Buffer =>
  Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length)));

/** The worker's GCM gives the bytes and errors of the in-place functions on the calling thread. */
describe('GcmOffload', () => {
  it('starts here (Node with worker_threads)', () => {
    expect(offload).toBeInstanceOf(GcmOffload);
    expect(offload.stopped).toBe(false);
  });

  for (const cipher of [CipherId.AES_128_GCM, CipherId.AES_256_GCM])
    it(`open (cipher ${cipher}): a shared frame is decrypted where it lies`, async () => {
      const key = randomBytes(cipher === CipherId.AES_256_GCM ? 32 : 16);
      const message = randomBytes(3 * 1024 * 1024 + 11);
      const frame = shared(encryptMessage({ cipher, key, sessionId: SESSION, message }), 4);
      const plain = await offload.open(frame, key, cipher);
      expect(same(plain, message)).toBe(true);
      expect(plain.buffer).toBe(frame.buffer);
      expect(plain.byteOffset).toBe(frame.byteOffset + 52);
    });

  it('open: a bad tag is SmbCryptoError integrity and no plaintext is left', async () => {
    const key = randomBytes(16);
    const message = new Uint8Array(1024 * 1024).fill(0x41);
    const frame = shared(encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message }));
    frame[30] = (frame[30] as number) ^ 1; // the nonce: the tag no longer verifies
    const error = await offload.open(frame, key, CipherId.AES_128_GCM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmbCryptoError);
    expect((error as SmbCryptoError).kind).toBe('integrity');
    expect(Buffer.from(frame.buffer, frame.byteOffset, frame.length).indexOf(Buffer.alloc(16, 0x41))).toBe(
      -1,
    );
  });

  it('seal: shared and unshared parts in place, the same frame as encryptMessageParts', async () => {
    const key = randomBytes(16);
    const nonce = randomBytes(12);
    const head = new Uint8Array(randomBytes(112));
    const payload = shared(randomBytes(2 * 1024 * 1024 + 3));
    const plain = join([head, payload]);
    const usual = join(
      encryptMessageParts({
        cipher: CipherId.AES_128_GCM,
        key,
        sessionId: SESSION,
        nonce,
        message: [head, payload],
      }),
    );
    const sealed = await offload.seal({
      cipher: CipherId.AES_128_GCM,
      key,
      sessionId: SESSION,
      nonce,
      message: [head, new Uint8Array(0), payload],
    });
    expect(sealed.length).toBe(3);
    expect(sealed[1]).toBe(head);
    expect(sealed[2]).toBe(payload);
    expect(same(join(sealed), usual)).toBe(true);
    expect(same(decryptMessage(join(sealed), key, CipherId.AES_128_GCM), plain)).toBe(true);
  });

  it('many jobs at once each get their own answer', async () => {
    const key = randomBytes(16);
    const messages = Array.from({ length: 8 }, (_, i) => new Uint8Array(300_000 + i * 1000).fill(i + 1));
    const frames = messages.map((m) =>
      shared(encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message: m })),
    );
    const plains = await Promise.all(frames.map((f) => offload.open(f, key, CipherId.AES_128_GCM)));
    expect(plains.map((p, i) => same(p, messages[i] as Uint8Array))).toEqual(messages.map(() => true));
  });

  it('a pool of workers: jobs go to the least busy one, each gets its own answer; close() stops all', async () => {
    expect(() => GcmOffload.start({ workers: 0 })).toThrow(SmbCryptoError);
    expect(() => GcmOffload.start({ workers: 1.5 })).toThrow(SmbCryptoError);
    const pool = GcmOffload.start({ minBytes: 0, workers: 3 }) as GcmOffload;
    const key = randomBytes(16);
    const messages = Array.from({ length: 12 }, (_, i) => randomBytes(200_000 + i * 777));
    const frames = messages.map((m) =>
      shared(encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message: m })),
    );
    const bad = shared(
      encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message: randomBytes(9000) }),
    );
    bad[40] = (bad[40] as number) ^ 1;
    const results = await Promise.allSettled([
      ...frames.map((f) => pool.open(f, key, CipherId.AES_128_GCM)),
      pool.open(bad, key, CipherId.AES_128_GCM),
    ]);
    expect(
      results
        .slice(0, 12)
        .map((r, i) => r.status === 'fulfilled' && same(r.value, messages[i] as Uint8Array)),
    ).toEqual(messages.map(() => true));
    expect(results[12]?.status).toBe('rejected');
    await pool.close();
    expect(pool.stopped).toBe(true);
    const after = shared(
      encryptMessage({
        cipher: CipherId.AES_128_GCM,
        key,
        sessionId: SESSION,
        message: messages[0] as Uint8Array,
      }),
    );
    expect(same(await pool.open(after, key, CipherId.AES_128_GCM), messages[0] as Uint8Array)).toBe(true);
  });

  it('small, unshared or CCM messages run on the calling thread with the same results', async () => {
    const key = randomBytes(16);
    const small = randomBytes(1000);
    const f1 = shared(
      encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message: small }),
    );
    expect(same(await offload.open(f1, key, CipherId.AES_128_GCM), small)).toBe(true);
    const big = randomBytes(512 * 1024);
    const f2 = encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message: big });
    expect(same(await offload.open(f2, key, CipherId.AES_128_GCM), big)).toBe(true);
    const f3 = shared(
      encryptMessage({ cipher: CipherId.AES_128_CCM, key, sessionId: SESSION, message: big }),
    );
    expect(same(await offload.open(f3, key, CipherId.AES_128_CCM), big)).toBe(true);
    const sealed = await offload.seal({
      cipher: CipherId.AES_128_CCM,
      key,
      sessionId: SESSION,
      message: [shared(big)],
    });
    expect(same(decryptMessage(join(sealed), key, CipherId.AES_128_CCM), big)).toBe(true);
  });

  it('bad arguments are SmbCryptoError; after close() everything runs on the calling thread', async () => {
    expect(() => GcmOffload.start({ minBytes: -1 })).toThrow(SmbCryptoError);
    await expect(
      offload.open(shared(randomBytes(100)), randomBytes(15), CipherId.AES_128_GCM),
    ).rejects.toBeInstanceOf(SmbCryptoError);
    const other = GcmOffload.start({ minBytes: 0 }) as GcmOffload;
    await other.close();
    expect(other.stopped).toBe(true);
    const key = randomBytes(16);
    const message = randomBytes(200_000);
    const frame = shared(encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message }));
    expect(same(await other.open(frame, key, CipherId.AES_128_GCM), message)).toBe(true);
  });
});

describe('GcmOffload and process exit', () => {
  it('the worker never keeps a process alive, idle or after a job (the built package)', () => {
    const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
    const script = `
      const { GcmOffload, encryptMessage, CipherId } = require(${JSON.stringify(dist)});
      const idle = GcmOffload.start();
      const o = GcmOffload.start({ minBytes: 0, workers: 2 });
      const key = new Uint8Array(16);
      const frame = encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: 1n, message: new Uint8Array(65536) });
      const shared = new Uint8Array(new SharedArrayBuffer(frame.length));
      shared.set(frame);
      o.open(shared, key, CipherId.AES_128_GCM).then((p) => console.log('opened', p.length, idle !== undefined));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('opened 65536 true');
  });
});
