/**
 * Security identifiers ([MS-DTYP] §2.4.2): the text form `S-1-5-21-a-b-c`, the binary form
 * (§2.4.2.2: Revision, SubAuthorityCount, 6-byte big-endian IdentifierAuthority,
 * little-endian 32-bit SubAuthority[]) and random domain SIDs.
 */
import { LeReader, LeWriter } from './bytes.js';
import { check, PacError } from './errors.js';

/** A SID. `authority` is the 48-bit IdentifierAuthority (5 = NT AUTHORITY). */
export interface Sid {
  readonly revision: number;
  readonly authority: number;
  readonly subAuthorities: readonly number[];
}

/** At most 15 sub-authorities ([MS-DTYP] §2.4.2). */
export const MAX_SUB_AUTHORITIES = 15;

function checkSid(sid: Sid): void {
  check(
    Number.isInteger(sid.revision) && sid.revision >= 0 && sid.revision <= 255,
    'SID revision out of range',
  );
  check(
    Number.isSafeInteger(sid.authority) && sid.authority >= 0 && sid.authority < 2 ** 48,
    'SID authority out of range',
  );
  check(sid.subAuthorities.length <= MAX_SUB_AUTHORITIES, 'SID has more than 15 sub-authorities');
  for (const s of sid.subAuthorities) {
    check(Number.isInteger(s) && s >= 0 && s <= 0xffffffff, 'SID sub-authority out of range');
  }
}

/** Parses `S-R-I-S1-S2...` (I decimal, or 0x-prefixed hex as [MS-DTYP] allows for large values). */
export function parseSid(text: string): Sid {
  const m = /^S-(\d{1,3})-(\d{1,15}|0[xX][0-9a-fA-F]{1,12})((?:-\d{1,10}){0,15})$/.exec(text);
  if (m === null) throw new PacError(`not a SID: ${JSON.stringify(text)}`);
  const sid: Sid = {
    revision: Number(m[1]),
    authority: Number(m[2]),
    subAuthorities: (m[3] ?? '')
      .split('-')
      .slice(1)
      .map((s) => Number(s)),
  };
  checkSid(sid);
  return sid;
}

/** The text form; authorities of 2^32 and above in hex, as [MS-DTYP] §2.4.2.1 says. */
export function formatSid(sid: Sid): string {
  checkSid(sid);
  const auth =
    sid.authority >= 2 ** 32
      ? `0x${sid.authority.toString(16).toUpperCase().padStart(12, '0')}`
      : String(sid.authority);
  return ['S', sid.revision, auth, ...sid.subAuthorities].join('-');
}

/** The binary form of §2.4.2.2 (8 + 4 * count bytes). */
export function encodeSid(sid: Sid): Uint8Array {
  checkSid(sid);
  const w = new LeWriter();
  writeSidBody(w, sid);
  return w.finish();
}

/** Writes Revision, count, authority and sub-authorities (also the NDR body of RPC_SID). */
export function writeSidBody(w: LeWriter, sid: Sid): void {
  checkSid(sid);
  w.u8(sid.revision).u8(sid.subAuthorities.length);
  const a = sid.authority;
  const hi = Math.floor(a / 2 ** 32);
  w.u8((hi >>> 8) & 0xff).u8(hi & 0xff);
  const lo = a >>> 0;
  w.u8(lo >>> 24)
    .u8((lo >>> 16) & 0xff)
    .u8((lo >>> 8) & 0xff)
    .u8(lo & 0xff);
  for (const s of sid.subAuthorities) w.u32(s);
}

/** Reads a binary SID; `expectedCount` is the NDR conformance when there is one. */
export function readSidBody(r: LeReader, expectedCount?: number): Sid {
  const revision = r.u8();
  const count = r.u8();
  check(count <= MAX_SUB_AUTHORITIES, `SID has ${count} sub-authorities (max 15)`);
  if (expectedCount !== undefined) {
    check(count === expectedCount, `SID sub-authority count ${count} != NDR conformance ${expectedCount}`);
  }
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + r.u8();
  const subAuthorities: number[] = [];
  for (let i = 0; i < count; i++) subAuthorities.push(r.u32());
  return { revision, authority, subAuthorities };
}

/** Decodes a binary SID that must fill `bytes` exactly. */
export function decodeSid(bytes: Uint8Array): Sid {
  const r = new LeReader(bytes, 0, 'SID');
  const sid = readSidBody(r);
  check(r.remaining === 0, 'trailing bytes after SID');
  return sid;
}

/** `domain` followed by one more sub-authority (a RID). */
export function sidWithRid(domain: Sid, rid: number): Sid {
  const sid = { ...domain, subAuthorities: [...domain.subAuthorities, rid] };
  checkSid(sid);
  return sid;
}

/** True when both SIDs are the same. */
export function sidEquals(a: Sid, b: Sid): boolean {
  return (
    a.revision === b.revision &&
    a.authority === b.authority &&
    a.subAuthorities.length === b.subAuthorities.length &&
    a.subAuthorities.every((s, i) => s === b.subAuthorities[i])
  );
}

/**
 * A fresh machine/domain SID `S-1-5-21-a-b-c` with three random 32-bit sub-authorities, as
 * Windows and Samba make them. `random(n)` must return n cryptographically random bytes.
 */
export function generateDomainSid(random: (n: number) => Uint8Array): Sid {
  const bytes = random(12);
  check(bytes.length >= 12, 'random source returned too few bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
  return {
    revision: 1,
    authority: 5,
    subAuthorities: [21, view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true)],
  };
}
