/**
 * MIT's FILE credential cache format, versions 1 to 4 (MIT krb5
 * doc/formats/ccache_file_format.rst; src/lib/krb5/ccache/cc_file.c for the header,
 * ccmarshal.c for principals and credentials). Sans-IO: bytes in, bytes out; see
 * `./fs.ts` for the Node file adapter.
 *
 * ```
 * ccache     ::= 05 0N header (N = 4 only) principal credential*      -- to the end of the file
 * header     ::= length (uint16) { tag (uint16) length (uint16) value }*  -- tag 1: KDC time offset
 * principal  ::= name_type (int32; not in v1) count (uint32; + 1 for the realm in v1) realm component*
 * credential ::= client server keyblock authtime starttime endtime renew_till (uint32 each)
 *                is_skey (uint8) ticket_flags (uint32) addresses authdata ticket second_ticket
 * keyblock   ::= enctype (int16; twice in v3) key (data)
 * addresses  ::= count (uint32) { addrtype (uint16) data }*
 * authdata   ::= count (uint32) { ad_type (int16) data }*
 * data       ::= length (uint32) bytes
 * ```
 *
 * Integers are big-endian in versions 3 and 4 and in the writing host's order in 1 and 2.
 * Configuration entries (MIT "X-CACHECONF:" credentials) are returned apart, in `config`.
 */
import { DecodeError, EncodeError } from '@postntlm/der-asn1';
import {
  type ByteOrder,
  ByteReader,
  ByteWriter,
  checkInt,
  fromUnixSeconds,
  hostByteOrder,
  unixSeconds,
  utf8,
} from '../keytab/binary.js';
import type { KeyBlock } from '../keytab/keytab.js';
import {
  type Principal,
  PrincipalParseError,
  parsePrincipal,
  unparsePrincipal,
} from '../principal/principal.js';
import type { AuthorizationData, HostAddress } from '../rfc4120/basic.js';

/** A credential cache file is malformed. `offset` is the byte offset in the file. */
export class CcacheFormatError extends DecodeError {
  override name = 'CcacheFormatError';
}

/** File format version: the second byte of the file (0x0501..0x0504). */
export type CcacheVersion = 1 | 2 | 3 | 4;

/** Header tag 1: KDC time minus client time at the initial authentication. */
export interface KdcTimeOffset {
  seconds: number;
  microseconds: number;
}

/** One credential of the cache (MIT's krb5_creds). */
export interface Credential {
  client: Principal;
  server: Principal;
  /** The session key. */
  key: KeyBlock;
  authtime: Date;
  /** Absent when the file holds 0. */
  starttime?: Date;
  endtime: Date;
  /** Absent when the file holds 0 (not renewable). */
  renewTill?: Date;
  /** The ticket is encrypted in the session key of `secondTicket` (user-to-user). */
  isSkey: boolean;
  /** TicketFlags, bit 0 as the most significant bit (see `ticketFlagNames`). */
  ticketFlags: number;
  /** addr-type must fit in 16 bits. */
  addresses: HostAddress[];
  /** ad-type must fit in a signed 16-bit integer. */
  authdata: AuthorizationData;
  /** The Ticket's DER encoding. */
  ticket: Uint8Array;
  /** The second ticket's DER encoding (user-to-user), empty when none. */
  secondTicket: Uint8Array;
}

/**
 * A configuration entry: a credential whose server is
 * `krb5_ccache_conf_data/KEY[/PRINCIPAL]@X-CACHECONF:` and whose ticket field holds the
 * value (MIT's krb5_cc_set_config). MIT uses `fast_avail`, `pa_type`, `pa_config_data`,
 * `proxy_impersonator`, `refresh_time`, `start_realm`.
 */
export interface CcacheConfigEntry {
  key: string;
  /** The principal the key is about (e.g. the krbtgt of `pa_type`), if any. */
  principal?: Principal;
  value: Uint8Array;
  /** The entry's client; when writing, default: the cache's default principal (as MIT does). */
  client?: Principal;
}

/** A whole credential cache. */
export interface Ccache {
  version: CcacheVersion;
  /** Present when the header has the tag (MIT writes it in every v4 file it creates). */
  kdcTimeOffset?: KdcTimeOffset;
  defaultPrincipal: Principal;
  credentials: Credential[];
  config: CcacheConfigEntry[];
}

