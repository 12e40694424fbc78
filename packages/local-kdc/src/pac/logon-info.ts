/**
 * PAC_LOGON_INFO ([MS-PAC] §2.5): KERB_VALIDATION_INFO, NDR-encoded behind the type
 * serialization v1 headers and one top-level unique pointer.
 */
import { type Filetime, fromUtf16le, utf16le } from './bytes.js';
import { check } from './errors.js';
import { type NdrReader, type NdrWriter, typeDeserialize, typeSerialize } from './ndr.js';
import { readSidBody, type Sid, writeSidBody } from './sid.js';

/**
 * RPC_UNICODE_STRING ([MS-DTYP] §2.3.10): null (NULL Buffer pointer), a string, or a string
 * with a MaximumLength (bytes) larger than its length, as Windows sometimes sends.
 */
export type RpcUnicodeString = string | null | { readonly value: string; readonly maximumLength: number };

/** GROUP_MEMBERSHIP ([MS-PAC] §2.2.2). */
export interface GroupMembership {
  readonly relativeId: number;
  readonly attributes: number;
}

/** KERB_SID_AND_ATTRIBUTES ([MS-PAC] §2.2.1). */
export interface SidAndAttributes {
  readonly sid: Sid | null;
  readonly attributes: number;
}

/** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED ([MS-PAC] §2.2.1). */
export const SE_GROUP_DEFAULT = 0x00000007;
/** UserFlags: LOGON_EXTRA_SIDS, ExtraSids is present ([MS-PAC] §2.5 D). */
export const LOGON_EXTRA_SIDS = 0x00000020;
/** UserFlags: LOGON_RESOURCE_GROUPS, ResourceGroupIds is present ([MS-PAC] §2.5 H). */
export const LOGON_RESOURCE_GROUPS = 0x00000200;
/** UserAccountControl: USER_NORMAL_ACCOUNT ([MS-SAMR] §2.2.1.12). */
export const USER_NORMAL_ACCOUNT = 0x00000010;
/** UserAccountControl: USER_DONT_EXPIRE_PASSWORD. */
export const USER_DONT_EXPIRE_PASSWORD = 0x00000200;

/** KERB_VALIDATION_INFO ([MS-PAC] §2.5). Counts are the array lengths. */
export interface KerbValidationInfo {
  readonly logonTime: Filetime;
  readonly logoffTime: Filetime;
  readonly kickOffTime: Filetime;
  readonly passwordLastSet: Filetime;
  readonly passwordCanChange: Filetime;
  readonly passwordMustChange: Filetime;
  readonly effectiveName: RpcUnicodeString;
  readonly fullName: RpcUnicodeString;
  readonly logonScript: RpcUnicodeString;
  readonly profilePath: RpcUnicodeString;
  readonly homeDirectory: RpcUnicodeString;
  readonly homeDirectoryDrive: RpcUnicodeString;
  readonly logonCount: number;
  readonly badPasswordCount: number;
  readonly userId: number;
  readonly primaryGroupId: number;
  readonly groupIds: readonly GroupMembership[] | null;
  readonly userFlags: number;
  /** 16 bytes; zero in Kerberos PACs. */
  readonly userSessionKey: Uint8Array;
  readonly logonServer: RpcUnicodeString;
  readonly logonDomainName: RpcUnicodeString;
  readonly logonDomainId: Sid | null;
  readonly reserved1: readonly [number, number];
  readonly userAccountControl: number;
  readonly subAuthStatus: number;
  readonly lastSuccessfulILogon: Filetime;
  readonly lastFailedILogon: Filetime;
  readonly failedILogonCount: number;
  readonly reserved3: number;
  readonly extraSids: readonly SidAndAttributes[] | null;
  readonly resourceGroupDomainSid: Sid | null;
  readonly resourceGroupIds: readonly GroupMembership[] | null;
}

// ---- encoder ----

function writeFiletime(w: NdrWriter, ft: Filetime): void {
  check(typeof ft === 'bigint' && ft >= 0n && ft <= 0xffffffffffffffffn, 'FILETIME out of range');
  w.out
    .align(4)
    .u32(Number(ft & 0xffffffffn))
    .u32(Number(ft >> 32n));
}

