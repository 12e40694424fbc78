/**
 * File system information classes (MS-FSCC §2.5) carried by QUERY_INFO with InfoType
 * SMB2_0_INFO_FILESYSTEM: numbers, value types and byte-exact codecs.
 */
import { type Reader, utf16 } from '../wire/reader.js';
import { utf16le } from '../wire/writer.js';
import { type InfoCodec, infoCodec } from './file-info.js';
import { readI64, writeBool, writeI64, writeU64 } from './internal.js';

/** FsInformationClass values (MS-FSCC §2.5). */
export const FsInformationClass = {
  FileFsVolumeInformation: 1,
  FileFsLabelInformation: 2,
  FileFsSizeInformation: 3,
  FileFsDeviceInformation: 4,
  FileFsAttributeInformation: 5,
  FileFsControlInformation: 6,
  FileFsFullSizeInformation: 7,
  FileFsObjectIdInformation: 8,
  FileFsDriverPathInformation: 9,
  FileFsVolumeFlagsInformation: 10,
  FileFsSectorSizeInformation: 11,
} as const;
export type FsInformationClass = (typeof FsInformationClass)[keyof typeof FsInformationClass];

/** FileSystemAttributes of FileFsAttributeInformation (MS-FSCC §2.5.1). */
export const FileSystemAttributes = {
  FILE_CASE_SENSITIVE_SEARCH: 0x00000001,
  FILE_CASE_PRESERVED_NAMES: 0x00000002,
  FILE_UNICODE_ON_DISK: 0x00000004,
  FILE_PERSISTENT_ACLS: 0x00000008,
  FILE_FILE_COMPRESSION: 0x00000010,
  FILE_VOLUME_QUOTAS: 0x00000020,
  FILE_SUPPORTS_SPARSE_FILES: 0x00000040,
  FILE_SUPPORTS_REPARSE_POINTS: 0x00000080,
  FILE_SUPPORTS_REMOTE_STORAGE: 0x00000100,
  FILE_RETURNS_CLEANUP_RESULT_INFO: 0x00000200,
  FILE_SUPPORTS_POSIX_UNLINK_RENAME: 0x00000400,
  FILE_VOLUME_IS_COMPRESSED: 0x00008000,
  FILE_SUPPORTS_OBJECT_IDS: 0x00010000,
  FILE_SUPPORTS_ENCRYPTION: 0x00020000,
  FILE_NAMED_STREAMS: 0x00040000,
  FILE_READ_ONLY_VOLUME: 0x00080000,
  FILE_SEQUENTIAL_WRITE_ONCE: 0x00100000,
  FILE_SUPPORTS_TRANSACTIONS: 0x00200000,
  FILE_SUPPORTS_HARD_LINKS: 0x00400000,
  FILE_SUPPORTS_EXTENDED_ATTRIBUTES: 0x00800000,
  FILE_SUPPORTS_OPEN_BY_FILE_ID: 0x01000000,
  FILE_SUPPORTS_USN_JOURNAL: 0x02000000,
  FILE_SUPPORT_INTEGRITY_STREAMS: 0x04000000,
  FILE_SUPPORTS_BLOCK_REFCOUNTING: 0x08000000,
  FILE_SUPPORTS_SPARSE_VDL: 0x10000000,
} as const;

/** DeviceType of FileFsDeviceInformation (MS-FSCC §2.5.10). */
export const DeviceType = {
  FILE_DEVICE_CD_ROM: 0x00000002,
  FILE_DEVICE_DISK: 0x00000007,
} as const;

/** Characteristics of FileFsDeviceInformation (MS-FSCC §2.5.10). */
export const DeviceCharacteristics = {
  FILE_REMOVABLE_MEDIA: 0x00000001,
  FILE_READ_ONLY_DEVICE: 0x00000002,
  FILE_FLOPPY_DISKETTE: 0x00000004,
  FILE_WRITE_ONCE_MEDIA: 0x00000008,
  FILE_REMOTE_DEVICE: 0x00000010,
  FILE_DEVICE_IS_MOUNTED: 0x00000020,
  FILE_VIRTUAL_VOLUME: 0x00000040,
  FILE_DEVICE_SECURE_OPEN: 0x00000100,
  FILE_CHARACTERISTIC_TS_DEVICE: 0x00001000,
  FILE_CHARACTERISTIC_WEBDAV_DEVICE: 0x00002000,
  FILE_DEVICE_ALLOW_APPCONTAINER_TRAVERSAL: 0x00020000,
  FILE_PORTABLE_DEVICE: 0x00040000,
} as const;

