/** Round-trips of every info class and of the four commands, with realistic values; chain and SD error cases. */
import { describe, expect, it } from 'vitest';
import {
  ChangeNotifyFlags,
  CompletionFilter,
  changeNotifyRequest,
  changeNotifyResponse,
  decodeFileNotifyInformation,
  encodeFileNotifyInformation,
  FileAction,
  fitFileNotifyInformation,
} from '../src/commands/change-notify.js';
import {
  QueryDirectoryFlags,
  queryDirectoryRequest,
  queryDirectoryResponse,
} from '../src/commands/query-directory.js';
import { InfoType, queryInfoRequest, queryInfoResponse } from '../src/commands/query-info.js';
import { setInfoRequest, setInfoResponse } from '../src/commands/set-info.js';
import type { FileId } from '../src/flags.js';
import {
  type DirectoryEntry,
  decodeDirectoryEntries,
  fileBothDirectoryInformation,
  fileDirectoryInformation,
  fileFullDirectoryInformation,
  fileIdBothDirectoryInformation,
  fileIdFullDirectoryInformation,
  fileNamesInformation,
  fitDirectoryEntries,
} from '../src/info/dir-info.js';
import {
  FILE_INFO_CODECS,
  FileDispositionFlags,
  FileInformationClass,
  fileAccessInformation,
  fileAlignmentInformation,
  fileAllInformation,
  fileAllocationInformation,
  fileAttributeTagInformation,
  fileBasicInformation,
  fileDispositionInformation,
  fileDispositionInformationEx,
  fileEaInformation,
  fileEndOfFileInformation,
  fileFullEaInformation,
  fileInternalInformation,
  fileModeInformation,
  fileNetworkOpenInformation,
  filePositionInformation,
  fileRenameInformation,
  fileStandardInformation,
  fileStreamInformation,
  type InfoCodec,
} from '../src/info/file-info.js';
import {
  dateToFiletime,
  FILETIME_UNIX_EPOCH,
  FileTime,
  filetimeToDate,
  filetimeToUnixNs,
  unixNsToFiletime,
} from '../src/info/filetime.js';
import {
  DeviceCharacteristics,
  DeviceType,
  FileSystemAttributes,
  FS_INFO_CODECS,
  FsInformationClass,
  fileFsAttributeInformation,
  fileFsDeviceInformation,
  fileFsFullSizeInformation,
  fileFsSectorSizeInformation,
  fileFsSizeInformation,
  fileFsVolumeInformation,
} from '../src/info/fs-info.js';
import {
  AceFlags,
  AceType,
  decodeSecurityDescriptor,
  encodeSecurityDescriptor,
  type SecurityDescriptor,
  SecurityDescriptorControl,
  SecurityInformation,
  selectSecurityDescriptor,
  sidFromBytes,
  sidToBytes,
} from '../src/info/security-descriptor.js';
import { SmbDecodeError, SmbEncodeError } from '../src/wire/errors.js';
import { decodeBody, encodeBody, fromHex, hex } from './info-helpers.js';

const T0 = dateToFiletime(new Date('2024-03-01T12:34:56.789Z'));
const fileId: FileId = { persistent: 0x0000000000000045n, volatile: 0x00000000ff001122n };

function same<T>(codec: InfoCodec<T>, value: T, size?: number): Uint8Array {
  const bytes = codec.encode(value);
  if (size !== undefined) expect(bytes.length).toBe(size);
  expect(codec.decode(bytes)).toEqual(value);
  return bytes;
}

