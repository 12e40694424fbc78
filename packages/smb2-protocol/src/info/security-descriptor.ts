/**
 * A minimal self-relative SECURITY_DESCRIPTOR (MS-DTYP §2.4.6) with its SIDs (§2.4.2) and
 * ACLs (§2.4.5): owner, group, DACL and SACL with the ACEs that have the plain
 * (Mask, Sid) layout (§2.4.4.2 ACCESS_ALLOWED, §2.4.4.4 ACCESS_DENIED, §2.4.4.10 SYSTEM_AUDIT,
 * SYSTEM_ALARM, §2.4.4.13 SYSTEM_MANDATORY_LABEL); other ACE types are kept as raw bytes. Enough
 * for a server to answer QUERY_INFO SMB2_0_INFO_SECURITY for OWNER|GROUP|DACL and for a client
 * to read what Windows or Samba return.
 */
import { SmbEncodeError } from '../wire/errors.js';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';

/** SECURITY_INFORMATION bits of AdditionalInformation (MS-SMB2 §2.2.37, MS-DTYP §2.4.7). */
export const SecurityInformation = {
  OWNER: 0x00000001,
  GROUP: 0x00000002,
  DACL: 0x00000004,
  SACL: 0x00000008,
  LABEL: 0x00000010,
  ATTRIBUTE: 0x00000020,
  SCOPE: 0x00000040,
  BACKUP: 0x00010000,
} as const;

/** SECURITY_DESCRIPTOR Control bits (MS-DTYP §2.4.6). */
export const SecurityDescriptorControl = {
  OWNER_DEFAULTED: 0x0001,
  GROUP_DEFAULTED: 0x0002,
  DACL_PRESENT: 0x0004,
  DACL_DEFAULTED: 0x0008,
  SACL_PRESENT: 0x0010,
  SACL_DEFAULTED: 0x0020,
  DACL_TRUSTED: 0x0040,
  SERVER_SECURITY: 0x0080,
  DACL_AUTO_INHERIT_REQ: 0x0100,
  SACL_AUTO_INHERIT_REQ: 0x0200,
  DACL_AUTO_INHERITED: 0x0400,
  SACL_AUTO_INHERITED: 0x0800,
  DACL_PROTECTED: 0x1000,
  SACL_PROTECTED: 0x2000,
  RM_CONTROL_VALID: 0x4000,
  SELF_RELATIVE: 0x8000,
} as const;

/** AceType values (MS-DTYP §2.4.4.1). */
export const AceType = {
  ACCESS_ALLOWED: 0x00,
  ACCESS_DENIED: 0x01,
  SYSTEM_AUDIT: 0x02,
  SYSTEM_ALARM: 0x03,
  ACCESS_ALLOWED_OBJECT: 0x05,
  ACCESS_DENIED_OBJECT: 0x06,
  SYSTEM_AUDIT_OBJECT: 0x07,
  SYSTEM_MANDATORY_LABEL: 0x11,
} as const;

/** AceFlags (MS-DTYP §2.4.4.1). */
export const AceFlags = {
  OBJECT_INHERIT: 0x01,
  CONTAINER_INHERIT: 0x02,
  NO_PROPAGATE_INHERIT: 0x04,
  INHERIT_ONLY: 0x08,
  INHERITED: 0x10,
  SUCCESSFUL_ACCESS: 0x40,
  FAILED_ACCESS: 0x80,
} as const;

/** ACE types with the (Mask, Sid) body this module decodes. */
const SIMPLE_ACE_TYPES: ReadonlySet<number> = new Set([0x00, 0x01, 0x02, 0x03, 0x11]);

/** An ACE of a type with the (Mask, Sid) layout. */
export interface SimpleAce {
  readonly type: number;
  readonly flags: number;
  readonly mask: number;
  /** Text form, `S-1-5-32-544`. */
  readonly sid: string;
}

/** An ACE of another type (object, callback, resource-attribute ...): its body after the 4-byte header. */
export interface RawAce {
  readonly type: number;
  readonly flags: number;
  readonly body: Uint8Array;
}

