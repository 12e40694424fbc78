/**
 * MIT's FILE keytab format (MIT krb5 doc/formats/keytab_file_format.rst; reader and
 * writer in src/lib/krb5/keytab/kt_file.c). Sans-IO: bytes in, bytes out; see `./fs.ts`
 * for the Node file adapter.
 *
 * ```
 * keytab  ::= 05 02 (05 01: integers in the writing host's byte order) record*
 * record  ::= length (int32; > 0 entry, < 0 hole of -length zero bytes, 0 end) entry/hole
 * entry   ::= count (int16; counts the realm too in 0x0501) realm component{count}
 *             name_type (int32; absent in 0x0501) timestamp (uint32) kvno8 (uint8)
 *             enctype (int16) key (int16 length + bytes)
 *             [kvno32 (uint32): used when the record has 4 more bytes and it is not 0]
 *             [padding up to the record length]
 * data    ::= length (int16) bytes          -- realm and components
 * ```
 *
 * The documentation's "32 bits" for the component count and key length is wrong: the
 * code reads and writes 16 bits, as here. MIT rejects zero or negative counts and
 * lengths, and so do we; it writes the 32-bit kvno in every entry, and so do we.
 */
import { DecodeError, EncodeError } from '@postntlm/der-asn1';
import { type Principal, principalEquals } from '../principal/principal.js';
import {
  type ByteOrder,
  ByteReader,
  ByteWriter,
  checkInt,
  fromUnixSeconds,
  hostByteOrder,
  unixSeconds,
  utf8,
} from './binary.js';

export type { ByteOrder } from './binary.js';

/** A keytab file is malformed. `offset` is the byte offset in the file. */
export class KeytabFormatError extends DecodeError {
  override name = 'KeytabFormatError';
}

/** A key: enctype (RFC 3961 number) and key bytes, as in RFC 4120 EncryptionKey. */
export interface KeyBlock {
  enctype: number;
  bytes: Uint8Array;
}

/** One key of a keytab (MIT's krb5_keytab_entry). */
export interface KeytabEntry {
  /** Name type NT-UNKNOWN (0) when read from a 0x0501 file, which does not store it. */
  principal: Principal;
  /** When the entry was written (whole seconds). */
  timestamp: Date;
  /** Key version number: the 32-bit extension when present and nonzero, else the 8-bit field. */
  kvno: number;
  key: KeyBlock;
}

export interface ReadKeytabOptions {
  /** Byte order of a 0x0501 file (written in its host's order). Default: this machine's. */
  byteOrder?: ByteOrder;
}

/** MIT's KRB5_KT_VNO (0x0502), the version written. */
export const KEYTAB_VERSION = 0x0502;

const keytabFail = (reason: string, offset: number): KeytabFormatError =>
  new KeytabFormatError(reason, offset);

/** Reads every key entry of a keytab file (holes skipped). Malformed input: {@link KeytabFormatError}. */
export function readKeytab(bytes: Uint8Array, options: ReadKeytabOptions = {}): KeytabEntry[] {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('keytab must be a Uint8Array');
  if (bytes.length < 2) throw new KeytabFormatError('too short for the version', 0).within('keytab');
  if (bytes[0] !== 5) {
    throw new KeytabFormatError(`first byte is ${bytes[0]}, not 5`, 0).within('keytab');
  }
  const version = bytes[1]!;
  if (version !== 1 && version !== 2) {
    throw new KeytabFormatError(`unsupported version 0x05${hex2(version)}`, 1).within('keytab');
  }
  const order = version === 1 ? (options.byteOrder ?? hostByteOrder) : 'big';
  const r = new ByteReader(bytes, keytabFail, order, 2);
  const entries: KeytabEntry[] = [];
  try {
    while (r.remaining > 0) {
      const size = r.i32('record length');
      if (size === 0) break; // MIT: a zero length ends the keytab
      if (size < 0) {
        if (size === -0x80000000) throw keytabFail('hole length -2^31', r.pos - 4);
        if (-size > r.remaining) {
          throw keytabFail(`hole of ${-size} bytes, ${r.remaining} left`, r.pos - 4);
        }
        r.pos += -size;
        continue;
      }
      if (size > r.remaining) throw keytabFail(`record of ${size} bytes, ${r.remaining} left`, r.pos - 4);
      const end = r.pos + size;
      try {
        entries.push(readEntry(new ByteReader(bytes, keytabFail, order, r.pos, end), version));
      } catch (e) {
        if (e instanceof KeytabFormatError) throw e.within(`[${entries.length}]`);
        throw e;
      }
      r.pos = end;
    }
  } catch (e) {
    if (e instanceof KeytabFormatError) throw e.within('keytab');
    throw e;
  }
  return entries;
}

