/** FSCTL payload codecs of the sparse-file and compression controls (MS-FSCC §2.3). */
import { describe, expect, it } from 'vitest';
import {
  ALLOCATED_RANGE_SIZE,
  allocatedRangeQuery,
  allocatedRanges,
  CompressionFormat,
  compressionState,
  fileZeroDataInformation,
} from '../src/commands/fsctl.js';
import { SmbDecodeError } from '../src/wire/errors.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('FSCTL_SET_ZERO_DATA', () => {
  it('round-trips FILE_ZERO_DATA_INFORMATION (two little-endian 64-bit values)', () => {
    const v = { fileOffset: 0x1000n, beyondFinalZero: 0x2000n };
    const b = fileZeroDataInformation.encode(v);
    expect(hex(b)).toBe('00100000000000000020000000000000');
    expect(fileZeroDataInformation.decode(b)).toEqual(v);
  });
  it('refuses a short buffer', () => {
    expect(() => fileZeroDataInformation.decode(new Uint8Array(15))).toThrow(SmbDecodeError);
  });
});

describe('FSCTL_QUERY_ALLOCATED_RANGES', () => {
  it('decodes the query and ignores bytes past the first range', () => {
    const one = allocatedRangeQuery.encode({ fileOffset: 512n, length: 0xffffffffffffffffn });
    expect(one.length).toBe(ALLOCATED_RANGE_SIZE);
    const doubled = new Uint8Array([...one, ...one]);
    expect(allocatedRangeQuery.decode(doubled)).toEqual({ fileOffset: 512n, length: 0xffffffffffffffffn });
    expect(() => allocatedRangeQuery.decode(new Uint8Array(0))).toThrow(SmbDecodeError);
  });
  it('round-trips a range array, and refuses a partial range', () => {
    const list = [
      { fileOffset: 0n, length: 4096n },
      { fileOffset: 65536n, length: 1024n },
    ];
    const b = allocatedRanges.encode(list);
    expect(b.length).toBe(32);
    expect(allocatedRanges.decode(b)).toEqual(list);
    expect(allocatedRanges.decode(new Uint8Array(0))).toEqual([]);
    expect(() => allocatedRanges.decode(b.subarray(0, 20))).toThrow(SmbDecodeError);
  });
});

describe('FSCTL_GET/SET_COMPRESSION', () => {
  it('round-trips COMPRESSION_STATE', () => {
    expect(hex(compressionState.encode(CompressionFormat.LZNT1))).toBe('0200');
    expect(compressionState.decode(new Uint8Array([1, 0]))).toBe(CompressionFormat.DEFAULT);
    expect(() => compressionState.decode(new Uint8Array([1]))).toThrow(SmbDecodeError);
  });
});