function writeString(w: NdrWriter, s: RpcUnicodeString): void {
  const value = s === null ? null : typeof s === 'string' ? s : s.value;
  const units = value === null ? new Uint8Array(0) : utf16le(value);
  const maximumLength = s === null ? 0 : typeof s === 'string' ? units.length : s.maximumLength;
  check(units.length <= 0xfffe, 'RPC_UNICODE_STRING longer than 32767 characters');
  check(
    Number.isInteger(maximumLength) &&
      maximumLength >= units.length &&
      maximumLength <= 0xfffe &&
      maximumLength % 2 === 0,
    'RPC_UNICODE_STRING maximumLength must be even and at least the length',
  );
  w.out.align(4).u16(units.length).u16(maximumLength);
  w.pointer(value, () => w.wcharArray(units, maximumLength / 2));
}

function writeSid(w: NdrWriter, sid: Sid): void {
  w.out.align(4).u32(sid.subAuthorities.length);
  writeSidBody(w.out, sid);
}

function writeGroups(w: NdrWriter, groups: readonly GroupMembership[]): void {
  w.out.align(4).u32(groups.length);
  for (const g of groups) w.out.u32(g.relativeId).u32(g.attributes);
}

function writeValidationInfo(w: NdrWriter, v: KerbValidationInfo): void {
  for (const t of [
    v.logonTime,
    v.logoffTime,
    v.kickOffTime,
    v.passwordLastSet,
    v.passwordCanChange,
    v.passwordMustChange,
  ]) {
    writeFiletime(w, t);
  }
  for (const s of [
    v.effectiveName,
    v.fullName,
    v.logonScript,
    v.profilePath,
    v.homeDirectory,
    v.homeDirectoryDrive,
  ]) {
    writeString(w, s);
  }
  w.out.u16(v.logonCount).u16(v.badPasswordCount).u32(v.userId).u32(v.primaryGroupId);
  w.out.u32(v.groupIds?.length ?? 0);
  w.pointer(v.groupIds, (g) => writeGroups(w, g));
  w.out.u32(v.userFlags);
  check(v.userSessionKey.length === 16, 'UserSessionKey must be 16 bytes');
  w.out.bytes(v.userSessionKey);
  writeString(w, v.logonServer);
  writeString(w, v.logonDomainName);
  w.pointer(v.logonDomainId, (sid) => writeSid(w, sid));
  w.out.u32(v.reserved1[0]).u32(v.reserved1[1]).u32(v.userAccountControl).u32(v.subAuthStatus);
  writeFiletime(w, v.lastSuccessfulILogon);
  writeFiletime(w, v.lastFailedILogon);
  w.out.u32(v.failedILogonCount).u32(v.reserved3);
  w.out.u32(v.extraSids?.length ?? 0);
  w.pointer(v.extraSids, (sids) => {
    w.out.align(4).u32(sids.length);
    for (const e of sids) {
      w.pointer(e.sid, (sid) => writeSid(w, sid));
      w.out.u32(e.attributes);
    }
  });
  w.pointer(v.resourceGroupDomainSid, (sid) => writeSid(w, sid));
  w.out.u32(v.resourceGroupIds?.length ?? 0);
  w.pointer(v.resourceGroupIds, (g) => writeGroups(w, g));
}

/** The PAC_LOGON_INFO buffer bytes (headers, top-level pointer, NDR data padded to 8). */
export function encodeLogonInfo(info: KerbValidationInfo): Uint8Array {
  return typeSerialize((w) => {
    w.struct(() => w.pointer(info, (v) => w.struct(() => writeValidationInfo(w, v))));
  });
}

// ---- decoder ----

