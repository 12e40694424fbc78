/**
 * The reference captures (Samba 4.17 and smbclient 4.17, SMB 3.1.1, Kerberos; see
 * test/captures/SOURCE.md): every message decodes and re-encodes byte-exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NegotiateResponse } from '../src/commands/negotiate.js';
import { findNegotiateContext } from '../src/commands/negotiate-contexts.js';
import { splitCompound } from '../src/compound.js';
import {
  CipherId,
  decodeTransform,
  decryptMessage,
  deriveSessionKeys,
  encryptMessage,
  isTransformFrame,
  PreauthHash,
  SigningAlgorithmId,
  SmbCryptoError,
  verifySignature,
} from '../src/crypto/index.js';
import { Command, commandName, HEADER_SIZE, HeaderFlags } from '../src/header.js';
import { decodeFrame, decodeMessage, encodeMessage } from '../src/message.js';
import { NtStatus } from '../src/status.js';

interface Capture {
  readonly sessionId: string;
  readonly sessionKey: string;
  readonly frames: readonly { direction: 'c2s' | 's2c'; hex: string }[];
}

export function loadCapture(name: string): Capture {
  return JSON.parse(readFileSync(new URL(`./captures/${name}.json`, import.meta.url), 'utf8')) as Capture;
}

export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

/** Decodes every message of `frame` and checks that encoding it again gives the same bytes. */
export function roundTrip(frame: Uint8Array): string[] {
  const names: string[] = [];
  for (const m of decodeFrame(frame)) {
    const again = encodeMessage(m.header, m.codec, m.body);
    const original = frame.subarray(m.span.start, m.span.end);
    expect(Buffer.from(again).toString('hex')).toBe(
      Buffer.from(original.subarray(0, again.length)).toString('hex'),
    );
    // Compound padding after the message is zeros.
    expect(original.subarray(again.length).every((b) => b === 0)).toBe(true);
    names.push(`${m.codec.name}${m.isError ? ` (0x${m.header.status.toString(16)})` : ''}`);
  }
  return names;
}

describe('smbclient-krb5 (signed, not encrypted)', () => {
  const capture = loadCapture('smbclient-krb5');

  it('has every frame decode and re-encode byte-exactly', () => {
    const seen = new Set<string>();
    for (const f of capture.frames) {
      const frame = fromHex(f.hex);
      expect(frame.length).toBeGreaterThanOrEqual(HEADER_SIZE);
      for (const n of roundTrip(frame)) seen.add(n);
    }
    // The capture's commands, requests and responses.
    for (const name of [
      'NEGOTIATE Request',
      'NEGOTIATE Response',
      'SESSION_SETUP Request',
      'SESSION_SETUP Response',
      'TREE_CONNECT Request',
      'CREATE Request',
      'WRITE Request',
      'READ Response',
      'CLOSE Response',
    ]) {
      expect(
        [...seen].some((s) => s.startsWith(name)),
        `${name} in ${[...seen].join(', ')}`,
      ).toBe(true);
    }
  });
});

/** The session's keys, derived as the client and server did (§3.2.5.3.1), from the capture itself. */
function sessionOf(capture: Capture) {
  const frames = capture.frames.map((f) => ({ direction: f.direction, bytes: fromHex(f.hex) }));
  const clear = frames.filter((f) => !isTransformFrame(f.bytes));
  const negotiate = clear.filter((f) => decodeMessage(f.bytes).header.command === Command.NEGOTIATE);
  const response = decodeMessage(negotiate[1]?.bytes as Uint8Array).body as NegotiateResponse;
  const hash = new PreauthHash();
  for (const f of negotiate) hash.update(f.bytes);
  // The session hash goes on over SESSION_SETUP, up to (not including) the final successful response.
  const setup = clear.filter((f) => decodeMessage(f.bytes).header.command === Command.SESSION_SETUP);
  for (const f of setup) {
    const h = decodeMessage(f.bytes).header;
    if (!(f.direction === 's2c' && h.status === NtStatus.SUCCESS)) hash.update(f.bytes);
  }
  const cipher = findNegotiateContext(response.negotiateContexts, 'encryption')?.ciphers[0] as
    | CipherId
    | undefined;
  const signing = (findNegotiateContext(response.negotiateContexts, 'signing')?.algorithms[0] ??
    SigningAlgorithmId.AES_CMAC) as SigningAlgorithmId;
  const keys = deriveSessionKeys({
    dialect: response.dialectRevision,
    sessionKey: fromHex(capture.sessionKey),
    preauthHash: hash.value,
    ...(cipher === undefined ? {} : { cipher }),
    role: 'client',
  });
  return { frames, keys, cipher, signing, dialect: response.dialectRevision };
}

describe('signatures and encryption of the captures', () => {
  it('smbclient-krb5: every signed message verifies with the derived signing key, and a flipped bit fails', () => {
    const { frames, keys, signing, dialect } = sessionOf(loadCapture('smbclient-krb5'));
    expect(dialect).toBe(0x0311);
    let verified = 0;
    for (const f of frames) {
      for (const span of splitCompound(f.bytes)) {
        const message = f.bytes.slice(span.start, span.end);
        const header = decodeMessage(message).header;
        if ((header.flags & HeaderFlags.SIGNED) === 0) continue;
        expect(
          verifySignature(message, keys.signingKey, signing),
          `${commandName(header.command)} #${header.messageId}`,
        ).toBe(true);
        verified++;
      }
    }
    expect(verified).toBeGreaterThan(40);
    const signed = frames
      .find((f) => (decodeMessage(f.bytes).header.flags & HeaderFlags.SIGNED) !== 0)
      ?.bytes.slice();
    if (signed === undefined) throw new Error('no signed message');
    signed[signed.length - 1] = (signed[signed.length - 1] as number) ^ 1;
    expect(verifySignature(signed, keys.signingKey, signing)).toBe(false);
  });

  it('smbclient-krb5-encrypt: every transform decrypts, its messages round-trip, and re-encrypting with its nonce gives the same frame', () => {
    const { frames, keys, cipher } = sessionOf(loadCapture('smbclient-krb5-encrypt'));
    expect(cipher).toBe(CipherId.AES_128_GCM);
    let decrypted = 0;
    const seen = new Set<string>();
    for (const f of frames) {
      if (!isTransformFrame(f.bytes)) continue;
      const key = (f.direction === 'c2s' ? keys.clientToServerKey : keys.serverToClientKey) as Uint8Array;
      const plain = decryptMessage(f.bytes, key, cipher as CipherId);
      for (const n of roundTrip(plain)) seen.add(n);
      const { header } = decodeTransform(f.bytes);
      const again = encryptMessage({
        cipher: cipher as CipherId,
        key,
        sessionId: header.sessionId,
        message: plain,
        nonce: header.nonce,
      });
      expect(Buffer.from(again).equals(Buffer.from(f.bytes))).toBe(true);
      const tampered = f.bytes.slice();
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 0x80;
      expect(() => decryptMessage(tampered, key, cipher as CipherId)).toThrow(SmbCryptoError);
      decrypted++;
    }
    expect(decrypted).toBeGreaterThan(50);
    for (const name of [
      'TREE_CONNECT Request',
      'CREATE Response',
      'WRITE Request',
      'READ Response',
      'CLOSE Request',
    ]) {
      expect(
        [...seen].some((s) => s.startsWith(name)),
        name,
      ).toBe(true);
    }
  });
});
