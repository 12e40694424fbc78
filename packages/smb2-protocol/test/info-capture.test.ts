/**
 * Real bytes: QUERY_DIRECTORY and QUERY_INFO messages smbclient (Samba 4, SMB 3.1.1, signed)
 * exchanged with smbd, from /work/shared/interop/captures/smbclient-krb5.pcapng (see
 * fixtures/info-SOURCE.md). Each decodes and re-encodes byte for byte, and so do the info
 * classes inside the responses.
 */
import { describe, expect, it } from 'vitest';
import type { BodyCodec } from '../src/codec.js';
import { queryDirectoryRequest, queryDirectoryResponse } from '../src/commands/query-directory.js';
import { InfoType, queryInfoRequest, queryInfoResponse } from '../src/commands/query-info.js';
import { Command, HEADER_SIZE } from '../src/header.js';
import { decodeDirectoryEntries, fileIdBothDirectoryInformation } from '../src/info/dir-info.js';
import { FileInformationClass, fileAllInformation } from '../src/info/file-info.js';
import { filetimeToDate } from '../src/info/filetime.js';
import { FsInformationClass, fileFsSizeInformation } from '../src/info/fs-info.js';
import { decodeMessage, encodeBody, fixture, hex } from './info-helpers.js';

function roundTrip<T>(codec: BodyCodec<T>, name: string): { body: T; bytes: Uint8Array } {
  const bytes = fixture(name);
  const { header, body } = decodeMessage(codec, bytes);
  expect(header.command).toBe(codec.command);
  expect(hex(encodeBody(codec, body))).toBe(hex(bytes.subarray(HEADER_SIZE)));
  return { body, bytes };
}

describe('QUERY_INFO from the smbclient capture', () => {
  it('frames 42 and 50: FileAllInformation requests', () => {
    for (const f of [
      'info-f042-query-info-file-all-req.hex',
      'info-f050-query-info-file-all-hello-req.hex',
    ]) {
      const { body } = roundTrip(queryInfoRequest, f);
      expect(body.infoType).toBe(InfoType.FILE);
      expect(body.fileInfoClass).toBe(FileInformationClass.FileAllInformation);
      expect(body.outputBufferLength).toBe(0xffff);
      expect(body.inputBuffer.length).toBe(0);
      expect(body.additionalInformation).toBe(0);
    }
  });

  it('frame 43: FileAllInformation of ref-smbclient-krb5.txt', () => {
    const { body } = roundTrip(queryInfoResponse, 'info-f043-query-info-file-all-resp.hex');
    expect(body.outputBuffer.length).toBe(146);
    const all = fileAllInformation.decode(body.outputBuffer);
    expect(all.name.fileName).toBe('\\ref-smbclient-krb5.txt');
    expect(all.standard).toEqual({
      allocationSize: 4096n,
      endOfFile: 34n,
      numberOfLinks: 1,
      deletePending: false,
      directory: false,
    });
    expect(all.basic.fileAttributes).toBe(0x20);
    expect(filetimeToDate(all.basic.creationTime)?.getUTCFullYear()).toBe(2026);
    expect(all.internal.indexNumber).toBe(0x20c208n);
    expect(all.access.accessFlags).toBe(0x00120089);
    expect(hex(fileAllInformation.encode(all))).toBe(hex(body.outputBuffer));
  });

  it('frame 51: FileAllInformation of hello.txt', () => {
    const { body } = roundTrip(queryInfoResponse, 'info-f051-query-info-file-all-hello-resp.hex');
    const all = fileAllInformation.decode(body.outputBuffer);
    expect(all.name.fileName).toBe('\\hello.txt');
    expect(all.standard.endOfFile).toBe(31n);
    expect(hex(fileAllInformation.encode(all))).toBe(hex(body.outputBuffer));
  });

  it('frames 66 and 67: FileFsSizeInformation', () => {
    const req = roundTrip(queryInfoRequest, 'info-f066-query-info-fs-size-req.hex').body;
    expect(req.infoType).toBe(InfoType.FILESYSTEM);
    expect(req.fileInfoClass).toBe(FsInformationClass.FileFsSizeInformation);
    const { body } = roundTrip(queryInfoResponse, 'info-f067-query-info-fs-size-resp.hex');
    const size = fileFsSizeInformation.decode(body.outputBuffer);
    expect(size).toEqual({
      totalAllocationUnits: 0x0fbf8e74n,
      availableAllocationUnits: 0x04ef4d70n,
      sectorsPerAllocationUnit: 2,
      bytesPerSector: 512,
    });
    expect(hex(fileFsSizeInformation.encode(size))).toBe(hex(body.outputBuffer));
  });
});

describe('QUERY_DIRECTORY from the smbclient capture', () => {
  it('frames 58, 60 and 72: requests with the patterns * and a file name', () => {
    const a = roundTrip(queryDirectoryRequest, 'info-f058-query-directory-req.hex').body;
    expect(a).toMatchObject({
      fileInformationClass: FileInformationClass.FileIdBothDirectoryInformation,
      flags: 0,
      fileIndex: 0,
      fileName: '*',
      outputBufferLength: 0x800000,
    });
    roundTrip(queryDirectoryRequest, 'info-f060-query-directory-again-req.hex');
    const c = roundTrip(queryDirectoryRequest, 'info-f072-query-directory-name-req.hex').body;
    expect(c.fileName).toBe('ref-smbclient-krb5.bin');
  });

  it('frame 59: a FileIdBothDirectoryInformation listing of the share root', () => {
    const { body, bytes } = roundTrip(queryDirectoryResponse, 'info-f059-query-directory-resp.hex');
    expect(decodeMessage(queryDirectoryResponse, bytes).header.command).toBe(Command.QUERY_DIRECTORY);
    expect(body.outputBuffer.length).toBe(912);
    const entries = decodeDirectoryEntries(
      FileInformationClass.FileIdBothDirectoryInformation,
      body.outputBuffer,
    );
    expect(entries[0]).toMatchObject({
      fileName: '.',
      fileAttributes: 0x10,
      fileId: 0x20c1e4n,
      shortName: '',
    });
    expect(entries[1]).toMatchObject({ fileName: '..', fileId: 0x20c1d9n });
    expect(entries[2]).toMatchObject({
      fileName: 'st-enc.txt',
      endOfFile: 15n,
      allocationSize: 4096n,
      fileAttributes: 0x20,
    });
    expect(entries.map((e) => e.fileName)).toContain('ref-smbclient-krb5.txt');
    expect(hex(fileIdBothDirectoryInformation.encode(entries))).toBe(hex(body.outputBuffer));
    // The server side: all of them fit in the 8 MiB the client offered; fewer fit in less.
    expect(hex(fileIdBothDirectoryInformation.fit(entries, 0x800000).bytes)).toBe(hex(body.outputBuffer));
    const some = fileIdBothDirectoryInformation.fit(entries, 300);
    expect(some.count).toBe(2);
    expect(fileIdBothDirectoryInformation.decode(some.bytes)).toEqual(entries.slice(0, 2));
  });

  it('frame 73: one entry, the last (unpadded)', () => {
    const { body } = roundTrip(queryDirectoryResponse, 'info-f073-query-directory-name-resp.hex');
    expect(body.outputBuffer.length % 8).not.toBe(0);
    const [entry, ...rest] = fileIdBothDirectoryInformation.decode(body.outputBuffer);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ fileName: 'ref-smbclient-krb5.bin', endOfFile: 65536n });
    expect(hex(fileIdBothDirectoryInformation.encode([entry!]))).toBe(hex(body.outputBuffer));
  });
});
