import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CipherId,
  decryptMessage,
  decryptMessagePaced,
  encryptMessageParts,
  encryptMessagePartsPaced,
  SmbCryptoError,
  SmbDecodeError,
} from '../src/index.js';

const GCM_SLICE = 1 << 20;
/** A turn of the event loop, as a server gives its socket between slices. */
const between = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const encryptMessagePartsSliced = (o: Parameters<typeof encryptMessageParts>[0]) =>
  encryptMessagePartsPaced(o, { between });
const decryptMessageSliced = (
  frame: Uint8Array,
  key: Uint8Array,
  cipher: CipherId,
  allocate: (n: number) => Uint8Array,
) => decryptMessagePaced(frame, key, cipher, { allocate, between });

const join = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const allocate = (n: number) => new Uint8Array(n);
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
const SESSION = 0x1122334455667788n;

/** The paced variants: the same bytes and errors as the sync ones, with the event loop turning between slices. */
describe('paced AES-GCM (encryptMessagePartsPaced, decryptMessagePaced)', () => {
  for (const [cipher, keyLength] of [
    [CipherId.AES_128_GCM, 16],
    [CipherId.AES_256_GCM, 32],
  ] as const) {
    it(`cipher ${cipher}: what it encrypts, decryptMessage opens, and back (several slices)`, async () => {
      const key = randomBytes(keyLength);
      const message = randomBytes(GCM_SLICE + 65536 + 123);
      const frame = join(await encryptMessagePartsSliced({ cipher, key, sessionId: SESSION, message }));
      expect(frame.length).toBe(52 + message.length);
      expect(new DataView(frame.buffer).getBigUint64(44, true)).toBe(SESSION);
      expect(same(decryptMessage(frame, key, cipher), message)).toBe(true);
      const theirs = join(encryptMessageParts({ cipher, key, sessionId: SESSION, message }));
      expect(same(await decryptMessageSliced(theirs, key, cipher, allocate), message)).toBe(true);
    });
  }

  it('gives the same bytes as encryptMessageParts for the same nonce (the header and AAD agree)', async () => {
    const key = randomBytes(16);
    const message = randomBytes(GCM_SLICE + 5);
    const frame = join(
      await encryptMessagePartsSliced({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message }),
    );
    const nonce = frame.slice(20, 32);
    const theirs = join(
      encryptMessageParts({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message, nonce }),
    );
    expect(same(frame, theirs)).toBe(true);
  });

  it('rejects an altered frame with an integrity error and zeroes what it decrypted', async () => {
    const key = randomBytes(16);
    const message = randomBytes(2 * GCM_SLICE);
    const frame = join(
      await encryptMessagePartsSliced({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message }),
    );
    frame.set([(frame.at(-1) ?? 0) ^ 1], frame.length - 1);
    let out: Uint8Array | undefined;
    const failure = decryptMessageSliced(frame, key, CipherId.AES_128_GCM, (n) => {
      out = new Uint8Array(n);
      return out;
    });
    await expect(failure).rejects.toBeInstanceOf(SmbCryptoError);
    await expect(failure).rejects.toMatchObject({ kind: 'integrity' });
    expect(out?.every((b) => b === 0)).toBe(true);
  });

  it('rejects a malformed frame as decryptMessage does', async () => {
    const frame = new Uint8Array(52 + 2 * GCM_SLICE);
    await expect(
      decryptMessageSliced(frame, randomBytes(16), CipherId.AES_128_GCM, allocate),
    ).rejects.toBeInstanceOf(SmbDecodeError);
  });

  it('rejects a key of the wrong length', async () => {
    const message = randomBytes(2 * GCM_SLICE);
    await expect(
      encryptMessagePartsSliced({
        cipher: CipherId.AES_128_GCM,
        key: randomBytes(15),
        sessionId: 1n,
        message,
      }),
    ).rejects.toBeInstanceOf(SmbCryptoError);
  });

  it('small messages and CCM give the same results as the sync functions', async () => {
    const key = randomBytes(16);
    for (const cipher of [CipherId.AES_128_CCM, CipherId.AES_128_GCM]) {
      const message = randomBytes(cipher === CipherId.AES_128_CCM ? GCM_SLICE + 16 : 1000);
      const frame = join(await encryptMessagePartsSliced({ cipher, key, sessionId: SESSION, message }));
      expect(same(decryptMessage(frame, key, cipher), message)).toBe(true);
      expect(same(await decryptMessageSliced(frame, key, cipher, allocate), message)).toBe(true);
    }
  });

  it('awaits between() once per slice, and never for a message shorter than a slice', async () => {
    let calls = 0;
    const counting = {
      between: () => {
        calls += 1;
        return Promise.resolve();
      },
      sliceBytes: 1 << 20,
    };
    const key = randomBytes(16);
    await encryptMessagePartsPaced(
      { cipher: CipherId.AES_128_GCM, key, sessionId: 1n, message: randomBytes(4 * GCM_SLICE) },
      counting,
    );
    expect(calls).toBe(4);
    calls = 0;
    await encryptMessagePartsPaced(
      { cipher: CipherId.AES_128_GCM, key, sessionId: 1n, message: randomBytes(1000) },
      counting,
    );
    expect(calls).toBe(0);
    await expect(
      encryptMessagePartsPaced(
        { cipher: CipherId.AES_128_GCM, key, sessionId: 1n, message: randomBytes(10) },
        { between, sliceBytes: 0 },
      ),
    ).rejects.toBeInstanceOf(SmbCryptoError);
  });

  it('lets the event loop run between slices', async () => {
    const key = randomBytes(16);
    let finished = false;
    const sealing = encryptMessagePartsSliced({
      cipher: CipherId.AES_128_GCM,
      key,
      sessionId: 1n,
      message: randomBytes(8 * GCM_SLICE),
    }).then(() => {
      finished = true;
    });
    // An immediate queued now runs at the first turn, while slices are still to come.
    const sawUnfinished = await new Promise<boolean>((r) => setImmediate(() => r(!finished)));
    await sealing;
    expect(sawUnfinished).toBe(true);
    expect(finished).toBe(true);
  });
});