/** What {@link writeCcache} takes: version 4 and no configuration entries unless told. */
export interface CcacheInput {
  version?: CcacheVersion;
  kdcTimeOffset?: KdcTimeOffset;
  defaultPrincipal: Principal;
  credentials: readonly Credential[];
  config?: readonly CcacheConfigEntry[];
}

export interface CcacheByteOrderOptions {
  /** Byte order of a version 1 or 2 file. Default: this machine's (MIT wrote them in host order). */
  byteOrder?: ByteOrder;
}

/** The realm of configuration entries' server principals. */
export const CCACHE_CONFIG_REALM = 'X-CACHECONF:';
/** The first component of configuration entries' server principals. */
export const CCACHE_CONFIG_NAME = 'krb5_ccache_conf_data';
const HEADER_TAG_KDC_TIME_OFFSET = 1;
const NT_PRINCIPAL = 1;

const ccFail = (reason: string, offset: number): CcacheFormatError => new CcacheFormatError(reason, offset);

/** Reads a credential cache file, any version 1..4. Malformed input: {@link CcacheFormatError}. */
export function readCcache(bytes: Uint8Array, options: CcacheByteOrderOptions = {}): Ccache {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('ccache must be a Uint8Array');
  try {
    return readCcacheInner(bytes, options);
  } catch (e) {
    if (e instanceof CcacheFormatError) throw e.within('ccache');
    throw e;
  }
}

function readCcacheInner(bytes: Uint8Array, options: CcacheByteOrderOptions): Ccache {
  if (bytes.length < 2) throw ccFail('too short for the version', 0);
  if (bytes[0] !== 5) throw ccFail(`first byte is ${bytes[0]}, not 5`, 0);
  const v = bytes[1]!;
  if (v < 1 || v > 4) throw ccFail(`unsupported version 0x05${v.toString(16).padStart(2, '0')}`, 1);
  const version = v as CcacheVersion;
  const r = new ByteReader(bytes, ccFail, version < 3 ? (options.byteOrder ?? hostByteOrder) : 'big', 2);

  let kdcTimeOffset: KdcTimeOffset | undefined;
  if (version === 4) {
    let left = r.u16('header length');
    while (left > 0) {
      const at = r.pos;
      if (left < 4) throw ccFail(`header field needs 4 bytes, header has ${left} left`, at);
      const tag = r.u16('header tag');
      const len = r.u16('header field length');
      if (len > left - 4) throw ccFail(`header field of ${len} bytes, header has ${left - 4} left`, at + 2);
      if (tag === HEADER_TAG_KDC_TIME_OFFSET) {
        if (len !== 8) throw ccFail(`KDC time offset field is ${len} bytes, not 8`, at + 2);
        kdcTimeOffset = { seconds: r.i32('time offset'), microseconds: r.i32('time offset microseconds') };
      } else {
        r.take(len, 'header field'); // unknown tags are skipped, as MIT does
      }
      left -= 4 + len;
    }
  }

  let defaultPrincipal: Principal;
  try {
    defaultPrincipal = readPrincipal(r, version);
  } catch (e) {
    if (e instanceof CcacheFormatError) throw e.within('defaultPrincipal');
    throw e;
  }
  const credentials: Credential[] = [];
  const config: CcacheConfigEntry[] = [];
  for (let i = 0; r.remaining > 0; i++) {
    try {
      const at = r.pos;
      const cred = readCredential(r, version);
      const entry = asConfigEntry(cred, at);
      if (entry === undefined) credentials.push(cred);
      else config.push(entry);
    } catch (e) {
      if (e instanceof CcacheFormatError) throw e.within(`[${i}]`);
      throw e;
    }
  }
  const out: Ccache = { version, defaultPrincipal, credentials, config };
  if (kdcTimeOffset !== undefined) out.kdcTimeOffset = kdcTimeOffset;
  return out;
}

/** Checks a count against the bytes left, each element taking at least `min` bytes. */
function count(r: ByteReader, what: string, min: number, adjust = 0): number {
  const at = r.pos;
  const n = r.u32(what) + adjust;
  if (n < 0) throw ccFail(`${what} is 0 (version 1 counts the realm)`, at);
  if (n * min > r.remaining) throw ccFail(`${what} ${n} cannot fit in the ${r.remaining} bytes left`, at);
  return n;
}

function data(r: ByteReader, what: string): Uint8Array {
  return r.take(r.u32(`${what} length`), what);
}

function text(r: ByteReader, what: string): string {
  return r.text(r.u32(`${what} length`), what);
}