describe('FILETIME', () => {
  it('converts Dates, Unix nanoseconds and the special values', () => {
    expect(dateToFiletime(new Date(0))).toBe(FILETIME_UNIX_EPOCH);
    expect(filetimeToDate(T0)?.toISOString()).toBe('2024-03-01T12:34:56.789Z');
    expect(filetimeToDate(FileTime.NOT_SET)).toBeUndefined();
    expect(filetimeToDate(FileTime.SUSPEND_UPDATES)).toBeUndefined();
    expect(unixNsToFiletime(1_700_000_000_123_456_789n)).toBe(133_444_736_001_234_567n);
    expect(filetimeToUnixNs(133_444_736_001_234_567n)).toBe(1_700_000_000_123_456_700n);
    expect(() => dateToFiletime(new Date(Date.UTC(1500, 0, 1)))).toThrow(RangeError);
  });

  it('keeps -1 and -2 through FileBasicInformation (SET_INFO semantics)', () => {
    const v = {
      creationTime: 0n,
      lastAccessTime: FileTime.SUSPEND_UPDATES,
      lastWriteTime: FileTime.RESUME_UPDATES,
      changeTime: T0,
      fileAttributes: 0,
    };
    const bytes = same(fileBasicInformation, v, 40);
    expect(hex(bytes.subarray(8, 24))).toBe('fffffffffffffffffeffffffffffffff');
  });
});

describe('file information classes', () => {
  it('round-trips the fixed-size classes with their MS-FSCC sizes', () => {
    const basic = {
      creationTime: T0,
      lastAccessTime: T0 + 10n,
      lastWriteTime: T0 + 20n,
      changeTime: T0 + 30n,
      fileAttributes: 0x20,
    };
    same(fileBasicInformation, basic, 40);
    // The 36-byte form (no Reserved) is accepted too.
    expect(fileBasicInformation.decode(fileBasicInformation.encode(basic).subarray(0, 36))).toEqual(basic);
    same(
      fileStandardInformation,
      {
        allocationSize: 1048576n,
        endOfFile: 1000000n,
        numberOfLinks: 1,
        deletePending: false,
        directory: false,
      },
      24,
    );
    same(fileInternalInformation, { indexNumber: 0x000300000000a1b2n }, 8);
    same(fileEaInformation, { eaSize: 0 }, 4);
    same(fileAccessInformation, { accessFlags: 0x001f01ff }, 4);
    same(filePositionInformation, { currentByteOffset: 4096n }, 8);
    same(fileModeInformation, { mode: 0x20 }, 4);
    same(fileAlignmentInformation, { alignmentRequirement: 0 }, 4);
    same(
      fileNetworkOpenInformation,
      {
        creationTime: T0,
        lastAccessTime: T0,
        lastWriteTime: T0,
        changeTime: T0,
        allocationSize: 8192n,
        endOfFile: 5000n,
        fileAttributes: 0x80,
      },
      56,
    );
    same(fileAttributeTagInformation, { fileAttributes: 0x400, reparseTag: 0xa000000c }, 8);
    expect(hex(same(fileDispositionInformation, { deletePending: true }, 1))).toBe('01');
    same(
      fileDispositionInformationEx,
      { flags: FileDispositionFlags.DELETE | FileDispositionFlags.POSIX_SEMANTICS },
      4,
    );
    same(fileEndOfFileInformation, { endOfFile: 0x1_0000_0000n }, 8);
    same(fileAllocationInformation, { allocationSize: 0n }, 8);
  });

  it('FileAllInformation is the parts back to back and the name', () => {
    const v = {
      basic: {
        creationTime: T0,
        lastAccessTime: T0,
        lastWriteTime: T0,
        changeTime: T0,
        fileAttributes: 0x10,
      },
      standard: {
        allocationSize: 0n,
        endOfFile: 0n,
        numberOfLinks: 1,
        deletePending: false,
        directory: true,
      },
      internal: { indexNumber: 5n },
      ea: { eaSize: 0 },
      access: { accessFlags: 0x00100081 },
      position: { currentByteOffset: 0n },
      mode: { mode: 0 },
      alignment: { alignmentRequirement: 0 },
      name: { fileName: '\\dir\\sub' },
    };
    same(fileAllInformation, v, 100 + 16);
    // A name length past the end is a decode error naming the field.
    const bad = fileAllInformation.encode(v);
    new DataView(bad.buffer).setUint32(96, 200, true);
    expect(() => fileAllInformation.decode(bad)).toThrow(/FileAllInformation\.FileName/);
  });

  it('FileRenameInformation (SMB2 form: 8-byte RootDirectory)', () => {
    const bytes = same(fileRenameInformation, {
      replaceIfExists: true,
      rootDirectory: 0n,
      fileName: 'dir\\new name.txt',
    });
    expect(bytes.length).toBe(20 + 32);
    expect(hex(bytes.subarray(0, 20))).toBe(`01${'00'.repeat(7)}${'00'.repeat(8)}20000000`);
  });

  it('FileStreamInformation: the unnamed and a named stream, 8-byte aligned', () => {
    const list = [
      { streamName: '::$DATA', streamSize: 1234n, streamAllocationSize: 4096n },
      { streamName: ':Zone.Identifier:$DATA', streamSize: 26n, streamAllocationSize: 32n },
    ];
    const bytes = same(fileStreamInformation, list);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(40); // 24 + 14 -> 38, padded to 40
    expect(fileStreamInformation.decode(new Uint8Array(0))).toEqual([]);
  });

  it('FileFullEaInformation: NUL-terminated names, 4-byte aligned', () => {
    const list = [
      { flags: 0, name: 'user.comment', value: new TextEncoder().encode('hi') },
      { flags: 0x80, name: 'X', value: new Uint8Array([1, 2, 3]) },
    ];
    const bytes = same(fileFullEaInformation, list);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(24); // 8 + 12 + 1 + 2 = 23 -> 24
    const noNul = bytes.slice();
    noNul[8 + 12] = 0x41;
    expect(() => fileFullEaInformation.decode(noNul)).toThrow(SmbDecodeError);
  });

  it('has a codec per class in FILE_INFO_CODECS', () => {
    expect(FILE_INFO_CODECS.get(FileInformationClass.FileAllInformation)).toBe(fileAllInformation);
    expect(FILE_INFO_CODECS.get(FileInformationClass.FileRenameInformation)).toBe(fileRenameInformation);
    expect(FILE_INFO_CODECS.size).toBeGreaterThanOrEqual(20);
  });

  it('rejects truncated fixed-size structures with SmbDecodeError', () => {
    expect(() => fileStandardInformation.decode(new Uint8Array(10))).toThrow(SmbDecodeError);
    expect(() => fileNetworkOpenInformation.decode(new Uint8Array(52))).toThrow(
      /FileNetworkOpenInformation\.Reserved/,
    );
  });
});

