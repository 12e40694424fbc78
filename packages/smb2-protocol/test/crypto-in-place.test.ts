import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CipherId,
  decryptMessage,
  decryptMessagePaced,
  encryptMessage,
  encryptMessageParts,
  encryptMessagePartsPaced,
  SmbCryptoError,
} from '../src/index.js';

const SESSION = 0x0102030405060708n;
const between = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
const CIPHERS = [CipherId.AES_128_CCM, CipherId.AES_128_GCM, CipherId.AES_256_CCM, CipherId.AES_256_GCM];
const keyFor = (cipher: CipherId) =>
  randomBytes(cipher === CipherId.AES_256_CCM || cipher === CipherId.AES_256_GCM ? 32 : 16);

/** `inPlace`: the plaintext is written over the frame's ciphertext and returned as a view of it. */
describe('decryptMessage with inPlace', () => {
  for (const cipher of CIPHERS)
    for (const size of [1, 1000, 128 * 1024 + 17, 3 * 1024 * 1024 + 5])
      it(`cipher ${cipher}, ${size} bytes: the plaintext, in the frame's own memory`, () => {
        const key = keyFor(cipher);
        const message = randomBytes(size);
        const frame = encryptMessage({ cipher, key, sessionId: SESSION, message });
        const plain = decryptMessage(frame, key, cipher, { inPlace: true });
        expect(same(plain, message)).toBe(true);
        expect(plain.buffer).toBe(frame.buffer);
        expect(plain.byteOffset).toBe(frame.byteOffset + 52);
      });

  for (const cipher of CIPHERS)
    it(`cipher ${cipher}: a bad tag throws SmbCryptoError and leaves no plaintext in the frame`, () => {
      const key = keyFor(cipher);
      const message = new Uint8Array(300_000).fill(0x41);
      const frame = encryptMessage({ cipher, key, sessionId: SESSION, message });
      frame[20] = (frame[20] as number) ^ 1; // the signature (tag)
      let error: unknown;
      try {
        decryptMessage(frame, key, cipher, { inPlace: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SmbCryptoError);
      expect((error as SmbCryptoError).kind).toBe('integrity');
      // No run of the plaintext survives (ciphertext alone may hold a stray 0x41).
      expect(Buffer.from(frame.buffer, frame.byteOffset, frame.length).indexOf(Buffer.alloc(16, 0x41))).toBe(
        -1,
      );
    });

  it('the paced variant gives the same view, and takes precedence over allocate', async () => {
    const key = randomBytes(16);
    const message = randomBytes(5 * 1024 * 1024 + 3);
    const frame = encryptMessage({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, message });
    let allocated = 0;
    const plain = await decryptMessagePaced(frame, key, CipherId.AES_128_GCM, {
      inPlace: true,
      allocate: (n) => {
        allocated += n;
        return new Uint8Array(n);
      },
      between,
    });
    expect(same(plain, message)).toBe(true);
    expect(plain.buffer).toBe(frame.buffer);
    expect(allocated).toBe(0);
  });

  it('without inPlace the frame is left as it was', () => {
    const key = randomBytes(16);
    const frame = encryptMessage({
      cipher: CipherId.AES_128_GCM,
      key,
      sessionId: SESSION,
      message: randomBytes(4096),
    });
    const copy = frame.slice();
    decryptMessage(frame, key, CipherId.AES_128_GCM);
    expect(same(frame, copy)).toBe(true);
  });
});

/** `inPlace` sealing: the same frame as usual, written over the caller's parts. */
describe('encryptMessageParts with inPlace', () => {
  const join = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts.map((p) => Buffer.from(p)));
  for (const cipher of CIPHERS)
    for (const sizes of [
      [64, 1],
      [64, 16, 300_000],
      [64, 16, 0, 1024 * 1024 + 7],
    ])
      it(`cipher ${cipher}, parts of ${sizes.join('+')} bytes`, () => {
        const key = keyFor(cipher);
        const nonce = randomBytes(
          cipher === CipherId.AES_128_GCM || cipher === CipherId.AES_256_GCM ? 12 : 11,
        );
        const parts = sizes.map((n) => new Uint8Array(randomBytes(n)));
        const plain = join(parts);
        const usual = join(encryptMessageParts({ cipher, key, sessionId: SESSION, nonce, message: parts }));
        expect(same(join(parts), plain)).toBe(true); // untouched without inPlace
        const sealed = encryptMessageParts({
          cipher,
          key,
          sessionId: SESSION,
          nonce,
          message: parts,
          inPlace: true,
        });
        expect(same(join(sealed), usual)).toBe(true);
        // The parts after the header are the caller's own memory, now ciphertext.
        expect(sealed.slice(1)).toEqual(parts.filter((p) => p.length > 0));
        expect(same(decryptMessage(join(sealed), key, cipher), plain)).toBe(true);
      });

  it('the paced variant seals in place too', async () => {
    const key = randomBytes(16);
    const nonce = randomBytes(12);
    const parts = [new Uint8Array(randomBytes(80)), new Uint8Array(randomBytes(3 * 1024 * 1024))];
    const plain = join(parts);
    const usual = join(
      encryptMessageParts({ cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, nonce, message: parts }),
    );
    const sealed = await encryptMessagePartsPaced(
      { cipher: CipherId.AES_128_GCM, key, sessionId: SESSION, nonce, message: parts, inPlace: true },
      { between },
    );
    expect(sealed.length).toBe(3);
    expect(same(join(sealed), usual)).toBe(true);
    expect(same(decryptMessage(join(sealed), key, CipherId.AES_128_GCM), plain)).toBe(true);
  });
});