function readPrincipal(r: ByteReader, version: CcacheVersion): Principal {
  const nameType = version === 1 ? 0 : r.i32('name type');
  const n = count(r, 'component count', 4, version === 1 ? -1 : 0);
  const realm = text(r, 'realm');
  const nameString: string[] = [];
  for (let i = 0; i < n; i++) nameString.push(text(r, `component ${i}`));
  return { realm, name: { nameType, nameString } };
}

function within<T>(segment: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CcacheFormatError) throw e.within(segment);
    throw e;
  }
}

function readCredential(r: ByteReader, version: CcacheVersion): Credential {
  const client = within('client', () => readPrincipal(r, version));
  const server = within('server', () => readPrincipal(r, version));
  const enctype = r.i16('enctype');
  if (version === 3) r.i16('second enctype'); // written twice in v3; MIT ignores the second
  const keyBytes = data(r, 'key');
  const authtime = r.u32('authtime');
  const starttime = r.u32('starttime');
  const endtime = r.u32('endtime');
  const renewTill = r.u32('renew_till');
  const skeyAt = r.pos;
  const isSkey = r.u8('is_skey');
  if (isSkey > 1) throw ccFail(`is_skey is ${isSkey}, not 0 or 1`, skeyAt);
  const ticketFlags = r.u32('ticket_flags');
  const addresses: HostAddress[] = [];
  const na = count(r, 'address count', 6);
  for (let i = 0; i < na; i++) {
    const addrType = r.u16(`address ${i} type`);
    addresses.push({ addrType, address: data(r, `address ${i}`) });
  }
  const authdata: AuthorizationData = [];
  const nd = count(r, 'authdata count', 6);
  for (let i = 0; i < nd; i++) {
    const adType = r.i16(`authdata ${i} type`);
    authdata.push({ adType, adData: data(r, `authdata ${i}`) });
  }
  const ticket = data(r, 'ticket');
  const secondTicket = data(r, 'second_ticket');
  const cred: Credential = {
    client,
    server,
    key: { enctype, bytes: keyBytes },
    authtime: fromUnixSeconds(authtime),
    endtime: fromUnixSeconds(endtime),
    isSkey: isSkey === 1,
    ticketFlags,
    addresses,
    authdata,
    ticket,
    secondTicket,
  };
  if (starttime !== 0) cred.starttime = fromUnixSeconds(starttime);
  if (renewTill !== 0) cred.renewTill = fromUnixSeconds(renewTill);
  return cred;
}

/** Whether a server principal names a configuration entry (MIT's krb5_is_config_principal). */
export function isConfigPrincipal(p: Principal): boolean {
  return p.realm === CCACHE_CONFIG_REALM && p.name.nameString[0] === CCACHE_CONFIG_NAME;
}

function asConfigEntry(cred: Credential, at: number): CcacheConfigEntry | undefined {
  if (!isConfigPrincipal(cred.server)) return undefined;
  const comps = cred.server.name.nameString;
  if (comps.length !== 2 && comps.length !== 3) {
    throw ccFail(`configuration entry has ${comps.length} name components, not 2 or 3`, at);
  }
  const entry: CcacheConfigEntry = { key: comps[1]!, value: cred.ticket, client: cred.client };
  const target = comps[2];
  if (target !== undefined) {
    try {
      entry.principal = parsePrincipal(target);
    } catch (e) {
      if (e instanceof PrincipalParseError) {
        throw ccFail(`configuration entry principal: ${e.message}`, at);
      }
      throw e;
    }
  }
  return entry;
}

/** The credential MIT stores for a configuration entry: everything zero but the names and the ticket. */
export function configCredential(entry: CcacheConfigEntry, defaultPrincipal: Principal): Credential {
  const nameString = [CCACHE_CONFIG_NAME, entry.key];
  if (entry.principal !== undefined) nameString.push(unparsePrincipal(entry.principal));
  return {
    client: entry.client ?? defaultPrincipal,
    server: { realm: CCACHE_CONFIG_REALM, name: { nameType: NT_PRINCIPAL, nameString } },
    key: { enctype: 0, bytes: new Uint8Array(0) },
    authtime: new Date(0),
    endtime: new Date(0),
    isSkey: false,
    ticketFlags: 0,
    addresses: [],
    authdata: [],
    ticket: entry.value,
    secondTicket: new Uint8Array(0),
  };
}

export interface WriteCcacheOptions {
  /** Byte order of a version 1 or 2 file. Default: this machine's. */
  byteOrder?: ByteOrder;
}