function readFiletime(r: NdrReader): Filetime {
  r.in.align(4);
  const lo = r.in.u32();
  const hi = r.in.u32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function readString(r: NdrReader, set: (s: RpcUnicodeString) => void): void {
  r.in.align(4);
  const length = r.in.u16();
  const maximumLength = r.in.u16();
  check(
    length % 2 === 0 && length <= maximumLength,
    `RPC_UNICODE_STRING Length ${length} / MaximumLength ${maximumLength}`,
  );
  r.pointer(
    () => {
      const { maxCount, units } = r.wcharArray();
      check(
        units.length === length,
        `RPC_UNICODE_STRING Length ${length} but ${units.length} bytes of characters`,
      );
      check(
        maxCount * 2 === maximumLength,
        `RPC_UNICODE_STRING MaximumLength ${maximumLength} but max count ${maxCount}`,
      );
      const value = fromUtf16le(units);
      return maximumLength === length ? value : { value, maximumLength };
    },
    (s) => {
      if (s === null) check(length === 0, 'RPC_UNICODE_STRING with a length and a NULL buffer');
      set(s);
    },
  );
}

function readSid(r: NdrReader): Sid {
  const n = r.count(4);
  return readSidBody(r.in, n);
}

function readGroups(r: NdrReader, expected: number): GroupMembership[] {
  const n = r.count(8);
  check(n === expected, `GROUP_MEMBERSHIP array of ${n}, count field says ${expected}`);
  const out: GroupMembership[] = [];
  for (let i = 0; i < n; i++) out.push({ relativeId: r.in.u32(), attributes: r.in.u32() });
  return out;
}

function nullMeansZero<T>(value: T | null, count: number, what: string): T | null {
  check(value !== null || count === 0, `${what} is NULL but its count is ${count}`);
  return value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readValidationInfo(r: NdrReader): KerbValidationInfo {
  const v = {} as Mutable<KerbValidationInfo>;
  v.logonTime = readFiletime(r);
  v.logoffTime = readFiletime(r);
  v.kickOffTime = readFiletime(r);
  v.passwordLastSet = readFiletime(r);
  v.passwordCanChange = readFiletime(r);
  v.passwordMustChange = readFiletime(r);
  readString(r, (s) => (v.effectiveName = s));
  readString(r, (s) => (v.fullName = s));
  readString(r, (s) => (v.logonScript = s));
  readString(r, (s) => (v.profilePath = s));
  readString(r, (s) => (v.homeDirectory = s));
  readString(r, (s) => (v.homeDirectoryDrive = s));
  v.logonCount = r.in.u16();
  v.badPasswordCount = r.in.u16();
  v.userId = r.in.u32();
  v.primaryGroupId = r.in.u32();
  const groupCount = r.in.u32();
  r.pointer(
    () => readGroups(r, groupCount),
    (g) => (v.groupIds = nullMeansZero(g, groupCount, 'GroupIds')),
  );
  v.userFlags = r.in.u32();
  v.userSessionKey = r.in.take(16);
  readString(r, (s) => (v.logonServer = s));
  readString(r, (s) => (v.logonDomainName = s));
  r.pointer(
    () => readSid(r),
    (s) => (v.logonDomainId = s),
  );
  v.reserved1 = [r.in.u32(), r.in.u32()];
  v.userAccountControl = r.in.u32();
  v.subAuthStatus = r.in.u32();
  v.lastSuccessfulILogon = readFiletime(r);
  v.lastFailedILogon = readFiletime(r);
  v.failedILogonCount = r.in.u32();
  v.reserved3 = r.in.u32();
  const sidCount = r.in.u32();
  r.pointer(
    () => {
      const n = r.count(8);
      check(n === sidCount, `ExtraSids array of ${n}, SidCount says ${sidCount}`);
      const out: { sid: Sid | null; attributes: number }[] = [];
      for (let i = 0; i < n; i++) {
        const e: { sid: Sid | null; attributes: number } = { sid: null, attributes: 0 };
        r.pointer(
          () => readSid(r),
          (s) => (e.sid = s),
        );
        e.attributes = r.in.u32();
        out.push(e);
      }
      return out;
    },
    (s) => (v.extraSids = nullMeansZero(s, sidCount, 'ExtraSids')),
  );
  r.pointer(
    () => readSid(r),
    (s) => (v.resourceGroupDomainSid = s),
  );
  const resourceCount = r.in.u32();
  r.pointer(
    () => readGroups(r, resourceCount),
    (g) => (v.resourceGroupIds = nullMeansZero(g, resourceCount, 'ResourceGroupIds')),
  );
  return v;
}

/** Decodes a PAC_LOGON_INFO buffer; throws PacError on anything malformed. */
export function decodeLogonInfo(bytes: Uint8Array): KerbValidationInfo {
  return typeDeserialize(bytes, (r) => {
    let info: KerbValidationInfo | null = null;
    r.struct(() =>
      r.pointer(
        () => {
          let v: KerbValidationInfo | undefined;
          r.struct(() => {
            v = readValidationInfo(r);
          });
          return v as KerbValidationInfo;
        },
        (v) => (info = v),
      ),
    );
    check(info !== null, 'PAC_LOGON_INFO with a NULL KERB_VALIDATION_INFO pointer');
    return info;
  });
}
