/**
 * RFC 4121 §4.2 per-message tokens: MIC (§4.2.6.1, TOK_ID 04 04) and Wrap (§4.2.6.2,
 * TOK_ID 05 04), with the EC and RRC fields (§4.2.4, §4.2.5) and the key usages of §2.
 *
 * MIC:  `04 04 | Flags | FF FF FF FF FF | SND_SEQ (8, BE) | SGN_CKSUM`
 * Wrap: `05 04 | Flags | FF | EC (2, BE) | RRC (2, BE) | SND_SEQ (8, BE) | Data`
 *
 * Flags (§4.2.2): 0x01 SentByAcceptor, 0x02 Sealed, 0x04 AcceptorSubkey.
 *
 * Key usages (§2): MIC tokens use the SIGN usages (23 acceptor, 25 initiator); every Wrap
 * token, sealed or not, uses the SEAL usages (22, 24), as MIT and Windows do.
 */
import {
  decrypt,
  encrypt,
  getEnctype,
  type Key,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '@postntlm/krb5-crypto';
import { GssIntegrityError, GssTokenError } from '../errors.js';
import { MAX_TOKEN_LENGTH } from '../rfc2743/framing.js';
import { TokenId } from './context-token.js';

/** §4.2.2 token flags. */
export const TokenFlags = { sentByAcceptor: 0x01, sealed: 0x02, acceptorSubkey: 0x04 } as const;

const HEADER = 16;

/** What a per-message token says about itself. */
export interface PerMessageHeader {
  readonly tokenId: number;
  readonly flags: number;
  readonly sentByAcceptor: boolean;
  readonly sealed: boolean;
  readonly acceptorSubkey: boolean;
  /** Wrap only: extra count and right rotation count. */
  readonly ec: number;
  readonly rrc: number;
  readonly seq: bigint;
}

/** How to build a token. */
export interface TokenOptions {
  readonly sentByAcceptor: boolean;
  /** Whether `key` is the acceptor's subkey (sets the AcceptorSubkey flag). */
  readonly acceptorSubkey: boolean;
  readonly seq: bigint;
}

export interface WrapOptions extends TokenOptions {
  /** Encrypt (confidentiality) or only checksum; default true. */
  readonly seal?: boolean;
  /** Right rotation count to apply (Windows uses 28 for sealed AES tokens); default 0. */
  readonly rrc?: number;
  /** Filler bytes for sealed tokens (Windows and DCE style pad); default 0. */
  readonly ec?: number;
}

const sealUsage = (sentByAcceptor: boolean): number =>
  sentByAcceptor ? KeyUsage.GSS_ACCEPTOR_SEAL : KeyUsage.GSS_INITIATOR_SEAL;
const signUsage = (sentByAcceptor: boolean): number =>
  sentByAcceptor ? KeyUsage.GSS_ACCEPTOR_SIGN : KeyUsage.GSS_INITIATOR_SIGN;

function flagsOf(options: TokenOptions, sealed: boolean): number {
  return (
    (options.sentByAcceptor ? TokenFlags.sentByAcceptor : 0) |
    (sealed ? TokenFlags.sealed : 0) |
    (options.acceptorSubkey ? TokenFlags.acceptorSubkey : 0)
  );
}

function writeSeq(out: Uint8Array, seq: bigint): void {
  if (seq < 0n || seq > 0xffffffffffffffffn) throw new RangeError(`sequence number out of range: ${seq}`);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setBigUint64(8, seq, false);
}

function micHeader(flags: number, seq: bigint): Uint8Array {
  const h = new Uint8Array(HEADER);
  h[0] = 0x04;
  h[1] = 0x04;
  h[2] = flags;
  h.fill(0xff, 3, 8);
  writeSeq(h, seq);
  return h;
}

function wrapHeader(flags: number, ec: number, rrc: number, seq: bigint): Uint8Array {
  const h = new Uint8Array(HEADER);
  h[0] = 0x05;
  h[1] = 0x04;
  h[2] = flags;
  h[3] = 0xff;
  h[4] = ec >>> 8;
  h[5] = ec & 0xff;
  h[6] = rrc >>> 8;
  h[7] = rrc & 0xff;
  writeSeq(h, seq);
  return h;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
};

/** Rotates right by `n` (§4.2.5): the last `n` bytes move to the front. */
export function rotateRight(data: Uint8Array, n: number): Uint8Array {
  if (data.length === 0) return data.slice();
  const r = n % data.length;
  if (r === 0) return data.slice();
  return concat(data.subarray(data.length - r), data.subarray(0, data.length - r));
}

/** Rotates left by `n`: undoes {@link rotateRight}. */
export function rotateLeft(data: Uint8Array, n: number): Uint8Array {
  if (data.length === 0) return data.slice();
  return rotateRight(data, data.length - (n % data.length));
}

/**
 * Parses the 16-byte header of a MIC or Wrap token, strictly: known token ID, only the three
 * defined flag bits, filler bytes 0xFF, and (MIC) EC/RRC absent. `GssTokenError` otherwise.
 */
export function parsePerMessageHeader(token: Uint8Array): PerMessageHeader {
  if (token.length > MAX_TOKEN_LENGTH + HEADER)
    throw new GssTokenError(`per-message token of ${token.length} bytes is too long`);
  if (token.length < HEADER)
    throw new GssTokenError(`per-message token: ${token.length} bytes, at least 16 expected`);
  const tokenId = (token[0]! << 8) | token[1]!;
  const flags = token[2]!;
  if ((flags & ~0x07) !== 0)
    throw new GssTokenError(`per-message token: unknown flag bits 0x${flags.toString(16)}`);
  let ec = 0;
  let rrc = 0;
  if (tokenId === TokenId.MIC) {
    for (let i = 3; i < 8; i++)
      if (token[i] !== 0xff) throw new GssTokenError('MIC token: filler is not FF FF FF FF FF');
    if ((flags & TokenFlags.sealed) !== 0) throw new GssTokenError('MIC token: Sealed flag set');
  } else if (tokenId === TokenId.WRAP) {
    if (token[3] !== 0xff) throw new GssTokenError('Wrap token: filler is not FF');
    ec = (token[4]! << 8) | token[5]!;
    rrc = (token[6]! << 8) | token[7]!;
  } else {
    throw new GssTokenError(
      `per-message token: unexpected token ID 0x${tokenId.toString(16).padStart(4, '0')}`,
    );
  }
  const seq = new DataView(token.buffer, token.byteOffset, token.byteLength).getBigUint64(8, false);
  return {
    tokenId,
    flags,
    sentByAcceptor: (flags & TokenFlags.sentByAcceptor) !== 0,
    sealed: (flags & TokenFlags.sealed) !== 0,
    acceptorSubkey: (flags & TokenFlags.acceptorSubkey) !== 0,
    ec,
    rrc,
    seq,
  };
}

/** Builds a MIC token over `message` (§4.2.6.1): checksum over message | header. */
export function makeMicToken(key: Key, options: TokenOptions, message: Uint8Array): Uint8Array {
  const header = micHeader(flagsOf(options, false), options.seq);
  const checksum = makeChecksum(key, signUsage(options.sentByAcceptor), concat(message, header));
  return concat(header, checksum);
}

/** Verifies a MIC token's checksum over `message`; `GssIntegrityError` if it does not verify. */
export function verifyMicToken(key: Key, token: Uint8Array, message: Uint8Array): PerMessageHeader {
  const header = parsePerMessageHeader(token);
  if (header.tokenId !== TokenId.MIC) throw new GssTokenError('expected a MIC token (04 04)');
  const length = getEnctype(key.enctype).checksumLength;
  if (token.length !== HEADER + length)
    throw new GssTokenError(`MIC token: ${token.length - HEADER} checksum bytes, expected ${length}`);
  const ok = verifyChecksum(
    key,
    signUsage(header.sentByAcceptor),
    concat(message, token.subarray(0, HEADER)),
    token.subarray(HEADER),
  );
  if (!ok) throw new GssIntegrityError('MIC token: checksum does not verify (GSS_S_BAD_SIG)');
  return header;
}

/** Builds a Wrap token (§4.2.6.2), sealed (encrypted) by default. */
export function makeWrapToken(key: Key, options: WrapOptions, message: Uint8Array): Uint8Array {
  const seal = options.seal ?? true;
  const rrc = options.rrc ?? 0;
  if (!Number.isInteger(rrc) || rrc < 0 || rrc > 0xffff) throw new RangeError(`RRC out of range: ${rrc}`);
  const flags = flagsOf(options, seal);
  if (seal) {
    const ec = options.ec ?? 0;
    if (!Number.isInteger(ec) || ec < 0 || ec > 0xffff) throw new RangeError(`EC out of range: ${ec}`);
    // The encrypted copy of the header carries RRC = 0 (§4.2.5).
    const inner = concat(message, new Uint8Array(ec).fill(0xff), wrapHeader(flags, ec, 0, options.seq));
    const cipher = encrypt(key, sealUsage(options.sentByAcceptor), inner);
    return concat(wrapHeader(flags, ec, rrc, options.seq), rotateRight(cipher, rrc));
  }
  // Unsealed: checksum over message | header with EC = RRC = 0; then EC = checksum length.
  const checksum = makeChecksum(
    key,
    sealUsage(options.sentByAcceptor),
    concat(message, wrapHeader(flags, 0, 0, options.seq)),
  );
  return concat(
    wrapHeader(flags, checksum.length, rrc, options.seq),
    rotateRight(concat(message, checksum), rrc),
  );
}

/** An unwrapped message and its header. */
export interface Unwrapped {
  readonly message: Uint8Array;
  readonly header: PerMessageHeader;
}

/** Verifies and opens a Wrap token; `GssIntegrityError` when it does not decrypt or verify. */
export function unwrapToken(key: Key, token: Uint8Array): Unwrapped {
  const header = parsePerMessageHeader(token);
  if (header.tokenId !== TokenId.WRAP) throw new GssTokenError('expected a Wrap token (05 04)');
  const data = rotateLeft(token.subarray(HEADER), header.rrc);
  if (header.sealed) {
    let plain: Uint8Array;
    try {
      plain = decrypt(key, sealUsage(header.sentByAcceptor), data);
    } catch (error) {
      throw new GssIntegrityError('Wrap token: decryption failed (GSS_S_BAD_SIG)', { cause: error });
    }
    if (plain.length < header.ec + HEADER)
      throw new GssIntegrityError(
        `Wrap token: ${plain.length} plaintext bytes cannot hold EC ${header.ec} and the header`,
      );
    const inner = plain.subarray(plain.length - HEADER);
    // The encrypted header must repeat TOK_ID, Flags, filler, EC and SND_SEQ (RRC not compared, as in MIT).
    for (let i = 0; i < HEADER; i++) {
      if (i === 6 || i === 7) continue;
      if (inner[i] !== token[i])
        throw new GssIntegrityError('Wrap token: the encrypted header does not match (GSS_S_BAD_SIG)');
    }
    return { message: plain.slice(0, plain.length - HEADER - header.ec), header };
  }
  const length = getEnctype(key.enctype).checksumLength;
  if (header.ec !== length)
    throw new GssTokenError(`unsealed Wrap token: EC ${header.ec}, expected the checksum length ${length}`);
  if (data.length < length) throw new GssTokenError('unsealed Wrap token: shorter than its checksum');
  const message = data.subarray(0, data.length - length);
  const plainHeader = token.slice(0, HEADER);
  plainHeader.fill(0, 4, 8);
  const ok = verifyChecksum(
    key,
    sealUsage(header.sentByAcceptor),
    concat(message, plainHeader),
    data.subarray(data.length - length),
  );
  if (!ok) throw new GssIntegrityError('unsealed Wrap token: checksum does not verify (GSS_S_BAD_SIG)');
  return { message: message.slice(), header };
}
