/**
 * CREATE contexts (MS-SMB2 §2.2.13.2, §2.2.14.2): the chained list of SMB2_CREATE_CONTEXT
 * entries (Next offsets, 8-byte aligned entries, a Name tag and Data) and typed values for
 * the well-known tags in each direction. Unknown names (including the GUID-named contexts)
 * are kept raw and re-encoded as they were.
 */
import { type FileId, readFileId, writeExact, writeFileId } from '../flags.js';
import { SmbEncodeError } from '../wire/errors.js';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';

/** The 4-byte ASCII names of the well-known create contexts. */
export const CreateContextTag = {
  EA_BUFFER: 'ExtA',
  SD_BUFFER: 'SecD',
  DURABLE_HANDLE_REQUEST: 'DHnQ',
  DURABLE_HANDLE_RECONNECT: 'DHnC',
  ALLOCATION_SIZE: 'AlSi',
  QUERY_MAXIMAL_ACCESS: 'MxAc',
  TIMEWARP_TOKEN: 'TWrp',
  QUERY_ON_DISK_ID: 'QFid',
  REQUEST_LEASE: 'RqLs',
  DURABLE_HANDLE_REQUEST_V2: 'DH2Q',
  DURABLE_HANDLE_RECONNECT_V2: 'DH2C',
} as const;

/** One entry of the list as it is on the wire. */
export interface CreateContextEntry {
  readonly name: Uint8Array;
  readonly data: Uint8Array;
}

/** A context this library does not interpret (or an unknown name): kept as is. */
export interface RawCreateContext {
  readonly tag: 'raw';
  readonly name: Uint8Array;
  readonly data: Uint8Array;
}

/** SMB2_CREATE_REQUEST_LEASE / _RESPONSE_LEASE (§2.2.13.2.8, 32 bytes). */
export interface LeaseV1 {
  readonly version: 1;
  /** 16 bytes. */
  readonly leaseKey: Uint8Array;
  readonly leaseState: number;
  readonly leaseFlags: number;
  readonly leaseDuration: bigint;
}

/** SMB2_CREATE_REQUEST_LEASE_V2 / _RESPONSE_LEASE_V2 (§2.2.13.2.10, 52 bytes; SMB 3.x). */
export interface LeaseV2 {
  readonly version: 2;
  readonly leaseKey: Uint8Array;
  readonly leaseState: number;
  readonly leaseFlags: number;
  readonly leaseDuration: bigint;
  /** 16 bytes. */
  readonly parentLeaseKey: Uint8Array;
  readonly epoch: number;
}

export type Lease = LeaseV1 | LeaseV2;

/** One FILE_FULL_EA_INFORMATION entry (MS-FSCC §2.4.15) of an ExtA context. */
export interface ExtendedAttribute {
  readonly flags: number;
  /** ASCII (OEM) name, without the terminating zero. */
  readonly name: string;
  readonly value: Uint8Array;
}

/** The contexts a client sends in a CREATE request. */
export type CreateRequestContext =
  /** Query maximal access, optionally as of a timestamp (FILETIME). */
  | { readonly tag: 'MxAc'; readonly timestamp?: bigint }
  | { readonly tag: 'QFid' }
  | { readonly tag: 'RqLs'; readonly lease: Lease }
  /** Durable handle v1 request (16 reserved bytes). */
  | { readonly tag: 'DHnQ' }
  | { readonly tag: 'DHnC'; readonly fileId: FileId }
  | {
      readonly tag: 'DH2Q';
      readonly timeout: number;
      readonly flags: number;
      readonly createGuid: Uint8Array;
    }
  | { readonly tag: 'DH2C'; readonly fileId: FileId; readonly createGuid: Uint8Array; readonly flags: number }
  | { readonly tag: 'ExtA'; readonly eas: readonly ExtendedAttribute[] }
  /** A self-relative security descriptor (MS-DTYP §2.4.6), not parsed here. */
  | { readonly tag: 'SecD'; readonly securityDescriptor: Uint8Array }
  | { readonly tag: 'AlSi'; readonly allocationSize: bigint }
  /** Open a previous version (snapshot) as of this FILETIME. */
  | { readonly tag: 'TWrp'; readonly timestamp: bigint }
  | RawCreateContext;

