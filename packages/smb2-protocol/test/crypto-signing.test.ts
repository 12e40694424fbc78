import { getBackend, setBackend } from '@postntlm/krb5-crypto/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialect, SigningAlgorithmId } from '../src/crypto/constants.js';
import { SmbCryptoError } from '../src/crypto/errors.js';
import { deriveSessionKeys } from '../src/crypto/kdf.js';
import {
  computeSignature,
  defaultSigningAlgorithm,
  gmacNonce,
  signMessage,
  verifySignature,
} from '../src/crypto/signing.js';
import { BACKENDS, hex, splitAt, toHex, vector } from './vectors/load.js';

const goSmb2 = vector('go-smb2-kdf-signing.json');
const smbj = vector('smbj-kdf-signing.json');
const smblib = vector('smblibrary-signing.json');

interface Case {
  name: string;
  key: Uint8Array;
  algorithm: SigningAlgorithmId;
  message: Uint8Array;
  signature: string;
}

const cases: Case[] = [
  {
    name: 'go-smb2 sign_test.go (AES-CMAC, 3.0)',
    key: hex(goSmb2.signing.signing_key_hex),
    algorithm: SigningAlgorithmId.AES_CMAC,
    message: hex(goSmb2.signing.message_hex),
    signature: goSmb2.signing.signature_hex,
  },
  ...smbj.hmac_sha256_signing.vectors.map(
    (v: { name: string; message_hex: string; signature_hex: string }): Case => ({
      name: `smbj PacketSignatoryTest: ${v.name} (HMAC-SHA256)`,
      key: hex(smbj.hmac_sha256_signing.signing_key_hex),
      algorithm: SigningAlgorithmId.HMAC_SHA256,
      message: hex(v.message_hex),
      signature: v.signature_hex,
    }),
  ),
  ...smblib.vectors.map(
    (v: {
      dialect: string;
      algorithm: string;
      signing_key_hex: string;
      message_hex: string;
      signature_hex: string;
    }): Case => ({
      name: `SMBLibrary SMB2SigningTests, dialect ${v.dialect} (${v.algorithm})`,
      key: hex(v.signing_key_hex),
      algorithm: defaultSigningAlgorithm(Number(v.dialect)),
      message: hex(v.message_hex),
      signature: v.signature_hex,
    }),
  ),
];

afterAll(() => setBackend('auto'));

function splits(m: Uint8Array): Uint8Array[][] {
  return [[m], splitAt(m, 64), splitAt(m, 70, 71), splitAt(m, 64, 64, 65, m.length)];
}

describe.each(BACKENDS)('signing on the %s backend', (name) => {
  beforeAll(() => setBackend(name));

  it.each(cases.map((c) => [c.name, c]))('%s', (_n, c) => {
    for (const parts of splits(c.message)) {
      expect(toHex(computeSignature(parts, c.key, c.algorithm))).toBe(c.signature);
      expect(verifySignature(parts, c.key, c.algorithm)).toBe(true);
    }
    // Zeroed signature field, re-signed in place: same bytes as the vector.
    const copy = c.message.slice();
    copy.fill(0, 48, 64);
    copy[16]! &= ~0x08;
    expect(toHex(signMessage(copy, c.key, c.algorithm))).toBe(c.signature);
    expect(copy).toEqual(c.message);
    // Any flipped bit is refused.
    for (const i of [0, 16, 47, 48, 63, 64, c.message.length - 1]) {
      const bad = c.message.slice();
      bad[i]! ^= 0x01;
      expect(verifySignature(bad, c.key, c.algorithm)).toBe(false);
    }
  });

  it('large messages in parts (the node paths switch to streaming above 1-4 KiB)', () => {
    const key = hex('00112233445566778899aabbccddeeff');
    const big = new Uint8Array(70_001);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    for (const alg of [
      SigningAlgorithmId.HMAC_SHA256,
      SigningAlgorithmId.AES_CMAC,
      SigningAlgorithmId.AES_GMAC,
    ]) {
      const whole = computeSignature(big, key, alg);
      for (const parts of [
        splitAt(big, 64),
        splitAt(big, 64, 100, 4099, 4100, 65_536),
        splitAt(big, 80, 96, 112),
      ]) {
        expect(computeSignature(parts, key, alg)).toEqual(whole);
      }
    }
  });
});

