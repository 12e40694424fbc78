import { setBackend } from '@postntlm/krb5-crypto/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CipherId } from '../src/crypto/constants.js';
import { SmbCryptoError } from '../src/crypto/errors.js';
import {
  decodeTransform,
  decryptMessage,
  encodeTransformHeader,
  encryptMessage,
  encryptMessageParts,
  isTransformFrame,
  TRANSFORM_HEADER_SIZE,
} from '../src/crypto/transform.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { BACKENDS, hex, type Json, splitAt, toHex, vector } from './vectors/load.js';

const blog300 = vector('ms-blog-smb300-encryption.json');
const blog311 = vector('ms-blog-smb311-encryption-gcm.json');
const smbprotocol = vector('smbprotocol-transform.json');

const CIPHERS: Record<string, CipherId> = {
  'AES-128-CCM': CipherId.AES_128_CCM,
  'AES-128-GCM': CipherId.AES_128_GCM,
  'AES-256-CCM': CipherId.AES_256_CCM,
  'AES-256-GCM': CipherId.AES_256_GCM,
};

interface Case {
  name: string;
  cipher: CipherId;
  encryptKey: Uint8Array;
  decryptKey: Uint8Array;
  sessionId: bigint;
  plaintext: string;
  nonceField?: string;
  frame: string;
  signature?: string;
}

const cases: Case[] = [
  ...[blog300, blog311].flatMap((v, i): Case[] => {
    const cipher = i === 0 ? CipherId.AES_128_CCM : CipherId.AES_128_GCM;
    const label = i === 0 ? 'MS blog 3.0 (AES-128-CCM)' : 'MS blog 3.1.1 (AES-128-GCM)';
    return [
      {
        name: `${label}: client WRITE request`,
        cipher,
        encryptKey: hex(v.encryption_key_hex),
        decryptKey: hex(v.encryption_key_hex),
        sessionId: BigInt(v.session_id),
        plaintext: v.client_write_request.plaintext_hex,
        nonceField: v.client_write_request.nonce_field_hex,
        frame: v.client_write_request.transform_message_hex,
        signature: v.client_write_request.signature_hex,
      },
      {
        name: `${label}: server WRITE response`,
        cipher,
        encryptKey: hex(v.decryption_key_hex),
        decryptKey: hex(v.decryption_key_hex),
        sessionId: BigInt(v.session_id),
        plaintext: v.server_write_response.plaintext_hex,
        nonceField: toHex(hex(v.server_write_response.transform_message_hex).subarray(20, 36)),
        frame: v.server_write_response.transform_message_hex,
      },
    ];
  }),
  ...smbprotocol.vectors.map(
    (v: Json): Case => ({
      name: `smbprotocol test_connection.py ${v.cipher}`,
      cipher: CIPHERS[v.cipher]!,
      encryptKey: hex(v.encryption_key_hex),
      decryptKey: hex(v.encryption_key_hex),
      sessionId: BigInt(v.session_id),
      plaintext: v.plaintext_hex,
      nonceField: v.nonce_field_hex,
      frame: v.transform_message_hex,
      signature: v.signature_hex,
    }),
  ),
];

afterAll(() => setBackend('auto'));