const entries: DirectoryEntry[] = [
  {
    fileIndex: 0,
    creationTime: T0,
    lastAccessTime: T0 + 1n,
    lastWriteTime: T0 + 2n,
    changeTime: T0 + 3n,
    endOfFile: 0n,
    allocationSize: 0n,
    fileAttributes: 0x10,
    eaSize: 0,
    shortName: '',
    fileId: 0x1000n,
    fileName: '.',
  },
  {
    fileIndex: 0,
    creationTime: T0,
    lastAccessTime: T0,
    lastWriteTime: T0,
    changeTime: T0,
    endOfFile: 123456789n,
    allocationSize: 123457536n,
    fileAttributes: 0x20,
    eaSize: 0,
    shortName: 'REPORT~1.PDF',
    fileId: 0x1001n,
    fileName: 'Quarterly report 2024.pdf',
  },
  {
    fileIndex: 7,
    creationTime: T0,
    lastAccessTime: T0,
    lastWriteTime: T0,
    changeTime: T0,
    endOfFile: 5n,
    allocationSize: 8n,
    fileAttributes: 0x22,
    eaSize: 12,
    shortName: 'A.TXT',
    fileId: 0x1002n,
    fileName: 'ü.txt',
  },
];

describe('directory information classes', () => {
  const pick = <K extends keyof DirectoryEntry>(keys: readonly K[]) =>
    entries.map((e) => Object.fromEntries(keys.map((k) => [k, e[k]])) as Pick<DirectoryEntry, K>);
  const names = ['fileIndex', 'fileName'] as const;
  const dir = [
    ...names,
    'creationTime',
    'lastAccessTime',
    'lastWriteTime',
    'changeTime',
    'endOfFile',
    'allocationSize',
    'fileAttributes',
  ] as const;
  const cases = [
    [fileNamesInformation, pick(names), 12],
    [fileDirectoryInformation, pick(dir), 64],
    [fileFullDirectoryInformation, pick([...dir, 'eaSize']), 68],
    [fileBothDirectoryInformation, pick([...dir, 'eaSize', 'shortName']), 94],
    [fileIdFullDirectoryInformation, pick([...dir, 'eaSize', 'fileId']), 80],
    [fileIdBothDirectoryInformation, entries, 104],
  ] as const;

  for (const [codec, expected, fixed] of cases) {
    it(`${codec.name}: 8-byte aligned chain, last entry unpadded`, () => {
      // A server encodes from the full entries; the client decodes the class's fields.
      const bytes = (codec.encode as (e: readonly DirectoryEntry[]) => Uint8Array)(entries);
      expect(decodeDirectoryEntries(codec.infoClass, bytes)).toEqual(expected);
      const view = new DataView(bytes.buffer);
      const first = view.getUint32(0, true);
      expect(first % 8).toBe(0);
      expect(first).toBe(Math.ceil((fixed + 2) / 8) * 8);
      const second = view.getUint32(first, true);
      expect(first + second + fixed + 2 * 'ü.txt'.length).toBe(bytes.length);
    });
  }

  it('fits as many entries as OutputBufferLength allows', () => {
    const all = fitDirectoryEntries(FileInformationClass.FileIdBothDirectoryInformation, entries, 65536);
    expect(all.count).toBe(3);
    expect(hex(all.bytes)).toBe(hex(fileIdBothDirectoryInformation.encode(entries)));
    const one = fitDirectoryEntries(FileInformationClass.FileIdBothDirectoryInformation, entries, 160);
    expect(one.count).toBe(1);
    expect(one.bytes.length).toBe(106);
    expect(fileIdBothDirectoryInformation.decode(one.bytes)).toEqual([entries[0]]);
    // 112 (padded '.') + 104 + 50: fits only with the exact length.
    expect(fitDirectoryEntries(FileInformationClass.FileIdBothDirectoryInformation, entries, 266).count).toBe(
      2,
    );
    expect(fitDirectoryEntries(FileInformationClass.FileIdBothDirectoryInformation, entries, 265).count).toBe(
      1,
    );
    expect(fitDirectoryEntries(FileInformationClass.FileIdBothDirectoryInformation, entries, 50).count).toBe(
      0,
    );
    expect(fitDirectoryEntries(FileInformationClass.FileNamesInformation, entries, 65536, 1).count).toBe(1);
    expect(() => fitDirectoryEntries(99, entries, 100)).toThrow(RangeError);
  });

  it('rejects a chain that leaves the buffer, overlaps or is truncated', () => {
    const bytes = fileIdBothDirectoryInformation.encode(entries);
    const view = (b: Uint8Array) => new DataView(b.buffer);
    const outside = bytes.slice();
    view(outside).setUint32(0, bytes.length, true);
    expect(() => fileIdBothDirectoryInformation.decode(outside)).toThrow(/NextEntryOffset/);
    const overlap = bytes.slice();
    view(overlap).setUint32(0, 8, true); // the next "entry" starts inside this one
    expect(() => fileIdBothDirectoryInformation.decode(overlap)).toThrow(SmbDecodeError);
    expect(() => fileIdBothDirectoryInformation.decode(bytes.subarray(0, bytes.length - 1))).toThrow(
      SmbDecodeError,
    );
    const odd = fileNamesInformation.encode([{ fileIndex: 0, fileName: 'ab' }]);
    view(odd).setUint32(8, 3, true);
    expect(() => fileNamesInformation.decode(odd)).toThrow(/FileName/);
    const shortName = fileBothDirectoryInformation.encode(entries);
    shortName[68] = 26;
    expect(() => fileBothDirectoryInformation.decode(shortName)).toThrow(/ShortNameLength/);
    expect(() =>
      fileBothDirectoryInformation.encode([{ ...entries[1]!, shortName: 'THIRTEEN.CHRS' }]),
    ).toThrow(SmbEncodeError);
  });
});

