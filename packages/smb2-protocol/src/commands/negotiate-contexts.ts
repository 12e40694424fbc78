/**
 * SMB 3.1.1 negotiate contexts (MS-SMB2 §2.2.3.1, §2.2.4.1): the 8-byte aligned list that
 * follows a NEGOTIATE request or response. Known context types decode to typed values;
 * any other type is kept as `{ kind: 'raw', type, data }` and re-encoded as is.
 */
import { SmbEncodeError } from '../wire/errors.js';
import { Reader, utf16 } from '../wire/reader.js';
import { utf16le, type Writer } from '../wire/writer.js';

/** ContextType values (§2.2.3.1). */
export const NegotiateContextType = {
  PREAUTH_INTEGRITY_CAPABILITIES: 0x0001,
  ENCRYPTION_CAPABILITIES: 0x0002,
  COMPRESSION_CAPABILITIES: 0x0003,
  NETNAME_NEGOTIATE_CONTEXT_ID: 0x0005,
  TRANSPORT_CAPABILITIES: 0x0006,
  RDMA_TRANSFORM_CAPABILITIES: 0x0007,
  SIGNING_CAPABILITIES: 0x0008,
} as const;

/** Compression algorithms (§2.2.3.1.3). */
export const CompressionAlgorithm = {
  NONE: 0x0000,
  LZNT1: 0x0001,
  LZ77: 0x0002,
  LZ77_HUFFMAN: 0x0003,
  PATTERN_V1: 0x0004,
  LZ4: 0x0005,
} as const;

/** COMPRESSION_CAPABILITIES Flags (§2.2.3.1.3). */
export const CompressionCapabilitiesFlags = { NONE: 0x00000000, CHAINED: 0x00000001 } as const;

/** TRANSPORT_CAPABILITIES Flags (§2.2.3.1.5). */
export const TransportCapabilitiesFlags = { ACCEPT_TRANSPORT_LEVEL_SECURITY: 0x00000001 } as const;

/** RDMA transform ids (§2.2.3.1.6). */
export const RdmaTransform = { NONE: 0x0000, ENCRYPTION: 0x0001, SIGNING: 0x0002 } as const;

export interface PreauthIntegrityContext {
  readonly kind: 'preauthIntegrity';
  readonly hashAlgorithms: readonly number[];
  readonly salt: Uint8Array;
}
export interface EncryptionContext {
  readonly kind: 'encryption';
  /** In preference order (request); the one chosen (response). */
  readonly ciphers: readonly number[];
}
export interface CompressionContext {
  readonly kind: 'compression';
  readonly flags: number;
  readonly algorithms: readonly number[];
}
export interface NetnameContext {
  readonly kind: 'netname';
  /** The server name the client connects to (UTF-16, as sent: no terminator added or removed). */
  readonly netName: string;
}
export interface TransportContext {
  readonly kind: 'transport';
  readonly flags: number;
}
export interface RdmaTransformContext {
  readonly kind: 'rdmaTransform';
  readonly transformIds: readonly number[];
}
export interface SigningContext {
  readonly kind: 'signing';
  readonly algorithms: readonly number[];
}
/** A context of a type this codec does not know (e.g. Samba's POSIX extensions, 0x0100). */
export interface RawNegotiateContext {
  readonly kind: 'raw';
  readonly type: number;
  readonly data: Uint8Array;
}

export type NegotiateContext =
  | PreauthIntegrityContext
  | EncryptionContext
  | CompressionContext
  | NetnameContext
  | TransportContext
  | RdmaTransformContext
  | SigningContext
  | RawNegotiateContext;

const KIND_TYPE = {
  preauthIntegrity: NegotiateContextType.PREAUTH_INTEGRITY_CAPABILITIES,
  encryption: NegotiateContextType.ENCRYPTION_CAPABILITIES,
  compression: NegotiateContextType.COMPRESSION_CAPABILITIES,
  netname: NegotiateContextType.NETNAME_NEGOTIATE_CONTEXT_ID,
  transport: NegotiateContextType.TRANSPORT_CAPABILITIES,
  rdmaTransform: NegotiateContextType.RDMA_TRANSFORM_CAPABILITIES,
  signing: NegotiateContextType.SIGNING_CAPABILITIES,
} as const;

/** The ContextType a context is sent with. */
export function negotiateContextType(c: NegotiateContext): number {
  return c.kind === 'raw' ? c.type : KIND_TYPE[c.kind];
}

/** The first context of a kind in a list. */
export function findNegotiateContext<K extends NegotiateContext['kind']>(
  contexts: readonly NegotiateContext[] | undefined,
  kind: K,
): Extract<NegotiateContext, { kind: K }> | undefined {
  return contexts?.find((c): c is Extract<NegotiateContext, { kind: K }> => c.kind === kind);
}

function u16List(w: Writer, list: readonly number[], field: string): void {
  for (const v of list) w.u16(v, field);
}

function count16(n: number, field: string): number {
  if (n > 0xffff) throw new SmbEncodeError(field, `${n} entries do not fit a 16-bit count`);
  return n;
}