describe('AES-GMAC signing (no published vector: checked against AES-GCM itself, across backends)', () => {
  const key = hex('6d151b6134d879c86ef4bff1c0b4566f');
  const message = hex(goSmb2.signing.message_hex);

  it('nonce = MessageId LE || u32 LE (bit 0: response, bit 1: CANCEL)', () => {
    const h = new Uint8Array(64);
    h.set([0x21, 0x43, 0x65, 0x87, 0xa9, 0xcb, 0xed, 0x0f], 24);
    expect(toHex(gmacNonce(h))).toBe('21436587a9cbed0f00000000');
    h[16] = 0x09; // SERVER_TO_REDIR | SIGNED
    expect(toHex(gmacNonce(h))).toBe('21436587a9cbed0f01000000');
    h[16] = 0x08;
    h[12] = 0x0c; // CANCEL request
    expect(toHex(gmacNonce(h))).toBe('21436587a9cbed0f02000000');
    h[16] = 0x03; // async CANCEL (the ASYNC flag itself plays no part)
    expect(toHex(gmacNonce(h))).toBe('21436587a9cbed0f03000000');
  });

  it('equals the AES-128-GCM tag of empty plaintext with the zero-signature message as AAD, on both backends', () => {
    const zeroed = message.slice();
    zeroed.fill(0, 48, 64);
    const expected: string[] = [];
    for (const name of BACKENDS) {
      setBackend(name);
      const tag = getBackend().aesGcmSeal(key, gmacNonce(message), new Uint8Array(0), zeroed).tag;
      const sig = computeSignature(splitAt(message, 64, 66), key, SigningAlgorithmId.AES_GMAC);
      expect(toHex(sig)).toBe(toHex(tag));
      expected.push(toHex(sig));
      const signed = zeroed.slice();
      signMessage(signed, key, SigningAlgorithmId.AES_GMAC);
      expect(verifySignature(signed, key, SigningAlgorithmId.AES_GMAC)).toBe(true);
      const cancel = signed.slice();
      cancel[12] = 0x0c; // a different nonce: the same bytes no longer verify
      expect(verifySignature(cancel, key, SigningAlgorithmId.AES_GMAC)).toBe(false);
    }
    expect(expected[0]).toBe(expected[1]);
    setBackend('auto');
  });

  it('3.1.1 sessions sign with the KDF signing key', () => {
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: key,
      preauthHash: new Uint8Array(64),
      role: 'client',
    });
    const m = message.slice();
    signMessage([m.subarray(0, 64), m.subarray(64)], keys.signingKey, SigningAlgorithmId.AES_GMAC);
    expect(verifySignature(m, keys.signingKey, SigningAlgorithmId.AES_GMAC)).toBe(true);
    expect(verifySignature(m, key, SigningAlgorithmId.AES_GMAC)).toBe(false);
  });
});

describe('signing refuses bad arguments with SmbCryptoError', () => {
  const key = new Uint8Array(16);
  it.each([
    ['short header', () => computeSignature(new Uint8Array(63), key, SigningAlgorithmId.HMAC_SHA256)],
    ['header split before 64', () => computeSignature([new Uint8Array(48), new Uint8Array(40)], key, 1)],
    ['no parts', () => computeSignature([], key, SigningAlgorithmId.AES_CMAC)],
    ['CMAC key of 32 bytes', () => computeSignature(new Uint8Array(64), new Uint8Array(32), 1)],
    ['GMAC key of 15 bytes', () => computeSignature(new Uint8Array(64), new Uint8Array(15), 2)],
    ['unknown algorithm', () => computeSignature(new Uint8Array(64), key, 7 as SigningAlgorithmId)],
  ])('%s', (_n, fn) => {
    expect(fn).toThrow(SmbCryptoError);
  });
  it('default algorithms per dialect', () => {
    expect(defaultSigningAlgorithm(Dialect.SMB_2_0_2)).toBe(SigningAlgorithmId.HMAC_SHA256);
    expect(defaultSigningAlgorithm(Dialect.SMB_2_1)).toBe(SigningAlgorithmId.HMAC_SHA256);
    expect(defaultSigningAlgorithm(Dialect.SMB_3_0)).toBe(SigningAlgorithmId.AES_CMAC);
    expect(defaultSigningAlgorithm(Dialect.SMB_3_1_1)).toBe(SigningAlgorithmId.AES_CMAC);
  });
});