/**
 * Writes a credential cache file: the header (version 4: the KDC time offset tag when
 * `kdcTimeOffset` is set), the default principal, the configuration entries, then the
 * credentials — the order MIT's kinit writes them in.
 */
export function writeCcache(cache: CcacheInput, options: WriteCcacheOptions = {}): Uint8Array {
  const version = cache.version ?? 4;
  if (version !== 1 && version !== 2 && version !== 3 && version !== 4) {
    throw new EncodeError(`ccache version must be 1..4, got ${String(version)}`);
  }
  const w = new ByteWriter(version < 3 ? (options.byteOrder ?? hostByteOrder) : 'big');
  w.u8(5, 'version'); // two bytes, 05 0N, in every version
  w.u8(version, 'version');
  if (version === 4) {
    const off = cache.kdcTimeOffset;
    if (off === undefined) w.u16(0, 'header length');
    else {
      w.u16(12, 'header length');
      w.u16(HEADER_TAG_KDC_TIME_OFFSET, 'header tag');
      w.u16(8, 'header field length');
      w.i32(off.seconds, 'kdcTimeOffset.seconds');
      w.i32(off.microseconds, 'kdcTimeOffset.microseconds');
    }
  }
  withinEncode('defaultPrincipal', () => writePrincipal(w, version, cache.defaultPrincipal));
  (cache.config ?? []).forEach((entry, i) => {
    withinEncode(`config[${i}]`, () => {
      if (typeof entry.key !== 'string') throw new EncodeError('key must be a string');
      writeCredential(w, version, configCredential(entry, cache.defaultPrincipal));
    });
  });
  cache.credentials.forEach((cred, i) => {
    withinEncode(`credentials[${i}]`, () => writeCredential(w, version, cred));
  });
  return w.result();
}

function withinEncode(segment: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof EncodeError) throw e.within(segment);
    throw e;
  }
}

function putData(w: ByteWriter, b: Uint8Array, what: string): void {
  if (!(b instanceof Uint8Array)) throw new EncodeError(`${what} must be a Uint8Array`);
  w.u32(b.length, `${what} length`);
  w.bytes(b, what);
}

function writePrincipal(w: ByteWriter, version: CcacheVersion, p: Principal): void {
  if (version !== 1) w.i32(p.name.nameType, 'name type');
  w.u32(p.name.nameString.length + (version === 1 ? 1 : 0), 'component count');
  putData(w, utf8(p.realm, 'realm'), 'realm');
  p.name.nameString.forEach((c, i) => {
    putData(w, utf8(c, `component ${i}`), `component ${i}`);
  });
}

function optionalTime(d: Date | undefined, what: string): number {
  return d === undefined ? 0 : unixSeconds(d, what);
}

function writeCredential(w: ByteWriter, version: CcacheVersion, c: Credential): void {
  withinEncode('client', () => writePrincipal(w, version, c.client));
  withinEncode('server', () => writePrincipal(w, version, c.server));
  w.i16(c.key.enctype, 'key.enctype');
  if (version === 3) w.i16(c.key.enctype, 'key.enctype');
  putData(w, c.key.bytes, 'key.bytes');
  w.u32(unixSeconds(c.authtime, 'authtime'), 'authtime');
  w.u32(optionalTime(c.starttime, 'starttime'), 'starttime');
  w.u32(unixSeconds(c.endtime, 'endtime'), 'endtime');
  w.u32(optionalTime(c.renewTill, 'renewTill'), 'renewTill');
  if (typeof c.isSkey !== 'boolean') throw new EncodeError('isSkey must be a boolean');
  w.u8(c.isSkey ? 1 : 0, 'isSkey');
  checkInt(c.ticketFlags, -0x80000000, 0xffffffff, 'ticketFlags'); // the signed form is accepted too
  w.u32(c.ticketFlags >>> 0, 'ticketFlags');
  w.u32(c.addresses.length, 'address count');
  c.addresses.forEach((a, i) => {
    checkInt(a.addrType, 0, 0xffff, `addresses[${i}].addrType`);
    w.u16(a.addrType, `addresses[${i}].addrType`);
    putData(w, a.address, `addresses[${i}].address`);
  });
  w.u32(c.authdata.length, 'authdata count');
  c.authdata.forEach((ad, i) => {
    w.i16(ad.adType, `authdata[${i}].adType`);
    putData(w, ad.adData, `authdata[${i}].adData`);
  });
  putData(w, c.ticket, 'ticket');
  putData(w, c.secondTicket, 'secondTicket');
}