export type Ace = SimpleAce | RawAce;

export const isSimpleAce = (a: Ace): a is SimpleAce => 'sid' in a;

export interface Acl {
  /** ACL_REVISION 2, or ACL_REVISION_DS 4 when object ACEs are present. */
  readonly revision: number;
  readonly aces: readonly Ace[];
}

export interface SecurityDescriptor {
  /** Control bits; SELF_RELATIVE, DACL_PRESENT and SACL_PRESENT are set by the encoder as needed. */
  readonly control: number;
  readonly owner?: string;
  readonly group?: string;
  readonly sacl?: Acl;
  /** Absent with DACL_PRESENT in `control` = a NULL DACL (everyone has every access). */
  readonly dacl?: Acl;
}

// ---------------------------------------------------------------------------------------------
// SIDs

const MAX_SUB_AUTHORITIES = 15;

/** The binary SID (MS-DTYP §2.4.2.2) for its text form `S-1-<authority>-<sub>...`; SmbEncodeError if malformed. */
export function sidToBytes(sid: string): Uint8Array {
  const parts = sid.split('-');
  if (parts.length < 3 || (parts[0] !== 'S' && parts[0] !== 's'))
    throw new SmbEncodeError('SID', `"${sid}" is not a SID`);
  const revision = parseSidNumber(parts[1] as string, 0xffn, sid);
  if (revision !== 1n) throw new SmbEncodeError('SID', `"${sid}": revision must be 1`);
  const authority = parseSidNumber(parts[2] as string, 0xffffffffffffn, sid);
  const subs = parts.slice(3).map((p) => Number(parseSidNumber(p, 0xffffffffn, sid)));
  if (subs.length > MAX_SUB_AUTHORITIES)
    throw new SmbEncodeError('SID', `"${sid}" has more than 15 sub-authorities`);
  const out = new Uint8Array(8 + 4 * subs.length);
  const view = new DataView(out.buffer);
  out[0] = Number(revision);
  out[1] = subs.length;
  for (let i = 0; i < 6; i++) out[2 + i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
  subs.forEach((s, i) => {
    view.setUint32(8 + 4 * i, s, true);
  });
  return out;
}

function parseSidNumber(text: string, max: bigint, sid: string): bigint {
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) throw new SmbEncodeError('SID', `"${sid}" is not a SID`);
  const v = BigInt(text);
  if (v > max) throw new SmbEncodeError('SID', `"${sid}": ${text} is out of range`);
  return v;
}

/** Reads a SID at `r.pos` (bounded by `r.end`) and returns its text form. */
export function readSid(r: Reader, field = 'Sid'): string {
  const revision = r.u8(`${field}.Revision`);
  const count = r.u8(`${field}.SubAuthorityCount`);
  if (revision !== 1) r.fail(`${field}.Revision`, `is ${revision}, expected 1`, r.pos - 2);
  if (count > MAX_SUB_AUTHORITIES)
    r.fail(`${field}.SubAuthorityCount`, `${count} is more than 15`, r.pos - 1);
  const auth = r.bytesN(6, `${field}.IdentifierAuthority`);
  let authority = 0n;
  for (const b of auth) authority = (authority << 8n) | BigInt(b);
  // MS-DTYP §2.4.2.1: hexadecimal when the authority does not fit 32 bits.
  let text = `S-${revision}-${authority < 0x100000000n ? authority.toString() : `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`}`;
  for (let i = 0; i < count; i++) text += `-${r.u32(`${field}.SubAuthority`)}`;
  return text;
}

/** The text form of a binary SID; `SmbDecodeError` if malformed. */
export function sidFromBytes(bytes: Uint8Array): string {
  return readSid(new Reader(bytes, 0, bytes.length, 'SID'), 'SID');
}

// ---------------------------------------------------------------------------------------------
// ACLs