/** The contexts a server returns in a CREATE response. */
export type CreateResponseContext =
  | { readonly tag: 'MxAc'; readonly queryStatus: number; readonly maximalAccess: number }
  /** 32 bytes (on Windows: the 8-byte file reference, the 8-byte volume id, 16 reserved). */
  | { readonly tag: 'QFid'; readonly diskFileId: Uint8Array }
  | { readonly tag: 'RqLs'; readonly lease: Lease }
  /** Durable handle v1 granted (8 reserved bytes). */
  | { readonly tag: 'DHnQ' }
  | { readonly tag: 'DH2Q'; readonly timeout: number; readonly flags: number }
  | RawCreateContext;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const tagOf = (name: Uint8Array): string =>
  name.length === 4 ? String.fromCharCode(name[0]!, name[1]!, name[2]!, name[3]!) : '';

function body(build: (w: Writer) => void): Uint8Array {
  const w = new Writer(64);
  build(w);
  return w.finish();
}

function writeLease(w: Writer, l: Lease): void {
  writeExact(w, l.leaseKey, 16, 'Lease.LeaseKey');
  w.u32(l.leaseState, 'Lease.LeaseState').u32(l.leaseFlags, 'Lease.LeaseFlags');
  w.u64(l.leaseDuration, 'Lease.LeaseDuration');
  if (l.version === 2) {
    writeExact(w, l.parentLeaseKey, 16, 'Lease.ParentLeaseKey');
    w.u16(l.epoch, 'Lease.Epoch').u16(0);
  }
}

function readLease(r: Reader): Lease {
  const size: number = r.remaining;
  if (size !== 32 && size !== 52) r.fail('Data', `lease context of ${size} bytes (32 or 52)`);
  const leaseKey = r.bytesN(16, 'LeaseKey');
  const leaseState = r.u32('LeaseState');
  const leaseFlags = r.u32('LeaseFlags');
  const leaseDuration = r.u64('LeaseDuration');
  if (size === 32) return { version: 1, leaseKey, leaseState, leaseFlags, leaseDuration };
  const parentLeaseKey = r.bytesN(16, 'ParentLeaseKey');
  const epoch = r.u16('Epoch');
  r.skip(2, 'Reserved');
  return { version: 2, leaseKey, leaseState, leaseFlags, leaseDuration, parentLeaseKey, epoch };
}

/** FILE_FULL_EA_INFORMATION list: 4-byte aligned entries chained by NextEntryOffset. */
export function encodeEaList(eas: readonly ExtendedAttribute[]): Uint8Array {
  return body((w) => {
    eas.forEach((ea, i) => {
      const start = w.pos;
      const name = ascii(ea.name);
      if (name.length > 255)
        throw new SmbEncodeError('FILE_FULL_EA_INFORMATION.EaName', 'longer than 255 bytes');
      w.u32(0)
        .u8(ea.flags & 0xff)
        .u8(name.length)
        .u16(ea.value.length, 'EaValueLength');
      w.bytes(name).u8(0).bytes(ea.value);
      if (i < eas.length - 1) {
        w.align(4);
        w.patchU32(start, w.pos - start);
      }
    });
  });
}

export function decodeEaList(bytes: Uint8Array): ExtendedAttribute[] {
  const r = new Reader(bytes, 0, bytes.length, 'FILE_FULL_EA_INFORMATION');
  const out: ExtendedAttribute[] = [];
  if (bytes.length === 0) return out;
  for (let at = 0; ; ) {
    r.seek(at, 'NextEntryOffset');
    const next = r.u32('NextEntryOffset');
    const flags = r.u8('Flags');
    const nameLength = r.u8('EaNameLength');
    const valueLength = r.u16('EaValueLength');
    const name = String.fromCharCode(...r.bytesN(nameLength, 'EaName'));
    r.skip(1, 'EaName terminator');
    const value = r.bytesN(valueLength, 'EaValue');
    out.push({ flags, name, value });
    if (next === 0) return out;
    if (next < r.pos - at) r.fail('NextEntryOffset', `${next} overlaps the entry`, at);
    at += next;
  }
}

