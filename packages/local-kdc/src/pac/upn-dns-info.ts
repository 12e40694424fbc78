/**
 * UPN_DNS_INFO ([MS-PAC] §2.10): the UPN and DNS domain name and, with flag S (0x2), the
 * sAMAccountName and the user's SID (UPN_DNS_INFO_EX). Offsets are from the start of the
 * buffer; like Windows, each string starts on an 8-byte boundary.
 */
import { fromUtf16le, LeReader, LeWriter, utf16le } from './bytes.js';
import { check } from './errors.js';
import { decodeSid, encodeSid, type Sid } from './sid.js';

/** Flag U: the user has no UPN attribute; the UPN was built from sAMAccountName and domain. */
export const UPN_DNS_FLAG_CONSTRUCTED = 0x1;
/** Flag S: SamName and Sid follow. */
export const UPN_DNS_FLAG_EXTENDED = 0x2;

export interface UpnDnsInfo {
  readonly upn: string;
  readonly dnsDomainName: string;
  /** Flags; bit 0x2 is set by the encoder exactly when `samName` and `sid` are given. */
  readonly flags: number;
  readonly samName?: string | undefined;
  readonly sid?: Sid | undefined;
}

export function encodeUpnDnsInfo(info: UpnDnsInfo): Uint8Array {
  const extended = info.samName !== undefined && info.sid !== undefined;
  check(
    extended || (info.samName === undefined && info.sid === undefined),
    'UPN_DNS_INFO: samName and sid go together',
  );
  const flags = extended ? info.flags | UPN_DNS_FLAG_EXTENDED : info.flags & ~UPN_DNS_FLAG_EXTENDED;
  const parts = [utf16le(info.upn), utf16le(info.dnsDomainName)];
  if (extended) parts.push(utf16le(info.samName ?? ''), encodeSid(info.sid as Sid));
  const headerLength = extended ? 20 : 12;
  const offsets: number[] = [];
  let at = headerLength;
  for (const p of parts) {
    at = Math.ceil(at / 8) * 8;
    offsets.push(at);
    at += p.length;
  }
  check(Math.ceil(at / 8) * 8 <= 0xffff, 'UPN_DNS_INFO too long');
  const w = new LeWriter();
  w.u16(parts[0]?.length ?? 0).u16(offsets[0] ?? 0);
  w.u16(parts[1]?.length ?? 0).u16(offsets[1] ?? 0);
  w.u32(flags >>> 0);
  if (extended) {
    w.u16(parts[2]?.length ?? 0).u16(offsets[2] ?? 0);
    w.u16(parts[3]?.length ?? 0).u16(offsets[3] ?? 0);
  }
  parts.forEach((p, i) => {
    w.align(8);
    check(w.length === offsets[i], 'UPN_DNS_INFO layout');
    w.bytes(p);
  });
  // Windows counts the padding to the next multiple of 8 in the buffer size.
  return w.align(8).finish();
}

function slice(bytes: Uint8Array, length: number, offset: number, what: string): Uint8Array {
  check(
    offset + length <= bytes.length,
    `UPN_DNS_INFO ${what} (offset ${offset}, length ${length}) is outside the buffer`,
  );
  return bytes.subarray(offset, offset + length);
}

export function decodeUpnDnsInfo(bytes: Uint8Array): UpnDnsInfo {
  const r = new LeReader(bytes, 0, 'UPN_DNS_INFO');
  const upnLength = r.u16();
  const upnOffset = r.u16();
  const dnsLength = r.u16();
  const dnsOffset = r.u16();
  const flags = r.u32();
  const upn = fromUtf16le(slice(bytes, upnLength, upnOffset, 'UPN'));
  const dnsDomainName = fromUtf16le(slice(bytes, dnsLength, dnsOffset, 'DnsDomainName'));
  if ((flags & UPN_DNS_FLAG_EXTENDED) === 0) return { upn, dnsDomainName, flags };
  const samLength = r.u16();
  const samOffset = r.u16();
  const sidLength = r.u16();
  const sidOffset = r.u16();
  const samName = fromUtf16le(slice(bytes, samLength, samOffset, 'SamName'));
  const sid = decodeSid(slice(bytes, sidLength, sidOffset, 'Sid'));
  return { upn, dnsDomainName, flags, samName, sid };
}