function writeAcl(w: Writer, acl: Acl, field: string): void {
  const start = w.pos;
  w.u8(acl.revision).u8(0).u16(0).u16(acl.aces.length, `${field}.AceCount`).u16(0);
  for (const ace of acl.aces) {
    const aceStart = w.pos;
    w.u8(ace.type).u8(ace.flags).u16(0);
    if (isSimpleAce(ace)) {
      if (!SIMPLE_ACE_TYPES.has(ace.type))
        throw new SmbEncodeError(`${field}.Ace`, `type ${ace.type} has no (Mask, Sid) body`);
      w.u32(ace.mask >>> 0, `${field}.Ace.Mask`).bytes(sidToBytes(ace.sid));
    } else {
      if (SIMPLE_ACE_TYPES.has(ace.type))
        throw new SmbEncodeError(`${field}.Ace`, `type ${ace.type} needs mask and sid`);
      w.bytes(ace.body);
    }
    const size = w.pos - aceStart;
    if (size > 0xffff || size % 4 !== 0)
      throw new SmbEncodeError(`${field}.Ace.AceSize`, `${size} is not a 16-bit multiple of 4`);
    w.patchU16(aceStart + 2, size);
  }
  const size = w.pos - start;
  if (size > 0xffff) throw new SmbEncodeError(`${field}.AclSize`, `${size} does not fit 16 bits`);
  w.patchU16(start + 2, size);
}

function readAcl(bytes: Uint8Array, offset: number, field: string): Acl {
  const head = new Reader(bytes, 0, bytes.length, 'SECURITY_DESCRIPTOR');
  head.seek(offset, field);
  const revision = head.u8(`${field}.AclRevision`);
  head.skip(1, `${field}.Sbz1`);
  const sizeAt = head.pos;
  const size = head.u16(`${field}.AclSize`);
  const count = head.u16(`${field}.AceCount`);
  head.skip(2, `${field}.Sbz2`);
  if (size < 8 || offset + size > bytes.length)
    head.fail(`${field}.AclSize`, `${size} bytes at ${offset} do not fit`, sizeAt);
  const r = new Reader(bytes, 0, offset + size, 'SECURITY_DESCRIPTOR');
  r.pos = head.pos;
  const aces: Ace[] = [];
  for (let i = 0; i < count; i++) {
    const f = `${field}.Ace[${i}]`;
    const aceStart = r.pos;
    const type = r.u8(`${f}.AceType`);
    const flags = r.u8(`${f}.AceFlags`);
    const aceSize = r.u16(`${f}.AceSize`);
    if (aceSize < 4 || aceStart + aceSize > r.end)
      r.fail(`${f}.AceSize`, `${aceSize} does not fit the ACL`, aceStart + 2);
    const ace = new Reader(bytes, 0, aceStart + aceSize, 'SECURITY_DESCRIPTOR');
    ace.pos = r.pos;
    if (SIMPLE_ACE_TYPES.has(type)) {
      const mask = ace.u32(`${f}.Mask`);
      aces.push({ type, flags, mask, sid: readSid(ace, `${f}.Sid`) });
    } else {
      aces.push({ type, flags, body: ace.bytesN(aceSize - 4, `${f}.Body`) });
    }
    r.pos = aceStart + aceSize;
  }
  return { revision, aces };
}

// ---------------------------------------------------------------------------------------------
// SECURITY_DESCRIPTOR

/**
 * The self-relative form, parts in the order Windows writes them (SACL, DACL, owner, group,
 * as in MS-DTYP §2.5.1.4's example).
 */
export function encodeSecurityDescriptor(sd: SecurityDescriptor): Uint8Array {
  const w = new Writer(128);
  let control = (sd.control | SecurityDescriptorControl.SELF_RELATIVE) & 0xffff;
  if (sd.dacl) control |= SecurityDescriptorControl.DACL_PRESENT;
  if (sd.sacl) control |= SecurityDescriptorControl.SACL_PRESENT;
  w.u8(1).u8(0).u16(control, 'Control').zeros(16);
  const offsets = { owner: 0, group: 0, sacl: 0, dacl: 0 };
  if (sd.sacl) {
    offsets.sacl = w.pos;
    writeAcl(w, sd.sacl, 'Sacl');
  }
  if (sd.dacl) {
    offsets.dacl = w.pos;
    writeAcl(w, sd.dacl, 'Dacl');
  }
  if (sd.owner !== undefined) {
    offsets.owner = w.pos;
    w.bytes(sidToBytes(sd.owner));
  }
  if (sd.group !== undefined) {
    offsets.group = w.pos;
    w.bytes(sidToBytes(sd.group));
  }
  w.patchU32(4, offsets.owner);
  w.patchU32(8, offsets.group);
  w.patchU32(12, offsets.sacl);
  w.patchU32(16, offsets.dacl);
  return w.finish();
}