function positive16(r: ByteReader, what: string): number {
  const at = r.pos;
  const n = r.i16(what);
  if (n <= 0) throw keytabFail(`${what} is ${n}, must be 1..32767`, at);
  return n;
}

function readEntry(r: ByteReader, version: number): KeytabEntry {
  const countAt = r.pos;
  let count = r.i16('component count');
  if (version === 1) count -= 1; // 0x0501 counts the realm
  if (count <= 0) throw keytabFail(`component count gives ${count} name components`, countAt);
  const realm = r.text(positive16(r, 'realm length'), 'realm');
  const nameString: string[] = [];
  for (let i = 0; i < count; i++)
    nameString.push(r.text(positive16(r, `component ${i} length`), `component ${i}`));
  const nameType = version === 1 ? 0 : r.i32('name type');
  const timestamp = fromUnixSeconds(r.u32('timestamp'));
  let kvno = r.u8('kvno');
  const enctype = r.i16('enctype');
  const key = r.take(positive16(r, 'key length'), 'key');
  if (r.remaining >= 4) {
    const kvno32 = r.u32('32-bit kvno');
    if (kvno32 !== 0) kvno = kvno32;
  }
  return {
    principal: { realm, name: { nameType, nameString } },
    timestamp,
    kvno,
    key: { enctype, bytes: key },
  };
}

function counted16(w: ByteWriter, value: string, what: string): void {
  const b = utf8(value, what);
  if (b.length === 0 || b.length > 0x7fff) {
    throw new EncodeError(`${what} must be 1..32767 bytes (MIT cannot read others), is ${b.length}`);
  }
  w.i16(b.length, `${what} length`);
  w.bytes(b, what);
}

/** Writes a keytab file, version 0x0502, one record per entry in order (as MIT's ktutil `wkt`). */
export function writeKeytab(entries: readonly KeytabEntry[]): Uint8Array {
  const w = new ByteWriter('big');
  w.u16(KEYTAB_VERSION, 'version');
  entries.forEach((e, i) => {
    try {
      const lengthAt = w.length;
      w.i32(0, 'record length');
      const { realm, name } = e.principal;
      const count = name.nameString.length;
      if (count < 1 || count > 0x7fff) {
        throw new EncodeError(`a keytab principal needs 1..32767 components, has ${count}`);
      }
      w.i16(count, 'component count');
      counted16(w, realm, 'realm');
      name.nameString.forEach((c, j) => {
        counted16(w, c, `component ${j}`);
      });
      w.i32(name.nameType, 'name type');
      w.u32(unixSeconds(e.timestamp, 'timestamp'), 'timestamp');
      checkInt(e.kvno, 0, 0xffffffff, 'kvno');
      w.u8(e.kvno & 0xff, 'kvno'); // the 8-bit field holds the low byte, the extension all 32 bits
      w.i16(e.key.enctype, 'enctype');
      if (!(e.key.bytes instanceof Uint8Array)) throw new EncodeError('key.bytes must be a Uint8Array');
      if (e.key.bytes.length === 0 || e.key.bytes.length > 0x7fff) {
        throw new EncodeError(`key must be 1..32767 bytes, is ${e.key.bytes.length}`);
      }
      w.i16(e.key.bytes.length, 'key length');
      w.bytes(e.key.bytes, 'key');
      w.u32(e.kvno, 'kvno');
      w.patchI32(lengthAt, w.length - lengthAt - 4, 'record length');
    } catch (err) {
      if (err instanceof EncodeError) throw err.within(`keytab[${i}]`);
      throw err;
    }
  });
  return w.result();
}

export interface FindKeyOptions {
  /** Only this key version; default: the highest one present. */
  kvno?: number;
  /** Only this enctype. */
  enctype?: number;
}

/**
 * The entry for `principal` (realm and components; name type ignored, as MIT compares),
 * with the given kvno or else the highest, and the given enctype if any; the first such
 * entry in file order. `undefined` when there is none.
 */
export function findKey(
  entries: readonly KeytabEntry[],
  principal: Principal,
  options: FindKeyOptions = {},
): KeytabEntry | undefined {
  let best: KeytabEntry | undefined;
  for (const e of entries) {
    if (options.enctype !== undefined && e.key.enctype !== options.enctype) continue;
    if (options.kvno !== undefined && e.kvno !== options.kvno) continue;
    if (!principalEquals(e.principal, principal)) continue;
    if (best === undefined || e.kvno > best.kvno) best = e;
  }
  return best;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