describe('file system information classes', () => {
  it('round-trips with their MS-FSCC sizes', () => {
    same(
      fileFsVolumeInformation,
      { volumeCreationTime: T0, volumeSerialNumber: 0x9c3e5a1f, supportsObjects: false, volumeLabel: 'Data' },
      18 + 8,
    );
    same(
      fileFsSizeInformation,
      {
        totalAllocationUnits: 26214144n,
        availableAllocationUnits: 1234567n,
        sectorsPerAllocationUnit: 8,
        bytesPerSector: 512,
      },
      24,
    );
    same(
      fileFsFullSizeInformation,
      {
        totalAllocationUnits: 26214144n,
        callerAvailableAllocationUnits: 1000n,
        actualAvailableAllocationUnits: 2000n,
        sectorsPerAllocationUnit: 8,
        bytesPerSector: 512,
      },
      32,
    );
    same(
      fileFsDeviceInformation,
      {
        deviceType: DeviceType.FILE_DEVICE_DISK,
        characteristics: DeviceCharacteristics.FILE_DEVICE_IS_MOUNTED,
      },
      8,
    );
    const ntfs = FileSystemAttributes;
    same(
      fileFsAttributeInformation,
      {
        fileSystemAttributes:
          ntfs.FILE_CASE_SENSITIVE_SEARCH |
          ntfs.FILE_CASE_PRESERVED_NAMES |
          ntfs.FILE_UNICODE_ON_DISK |
          ntfs.FILE_PERSISTENT_ACLS |
          ntfs.FILE_NAMED_STREAMS,
        maximumComponentNameLength: 255,
        fileSystemName: 'NTFS',
      },
      20,
    );
    same(
      fileFsSectorSizeInformation,
      {
        logicalBytesPerSector: 512,
        physicalBytesPerSectorForAtomicity: 4096,
        physicalBytesPerSectorForPerformance: 4096,
        fileSystemEffectivePhysicalBytesPerSectorForAtomicity: 4096,
        flags: 0x3,
        byteOffsetForSectorAlignment: 0,
        byteOffsetForPartitionAlignment: 0,
      },
      28,
    );
    expect(FS_INFO_CODECS.get(FsInformationClass.FileFsAttributeInformation)).toBe(
      fileFsAttributeInformation,
    );
  });
});

