/**
 * RFC 4121 §4.1.1 the authenticator checksum of a GSS AP-REQ (checksum type 0x8003):
 *
 * | octets          | field  | meaning                                                    |
 * | --------------- | ------ | ---------------------------------------------------------- |
 * | 0..3            | Lgth   | 16, **little-endian**: the length of Bnd                   |
 * | 4..19           | Bnd    | MD5 of the channel bindings (§4.1.1.2), or 16 zero bytes   |
 * | 20..23          | Flags  | GSS context flags, **little-endian** (§4.1.1.1)            |
 * | 24..25          | DlgOpt | 1, little-endian; only when the deleg flag is set           |
 * | 26..27          | Dlgth  | length of Deleg, little-endian; only with DlgOpt            |
 * | 28..(n-1)       | Deleg  | a KRB-CRED with the delegated TGT; only with DlgOpt         |
 * | n..last         | Exts   | extensions: type (4, **big-endian**), length (4, BE), data |
 *
 * Extension types (IANA "Kerberos V GSS-API extensions"): 0 channel binding (RFC 6542),
 * 1 MIT's legacy IAKERB finished, 2 GSS_EXTS_FINISHED (draft-ietf-kitten-iakerb).
 */
import { makeChecksum } from '@postntlm/krb5-crypto';
import { GssTokenError } from '../errors.js';

/** The checksum type of the GSS authenticator checksum. */
export const GSS_CHECKSUM_TYPE = 0x8003;

/** RFC 4121 §4.1.1.1 and RFC 2744 context flags, as carried in the 0x8003 checksum. */
export const GssFlags = {
  deleg: 0x01,
  mutual: 0x02,
  replay: 0x04,
  sequence: 0x08,
  conf: 0x10,
  integ: 0x20,
  anon: 0x40,
  protReady: 0x80,
  trans: 0x100,
  /** Microsoft GSS_C_DCE_STYLE (MS-KILE §3.2.5.2). */
  dceStyle: 0x1000,
  /** Microsoft GSS_C_IDENTIFY_FLAG. */
  identify: 0x2000,
  /** Microsoft GSS_C_EXTENDED_ERROR_FLAG (MS-KILE §3.2.5.2). */
  extendedError: 0x4000,
} as const;
export type GssFlagName = keyof typeof GssFlags;

/** Names of the set bits of a flags number (unknown bits are not named). */
export function gssFlagNames(flags: number): GssFlagName[] {
  return (Object.keys(GssFlags) as GssFlagName[]).filter((name) => (flags & GssFlags[name]) !== 0);
}

/** A flags number from names. */
export function gssFlags(names: Iterable<GssFlagName>): number {
  let flags = 0;
  for (const name of names) flags |= GssFlags[name];
  return flags >>> 0;
}

/** Extension types of the 0x8003 checksum. */
export const GssChecksumExtensionType = {
  channelBinding: 0,
  iakerbFinishedLegacy: 1,
  iakerbFinished: 2,
} as const;

/** One extension of the 0x8003 checksum. */
export interface GssChecksumExtension {
  readonly type: number;
  readonly data: Uint8Array;
}

/** The decoded 0x8003 checksum. */
export interface GssChecksum {
  /** Bnd: the 16-byte channel-binding hash, all zeros when there are no bindings. */
  readonly bindings: Uint8Array;
  /** Context flags (`GssFlags`); `deleg` is set exactly when `delegation` is present. */
  readonly flags: number;
  /** Deleg: the KRB-CRED (DER) carrying the delegated credential. */
  readonly delegation?: Uint8Array | undefined;
  readonly extensions: readonly GssChecksumExtension[];
}

const BND_LENGTH = 16;
/** Largest accepted checksum (the whole AP-REQ is bounded by the token limit anyway). */
const MAX_CHECKSUM_LENGTH = 1 << 20;

/** Encodes a 0x8003 checksum. The deleg flag is set when `delegation` is given and cleared otherwise. */
export function encodeGssChecksum(value: GssChecksum): Uint8Array {
  if (value.bindings.length !== BND_LENGTH)
    throw new RangeError(`Bnd must be 16 bytes, got ${value.bindings.length}`);
  if (!Number.isInteger(value.flags) || value.flags < 0 || value.flags > 0xffffffff)
    throw new RangeError(`flags must be a 32-bit unsigned integer, got ${value.flags}`);
  const deleg = value.delegation;
  if (deleg !== undefined && deleg.length > 0xffff) throw new RangeError('Deleg longer than 65535 bytes');
  let length = 4 + BND_LENGTH + 4 + (deleg === undefined ? 0 : 4 + deleg.length);
  for (const ext of value.extensions) {
    if (!Number.isInteger(ext.type) || ext.type < 0 || ext.type > 0xffffffff)
      throw new RangeError(`extension type must be a 32-bit unsigned integer, got ${ext.type}`);
    length += 8 + ext.data.length;
  }
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, BND_LENGTH, true);
  out.set(value.bindings, 4);
  const flags = deleg === undefined ? value.flags & ~GssFlags.deleg : value.flags | GssFlags.deleg;
  view.setUint32(20, flags >>> 0, true);
  let pos = 24;
  if (deleg !== undefined) {
    view.setUint16(pos, 1, true);
    view.setUint16(pos + 2, deleg.length, true);
    out.set(deleg, pos + 4);
    pos += 4 + deleg.length;
  }
  for (const ext of value.extensions) {
    view.setUint32(pos, ext.type, false);
    view.setUint32(pos + 4, ext.data.length, false);
    out.set(ext.data, pos + 8);
    pos += 8 + ext.data.length;
  }
  return out;
}