/**
 * Decodes a self-relative SECURITY_DESCRIPTOR: the parts may be in any order; every offset,
 * ACL and ACE is bounds-checked. An offset of 0 means the part is absent.
 */
export function decodeSecurityDescriptor(bytes: Uint8Array): SecurityDescriptor {
  const r = new Reader(bytes, 0, bytes.length, 'SECURITY_DESCRIPTOR');
  const revision = r.u8('Revision');
  if (revision !== 1) r.fail('Revision', `is ${revision}, expected 1`, 0);
  r.skip(1, 'Sbz1');
  const control = r.u16('Control');
  if ((control & SecurityDescriptorControl.SELF_RELATIVE) === 0) r.fail('Control', 'not self-relative', 2);
  const offOwner = r.u32('OffsetOwner');
  const offGroup = r.u32('OffsetGroup');
  const offSacl = r.u32('OffsetSacl');
  const offDacl = r.u32('OffsetDacl');
  const sid = (offset: number, field: string): string => {
    const s = new Reader(bytes, 0, bytes.length, 'SECURITY_DESCRIPTOR');
    s.seek(offset, field);
    return readSid(s, field);
  };
  const out: { -readonly [K in keyof SecurityDescriptor]: SecurityDescriptor[K] } = { control };
  if (offOwner !== 0) out.owner = sid(offOwner, 'OwnerSid');
  if (offGroup !== 0) out.group = sid(offGroup, 'GroupSid');
  if (offSacl !== 0 && (control & SecurityDescriptorControl.SACL_PRESENT) !== 0)
    out.sacl = readAcl(bytes, offSacl, 'Sacl');
  if (offDacl !== 0 && (control & SecurityDescriptorControl.DACL_PRESENT) !== 0)
    out.dacl = readAcl(bytes, offDacl, 'Dacl');
  return out;
}

/**
 * The parts of `sd` a QUERY_INFO asked for in AdditionalInformation (`SecurityInformation`
 * bits): OWNER, GROUP, DACL, SACL; the control bits of parts left out are cleared.
 */
export function selectSecurityDescriptor(
  sd: SecurityDescriptor,
  additionalInformation: number,
): SecurityDescriptor {
  const C = SecurityDescriptorControl;
  let control = sd.control;
  const out: { -readonly [K in keyof SecurityDescriptor]: SecurityDescriptor[K] } = { control };
  if (additionalInformation & SecurityInformation.OWNER) {
    if (sd.owner !== undefined) out.owner = sd.owner;
  } else control &= ~C.OWNER_DEFAULTED;
  if (additionalInformation & SecurityInformation.GROUP) {
    if (sd.group !== undefined) out.group = sd.group;
  } else control &= ~C.GROUP_DEFAULTED;
  if (additionalInformation & SecurityInformation.DACL) {
    if (sd.dacl) out.dacl = sd.dacl;
  } else
    control &= ~(
      C.DACL_PRESENT |
      C.DACL_DEFAULTED |
      C.DACL_AUTO_INHERITED |
      C.DACL_PROTECTED |
      C.DACL_AUTO_INHERIT_REQ
    );
  if (additionalInformation & SecurityInformation.SACL) {
    if (sd.sacl) out.sacl = sd.sacl;
  } else
    control &= ~(
      C.SACL_PRESENT |
      C.SACL_DEFAULTED |
      C.SACL_AUTO_INHERITED |
      C.SACL_PROTECTED |
      C.SACL_AUTO_INHERIT_REQ
    );
  out.control = control;
  return out;
}
