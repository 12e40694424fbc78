/**
 * The information classes the protocol package has no codec for, encoded here (all fixed
 * size), and the minimum OutputBufferLength of every class QUERY_INFO answers.
 */
import { FileInformationClass as F, FsInformationClass as FS, InfoType } from '@postntlm/smb2-protocol';

/**
 * The smallest OutputBufferLength a class accepts: the size of its structure as Windows
 * declares it (a variable part counts one WCHAR, the whole rounded up to the structure's
 * alignment). Below it the answer is STATUS_INFO_LENGTH_MISMATCH whatever the value's real
 * length (MS-SMB2 §3.3.5.20.1/.2; Windows and Samba alike, smbtorture smb2.getinfo
 * qfile_buffercheck / qfs_buffercheck); at or above it a longer value is truncated with
 * STATUS_BUFFER_OVERFLOW.
 */
const MIN_FILE: ReadonlyMap<number, number> = new Map([
  [F.FileBasicInformation, 40],
  [F.FileStandardInformation, 24],
  [F.FileInternalInformation, 8],
  [F.FileEaInformation, 4],
  [F.FileAccessInformation, 4],
  [F.FileNameInformation, 8],
  [F.FilePositionInformation, 8],
  [F.FileFullEaInformation, 8],
  [F.FileModeInformation, 4],
  [F.FileAlignmentInformation, 4],
  [F.FileAllInformation, 104],
  [F.FileAlternateNameInformation, 8],
  [F.FileStreamInformation, 32],
  [F.FileCompressionInformation, 16],
  [F.FileNetworkOpenInformation, 56],
  [F.FileAttributeTagInformation, 8],
  [F.FileNormalizedNameInformation, 8],
]);
const MIN_FS: ReadonlyMap<number, number> = new Map([
  [FS.FileFsVolumeInformation, 24],
  [FS.FileFsSizeInformation, 24],
  [FS.FileFsDeviceInformation, 8],
  [FS.FileFsAttributeInformation, 16],
  [FS.FileFsControlInformation, 48],
  [FS.FileFsFullSizeInformation, 32],
  [FS.FileFsObjectIdInformation, 64],
  [FS.FileFsSectorSizeInformation, 28],
]);

/** The minimum OutputBufferLength of (infoType, class); 0 when the class has none listed. */
export function minimumOutputLength(infoType: number, infoClass: number): number {
  const table = infoType === InfoType.FILE ? MIN_FILE : infoType === InfoType.FILESYSTEM ? MIN_FS : undefined;
  return table?.get(infoClass) ?? 0;
}

/**
 * FileCompressionInformation (MS-FSCC §2.4.9): nothing is compressed, so the compressed
 * size is the file size and CompressionFormat COMPRESSION_FORMAT_NONE (the shifts are 0).
 */
export function encodeFileCompressionInformation(endOfFile: bigint): Uint8Array {
  const out = new Uint8Array(16);
  new DataView(out.buffer).setBigUint64(0, endOfFile, true);
  return out;
}

/**
 * FileFsControlInformation (MS-FSCC §2.5.2) of a volume without quotas: the free-space
 * filtering fields 0, DefaultQuotaThreshold and DefaultQuotaLimit "no limit" (all 0xFF),
 * FileSystemControlFlags 0 (quotas neither tracked nor enforced).
 */
export function encodeFsControlInformation(): Uint8Array {
  const out = new Uint8Array(48);
  const v = new DataView(out.buffer);
  v.setBigUint64(24, 0xffffffffffffffffn, true);
  v.setBigUint64(32, 0xffffffffffffffffn, true);
  return out;
}

/**
 * FileFsObjectIdInformation (MS-FSCC §2.5.6): the volume's 16-byte ObjectId (`objectId`,
 * stable per share) and 48 bytes of ExtendedInfo, left zero.
 */
export function encodeFsObjectIdInformation(objectId: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(objectId.subarray(0, 16));
  return out;
}

/** A stable 16-byte volume ObjectId from the volume serial number and creation time. */
export function volumeObjectId(serialNumber: number, creationTime: bigint): Uint8Array {
  const id = new Uint8Array(16);
  const v = new DataView(id.buffer);
  v.setUint32(0, serialNumber >>> 0, true);
  v.setBigUint64(4, BigInt.asUintN(64, creationTime), true);
  return id;
}
