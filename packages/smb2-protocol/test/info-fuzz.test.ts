/**
 * fast-check properties for the QUERY_DIRECTORY, CHANGE_NOTIFY, QUERY_INFO and SET_INFO codecs
 * and every info class: valid values round-trip; random and mutated bytes decode to a value or
 * an SmbDecodeError, never anything else and never a hang. 10 000+ malformed cases per command.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import {
  changeNotifyRequest,
  changeNotifyResponse,
  decodeFileNotifyInformation,
  encodeFileNotifyInformation,
} from '../src/commands/change-notify.js';
import { queryDirectoryRequest, queryDirectoryResponse } from '../src/commands/query-directory.js';
import { queryInfoRequest, queryInfoResponse } from '../src/commands/query-info.js';
import { setInfoRequest, setInfoResponse } from '../src/commands/set-info.js';
import {
  type DirectoryEntry,
  fileBothDirectoryInformation,
  fileDirectoryInformation,
  fileFullDirectoryInformation,
  fileIdBothDirectoryInformation,
  fileIdFullDirectoryInformation,
  fileNamesInformation,
} from '../src/info/dir-info.js';
import * as F from '../src/info/file-info.js';
import * as S from '../src/info/fs-info.js';
import {
  decodeSecurityDescriptor,
  encodeSecurityDescriptor,
  type SecurityDescriptor,
} from '../src/info/security-descriptor.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { decodeBody, encodeBody } from './info-helpers.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const text = fc.string({ unit: 'binary', maxLength: 24 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const fileId = fc.record({ persistent: u64, volatile: u64 });

/** Decoding either returns or throws SmbDecodeError. */
function safely(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!(e instanceof SmbDecodeError)) throw e;
  }
}