/** Flags of FileFsSectorSizeInformation (MS-FSCC §2.5.8). */
export const SectorSizeFlags = {
  SSINFO_FLAGS_ALIGNED_DEVICE: 0x00000001,
  SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE: 0x00000002,
  SSINFO_FLAGS_NO_SEEK_PENALTY: 0x00000004,
  SSINFO_FLAGS_TRIM_ENABLED: 0x00000008,
} as const;

const readText = (r: Reader, length: number, field: string): string =>
  utf16(r.bytesN(length, field), r, field);

// §2.5.9 FileFsVolumeInformation
export interface FileFsVolumeInformation {
  readonly volumeCreationTime: bigint;
  readonly volumeSerialNumber: number;
  readonly supportsObjects: boolean;
  readonly volumeLabel: string;
}
export const fileFsVolumeInformation = infoCodec<FileFsVolumeInformation>(
  FsInformationClass.FileFsVolumeInformation,
  'FileFsVolumeInformation',
  (w, v) => {
    const label = utf16le(v.volumeLabel);
    writeI64(w, v.volumeCreationTime, 'VolumeCreationTime');
    w.u32(v.volumeSerialNumber, 'VolumeSerialNumber').u32(label.length, 'VolumeLabelLength');
    writeBool(w, v.supportsObjects);
    w.u8(0).bytes(label);
  },
  (r) => {
    const volumeCreationTime = readI64(r, 'VolumeCreationTime');
    const volumeSerialNumber = r.u32('VolumeSerialNumber');
    const length = r.u32('VolumeLabelLength');
    const supportsObjects = r.u8('SupportsObjects') !== 0;
    r.skip(1, 'Reserved');
    return {
      volumeCreationTime,
      volumeSerialNumber,
      supportsObjects,
      volumeLabel: readText(r, length, 'VolumeLabel'),
    };
  },
);

// §2.5.8 FileFsSizeInformation
export interface FileFsSizeInformation {
  readonly totalAllocationUnits: bigint;
  readonly availableAllocationUnits: bigint;
  readonly sectorsPerAllocationUnit: number;
  readonly bytesPerSector: number;
}
export const fileFsSizeInformation = infoCodec<FileFsSizeInformation>(
  FsInformationClass.FileFsSizeInformation,
  'FileFsSizeInformation',
  (w, v) => {
    writeU64(w, v.totalAllocationUnits, 'TotalAllocationUnits');
    writeU64(w, v.availableAllocationUnits, 'AvailableAllocationUnits');
    w.u32(v.sectorsPerAllocationUnit, 'SectorsPerAllocationUnit').u32(v.bytesPerSector, 'BytesPerSector');
  },
  (r) => ({
    totalAllocationUnits: r.u64('TotalAllocationUnits'),
    availableAllocationUnits: r.u64('AvailableAllocationUnits'),
    sectorsPerAllocationUnit: r.u32('SectorsPerAllocationUnit'),
    bytesPerSector: r.u32('BytesPerSector'),
  }),
);

// §2.5.4 FileFsFullSizeInformation
export interface FileFsFullSizeInformation {
  readonly totalAllocationUnits: bigint;
  readonly callerAvailableAllocationUnits: bigint;
  readonly actualAvailableAllocationUnits: bigint;
  readonly sectorsPerAllocationUnit: number;
  readonly bytesPerSector: number;
}
export const fileFsFullSizeInformation = infoCodec<FileFsFullSizeInformation>(
  FsInformationClass.FileFsFullSizeInformation,
  'FileFsFullSizeInformation',
  (w, v) => {
    writeU64(w, v.totalAllocationUnits, 'TotalAllocationUnits');
    writeU64(w, v.callerAvailableAllocationUnits, 'CallerAvailableAllocationUnits');
    writeU64(w, v.actualAvailableAllocationUnits, 'ActualAvailableAllocationUnits');
    w.u32(v.sectorsPerAllocationUnit, 'SectorsPerAllocationUnit').u32(v.bytesPerSector, 'BytesPerSector');
  },
  (r) => ({
    totalAllocationUnits: r.u64('TotalAllocationUnits'),
    callerAvailableAllocationUnits: r.u64('CallerAvailableAllocationUnits'),
    actualAvailableAllocationUnits: r.u64('ActualAvailableAllocationUnits'),
    sectorsPerAllocationUnit: r.u32('SectorsPerAllocationUnit'),
    bytesPerSector: r.u32('BytesPerSector'),
  }),
);

