/**
 * SMB 3.x key derivation (MS-SMB2 §3.1.4.2): NIST SP 800-108 KDF in counter mode with
 * HMAC-SHA256 as the PRF, r = 32 (a 4-byte big-endian counter), and L (the output length
 * in bits, 4 bytes big-endian) of 128 or 256:
 *
 *   K(i) = HMAC-SHA256(Ki, [i]_32 || Label || 0x00 || Context || [L]_32),  i = 1..ceil(L/256)
 *
 * and the session keys of §3.2.5.3.1 (client) / §3.3.5.5.3 (server) built from it.
 */
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import { checkKey, labelBytes } from './bytes.js';
import { CipherId, cipherKeyLength, Dialect, isCipherId } from './constants.js';
import { SmbCryptoError, wrapCrypto } from './errors.js';

/** KDF labels and contexts of MS-SMB2 §3.1.4.2 (each with its terminating NUL). */
export const KdfLabel = {
  /** 3.0 / 3.0.2 */
  SIGNING_300: 'SMB2AESCMAC\0',
  SIGNING_CONTEXT_300: 'SmbSign\0',
  APPLICATION_300: 'SMB2APP\0',
  APPLICATION_CONTEXT_300: 'SmbRpc\0',
  ENCRYPTION_300: 'SMB2AESCCM\0',
  /** Context of the client-to-server key (note the space). */
  C2S_CONTEXT_300: 'ServerIn \0',
  /** Context of the server-to-client key. */
  S2C_CONTEXT_300: 'ServerOut\0',
  /** 3.1.1 (context: the session's preauth integrity hash) */
  SIGNING_311: 'SMBSigningKey\0',
  APPLICATION_311: 'SMBAppKey\0',
  C2S_311: 'SMBC2SCipherKey\0',
  S2C_311: 'SMBS2CCipherKey\0',
} as const;

/**
 * SP 800-108 counter-mode KDF with HMAC-SHA256 (r = 32). `label` and `context` are used as
 * given (SMB labels carry their own trailing NUL; the 0x00 separator between them is added
 * here); a string is taken as its Latin-1 bytes. `bits` is the output length L, a positive
 * multiple of 8 (SMB uses 128 and 256).
 */
export function deriveKey(
  key: Uint8Array,
  label: Uint8Array | string,
  context: Uint8Array | string,
  bits: number = 128,
): Uint8Array {
  checkKey('KDF key', key);
  if (!Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0 || bits > 0xffff * 8) {
    throw new SmbCryptoError(
      'invalid-argument',
      `KDF output length must be a positive multiple of 8 bits, got ${bits}`,
    );
  }
  const l = labelBytes('KDF label', label);
  const c = labelBytes('KDF context', context);
  const input = new Uint8Array(4 + l.length + 1 + c.length + 4);
  const view = new DataView(input.buffer);
  input.set(l, 4);
  input.set(c, 5 + l.length);
  view.setUint32(input.length - 4, bits);
  const out = new Uint8Array(bits / 8);
  const backend = getBackend();
  for (let i = 1, off = 0; off < out.length; i++, off += 32) {
    view.setUint32(0, i);
    const block = wrapCrypto('KDF', () => backend.hmac('sha256', key, input));
    out.set(block.subarray(0, Math.min(32, out.length - off)), off);
  }
  return out;
}

export interface DeriveSessionKeysOptions {
  /** The negotiated dialect (Dialect.*). */
  readonly dialect: number;
  /**
   * The cryptographic key of the authentication (GSS session key), whole. Its first 16
   * bytes, right-padded with zeros if shorter, are Session.SessionKey; the whole key is
   * Session.FullSessionKey, used only for the 256-bit cipher keys (§3.2.5.3.1).
   */
  readonly sessionKey: Uint8Array;
  /** 3.1.1 only, required there: the session's final preauth integrity hash (64 bytes). */
  readonly preauthHash?: Uint8Array | undefined;
  /** 3.x: the connection's cipher (Connection.CipherId); decides 128- or 256-bit cipher keys. */
  readonly cipher?: CipherId | undefined;
  /** Which end this is: decides which of the two cipher keys encrypts and which decrypts. */
  readonly role: 'client' | 'server';
}

export interface SessionKeys {
  /** Session.SigningKey (16 bytes; 2.x: the session key itself). */
  readonly signingKey: Uint8Array;
  /** Session.ApplicationKey (16 bytes; 2.x: the session key itself). */
  readonly applicationKey: Uint8Array;
  /** The key this role encrypts with (client: C2S, server: S2C); undefined below 3.0. */
  readonly encryptionKey: Uint8Array | undefined;
  /** The key this role decrypts with (client: S2C, server: C2S); undefined below 3.0. */
  readonly decryptionKey: Uint8Array | undefined;
  /** Client-to-server cipher key (Session.EncryptionKey of a client, DecryptionKey of a server). */
  readonly clientToServerKey: Uint8Array | undefined;
  /** Server-to-client cipher key. */
  readonly serverToClientKey: Uint8Array | undefined;
}

