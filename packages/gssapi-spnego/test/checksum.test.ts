/** RFC 4121 §4.1.1 0x8003 checksum: layout, endianness, strictness, channel bindings. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  channelBindingHash,
  decodeGssChecksum,
  encodeGssChecksum,
  GssFlags,
  GssTokenError,
  gssFlagNames,
  gssFlags,
} from '../src/index.js';
import { hex, toHex, utf8 } from './helpers.js';

describe('0x8003 checksum', () => {
  it('Lgth and Flags little-endian, extension type/length big-endian', () => {
    const bytes = encodeGssChecksum({
      bindings: new Uint8Array(16),
      flags: gssFlags(['mutual', 'replay', 'sequence', 'conf', 'integ']),
      extensions: [{ type: 2, data: hex('aabbcc') }],
    });
    expect(toHex(bytes)).toBe(`10000000${'00'.repeat(16)}3e0000000000000200000003aabbcc`);
    expect(gssFlagNames(decodeGssChecksum(bytes).flags)).toEqual([
      'mutual',
      'replay',
      'sequence',
      'conf',
      'integ',
    ]);
  });

  it('delegation: DlgOpt 1, Dlgth little-endian, then Deleg, then extensions', () => {
    const value = {
      bindings: new Uint8Array(16).fill(1),
      flags: GssFlags.mutual,
      delegation: hex('7681'),
      extensions: [{ type: 0, data: new Uint8Array(0) }],
    };
    const bytes = encodeGssChecksum(value);
    expect(toHex(bytes.subarray(20))).toBe('03000000' + '0100' + '0200' + '7681' + '0000000000000000');
    expect(decodeGssChecksum(bytes)).toEqual({ ...value, flags: GssFlags.mutual | GssFlags.deleg });
  });

  it.each([
    ['too short', `10000000${'00'.repeat(16)}000000`],
    ['Lgth not 16', `11000000${'00'.repeat(16)}00000000`],
    ['deleg flag without DlgOpt', `10000000${'00'.repeat(16)}01000000`],
    ['DlgOpt not 1', `10000000${'00'.repeat(16)}01000000 0200 0000`],
    ['Dlgth past the end', `10000000${'00'.repeat(16)}01000000 0100 0500 aabb`],
    ['partial extension header', `10000000${'00'.repeat(16)}00000000 000000`],
    ['extension longer than the rest', `10000000${'00'.repeat(16)}00000000 00000002 00000004 aabbcc`],
  ])('%s: GssTokenError', (_, h) => {
    expect(() => decodeGssChecksum(hex(h))).toThrow(GssTokenError);
  });

  it('channel bindings: MD5 of the RFC 4121 §4.1.1.2 structure (checked against node:crypto)', () => {
    const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
    expect(toHex(channelBindingHash({}))).toBe(md5(new Uint8Array(20)));
    const app = utf8('tls-server-end-point:abc');
    const expected = new Uint8Array(20 + app.length);
    new DataView(expected.buffer).setUint32(16, app.length, true);
    expected.set(app, 20);
    expect(toHex(channelBindingHash({ applicationData: app }))).toBe(md5(expected));
  });
});
