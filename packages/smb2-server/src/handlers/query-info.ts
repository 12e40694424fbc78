/**
 * QUERY_INFO (MS-SMB2 §3.3.5.20). File classes Basic, Standard, Internal, Ea, Access,
 * Position, Mode, Alignment, All, NetworkOpen, AttributeTag, Stream, Compression,
 * AlternateName (a derived 8.3 name, ../backend/short-name.ts), NormalizedName (3.1.1
 * only, §3.3.5.20.1) and FullEa (no EAs are kept: STATUS_NO_EAS_ON_FILE); file-system
 * classes Volume, Size, FullSize, Device, Attribute, Control (no quotas), ObjectId,
 * SectorSize; SECURITY: a minimal descriptor (owner and group: the session's principal
 * mapped to a fixed SID; a DACL granting Everyone the share's access). Other classes:
 * STATUS_INVALID_INFO_CLASS (QUOTA: NOT_SUPPORTED).
 *
 * Access (§3.3.5.20.1): Basic, All, NetworkOpen and AttributeTag need FILE_READ_ATTRIBUTES,
 * FullEa FILE_READ_EA, SECURITY READ_CONTROL; the rest need nothing.
 *
 * Buffer sizes (§3.3.5.20.1–3): an OutputBufferLength below the class's structure size is
 * STATUS_INFO_LENGTH_MISMATCH (./info-classes.ts); a longer value is truncated with
 * STATUS_BUFFER_OVERFLOW; a security descriptor that does not fit is
 * STATUS_BUFFER_TOO_SMALL with the needed size (4 bytes) as ErrorData. Pipes: ./pipe.ts;
 * the quota index: ./quota-file.ts.
 */
import {
  AccessMask,
  AceType,
  Command,
  DeviceCharacteristics,
  DeviceType,
  Dialect,
  encodeSecurityDescriptor,
  FileInformationClass as F,
  FILE_INFO_CODECS,
  FsInformationClass as FS,
  FS_INFO_CODECS,
  InfoType,
  NtStatus,
  type QueryInfoRequest,
  queryInfoResponse,
  type SecurityDescriptor,
  SecurityDescriptorControl,
  selectSecurityDescriptor,
} from '@postntlm/smb2-protocol';
import { type FileInfo, SmbStatusError } from '../backend/index.js';
import { shortNameOf } from '../backend/short-name.js';
import type { Open } from '../core/open.js';
import { type Answer, fail, type HandlerContext, lookupOpen, needAccess, ok } from './common.js';
import {
  encodeFileCompressionInformation,
  encodeFsControlInformation,
  encodeFsObjectIdInformation,
  minimumOutputLength,
  volumeObjectId,
} from './info-classes.js';
import { pipeQueryInfo } from './pipe.js';
import { findQuotaOpen, quotaIndexQueryInfo } from './quota-file.js';

const ATTRIBUTE_CLASSES: ReadonlySet<number> = new Set([
  F.FileBasicInformation,
  F.FileAllInformation,
  F.FileNetworkOpenInformation,
  F.FileAttributeTagInformation,
]);

export async function handleQueryInfo(ctx: HandlerContext, req: QueryInfoRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeQueryInfo(ctx, req);
  if (findQuotaOpen(ctx, req.fileId) !== undefined) return quotaIndexQueryInfo(req);
  const open = lookupOpen(ctx, req.fileId);
  let bytes: Uint8Array | undefined;
  switch (req.infoType) {
    case InfoType.FILE:
      bytes = await fileInfoBytes(ctx, open, req.fileInfoClass);
      break;
    case InfoType.FILESYSTEM:
      bytes = await fsInfoBytes(open, req.fileInfoClass);
      break;
    case InfoType.SECURITY: {
      needAccess(open, AccessMask.READ_CONTROL, 'QUERY_INFO SECURITY');
      const sd = encodeSecurityDescriptor(
        selectSecurityDescriptor(securityDescriptor(ctx), req.additionalInformation),
      );
      if (sd.length > req.outputBufferLength) {
        const need = new Uint8Array(4);
        new DataView(need.buffer).setUint32(0, sd.length, true);
        return fail(Command.QUERY_INFO, NtStatus.BUFFER_TOO_SMALL, need);
      }
      return ok(queryInfoResponse, { outputBuffer: sd });
    }
    case InfoType.QUOTA:
      return fail(Command.QUERY_INFO, NtStatus.NOT_SUPPORTED);
    default:
      return fail(Command.QUERY_INFO, NtStatus.INVALID_PARAMETER);
  }
  if (bytes === undefined) return fail(Command.QUERY_INFO, NtStatus.INVALID_INFO_CLASS);
  if (req.outputBufferLength < minimumOutputLength(req.infoType, req.fileInfoClass))
    return fail(Command.QUERY_INFO, NtStatus.INFO_LENGTH_MISMATCH);
  if (bytes.length <= req.outputBufferLength) return ok(queryInfoResponse, { outputBuffer: bytes });
  return ok(
    queryInfoResponse,
    { outputBuffer: bytes.subarray(0, req.outputBufferLength) },
    NtStatus.BUFFER_OVERFLOW,
  );
}