describe.each(BACKENDS)('transform on the %s backend', (name) => {
  beforeAll(() => setBackend(name));

  it.each(cases.map((c) => [c.name, c]))('%s', (_n, c) => {
    const frame = hex(c.frame);
    const plaintext = hex(c.plaintext);
    // decode
    const { header, ciphertext } = decodeTransform(frame);
    expect(header.sessionId).toBe(c.sessionId);
    expect(header.flags).toBe(1);
    expect(header.originalMessageSize).toBe(plaintext.length);
    expect(ciphertext.length).toBe(plaintext.length);
    if (c.signature !== undefined) expect(toHex(header.signature)).toBe(c.signature);
    expect(encodeTransformHeader(header)).toEqual(frame.subarray(0, TRANSFORM_HEADER_SIZE));
    // decrypt
    expect(toHex(decryptMessage(frame, c.decryptKey, c.cipher))).toBe(c.plaintext);
    // encrypt with the vector's nonce field, whole and in parts
    const nonce = hex(c.nonceField!);
    const opts = { cipher: c.cipher, key: c.encryptKey, sessionId: c.sessionId, nonce };
    expect(toHex(encryptMessage({ ...opts, message: plaintext }))).toBe(c.frame);
    const parts = plaintext.length > 64 ? splitAt(plaintext, 64, 65) : splitAt(plaintext, 1);
    expect(toHex(encryptMessage({ ...opts, message: parts }))).toBe(c.frame);
    const vectored = encryptMessageParts({ ...opts, message: parts });
    expect(vectored[0]!.length).toBe(TRANSFORM_HEADER_SIZE);
    expect(toHex(Uint8Array.from(vectored.flatMap((p) => [...p])))).toBe(c.frame);
    // the wrong key, or a flipped bit anywhere, is refused with an integrity error
    const wrongKey = c.decryptKey.slice();
    wrongKey[0]! ^= 0x80;
    expect(() => decryptMessage(frame, wrongKey, c.cipher)).toThrow(SmbCryptoError);
    for (const i of [4, 19, 20, 35, 40, 44, 51, 52, frame.length - 1]) {
      const bad = frame.slice();
      bad[i]! ^= 0x04;
      try {
        decryptMessage(bad, c.decryptKey, c.cipher);
        expect.unreachable(`bit flip at ${i} accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(SmbCryptoError);
        expect((e as SmbCryptoError).kind).toBe('integrity');
      }
    }
  });

  it('random nonces: 11 bytes for CCM, 12 for GCM, rest zero', () => {
    for (const cipher of Object.values(CIPHERS)) {
      const key = new Uint8Array(
        cipher === CipherId.AES_256_CCM || cipher === CipherId.AES_256_GCM ? 32 : 16,
      ).fill(9);
      const message = new Uint8Array(100).fill(5);
      const a = encryptMessage({ cipher, key, sessionId: 7n, message });
      const b = encryptMessage({ cipher, key, sessionId: 7n, message });
      const n = cipher === CipherId.AES_128_CCM || cipher === CipherId.AES_256_CCM ? 11 : 12;
      expect(a.subarray(20 + n, 36).every((x) => x === 0)).toBe(true);
      expect(toHex(a.subarray(20, 20 + n))).not.toBe(toHex(b.subarray(20, 20 + n)));
      expect(decryptMessage(a, key, cipher)).toEqual(message);
      expect(decryptMessage(b, key, cipher)).toEqual(message);
      expect(isTransformFrame(a)).toBe(true);
    }
  });
});

describe('transform of megabyte messages (native GCM in slices, plaintext into given memory)', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
  const message = Uint8Array.from({ length: (1 << 20) + 12345 }, (_, i) => (i * 31) & 0xff);
  const opts = { cipher: CipherId.AES_128_GCM, key, sessionId: 0x1122n, nonce };

  it.each(BACKENDS)(
    'encrypts to the same bytes as the %s backend, and decrypts into the given memory',
    (name) => {
      const native = encryptMessage({ ...opts, message });
      setBackend(name);
      try {
        const { ciphertext, tag } = (() => {
          const f = encryptMessage({ ...opts, message });
          return { ciphertext: f.subarray(TRANSFORM_HEADER_SIZE), tag: f.subarray(20, 36) };
        })();
        expect(native.subarray(TRANSFORM_HEADER_SIZE)).toEqual(ciphertext);
        expect(native.subarray(20, 36)).toEqual(tag);
      } finally {
        setBackend('node');
      }
      const memory = new Uint8Array(message.length + 100).fill(0xcc);
      const plain = decryptMessage(native, key, CipherId.AES_128_GCM, {
        allocate: (n) => memory.subarray(0, n),
      });
      expect(plain.buffer).toBe(memory.buffer);
      expect(plain).toEqual(message);
      expect(decryptMessage(native, key, CipherId.AES_128_GCM)).toEqual(message);
    },
  );

  it('a flipped bit: integrity error, and the given memory holds no plaintext', () => {
    const frame = encryptMessage({ ...opts, message });
    frame[frame.length - 5]! ^= 1;
    const memory = new Uint8Array(message.length);
    try {
      decryptMessage(frame, key, CipherId.AES_128_GCM, { allocate: () => memory });
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(SmbCryptoError);
      expect((e as SmbCryptoError).kind).toBe('integrity');
    }
    expect(memory.every((b) => b === 0)).toBe(true);
    const good = encryptMessage({ ...opts, message });
    expect(() =>
      decryptMessage(good, key, CipherId.AES_128_GCM, { allocate: () => new Uint8Array(3) }),
    ).toThrow(SmbCryptoError);
  });
});

describe('transform refuses malformed input with typed errors', () => {
  const good = hex(smbprotocol.vectors[0].transform_message_hex);
  const key = hex(smbprotocol.vectors[0].encryption_key_hex);
  it.each([
    ['too short', good.subarray(0, 51)],
    ['wrong protocol id', Uint8Array.from(good, (x, i) => (i === 0 ? 0xfe : x))],
    ['flags 0', Uint8Array.from(good, (x, i) => (i === 42 ? 0 : x))],
    ['size mismatch', good.subarray(0, good.length - 1)],
  ])('%s → SmbDecodeError', (_n, frame) => {
    expect(() => decodeTransform(frame)).toThrow(SmbDecodeError);
    expect(() => decryptMessage(frame, key, CipherId.AES_128_CCM)).toThrow(SmbDecodeError);
  });
  it.each([
    ['key length', () => decryptMessage(good, new Uint8Array(32), CipherId.AES_128_CCM)],
    ['cipher id', () => decryptMessage(good, key, 5 as CipherId)],
    [
      'nonce length',
      () => encryptMessage({ cipher: 1, key, sessionId: 1n, message: good, nonce: new Uint8Array(12) }),
    ],
    ['session id', () => encryptMessage({ cipher: 2, key, sessionId: -1n, message: good })],
  ])('bad %s → SmbCryptoError', (_n, fn) => {
    expect(fn).toThrow(SmbCryptoError);
  });
});