// §2.5.10 FileFsDeviceInformation
export interface FileFsDeviceInformation {
  /** `DeviceType`. */
  readonly deviceType: number;
  /** `DeviceCharacteristics`. */
  readonly characteristics: number;
}
export const fileFsDeviceInformation = infoCodec<FileFsDeviceInformation>(
  FsInformationClass.FileFsDeviceInformation,
  'FileFsDeviceInformation',
  (w, v) => void w.u32(v.deviceType, 'DeviceType').u32(v.characteristics, 'Characteristics'),
  (r) => ({ deviceType: r.u32('DeviceType'), characteristics: r.u32('Characteristics') }),
);

// §2.5.1 FileFsAttributeInformation
export interface FileFsAttributeInformation {
  /** `FileSystemAttributes`. */
  readonly fileSystemAttributes: number;
  /** Longest name component in characters (255 for NTFS). */
  readonly maximumComponentNameLength: number;
  /** e.g. `NTFS`. */
  readonly fileSystemName: string;
}
export const fileFsAttributeInformation = infoCodec<FileFsAttributeInformation>(
  FsInformationClass.FileFsAttributeInformation,
  'FileFsAttributeInformation',
  (w, v) => {
    const name = utf16le(v.fileSystemName);
    w.u32(v.fileSystemAttributes, 'FileSystemAttributes');
    w.u32(v.maximumComponentNameLength, 'MaximumComponentNameLength');
    w.u32(name.length, 'FileSystemNameLength').bytes(name);
  },
  (r) => {
    const fileSystemAttributes = r.u32('FileSystemAttributes');
    const maximumComponentNameLength = r.u32('MaximumComponentNameLength');
    const length = r.u32('FileSystemNameLength');
    return {
      fileSystemAttributes,
      maximumComponentNameLength,
      fileSystemName: readText(r, length, 'FileSystemName'),
    };
  },
);

// §2.5.7 FileFsSectorSizeInformation
export interface FileFsSectorSizeInformation {
  readonly logicalBytesPerSector: number;
  readonly physicalBytesPerSectorForAtomicity: number;
  readonly physicalBytesPerSectorForPerformance: number;
  readonly fileSystemEffectivePhysicalBytesPerSectorForAtomicity: number;
  /** `SectorSizeFlags`. */
  readonly flags: number;
  /** 0xFFFFFFFF = unknown (SSINFO_OFFSET_UNKNOWN). */
  readonly byteOffsetForSectorAlignment: number;
  readonly byteOffsetForPartitionAlignment: number;
}
const SECTOR_FIELDS = [
  ['logicalBytesPerSector', 'LogicalBytesPerSector'],
  ['physicalBytesPerSectorForAtomicity', 'PhysicalBytesPerSectorForAtomicity'],
  ['physicalBytesPerSectorForPerformance', 'PhysicalBytesPerSectorForPerformance'],
  [
    'fileSystemEffectivePhysicalBytesPerSectorForAtomicity',
    'FileSystemEffectivePhysicalBytesPerSectorForAtomicity',
  ],
  ['flags', 'Flags'],
  ['byteOffsetForSectorAlignment', 'ByteOffsetForSectorAlignment'],
  ['byteOffsetForPartitionAlignment', 'ByteOffsetForPartitionAlignment'],
] as const;
export const fileFsSectorSizeInformation = infoCodec<FileFsSectorSizeInformation>(
  FsInformationClass.FileFsSectorSizeInformation,
  'FileFsSectorSizeInformation',
  (w, v) => {
    for (const [key, field] of SECTOR_FIELDS) w.u32(v[key], field);
  },
  (r) => {
    const v: Record<string, number> = {};
    for (const [key, field] of SECTOR_FIELDS) v[key] = r.u32(field);
    return v as unknown as FileFsSectorSizeInformation;
  },
);

/** The file-system-information codecs by FsInformationClass. */
export const FS_INFO_CODECS: ReadonlyMap<number, InfoCodec<unknown>> = new Map(
  [
    fileFsVolumeInformation,
    fileFsSizeInformation,
    fileFsFullSizeInformation,
    fileFsDeviceInformation,
    fileFsAttributeInformation,
    fileFsSectorSizeInformation,
  ].map((c) => [c.infoClass, c as InfoCodec<unknown>]),
);