/** Session.SessionKey: the first 16 bytes of the GSS key, zero-padded when shorter (§3.2.5.3.1). */
function shortSessionKey(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(key.subarray(0, 16));
  return out;
}

/**
 * The keys of an authenticated session (MS-SMB2 §3.2.5.3.1, §3.3.5.5.3):
 * - 2.0.2 / 2.1: signing and application key = the session key; no encryption;
 * - 3.0 / 3.0.2: labels "SMB2AESCMAC\0"/"SmbSign\0", "SMB2APP\0"/"SmbRpc\0",
 *   "SMB2AESCCM\0"/"ServerIn \0" (C→S) and "ServerOut\0" (S→C); cipher AES-128-CCM only;
 * - 3.1.1: "SMBSigningKey\0", "SMBAppKey\0", "SMBC2SCipherKey\0", "SMBS2CCipherKey\0", all
 *   with the session's preauth hash as context; for AES-256-CCM/GCM the cipher keys are
 *   256-bit (L = 256) and derived from the full session key.
 * Signing and application keys are always 128-bit, from the 16-byte session key.
 */
export function deriveSessionKeys(options: DeriveSessionKeysOptions): SessionKeys {
  const { dialect, sessionKey, preauthHash, cipher, role } = options;
  checkKey('session key', sessionKey);
  if (sessionKey.length === 0) throw new SmbCryptoError('invalid-argument', 'session key is empty');
  if (role !== 'client' && role !== 'server')
    throw new SmbCryptoError('invalid-argument', `bad role: ${String(role)}`);
  if (cipher !== undefined && !isCipherId(cipher)) {
    throw new SmbCryptoError('invalid-argument', `unknown cipher id ${String(cipher)}`);
  }
  const key16 = shortSessionKey(sessionKey);
  const pick = (c2s: Uint8Array | undefined, s2c: Uint8Array | undefined): SessionKeys => ({
    signingKey: signing,
    applicationKey: application,
    encryptionKey: role === 'client' ? c2s : s2c,
    decryptionKey: role === 'client' ? s2c : c2s,
    clientToServerKey: c2s,
    serverToClientKey: s2c,
  });
  let signing: Uint8Array;
  let application: Uint8Array;

  switch (dialect) {
    case Dialect.SMB_2_0_2:
    case Dialect.SMB_2_1:
      if (cipher !== undefined) throw new SmbCryptoError('unsupported', 'SMB 2.x has no encryption');
      signing = key16;
      application = key16.slice();
      return pick(undefined, undefined);
    case Dialect.SMB_3_0:
    case Dialect.SMB_3_0_2: {
      if (cipher !== undefined && cipher !== CipherId.AES_128_CCM) {
        throw new SmbCryptoError(
          'unsupported',
          `SMB 3.0/3.0.2 encrypt with AES-128-CCM only, not cipher ${cipher}`,
        );
      }
      signing = deriveKey(key16, KdfLabel.SIGNING_300, KdfLabel.SIGNING_CONTEXT_300, 128);
      application = deriveKey(key16, KdfLabel.APPLICATION_300, KdfLabel.APPLICATION_CONTEXT_300, 128);
      return pick(
        deriveKey(key16, KdfLabel.ENCRYPTION_300, KdfLabel.C2S_CONTEXT_300, 128),
        deriveKey(key16, KdfLabel.ENCRYPTION_300, KdfLabel.S2C_CONTEXT_300, 128),
      );
    }
    case Dialect.SMB_3_1_1: {
      if (!(preauthHash instanceof Uint8Array) || preauthHash.length !== 64) {
        throw new SmbCryptoError(
          'invalid-argument',
          'SMB 3.1.1 key derivation needs the 64-byte session preauth hash',
        );
      }
      signing = deriveKey(key16, KdfLabel.SIGNING_311, preauthHash, 128);
      application = deriveKey(key16, KdfLabel.APPLICATION_311, preauthHash, 128);
      const wide = cipher !== undefined && cipherKeyLength(cipher) === 32;
      const base = wide ? sessionKey : key16;
      const bits = wide ? 256 : 128;
      return pick(
        deriveKey(base, KdfLabel.C2S_311, preauthHash, bits),
        deriveKey(base, KdfLabel.S2C_311, preauthHash, bits),
      );
    }
    default:
      throw new SmbCryptoError(
        'unsupported',
        `no key derivation for dialect 0x${Number(dialect).toString(16)}`,
      );
  }
}