describe('security descriptor', () => {
  // MS-DTYP §2.5.1.4: "O:BAG:BAD:P(A;CIOI;GRGX;;;BU)(A;CIOI;GA;;;BA)(A;CIOI;GA;;;SY)(A;CIOI;GA;;;CO)S:P(AU;FA;GR;;;WD)"
  const DTYP_EXAMPLE = fromHex(`
    01 00 14 b0 90 00 00 00 a0 00 00 00 14 00 00 00 30 00 00 00 02 00 1c 00 01 00 00 00 02 80 14 00
    00 00 00 80 01 01 00 00 00 00 00 01 00 00 00 00 02 00 60 00 04 00 00 00 00 03 18 00 00 00 00 a0
    01 02 00 00 00 00 00 05 20 00 00 00 21 02 00 00 00 03 18 00 00 00 00 10 01 02 00 00 00 00 00 05
    20 00 00 00 20 02 00 00 00 03 14 00 00 00 00 10 01 01 00 00 00 00 00 05 12 00 00 00 00 03 14 00
    00 00 00 10 01 01 00 00 00 00 00 03 00 00 00 00 01 02 00 00 00 00 00 05 20 00 00 00 20 02 00 00
    01 02 00 00 00 00 00 05 20 00 00 00 20 02 00 00`);

  it('decodes and re-encodes the MS-DTYP §2.5.1.4 example byte for byte', () => {
    const sd = decodeSecurityDescriptor(DTYP_EXAMPLE);
    const ci = AceFlags.OBJECT_INHERIT | AceFlags.CONTAINER_INHERIT;
    expect(sd).toEqual({
      control: 0xb014,
      owner: 'S-1-5-32-544',
      group: 'S-1-5-32-544',
      sacl: {
        revision: 2,
        aces: [
          { type: AceType.SYSTEM_AUDIT, flags: AceFlags.FAILED_ACCESS, mask: 0x80000000, sid: 'S-1-1-0' },
        ],
      },
      dacl: {
        revision: 2,
        aces: [
          { type: AceType.ACCESS_ALLOWED, flags: ci, mask: 0xa0000000, sid: 'S-1-5-32-545' },
          { type: AceType.ACCESS_ALLOWED, flags: ci, mask: 0x10000000, sid: 'S-1-5-32-544' },
          { type: AceType.ACCESS_ALLOWED, flags: ci, mask: 0x10000000, sid: 'S-1-5-18' },
          { type: AceType.ACCESS_ALLOWED, flags: ci, mask: 0x10000000, sid: 'S-1-3-0' },
        ],
      },
    });
    expect(hex(encodeSecurityDescriptor(sd))).toBe(hex(DTYP_EXAMPLE));
  });

  it('answers an OWNER|GROUP|DACL query for a file owned by a domain user', () => {
    const user = 'S-1-5-21-3623811015-3361044348-30300820-1013';
    const sd: SecurityDescriptor = {
      control: SecurityDescriptorControl.SELF_RELATIVE | SecurityDescriptorControl.DACL_PRESENT,
      owner: user,
      group: 'S-1-5-21-3623811015-3361044348-30300820-513',
      dacl: {
        revision: 2,
        aces: [
          { type: AceType.ACCESS_DENIED, flags: 0, mask: 0x00000002, sid: 'S-1-5-7' },
          { type: AceType.ACCESS_ALLOWED, flags: 0, mask: 0x001f01ff, sid: user },
          { type: AceType.ACCESS_ALLOWED, flags: 0, mask: 0x001200a9, sid: 'S-1-1-0' },
        ],
      },
      sacl: { revision: 2, aces: [] },
    };
    const q = SecurityInformation.OWNER | SecurityInformation.GROUP | SecurityInformation.DACL;
    const selected = selectSecurityDescriptor(
      { ...sd, control: sd.control | SecurityDescriptorControl.SACL_PRESENT },
      q,
    );
    expect(selected.sacl).toBeUndefined();
    const bytes = encodeSecurityDescriptor(selected);
    expect(decodeSecurityDescriptor(bytes)).toEqual({
      control: sd.control,
      owner: sd.owner,
      group: sd.group,
      dacl: sd.dacl,
    });
    // Only the owner: no DACL_PRESENT, offsets of the rest 0.
    const ownerOnly = encodeSecurityDescriptor(selectSecurityDescriptor(sd, SecurityInformation.OWNER));
    expect(hex(ownerOnly.subarray(0, 20))).toBe(`01000080140000000000000000000000${'00000000'}`);
    expect(decodeSecurityDescriptor(ownerOnly)).toEqual({ control: 0x8000, owner: user });
  });

  it('converts SIDs between text and bytes', () => {
    const sid = 'S-1-5-21-3623811015-3361044348-30300820-1013';
    const bytes = sidToBytes(sid);
    expect(hex(bytes.subarray(0, 8))).toBe('0105000000000005');
    expect(bytes.length).toBe(8 + 5 * 4);
    expect(sidFromBytes(bytes)).toBe(sid);
    expect(sidFromBytes(sidToBytes('S-1-0x123456789ABC-1'))).toBe('S-1-0x123456789ABC-1');
    expect(sidFromBytes(sidToBytes('S-1-4294967295'))).toBe('S-1-4294967295');
    for (const bad of [
      'S-1',
      'X-1-5',
      'S-2-5-1',
      'S-1-5-4294967296',
      'S-1-281474976710656',
      `S-1-5${'-1'.repeat(16)}`,
      'S-1-5-a',
    ]) {
      expect(() => sidToBytes(bad), bad).toThrow(SmbEncodeError);
    }
    expect(() => sidFromBytes(fromHex('0102000000000005200000'))).toThrow(SmbDecodeError);
  });

  it('keeps unknown ACE types as raw bodies and rejects bad sizes', () => {
    const sd: SecurityDescriptor = {
      control: 0x8004,
      dacl: {
        revision: 4,
        aces: [{ type: AceType.ACCESS_ALLOWED_OBJECT, flags: 0, body: new Uint8Array(12).fill(7) }],
      },
    };
    expect(decodeSecurityDescriptor(encodeSecurityDescriptor(sd))).toEqual(sd);
    const bytes = encodeSecurityDescriptor(sd);
    bytes[20 + 8 + 2] = 0xff; // AceSize past the ACL
    expect(() => decodeSecurityDescriptor(bytes)).toThrow(/Dacl\.Ace\[0\]\.AceSize/);
    const badOffset = encodeSecurityDescriptor(sd);
    badOffset[16] = 0xf0;
    expect(() => decodeSecurityDescriptor(badOffset)).toThrow(SmbDecodeError);
  });
});

