/**
 * QUERY_INFO (MS-SMB2 §3.3.5.20). File classes Basic, Standard, Internal, Ea, Access,
 * Position, Mode, Alignment, All, NetworkOpen, AttributeTag, Stream (AlternateName: no 8.3
 * names, STATUS_NOT_SUPPORTED); file-system classes
 * Volume, Size, FullSize, Device, Attribute, SectorSize; SECURITY: a minimal descriptor
 * (owner and group: the session's principal mapped to a fixed SID; a DACL granting Everyone
 * the share's access). Other classes: STATUS_INVALID_INFO_CLASS (QUOTA: NOT_SUPPORTED).
 *
 * Buffer sizes (§3.3.5.20.1–3): a value larger than OutputBufferLength is truncated with
 * STATUS_BUFFER_OVERFLOW when the class has a variable part and its fixed part fits,
 * STATUS_INFO_LENGTH_MISMATCH otherwise; a security descriptor that does not fit is
 * STATUS_BUFFER_TOO_SMALL with the needed size (4 bytes) as ErrorData. Pipes: ./pipe.ts.
 */
import {
  AccessMask,
  AceType,
  Command,
  DeviceCharacteristics,
  DeviceType,
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
import type { FileInfo } from '../backend/index.js';
import type { Open } from '../core/open.js';
import { type Answer, fail, type HandlerContext, lookupOpen, needAccess, ok } from './common.js';
import { pipeQueryInfo } from './pipe.js';

/** Fixed-part sizes of the classes with a variable part (a truncated answer needs this much). */
const VARIABLE_FIXED: ReadonlyMap<string, number> = new Map([
  [`1:${F.FileAllInformation}`, 100],
  [`1:${F.FileStreamInformation}`, 24],
  [`1:${F.FileNameInformation}`, 4],
  [`2:${FS.FileFsVolumeInformation}`, 18],
  [`2:${FS.FileFsAttributeInformation}`, 12],
]);

const ATTRIBUTE_CLASSES: ReadonlySet<number> = new Set([
  F.FileBasicInformation,
  F.FileAllInformation,
  F.FileNetworkOpenInformation,
  F.FileAttributeTagInformation,
]);

export async function handleQueryInfo(ctx: HandlerContext, req: QueryInfoRequest): Promise<Answer> {
  if (ctx.tree.ipc) return pipeQueryInfo(ctx, req);
  const open = lookupOpen(ctx, req.fileId);
  let bytes: Uint8Array;
  switch (req.infoType) {
    case InfoType.FILE: {
      // No 8.3 names: NOT_SUPPORTED, which clients (smbclient's allinfo) take as "none".
      if (req.fileInfoClass === F.FileAlternateNameInformation)
        return fail(Command.QUERY_INFO, NtStatus.NOT_SUPPORTED);
      const value = await fileInfo(open, req.fileInfoClass);
      const codec = FILE_INFO_CODECS.get(req.fileInfoClass);
      if (value === undefined || codec === undefined)
        return fail(Command.QUERY_INFO, NtStatus.INVALID_INFO_CLASS);
      bytes = codec.encode(value);
      break;
    }
    case InfoType.FILESYSTEM: {
      const value = await fsInfo(open, req.fileInfoClass);
      const codec = FS_INFO_CODECS.get(req.fileInfoClass);
      if (value === undefined || codec === undefined)
        return fail(Command.QUERY_INFO, NtStatus.INVALID_INFO_CLASS);
      bytes = codec.encode(value);
      break;
    }
    case InfoType.SECURITY: {
      needAccess(open, AccessMask.READ_CONTROL, 'QUERY_INFO SECURITY');
      bytes = encodeSecurityDescriptor(
        selectSecurityDescriptor(securityDescriptor(ctx), req.additionalInformation),
      );
      if (bytes.length > req.outputBufferLength) {
        const need = new Uint8Array(4);
        new DataView(need.buffer).setUint32(0, bytes.length, true);
        return fail(Command.QUERY_INFO, NtStatus.BUFFER_TOO_SMALL, need);
      }
      return ok(queryInfoResponse, { outputBuffer: bytes });
    }
    case InfoType.QUOTA:
      return fail(Command.QUERY_INFO, NtStatus.NOT_SUPPORTED);
    default:
      return fail(Command.QUERY_INFO, NtStatus.INVALID_PARAMETER);
  }
  if (bytes.length <= req.outputBufferLength) return ok(queryInfoResponse, { outputBuffer: bytes });
  const fixed = VARIABLE_FIXED.get(`${req.infoType}:${req.fileInfoClass}`);
  if (fixed !== undefined && req.outputBufferLength >= fixed) {
    return ok(
      queryInfoResponse,
      { outputBuffer: bytes.slice(0, req.outputBufferLength) },
      NtStatus.BUFFER_OVERFLOW,
    );
  }
  return fail(Command.QUERY_INFO, NtStatus.INFO_LENGTH_MISMATCH);
}

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