/** The encoded value of a file class, or undefined for a class not answered. */
async function fileInfoBytes(
  ctx: HandlerContext,
  open: Open,
  infoClass: number,
): Promise<Uint8Array | undefined> {
  switch (infoClass) {
    case F.FileCompressionInformation:
      return encodeFileCompressionInformation((await open.backend.stat(open.handle)).endOfFile);
    case F.FileFullEaInformation:
      needAccess(open, AccessMask.FILE_READ_EA, 'QUERY_INFO FullEa');
      throw new SmbStatusError(NtStatus.NO_EAS_ON_FILE, 'extended attributes are not kept');
    case F.FileNormalizedNameInformation:
      // §3.3.5.20.1: only on 3.1.1 connections.
      if (ctx.negotiated.dialect < Dialect.SMB_3_1_1)
        throw new SmbStatusError(NtStatus.NOT_SUPPORTED, 'FileNormalizedNameInformation before 3.1.1');
      break;
  }
  const value = await fileInfo(open, infoClass);
  const codec = FILE_INFO_CODECS.get(infoClass);
  return value === undefined || codec === undefined ? undefined : codec.encode(value);
}

/** The encoded value of a file-system class, or undefined for a class not answered. */
async function fsInfoBytes(open: Open, infoClass: number): Promise<Uint8Array | undefined> {
  switch (infoClass) {
    case FS.FileFsControlInformation:
      return encodeFsControlInformation();
    case FS.FileFsObjectIdInformation: {
      const v = await open.backend.volumeInfo();
      return encodeFsObjectIdInformation(volumeObjectId(v.serialNumber, v.creationTime));
    }
  }
  const value = await fsInfo(open, infoClass);
  const codec = FS_INFO_CODECS.get(infoClass);
  return value === undefined || codec === undefined ? undefined : codec.encode(value);
}

const lastComponent = (path: string) => path.slice(path.lastIndexOf('\\') + 1);

const basicOf = (i: FileInfo) => ({
  creationTime: i.creationTime,
  lastAccessTime: i.lastAccessTime,
  lastWriteTime: i.lastWriteTime,
  changeTime: i.changeTime,
  fileAttributes: i.attributes,
});
const standardOf = (i: FileInfo) => ({
  allocationSize: i.allocationSize,
  endOfFile: i.endOfFile,
  numberOfLinks: i.numberOfLinks,
  deletePending: i.deletePending,
  directory: i.isDirectory,
});

async function fileInfo(open: Open, infoClass: number): Promise<unknown> {
  if (ATTRIBUTE_CLASSES.has(infoClass)) needAccess(open, AccessMask.FILE_READ_ATTRIBUTES, 'QUERY_INFO');
  const info = () => open.backend.stat(open.handle);
  switch (infoClass) {
    case F.FileBasicInformation:
      return basicOf(await info());
    case F.FileStandardInformation:
      return standardOf(await info());
    case F.FileInternalInformation:
      return { indexNumber: (await info()).fileId };
    case F.FileEaInformation:
      return { eaSize: 0 };
    case F.FileAccessInformation:
      return { accessFlags: open.grantedAccess };
    case F.FilePositionInformation:
      return { currentByteOffset: open.position };
    case F.FileModeInformation:
      return { mode: open.mode };
    case F.FileAlignmentInformation:
      return { alignmentRequirement: 0 };
    case F.FileAllInformation: {
      const i = await info();
      return {
        basic: basicOf(i),
        standard: standardOf(i),
        internal: { indexNumber: i.fileId },
        ea: { eaSize: 0 },
        access: { accessFlags: open.grantedAccess },
        position: { currentByteOffset: open.position },
        mode: { mode: open.mode },
        alignment: { alignmentRequirement: 0 },
        name: { fileName: `\\${open.handle.path}` },
      };
    }
    case F.FileNetworkOpenInformation: {
      const i = await info();
      return {
        creationTime: i.creationTime,
        lastAccessTime: i.lastAccessTime,
        lastWriteTime: i.lastWriteTime,
        changeTime: i.changeTime,
        allocationSize: i.allocationSize,
        endOfFile: i.endOfFile,
        fileAttributes: i.attributes,
      };
    }
    case F.FileAttributeTagInformation:
      return { fileAttributes: (await info()).attributes, reparseTag: 0 };
    case F.FileAlternateNameInformation:
      // The share root has no name, and so an empty short name.
      return { fileName: open.handle.path === '' ? '' : shortNameOf(lastComponent(open.handle.path)) };
    case F.FileNormalizedNameInformation:
      // The path from the share root without a leading backslash ('' for the root).
      return { fileName: open.handle.path };
    case F.FileStreamInformation: {
      if (open.isDirectory) return [];
      const i = await info();
      return [{ streamName: '::$DATA', streamSize: i.endOfFile, streamAllocationSize: i.allocationSize }];
    }
    default:
      return undefined;
  }
}