describe('command bodies', () => {
  it('QUERY_DIRECTORY request and response', () => {
    const req = {
      fileInformationClass: FileInformationClass.FileIdBothDirectoryInformation,
      flags: QueryDirectoryFlags.RESTART_SCANS | QueryDirectoryFlags.RETURN_SINGLE_ENTRY,
      fileIndex: 0,
      fileId,
      fileName: '*.txt',
      outputBufferLength: 65536,
    };
    const body = encodeBody(queryDirectoryRequest, req);
    expect(body.length).toBe(32 + 10);
    expect(new DataView(body.buffer).getUint16(24, true)).toBe(96);
    expect(decodeBody(queryDirectoryRequest, body)).toEqual(req);
    const empty = encodeBody(queryDirectoryRequest, { ...req, fileName: '' });
    expect(empty.length).toBe(33);
    expect(decodeBody(queryDirectoryRequest, empty).fileName).toBe('');
    const out = fileIdBothDirectoryInformation.encode(entries);
    const resp = encodeBody(queryDirectoryResponse, { outputBuffer: out });
    expect(hex(resp.subarray(0, 8))).toBe(`09004800${hex(Uint8Array.of(out.length, out.length >> 8, 0, 0))}`);
    expect(decodeBody(queryDirectoryResponse, resp)).toEqual({ outputBuffer: out });
  });

  it('CHANGE_NOTIFY request and response with FILE_NOTIFY_INFORMATION', () => {
    const req = {
      flags: ChangeNotifyFlags.WATCH_TREE,
      outputBufferLength: 4096,
      fileId,
      completionFilter: CompletionFilter.FILE_NAME | CompletionFilter.DIR_NAME | CompletionFilter.LAST_WRITE,
    };
    const body = encodeBody(changeNotifyRequest, req);
    expect(body.length).toBe(32);
    expect(decodeBody(changeNotifyRequest, body)).toEqual(req);
    const changes = [
      { action: FileAction.RENAMED_OLD_NAME, fileName: 'old.txt' },
      { action: FileAction.RENAMED_NEW_NAME, fileName: 'sub\\new.txt' },
      { action: FileAction.ADDED, fileName: 'a' },
    ];
    const list = encodeFileNotifyInformation(changes);
    expect(new DataView(list.buffer).getUint32(0, true)).toBe(28); // 12 + 14 -> 28
    expect(decodeFileNotifyInformation(list)).toEqual(changes);
    expect(fitFileNotifyInformation(changes, 62).count).toBe(2);
    expect(fitFileNotifyInformation(changes, 61).count).toBe(1);
    const resp = encodeBody(changeNotifyResponse, { changes });
    expect(decodeBody(changeNotifyResponse, resp)).toEqual({ changes });
    expect(decodeBody(changeNotifyResponse, encodeBody(changeNotifyResponse, { changes: [] }))).toEqual({
      changes: [],
    });
    const bad = resp.slice();
    new DataView(bad.buffer).setUint32(8, 0x1000, true);
    expect(() => decodeBody(changeNotifyResponse, bad)).toThrow(
      /CHANGE_NOTIFY Response\.FILE_NOTIFY_INFORMATION\[0\]\.NextEntryOffset at offset 72/,
    );
  });

  it('QUERY_INFO request (with an input buffer) and response', () => {
    const req = {
      infoType: InfoType.SECURITY,
      fileInfoClass: 0,
      outputBufferLength: 4096,
      inputBuffer: new Uint8Array(0),
      additionalInformation: SecurityInformation.OWNER | SecurityInformation.GROUP | SecurityInformation.DACL,
      flags: 0,
      fileId,
    };
    const body = encodeBody(queryInfoRequest, req);
    expect(body.length).toBe(41);
    expect(decodeBody(queryInfoRequest, body)).toEqual(req);
    const ea = {
      ...req,
      infoType: InfoType.FILE,
      fileInfoClass: FileInformationClass.FileFullEaInformation,
      inputBuffer: fromHex('00000000 04 61626364 00'),
      additionalInformation: 0,
      flags: 1,
    };
    const eaBody = encodeBody(queryInfoRequest, ea);
    expect(new DataView(eaBody.buffer).getUint16(8, true)).toBe(104);
    expect(decodeBody(queryInfoRequest, eaBody)).toEqual(ea);
    const out = encodeSecurityDescriptor({ control: 0x8000, owner: 'S-1-5-18' });
    expect(decodeBody(queryInfoResponse, encodeBody(queryInfoResponse, { outputBuffer: out }))).toEqual({
      outputBuffer: out,
    });
  });

  it('SET_INFO request (rename, delete-on-close, basic) and response', () => {
    for (const [cls, buffer] of [
      [
        FileInformationClass.FileRenameInformation,
        fileRenameInformation.encode({ replaceIfExists: false, rootDirectory: 0n, fileName: 'b.txt' }),
      ],
      [
        FileInformationClass.FileDispositionInformation,
        fileDispositionInformation.encode({ deletePending: true }),
      ],
      [FileInformationClass.FileEndOfFileInformation, fileEndOfFileInformation.encode({ endOfFile: 0n })],
    ] as const) {
      const req = { infoType: InfoType.FILE, fileInfoClass: cls, buffer, additionalInformation: 0, fileId };
      const body = encodeBody(setInfoRequest, req);
      expect(new DataView(body.buffer).getUint16(8, true)).toBe(96);
      expect(body.length).toBe(32 + buffer.length);
      expect(decodeBody(setInfoRequest, body)).toEqual(req);
    }
    expect(hex(encodeBody(setInfoResponse, {}))).toBe('0200');
    expect(decodeBody(setInfoResponse, fromHex('0200'))).toEqual({});
    expect(() => decodeBody(setInfoResponse, fromHex('0400'))).toThrow(/SET_INFO Response\.StructureSize/);
  });

  it('rejects buffers outside the message', () => {
    const body = encodeBody(queryInfoResponse, { outputBuffer: new Uint8Array(16) });
    new DataView(body.buffer).setUint32(4, 17, true);
    expect(() => decodeBody(queryInfoResponse, body)).toThrow(/QUERY_INFO Response\.OutputBuffer/);
    const req = encodeBody(setInfoRequest, {
      infoType: 1,
      fileInfoClass: 4,
      buffer: new Uint8Array(40),
      additionalInformation: 0,
      fileId,
    });
    new DataView(req.buffer).setUint16(8, 100, true);
    expect(() => decodeBody(setInfoRequest, req)).toThrow(SmbDecodeError);
  });
});