function writeData(c: NegotiateContext, w: Writer): void {
  switch (c.kind) {
    case 'preauthIntegrity':
      w.u16(count16(c.hashAlgorithms.length, 'HashAlgorithmCount')).u16(count16(c.salt.length, 'SaltLength'));
      u16List(w, c.hashAlgorithms, 'HashAlgorithms');
      w.bytes(c.salt);
      return;
    case 'encryption':
      w.u16(count16(c.ciphers.length, 'CipherCount'));
      u16List(w, c.ciphers, 'Ciphers');
      return;
    case 'compression':
      w.u16(count16(c.algorithms.length, 'CompressionAlgorithmCount')).u16(0).u32(c.flags, 'Flags');
      u16List(w, c.algorithms, 'CompressionAlgorithms');
      return;
    case 'netname':
      w.bytes(utf16le(c.netName));
      return;
    case 'transport':
      w.u32(c.flags, 'Flags');
      return;
    case 'rdmaTransform':
      w.u16(count16(c.transformIds.length, 'TransformCount')).u16(0).u32(0);
      u16List(w, c.transformIds, 'RDMATransformIds');
      return;
    case 'signing':
      w.u16(count16(c.algorithms.length, 'SigningAlgorithmCount'));
      u16List(w, c.algorithms, 'SigningAlgorithms');
      return;
    case 'raw':
      w.bytes(c.data);
      return;
  }
}

/**
 * Writes the contexts, each at an 8-byte boundary (the writer starts right after the
 * 64-byte header, so its alignment is the header's); nothing pads the last one (as Samba
 * and Windows send it). Call with `w.pos` already aligned, where NegotiateContextOffset
 * points.
 */
export function writeNegotiateContexts(w: Writer, contexts: readonly NegotiateContext[]): void {
  for (const c of contexts) {
    w.align(8);
    w.u16(negotiateContextType(c), 'ContextType');
    const lengthAt = w.pos;
    w.u16(0).u32(0);
    const start = w.pos;
    writeData(c, w);
    const length = w.pos - start;
    if (length > 0xffff) throw new SmbEncodeError('NegotiateContext.DataLength', `${length} bytes of data`);
    w.patchU16(lengthAt, length);
  }
}

function u16s(r: Reader, n: number, field: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.u16(field));
  return out;
}

function readData(type: number, r: Reader): NegotiateContext {
  switch (type) {
    case NegotiateContextType.PREAUTH_INTEGRITY_CAPABILITIES: {
      const n = r.u16('HashAlgorithmCount');
      const saltLength = r.u16('SaltLength');
      const hashAlgorithms = u16s(r, n, 'HashAlgorithms');
      return { kind: 'preauthIntegrity', hashAlgorithms, salt: r.bytesN(saltLength, 'Salt') };
    }
    case NegotiateContextType.ENCRYPTION_CAPABILITIES:
      return { kind: 'encryption', ciphers: u16s(r, r.u16('CipherCount'), 'Ciphers') };
    case NegotiateContextType.COMPRESSION_CAPABILITIES: {
      const n = r.u16('CompressionAlgorithmCount');
      r.skip(2, 'Padding');
      const flags = r.u32('Flags');
      return { kind: 'compression', flags, algorithms: u16s(r, n, 'CompressionAlgorithms') };
    }
    case NegotiateContextType.NETNAME_NEGOTIATE_CONTEXT_ID:
      return { kind: 'netname', netName: utf16(r.bytesN(r.remaining, 'NetName'), r, 'NetName') };
    case NegotiateContextType.TRANSPORT_CAPABILITIES:
      return { kind: 'transport', flags: r.u32('Flags') };
    case NegotiateContextType.RDMA_TRANSFORM_CAPABILITIES: {
      const n = r.u16('TransformCount');
      r.skip(6, 'Reserved');
      return { kind: 'rdmaTransform', transformIds: u16s(r, n, 'RDMATransformIds') };
    }
    case NegotiateContextType.SIGNING_CAPABILITIES:
      return { kind: 'signing', algorithms: u16s(r, r.u16('SigningAlgorithmCount'), 'SigningAlgorithms') };
    default:
      return { kind: 'raw', type, data: r.bytesN(r.remaining, 'Data') };
  }
}

/**
 * Reads `count` contexts starting at `offset` (from the SMB2 header), each after the first
 * at the next 8-byte boundary. A known context whose DataLength does not match its
 * contents exactly is refused (`SmbDecodeError`), so what decodes re-encodes unchanged.
 */
export function readNegotiateContexts(r: Reader, offset: number, count: number): NegotiateContext[] {
  const out: NegotiateContext[] = [];
  if (count === 0) return out;
  r.seek(offset, 'NegotiateContextOffset');
  for (let i = 0; i < count; i++) {
    const field = `NegotiateContextList[${i}]`;
    if (i > 0) {
      const pad = (8 - (r.offset % 8)) % 8;
      r.skip(pad, `${field}.Padding`);
    }
    const type = r.u16(`${field}.ContextType`);
    const length = r.u16(`${field}.DataLength`);
    r.skip(4, `${field}.Reserved`);
    const start = r.pos;
    r.skip(length, `${field}.Data`);
    const cr = new Reader(r.bytes, r.base, start + length, `${r.path}.${field}`);
    cr.pos = start;
    const context = readData(type, cr);
    if (cr.remaining !== 0) cr.fail('DataLength', `${cr.remaining} bytes after the context's contents`);
    out.push(context);
  }
  return out;
}