/** Valid encodings with some bytes overwritten, then maybe truncated or extended. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: -8, max: 8 }),
    )
    .map(([b, edits, resize]) => {
      const out = new Uint8Array(
        Math.max(0, b.length + (resize > 4 ? resize - 4 : resize < -4 ? resize + 4 : 0)),
      );
      out.set(b.subarray(0, out.length));
      for (const [at, v] of edits) if (out.length > 0) out[at % out.length] = v;
      return out;
    });
}

const RUNS = 2500;

function commandProperties<T>(
  codec: BodyCodec<T>,
  value: fc.Arbitrary<T>,
  normalize: (v: T) => unknown = (v) => v,
): void {
  describe(codec.name, () => {
    it('round-trips valid values', () => {
      fc.assert(
        fc.property(value, (v) => {
          expect(normalize(decodeBody(codec, encodeBody(codec, v)))).toEqual(normalize(v));
        }),
        { numRuns: 500 },
      );
    });
    it('random bodies: a value or SmbDecodeError', () => {
      fc.assert(
        fc.property(bytes(200), (b) => safely(() => decodeBody(codec, b))),
        { numRuns: RUNS },
      );
    });
    it('mutated bodies: a value or SmbDecodeError', () => {
      const valid = value.map((v) => encodeBody(codec, v));
      fc.assert(
        fc.property(mutated(valid), (b) => safely(() => decodeBody(codec, b))),
        { numRuns: RUNS },
      );
    });
  });
}

commandProperties(
  queryDirectoryRequest,
  fc.record({
    fileInformationClass: u8,
    flags: u8,
    fileIndex: u32,
    fileId,
    fileName: text,
    outputBufferLength: u32,
  }),
);
const outputBuffer = fc.record({ outputBuffer: bytes(80) });
commandProperties(queryDirectoryResponse, outputBuffer);
const notify = fc.array(fc.record({ action: u32, fileName: text }), { maxLength: 5 });
commandProperties(
  changeNotifyRequest,
  fc.record({ flags: u16, outputBufferLength: u32, fileId, completionFilter: u32 }),
);
commandProperties(changeNotifyResponse, fc.record({ changes: notify }));
commandProperties(
  queryInfoRequest,
  fc.record({
    infoType: u8,
    fileInfoClass: u8,
    outputBufferLength: u32,
    inputBuffer: bytes(40),
    additionalInformation: u32,
    flags: u32,
    fileId,
  }),
);
commandProperties(queryInfoResponse, outputBuffer);
commandProperties(
  setInfoRequest,
  fc.record({ infoType: u8, fileInfoClass: u8, buffer: bytes(80), additionalInformation: u32, fileId }),
);
commandProperties(setInfoResponse, fc.constant({}));

// ---------------------------------------------------------------------------------------------
// Info classes

interface Codec<T> {
  readonly name: string;
  encode(v: T): Uint8Array;
  decode(b: Uint8Array): unknown;
}

function infoProperties<T>(codec: Codec<T>, value: fc.Arbitrary<T>, exact = true): void {
  describe(codec.name, () => {
    it('round-trips valid values; random and mutated bytes give a value or SmbDecodeError', () => {
      fc.assert(
        fc.property(value, (v) => {
          const b = codec.encode(v);
          const back = codec.decode(b);
          if (exact) expect(back).toEqual(v);
          // Byte-exact: what decodes re-encodes to the same bytes.
          expect(codec.encode(back as T)).toEqual(b);
        }),
        { numRuns: 200 },
      );
      fc.assert(
        fc.property(bytes(160), (b) => safely(() => codec.decode(b))),
        { numRuns: 400 },
      );
      fc.assert(
        fc.property(mutated(value.map((v) => codec.encode(v))), (b) => safely(() => codec.decode(b))),
        { numRuns: 400 },
      );
    });
  });
}

const bool = fc.boolean();
const basic = fc.record({
  creationTime: i64,
  lastAccessTime: i64,
  lastWriteTime: i64,
  changeTime: i64,
  fileAttributes: u32,
});
const standard = fc.record({
  allocationSize: u64,
  endOfFile: u64,
  numberOfLinks: u32,
  deletePending: bool,
  directory: bool,
});
infoProperties(F.fileBasicInformation, basic);
infoProperties(F.fileStandardInformation, standard);
infoProperties(F.fileInternalInformation, fc.record({ indexNumber: u64 }));
infoProperties(F.fileEaInformation, fc.record({ eaSize: u32 }));
infoProperties(F.fileAccessInformation, fc.record({ accessFlags: u32 }));
infoProperties(F.filePositionInformation, fc.record({ currentByteOffset: u64 }));
infoProperties(F.fileModeInformation, fc.record({ mode: u32 }));
infoProperties(F.fileAlignmentInformation, fc.record({ alignmentRequirement: u32 }));
infoProperties(F.fileNameInformation, fc.record({ fileName: text }));
infoProperties(
  F.fileAllInformation,
  fc.record({
    basic,
    standard,
    internal: fc.record({ indexNumber: u64 }),
    ea: fc.record({ eaSize: u32 }),
    access: fc.record({ accessFlags: u32 }),
    position: fc.record({ currentByteOffset: u64 }),
    mode: fc.record({ mode: u32 }),
    alignment: fc.record({ alignmentRequirement: u32 }),
    name: fc.record({ fileName: text }),
  }),
);
infoProperties(
  F.fileNetworkOpenInformation,
  fc.record({
    creationTime: i64,
    lastAccessTime: i64,
    lastWriteTime: i64,
    changeTime: i64,
    allocationSize: u64,
    endOfFile: u64,
    fileAttributes: u32,
  }),
);
infoProperties(F.fileAttributeTagInformation, fc.record({ fileAttributes: u32, reparseTag: u32 }));
infoProperties(
  F.fileStreamInformation,
  fc.array(fc.record({ streamName: text, streamSize: u64, streamAllocationSize: u64 }), { maxLength: 4 }),
);
infoProperties(
  F.fileRenameInformation,
  fc.record({ replaceIfExists: bool, rootDirectory: u64, fileName: text }),
);
infoProperties(
  F.fileLinkInformation,
  fc.record({ replaceIfExists: bool, rootDirectory: u64, fileName: text }),
);
infoProperties(F.fileDispositionInformation, fc.record({ deletePending: bool }));
infoProperties(F.fileDispositionInformationEx, fc.record({ flags: u32 }));
infoProperties(F.fileEndOfFileInformation, fc.record({ endOfFile: u64 }));
infoProperties(F.fileAllocationInformation, fc.record({ allocationSize: u64 }));
const eaName = fc.string({
  unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 20,
});
infoProperties(
  F.fileFullEaInformation,
  fc.array(fc.record({ flags: u8, name: eaName, value: bytes(30) }), { maxLength: 4 }),
);

const entry = fc.record({
  fileIndex: u32,
  creationTime: i64,
  lastAccessTime: i64,
  lastWriteTime: i64,
  changeTime: i64,
  endOfFile: u64,
  allocationSize: u64,
  fileAttributes: u32,
  eaSize: u32,
  shortName: fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s.length <= 12),
  fileId: u64,
  fileName: text,
});
const entryList = fc.array(entry, { maxLength: 4 });
infoProperties(fileIdBothDirectoryInformation, entryList);
for (const c of [
  fileDirectoryInformation,
  fileFullDirectoryInformation,
  fileBothDirectoryInformation,
  fileIdFullDirectoryInformation,
  fileNamesInformation,
]) {
  infoProperties(c as unknown as Codec<readonly DirectoryEntry[]>, entryList, false);
}
infoProperties(
  {
    name: 'FILE_NOTIFY_INFORMATION',
    encode: encodeFileNotifyInformation,
    decode: decodeFileNotifyInformation,
  },
  notify,
);

infoProperties(
  S.fileFsVolumeInformation,
  fc.record({ volumeCreationTime: i64, volumeSerialNumber: u32, supportsObjects: bool, volumeLabel: text }),
);
infoProperties(
  S.fileFsSizeInformation,
  fc.record({
    totalAllocationUnits: u64,
    availableAllocationUnits: u64,
    sectorsPerAllocationUnit: u32,
    bytesPerSector: u32,
  }),
);
infoProperties(
  S.fileFsFullSizeInformation,
  fc.record({
    totalAllocationUnits: u64,
    callerAvailableAllocationUnits: u64,
    actualAvailableAllocationUnits: u64,
    sectorsPerAllocationUnit: u32,
    bytesPerSector: u32,
  }),
);
infoProperties(S.fileFsDeviceInformation, fc.record({ deviceType: u32, characteristics: u32 }));
infoProperties(
  S.fileFsAttributeInformation,
  fc.record({ fileSystemAttributes: u32, maximumComponentNameLength: u32, fileSystemName: text }),
);
infoProperties(
  S.fileFsSectorSizeInformation,
  fc.record({
    logicalBytesPerSector: u32,
    physicalBytesPerSectorForAtomicity: u32,
    physicalBytesPerSectorForPerformance: u32,
    fileSystemEffectivePhysicalBytesPerSectorForAtomicity: u32,
    flags: u32,
    byteOffsetForSectorAlignment: u32,
    byteOffsetForPartitionAlignment: u32,
  }),
);

const sid = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), fc.array(u32, { maxLength: 15 }))
  .map(
    ([auth, subs]) =>
      `S-1-${auth < 1n << 32n ? auth : `0x${auth.toString(16).toUpperCase().padStart(12, '0')}`}${subs.map((s) => `-${s}`).join('')}`,
  );
const ace = fc.oneof(
  fc.record({ type: fc.constantFrom(0, 1, 2, 3, 0x11), flags: u8, mask: u32, sid }),
  fc.record({
    type: fc.constantFrom(5, 6, 7, 9, 0x12),
    flags: u8,
    body: fc.integer({ min: 0, max: 10 }).chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n })),
  }),
);
const acl = fc.record({ revision: fc.constantFrom(2, 4), aces: fc.array(ace, { maxLength: 4 }) });
const sd = fc
  .record({ control: u16, owner: sid, group: sid, sacl: acl, dacl: acl }, { requiredKeys: ['control'] })
  .map(
    (v) =>
      ({ ...v, control: v.control | 0x8000 | (v.dacl ? 4 : 0) | (v.sacl ? 0x10 : 0) }) as SecurityDescriptor,
  );
infoProperties(
  { name: 'SECURITY_DESCRIPTOR', encode: encodeSecurityDescriptor, decode: decodeSecurityDescriptor },
  sd,
);