async function fsInfo(open: Open, infoClass: number): Promise<unknown> {
  const b = open.backend;
  switch (infoClass) {
    case FS.FileFsVolumeInformation: {
      const v = await b.volumeInfo();
      return {
        volumeCreationTime: v.creationTime,
        volumeSerialNumber: v.serialNumber,
        supportsObjects: false,
        volumeLabel: v.label,
      };
    }
    case FS.FileFsSizeInformation: {
      const s = await b.fsSize();
      return {
        totalAllocationUnits: s.totalAllocationUnits,
        availableAllocationUnits: s.callerAvailableAllocationUnits,
        sectorsPerAllocationUnit: s.sectorsPerAllocationUnit,
        bytesPerSector: s.bytesPerSector,
      };
    }
    case FS.FileFsFullSizeInformation: {
      const s = await b.fsSize();
      return {
        totalAllocationUnits: s.totalAllocationUnits,
        callerAvailableAllocationUnits: s.callerAvailableAllocationUnits,
        actualAvailableAllocationUnits: s.actualAvailableAllocationUnits,
        sectorsPerAllocationUnit: s.sectorsPerAllocationUnit,
        bytesPerSector: s.bytesPerSector,
      };
    }
    case FS.FileFsDeviceInformation:
      return {
        deviceType: DeviceType.FILE_DEVICE_DISK,
        characteristics: DeviceCharacteristics.FILE_DEVICE_IS_MOUNTED,
      };
    case FS.FileFsAttributeInformation: {
      const a = b.fsAttributes();
      return {
        fileSystemAttributes: a.attributes,
        maximumComponentNameLength: a.maxComponentLength,
        fileSystemName: a.fileSystemName,
      };
    }
    case FS.FileFsSectorSizeInformation:
      return {
        logicalBytesPerSector: 512,
        physicalBytesPerSectorForAtomicity: 512,
        physicalBytesPerSectorForPerformance: 512,
        fileSystemEffectivePhysicalBytesPerSectorForAtomicity: 512,
        flags: 0,
        byteOffsetForSectorAlignment: 0,
        byteOffsetForPartitionAlignment: 0,
      };
    default:
      return undefined;
  }
}

/** The domain part of the SIDs principals map to (fixed, made up). */
const DOMAIN_SID = 'S-1-5-21-2000-3000-4000';
const EVERYONE = 'S-1-1-0';

/** A principal's SID: the fixed domain and a RID from a hash of the name (1000 and up). */
export function principalSid(principal: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < principal.length; i++) h = Math.imul(h ^ principal.charCodeAt(i), 0x01000193) >>> 0;
  return `${DOMAIN_SID}-${1000 + (h % 0x3fffffff)}`;
}

/** The descriptor every file of a share has: owner the caller, group Domain Users, Everyone granted the share's access. */
export function securityDescriptor(ctx: HandlerContext): SecurityDescriptor {
  return {
    control: SecurityDescriptorControl.DACL_PRESENT,
    owner: principalSid(ctx.session.client ?? ''),
    group: `${DOMAIN_SID}-513`,
    dacl: {
      revision: 2,
      aces: [{ type: AceType.ACCESS_ALLOWED, flags: 0, mask: ctx.tree.maximalAccess, sid: EVERYONE }],
    },
  };
}