/** The wire entry of a request context. */
export function encodeRequestContext(c: CreateRequestContext): CreateContextEntry {
  switch (c.tag) {
    case 'MxAc':
      return {
        name: ascii('MxAc'),
        data: body((w) => c.timestamp !== undefined && w.u64(c.timestamp, 'Timestamp')),
      };
    case 'QFid':
      return { name: ascii('QFid'), data: new Uint8Array(0) };
    case 'RqLs':
      return { name: ascii('RqLs'), data: body((w) => writeLease(w, c.lease)) };
    case 'DHnQ':
      return { name: ascii('DHnQ'), data: new Uint8Array(16) };
    case 'DHnC':
      return { name: ascii('DHnC'), data: body((w) => writeFileId(w, c.fileId)) };
    case 'DH2Q':
      return {
        name: ascii('DH2Q'),
        data: body((w) => {
          w.u32(c.timeout, 'Timeout').u32(c.flags, 'Flags').zeros(8);
          writeExact(w, c.createGuid, 16, 'CreateGuid');
        }),
      };
    case 'DH2C':
      return {
        name: ascii('DH2C'),
        data: body((w) => {
          writeFileId(w, c.fileId);
          writeExact(w, c.createGuid, 16, 'CreateGuid');
          w.u32(c.flags, 'Flags');
        }),
      };
    case 'ExtA':
      return { name: ascii('ExtA'), data: encodeEaList(c.eas) };
    case 'SecD':
      return { name: ascii('SecD'), data: c.securityDescriptor };
    case 'AlSi':
      return { name: ascii('AlSi'), data: body((w) => w.u64(c.allocationSize, 'AllocationSize')) };
    case 'TWrp':
      return { name: ascii('TWrp'), data: body((w) => w.u64(c.timestamp, 'Timestamp')) };
    case 'raw':
      return { name: c.name, data: c.data };
  }
}

function dataReader(e: CreateContextEntry, tag: string, size?: number | readonly number[]): Reader {
  const r = new Reader(e.data, 0, e.data.length, `CREATE Context ${tag}`);
  if (size !== undefined) {
    const sizes = typeof size === 'number' ? [size] : size;
    if (!sizes.includes(e.data.length))
      r.fail('DataLength', `is ${e.data.length}, expected ${sizes.join(' or ')}`);
  }
  return r;
}

/** Interprets a request entry by its name; unknown names give a raw context. */
export function decodeRequestContext(e: CreateContextEntry): CreateRequestContext {
  const tag = tagOf(e.name);
  switch (tag) {
    case 'MxAc': {
      const r = dataReader(e, tag, [0, 8]);
      return e.data.length === 0 ? { tag } : { tag, timestamp: r.u64('Timestamp') };
    }
    case 'QFid':
      dataReader(e, tag, 0);
      return { tag };
    case 'RqLs':
      return { tag, lease: readLease(dataReader(e, tag)) };
    case 'DHnQ':
      dataReader(e, tag, 16);
      return { tag };
    case 'DHnC':
      return { tag, fileId: readFileId(dataReader(e, tag, 16)) };
    case 'DH2Q': {
      const r = dataReader(e, tag, 32);
      const timeout = r.u32('Timeout');
      const flags = r.u32('Flags');
      r.skip(8, 'Reserved');
      return { tag, timeout, flags, createGuid: r.guid('CreateGuid') };
    }
    case 'DH2C': {
      const r = dataReader(e, tag, 36);
      const fileId = readFileId(r);
      const createGuid = r.guid('CreateGuid');
      return { tag, fileId, createGuid, flags: r.u32('Flags') };
    }
    case 'ExtA':
      return { tag, eas: decodeEaList(e.data) };
    case 'SecD':
      return { tag, securityDescriptor: e.data };
    case 'AlSi':
      return { tag, allocationSize: dataReader(e, tag, 8).u64('AllocationSize') };
    case 'TWrp':
      return { tag, timestamp: dataReader(e, tag, 8).u64('Timestamp') };
    default:
      return { tag: 'raw', name: e.name, data: e.data };
  }
}

/** The wire entry of a response context. */
export function encodeResponseContext(c: CreateResponseContext): CreateContextEntry {
  switch (c.tag) {
    case 'MxAc':
      return {
        name: ascii('MxAc'),
        data: body((w) =>
          w.u32(c.queryStatus >>> 0, 'QueryStatus').u32(c.maximalAccess >>> 0, 'MaximalAccess'),
        ),
      };
    case 'QFid':
      return { name: ascii('QFid'), data: body((w) => writeExact(w, c.diskFileId, 32, 'DiskFileId')) };
    case 'RqLs':
      return { name: ascii('RqLs'), data: body((w) => writeLease(w, c.lease)) };
    case 'DHnQ':
      return { name: ascii('DHnQ'), data: new Uint8Array(8) };
    case 'DH2Q':
      return { name: ascii('DH2Q'), data: body((w) => w.u32(c.timeout, 'Timeout').u32(c.flags, 'Flags')) };
    case 'raw':
      return { name: c.name, data: c.data };
  }
}