/**
 * Decodes a 0x8003 checksum, strictly: Lgth must be 16, DlgOpt must be 1 when the deleg
 * flag is set, and the extensions must fill the rest exactly. `GssTokenError` otherwise.
 * `delegation` and extension data are views into `bytes`.
 */
export function decodeGssChecksum(bytes: Uint8Array): GssChecksum {
  if (bytes.length > MAX_CHECKSUM_LENGTH)
    throw new GssTokenError(`GSS checksum of ${bytes.length} bytes is too long`);
  if (bytes.length < 24) throw new GssTokenError(`GSS checksum: ${bytes.length} bytes, at least 24 expected`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lgth = view.getUint32(0, true);
  if (lgth !== BND_LENGTH) throw new GssTokenError(`GSS checksum: Lgth is ${lgth}, expected 16`);
  const bindings = bytes.subarray(4, 20);
  const flags = view.getUint32(20, true);
  let pos = 24;
  let delegation: Uint8Array | undefined;
  if ((flags & GssFlags.deleg) !== 0) {
    if (pos + 4 > bytes.length)
      throw new GssTokenError('GSS checksum: deleg flag set but DlgOpt/Dlgth missing');
    const dlgOpt = view.getUint16(pos, true);
    if (dlgOpt !== 1) throw new GssTokenError(`GSS checksum: DlgOpt is ${dlgOpt}, expected 1`);
    const dlgth = view.getUint16(pos + 2, true);
    if (pos + 4 + dlgth > bytes.length)
      throw new GssTokenError(
        `GSS checksum: Dlgth ${dlgth} exceeds the ${bytes.length - pos - 4} bytes left`,
      );
    delegation = bytes.subarray(pos + 4, pos + 4 + dlgth);
    pos += 4 + dlgth;
  }
  const extensions: GssChecksumExtension[] = [];
  while (pos < bytes.length) {
    if (pos + 8 > bytes.length)
      throw new GssTokenError(
        `GSS checksum: ${bytes.length - pos} trailing bytes, too short for an extension header`,
      );
    const type = view.getUint32(pos, false);
    const length = view.getUint32(pos + 4, false);
    if (length > bytes.length - pos - 8)
      throw new GssTokenError(
        `GSS checksum: extension ${type} declares ${length} bytes, ${bytes.length - pos - 8} left`,
      );
    extensions.push({ type, data: bytes.subarray(pos + 8, pos + 8 + length) });
    pos += 8 + length;
  }
  return delegation === undefined
    ? { bindings, flags, extensions }
    : { bindings, flags, delegation, extensions };
}

/** RFC 2744 §3.11 / RFC 4121 §4.1.1.2 channel bindings. */
export interface ChannelBindings {
  readonly initiatorAddrType?: number;
  readonly initiatorAddress?: Uint8Array;
  readonly acceptorAddrType?: number;
  readonly acceptorAddress?: Uint8Array;
  /** For TLS: `tls-server-end-point:` + hash, or `tls-unique:` + finished (RFC 5929). */
  readonly applicationData?: Uint8Array;
}

/**
 * Bnd (RFC 4121 §4.1.1.2): MD5 over initiator addrtype (4 LE) | address length (4 LE) |
 * address | acceptor addrtype | length | address | application data length | data.
 */
export function channelBindingHash(bindings: ChannelBindings): Uint8Array {
  const parts: [number, Uint8Array][] = [
    [bindings.initiatorAddrType ?? 0, bindings.initiatorAddress ?? new Uint8Array(0)],
    [bindings.acceptorAddrType ?? 0, bindings.acceptorAddress ?? new Uint8Array(0)],
  ];
  const app = bindings.applicationData ?? new Uint8Array(0);
  const length = parts.reduce((n, [, a]) => n + 8 + a.length, 0) + 4 + app.length;
  const buf = new Uint8Array(length);
  const view = new DataView(buf.buffer);
  let pos = 0;
  for (const [type, address] of parts) {
    view.setUint32(pos, type, true);
    view.setUint32(pos + 4, address.length, true);
    buf.set(address, pos + 8);
    pos += 8 + address.length;
  }
  view.setUint32(pos, app.length, true);
  buf.set(app, pos + 4);
  // Unkeyed RSA-MD5 (checksum type 7), RFC 3961 §6.1.3.
  return makeChecksum(null, 0, buf, 7);
}