/** Interprets a response entry by its name; unknown names give a raw context. */
export function decodeResponseContext(e: CreateContextEntry): CreateResponseContext {
  const tag = tagOf(e.name);
  switch (tag) {
    case 'MxAc': {
      const r = dataReader(e, tag, 8);
      return { tag, queryStatus: r.u32('QueryStatus'), maximalAccess: r.u32('MaximalAccess') };
    }
    case 'QFid':
      return { tag, diskFileId: dataReader(e, tag, 32).bytesN(32, 'DiskFileId') };
    case 'RqLs':
      return { tag, lease: readLease(dataReader(e, tag)) };
    case 'DHnQ':
      dataReader(e, tag, 8);
      return { tag };
    case 'DH2Q': {
      const r = dataReader(e, tag, 8);
      return { tag, timeout: r.u32('Timeout'), flags: r.u32('Flags') };
    }
    default:
      return { tag: 'raw', name: e.name, data: e.data };
  }
}

/**
 * Writes the chained list at `w.pos`, which must be 8-byte aligned (from the SMB2 header):
 * each entry is a 16-byte header, the Name at offset 16, the Data at the next 8-byte boundary
 * (DataOffset 0 when there is no data), and all but the last are padded to 8 bytes.
 */
export function writeCreateContextList(w: Writer, entries: readonly CreateContextEntry[]): void {
  if (w.pos % 8 !== 0) throw new SmbEncodeError('CreateContexts', 'the list must start 8-byte aligned');
  entries.forEach((e, i) => {
    const start = w.pos;
    if (e.name.length === 0) throw new SmbEncodeError('CreateContext.Name', 'empty name');
    const dataOffset = e.data.length === 0 ? 0 : Math.ceil((16 + e.name.length) / 8) * 8;
    w.u32(0).u16(16).u16(e.name.length, 'CreateContext.NameLength').u16(0);
    w.u16(dataOffset, 'CreateContext.DataOffset').u32(e.data.length, 'CreateContext.DataLength');
    w.bytes(e.name);
    if (e.data.length > 0) w.align(8).bytes(e.data);
    if (i < entries.length - 1) {
      w.align(8);
      w.patchU32(start, w.pos - start);
    }
  });
}

/**
 * Reads the chained list at (`offset`, `length`) from the SMB2 header of `r`'s message.
 * Every Name and Data must lie inside the list; each Next must move past the entry header.
 */
export function readCreateContextList(r: Reader, offset: number, length: number): CreateContextEntry[] {
  const out: CreateContextEntry[] = [];
  if (length === 0) return out;
  if (offset < 0 || r.base + offset + length > r.end) {
    r.fail(
      'CreateContextsOffset',
      `list [${offset}, +${length}) outside the message (${r.end - r.base} bytes)`,
    );
  }
  const c = new Reader(r.bytes, r.base, r.base + offset + length, `${r.path}.CreateContexts`);
  for (let at = offset; ; ) {
    c.seek(at, 'Next');
    const next = c.u32('Next');
    const nameOffset = c.u16('NameOffset');
    const nameLength = c.u16('NameLength');
    c.skip(2, 'Reserved');
    const dataOffset = c.u16('DataOffset');
    const dataLength = c.u32('DataLength');
    if (nameLength === 0) c.fail('NameLength', 'empty name', at);
    const name = c.at(at + nameOffset, nameLength, 'Name');
    const data = c.at(at + dataOffset, dataLength, 'Data');
    out.push({ name, data });
    if (next === 0) return out;
    if (next < 16) c.fail('Next', `${next} does not move past the entry header`, at);
    at += next;
    if (at >= offset + length) c.fail('Next', 'points past the end of the list', at - next);
  }
}

/** The list as a standalone blob (what CreateContextsOffset/Length point at). */
export function encodeCreateContextList(entries: readonly CreateContextEntry[]): Uint8Array {
  return body((w) => writeCreateContextList(w, entries));
}

export function decodeCreateContextList(bytes: Uint8Array): CreateContextEntry[] {
  return readCreateContextList(new Reader(bytes, 0, bytes.length, 'CreateContexts'), 0, bytes.length);
}

export const encodeRequestContexts = (list: readonly CreateRequestContext[]): Uint8Array =>
  encodeCreateContextList(list.map(encodeRequestContext));
export const decodeRequestContexts = (bytes: Uint8Array): CreateRequestContext[] =>
  decodeCreateContextList(bytes).map(decodeRequestContext);
export const encodeResponseContexts = (list: readonly CreateResponseContext[]): Uint8Array =>
  encodeCreateContextList(list.map(encodeResponseContext));
export const decodeResponseContexts = (bytes: Uint8Array): CreateResponseContext[] =>
  decodeCreateContextList(bytes).map(decodeResponseContext);
